// Internal: the web server behind `entente serve`: the JSON API (docs/api.md) and the embedded web
// UI, on cpp-httplib. Requests are independent (the scenario travels with each request), so the
// server holds no session state.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "entente/scenario.hpp"

namespace entente::server {

struct Options {
  std::string host = "127.0.0.1";  // loopback only unless asked otherwise
  int port = 8080;                  // 0 = any free port
  std::size_t max_body = 4u << 20;  // larger request bodies get 413
  double timeout_seconds = 10;      // a computation taking longer gets 503
  int threads = 256;                // connection threads (a keep-alive connection holds one)
  int compute_slots = 0;            // concurrent computations (0 = number of cores)
  // Limits on what one request may ask for (400 beyond them), so each request's work is bounded.
  std::size_t max_actors = 500, max_issues = 100, max_models = 8, max_edits = 1000;
  int max_draws = 2000;
  // Connection timeouts (seconds), so idle or slow clients cannot hold the connection threads:
  double header_timeout_seconds = 10;  // first byte of a connection's first request, then its whole header
  double body_timeout_seconds = 30;    // the whole body, from the end of the header
  double keep_alive_seconds = 10;      // a kept-alive connection's wait for its next request
  double read_timeout_seconds = 5;     // each recv and send
  std::size_t keep_alive_max = 1000000;  // requests per connection (closing early shows up as errors in wrk)
  bool tcp_nodelay = true;             // replies go out at once (false only to measure the difference)
  std::size_t max_json_depth = 64;     // nesting of a JSON request body (the native scenario needs < 10)
};

// Whether a Host header names the loopback exactly (optionally with a port).
[[nodiscard]] bool loopback_host_header(std::string_view host);

// A reply to one API call, independent of HTTP plumbing (used by the unit tests too).
struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class Api {
 public:
  explicit Api(Options options, std::optional<Scenario> initial = {}, std::string initial_name = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;
  // method "GET"/"POST"; path like "/api/forecast". Never throws.
  [[nodiscard]] Reply handle(const std::string& method, const std::string& path, const std::string& body) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

class Server {
 public:
  explicit Server(Options options, std::optional<Scenario> initial = {}, std::string initial_name = {});
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Binds the socket; returns the port (useful with port 0). Throws std::runtime_error on failure.
  int bind();
  // Serves until stop(); returns false if listening failed.
  bool run();
  void stop();
  [[nodiscard]] int port() const noexcept { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace entente::server
