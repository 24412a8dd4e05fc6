// HTTP plumbing of `entente serve` on cpp-httplib: routes every request to the Api, enforces body
// size (413) and socket timeouts (so slow or stuck clients cannot hold threads), and refuses
// foreign Host headers when bound to loopback (DNS rebinding).
#include <httplib.h>

#include <stdexcept>

#include "server/server.hpp"

namespace entente::server {

struct Server::Impl {
  Options options;
  Api api;
  httplib::Server http;

  Impl(Options o, std::optional<Scenario> initial, std::string name)
      : options(o), api(std::move(o), std::move(initial), std::move(name)) {}

  [[nodiscard]] bool loopback() const {
    return options.host == "127.0.0.1" || options.host == "localhost" || options.host == "::1";
  }

  [[nodiscard]] bool host_allowed(const httplib::Request& req) const {
    if (!loopback()) return true;
    std::string host = req.get_header_value("Host");
    if (host.empty()) return true;  // HTTP/1.0 clients
    // Strip the port.
    if (!host.empty() && host.front() == '[') {
      host = host.substr(0, host.find(']') + 1);
    } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
      host.resize(colon);
    }
    return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
  }

  void setup() {
    const int threads = std::max(1, options.threads);
    http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    http.set_payload_max_length(options.max_body);
    http.set_read_timeout(5, 0);
    http.set_write_timeout(5, 0);
    http.set_keep_alive_timeout(5);
    http.set_keep_alive_max_count(100);
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (host_allowed(req)) return httplib::Server::HandlerResponse::Unhandled;
      res.status = 403;
      res.set_content(R"j({"error":"forbidden Host header (this server answers only on localhost)"})j", "application/json");
      return httplib::Server::HandlerResponse::Handled;
    });
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      const Reply r = api.handle(req.method, req.path, req.body);
      res.status = r.status;
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Cache-Control", "no-store");
      if (r.content_type.rfind("text/html", 0) == 0)
        res.set_header("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
      res.set_content(r.body, r.content_type);
    };
    http.Get(R"(/.*)", handler);
    http.Post(R"(/.*)", handler);
    http.Put(R"(/.*)", handler);
    http.Delete(R"(/.*)", handler);
    // Errors raised by httplib itself (413, 400 on a broken request line...) get a JSON body too.
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      const char* what = res.status == 413 ? "request body too large" : "bad request";
      res.set_content(std::string(R"({"error":")") + what + "\"}", "application/json");
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      res.status = 500;
      res.set_content(R"({"error":"internal error"})", "application/json");
    });
  }
};

Server::Server(Options options, std::optional<Scenario> initial, std::string initial_name)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(initial), std::move(initial_name))) {
  impl_->setup();
}

Server::~Server() { stop(); }

int Server::bind() {
  const auto& o = impl_->options;
  if (o.port == 0) {
    port_ = impl_->http.bind_to_any_port(o.host);
  } else {
    port_ = impl_->http.bind_to_port(o.host, o.port) ? o.port : -1;
  }
  if (port_ <= 0) throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port));
  return port_;
}

bool Server::run() { return impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace entente::server
