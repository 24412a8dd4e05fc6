// HTTP plumbing of `entente serve` on cpp-httplib: routes every request to the Api and keeps hostile
// or careless clients from holding the server (docs/limits.md):
//  - its own connection loop (Http::process_and_close_socket), so that the wait for a request's
//    first byte and for its whole header are bounded (httplib bounds only each recv), and accepted
//    sockets get TCP_NODELAY (the header and body are two writes: with Nagle, a kept-alive client
//    waited for its delayed ACK);
//  - body size (413, also for chunked bodies, read through our own receiver);
//  - Host exact (DNS rebinding), JSON POSTs only as application/json without a foreign Origin
//    (a web page cannot send them to a local server without a preflight, which gets no CORS grant);
//  - OPTIONS and HEAD answered.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "server/server.hpp"

namespace entente::server {

namespace {

using clock = std::chrono::steady_clock;

// One accepted connection as httplib's Stream, with a read deadline on top of the per-recv timeout.
class Connection final : public httplib::Stream {
 public:
  Connection(int sock, double read_timeout, double write_timeout)
      : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  void set_deadline(clock::time_point d) { deadline_ = d; }
  bool close_after = false;  // the rest of this request's body was not read: the stream is out of step

  // Waits up to `seconds` for the first byte of a request; false on timeout, EOF or server stop.
  bool wait_first_byte(double seconds, const std::atomic<int>& listening) {
    if (off_ < len_) return true;
    const auto until = clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
    while (listening.load() != INVALID_SOCKET) {
      const double left = std::chrono::duration<double>(until - clock::now()).count();
      if (left <= 0) return false;
      const int r = wait(POLLIN, std::min(left, 0.1));  // wake up now and then to notice stop()
      if (r > 0) return true;
      if (r < 0) return false;
    }
    return false;
  }

  bool is_readable() const override {
    if (off_ < len_) return true;
    double left = std::chrono::duration<double>(deadline_ - clock::now()).count();
    if (left <= 0) return false;
    return wait(POLLIN, std::min(left, read_timeout_)) > 0;
  }
  bool is_writable() const override { return wait(POLLOUT, write_timeout_) > 0; }

  ssize_t read(char* ptr, std::size_t size) override {
    if (off_ < len_) {
      const std::size_t n = std::min(size, len_ - off_);
      std::memcpy(ptr, buf_ + off_, n);
      off_ += n;
      return static_cast<ssize_t>(n);
    }
    if (!is_readable()) return -1;
    if (size >= sizeof buf_) return recv_some(ptr, size);
    const ssize_t got = recv_some(buf_, sizeof buf_);
    if (got <= 0) return got;
    off_ = 0;
    len_ = static_cast<std::size_t>(got);
    return read(ptr, size);
  }
  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    ssize_t r;
    do r = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    return r;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  int wait(short events, double seconds) const {
    pollfd p{sock_, events, 0};
    int r;
    do r = ::poll(&p, 1, static_cast<int>(seconds * 1000));
    while (r < 0 && errno == EINTR);
    if (r > 0 && (p.revents & (POLLERR | POLLNVAL))) return -1;
    return r;
  }
  ssize_t recv_some(char* ptr, std::size_t size) {
    ssize_t r;
    do r = ::recv(sock_, ptr, size, 0);
    while (r < 0 && errno == EINTR);
    return r;
  }
  void address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    const int r = remote ? ::getpeername(sock_, reinterpret_cast<sockaddr*>(&a), &len)
                         : ::getsockname(sock_, reinterpret_cast<sockaddr*>(&a), &len);
    if (r != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
      ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
      port = ntohs(v4->sin_port);
    } else if (a.ss_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
      ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
      port = ntohs(v6->sin6_port);
    }
    ip = text;
  }

  int sock_;
  double read_timeout_, write_timeout_;
  clock::time_point deadline_ = clock::time_point::max();
  char buf_[4096];
  std::size_t off_ = 0, len_ = 0;
};

// The connection this thread serves (handlers run on the connection's thread), so that a handler
// can extend the read deadline once the header is in, or close the connection after its reply.
thread_local Connection* current = nullptr;

clock::time_point after(double seconds) {
  return clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
}

class Http final : public httplib::Server {
 public:
  explicit Http(const server::Options& o) : options_(o) {}

 private:
  // httplib's loop, with our deadlines: the first request's first byte within header_timeout, a
  // later one's within keep_alive; each header within header_timeout of its first byte; the body
  // within body_timeout of the header's end (see the pre-routing handler).
  bool process_and_close_socket(socket_t sock) override {
    int yes = 1;
    if (options_.tcp_nodelay) ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    Connection conn(sock, options_.read_timeout_seconds, options_.read_timeout_seconds);
    current = &conn;
    bool ok = false;
    for (std::size_t n = 0; n < options_.keep_alive_max; ++n) {
      if (!conn.wait_first_byte(n == 0 ? options_.header_timeout_seconds : options_.keep_alive_seconds, svr_sock_))
        break;
      conn.set_deadline(after(options_.header_timeout_seconds));
      bool closed = false;
      ok = process_request(conn, n + 1 == options_.keep_alive_max, closed, nullptr);
      if (!ok || closed || conn.close_after) break;
    }
    current = nullptr;
    if (conn.close_after) linger(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }

  // After a reply sent before the body was read (413, 415...): closing with unread input makes
  // the kernel send a reset, which can destroy the reply in the client's buffers before it reads
  // it. So: end our side, then read and discard what the client still sends, for at most 2 s and
  // 8 MiB.
  static void linger(int sock) {
    ::shutdown(sock, SHUT_WR);
    const auto until = after(2.0);
    char sink[16384];
    std::size_t total = 0;
    while (total < (8u << 20)) {
      const double left = std::chrono::duration<double>(until - clock::now()).count();
      if (left <= 0) break;
      pollfd p{sock, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left * 1000) + 1) <= 0) break;
      const ssize_t n = ::recv(sock, sink, sizeof sink, 0);
      if (n <= 0) break;
      total += static_cast<std::size_t>(n);
    }
  }

  server::Options options_;
};

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

// Exact: a loopback name, optionally ":" and a port number; nothing else (not
// "localhost:8080@evil.com", not "localhost.evil.com").
bool loopback_host_header(std::string_view host) {
  if (host.empty()) return true;  // HTTP/1.0 clients
  for (std::string_view name : {"127.0.0.1", "localhost", "[::1]"}) {
    if (host.substr(0, name.size()) != name) continue;
    const std::string_view rest = host.substr(name.size());
    if (rest.empty() || (rest.front() == ':' && all_digits(rest.substr(1)))) return true;
  }
  return false;
}

struct Server::Impl {
  Options options;
  Api api;
  Http http;
  int listen_fd = -1;

  Impl(Options o, std::optional<Scenario> initial, std::string name)
      : options(o), api(o, std::move(initial), std::move(name)), http(o) {}

  [[nodiscard]] bool loopback() const {
    return options.host == "127.0.0.1" || options.host == "localhost" || options.host == "::1";
  }

  static void refuse(httplib::Response& res, int status, const std::string& message, bool close = false) {
    res.status = status;
    std::string escaped;
    for (char c : message) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    res.set_content("{\"error\":\"" + escaped + "\"}", "application/json");
    if (close && current) current->close_after = true;
  }

  // Checks on the header alone, before any body byte is read.
  httplib::Server::HandlerResponse pre_route(const httplib::Request& req, httplib::Response& res) const {
    using R = httplib::Server::HandlerResponse;
    if (current) current->set_deadline(after(options.body_timeout_seconds));  // the header is in
    const std::string host = req.get_header_value("Host");
    if (loopback() && !loopback_host_header(host)) {
      refuse(res, 403, "forbidden Host header (this server answers only on localhost)", true);
      return R::Handled;
    }
    if (req.has_header("Content-Length")) {
      const std::string len = req.get_header_value("Content-Length");
      const bool number = !len.empty() && len.size() <= 15 && len.find_first_not_of("0123456789") == std::string::npos;
      if (!number || std::stoull(len) > options.max_body) {
        refuse(res, 413, "request body too large", true);
        return R::Handled;
      }
    }
    if (req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS") {
      // A browser sends Origin with every cross-site POST; ours is same-origin ("http://" + Host).
      if (req.has_header("Origin") && req.get_header_value("Origin") != "http://" + host) {
        refuse(res, 403, "forbidden Origin (this API accepts requests from its own pages only)", true);
        return R::Handled;
      }
      if (req.method == "POST" && req.path.rfind("/api/", 0) == 0) {
        std::string type = req.get_header_value("Content-Type");
        type = type.substr(0, type.find(';'));
        while (!type.empty() && type.back() == ' ') type.pop_back();
        for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (type != "application/json") {
          refuse(res, 415, "the request body must be JSON sent as Content-Type: application/json", true);
          return R::Handled;
        }
      }
    }
    return R::Unhandled;
  }

  void reply(const httplib::Request& req, httplib::Response& res, const std::string& body) const {
    const Reply r = api.handle(req.method, req.path, body);
    res.status = r.status;
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", "no-store");
    if (r.content_type.rfind("text/html", 0) == 0)
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    res.set_content(r.body, r.content_type);
  }

  void setup() {
    const int threads = std::max(1, options.threads);
    http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    // Keep the listening socket, to raise its backlog after bind: Debian's library listens with a
    // backlog of 5, and a burst of connections beyond it gets reset.
    http.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_fd = sock;
    });
    http.set_payload_max_length(options.max_body);
    // Only for the Keep-Alive header httplib writes (our loop enforces them).
    http.set_keep_alive_timeout(static_cast<time_t>(options.keep_alive_seconds));
    http.set_keep_alive_max_count(options.keep_alive_max);
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return pre_route(req, res); });
    auto without_body = [this](const httplib::Request& req, httplib::Response& res) { reply(req, res, {}); };
    // Bodies through our receiver, which stops at max_body: httplib's own reader has no limit on
    // a chunked body.
    auto with_body = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
      std::string body;
      bool too_large = false;
      const bool ok = read([&](const char* data, std::size_t n) {
        if (body.size() + n > options.max_body) {
          too_large = true;
          return false;
        }
        body.append(data, n);
        return true;
      });
      if (too_large) return refuse(res, 413, "request body too large", true);
      if (!ok) return refuse(res, 400, "the request body could not be read", true);
      reply(req, res, body);
    };
    http.Get(R"(/.*)", without_body);  // HEAD too (httplib sends the headers only)
    http.Post(R"(/.*)", with_body);
    http.Put(R"(/.*)", with_body);
    http.Delete(R"(/.*)", with_body);
    // No CORS grant: a foreign page's preflight gets the methods but no Access-Control-Allow-*.
    http.Options(R"(/.*)", [](const httplib::Request&, httplib::Response& res) {
      res.status = 204;
      res.set_header("Allow", "GET, HEAD, POST, OPTIONS");
    });
    // Errors raised by httplib itself (400 on a broken request line...) get a JSON body too.
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
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);  // a larger backlog (Linux updates it)
  return port_;
}

bool Server::run() { return impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace entente::server
