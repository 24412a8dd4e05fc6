// entente serve [--port P] [FILE]: the local web UI and its JSON API (src/server/, docs/api.md).
#include <fmt/format.h>

#include <csignal>
#include <iostream>

#include "cli/command.hpp"
#include "server/server.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioArgs scenario;
  server::Options server;
};

server::Server* running = nullptr;
extern "C" void on_signal(int) {
  if (running) running->stop();
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("serve", "serve the web UI and its JSON API on http://127.0.0.1:PORT");
  add_scenario_options(cmd, opt->scenario, false);
  cmd->add_option("--port", opt->server.port, "TCP port (0 = any free port)")->check(CLI::Range(0, 65535))->capture_default_str();
  cmd->add_option("--host", opt->server.host, "address to bind (default loopback only; other addresses expose the server)")
      ->capture_default_str();
  cmd->add_option("--threads", opt->server.threads, "connection threads")->check(CLI::Range(1, 1024))->capture_default_str();
  cmd->add_option("--timeout", opt->server.timeout_seconds, "seconds a computation may take before the request gets 503")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->callback([opt] {
    std::optional<Scenario> initial;
    if (!opt->scenario.file.empty()) initial = resolve_scenario(opt->scenario.source());
    server::Server srv(opt->server, std::move(initial), opt->scenario.file);
    int port = 0;
    try {
      port = srv.bind();
    } catch (const std::exception& e) {
      std::cerr << "entente serve: " << e.what() << '\n';
      throw Exit{exit_input};
    }
    running = &srv;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    const std::string host = opt->server.host.find(':') != std::string::npos ? "[" + opt->server.host + "]" : opt->server.host;
    std::cout << fmt::format("entente serving on http://{}:{}/ (Ctrl-C to stop)", host, port) << std::endl;
    const bool ok = srv.run();
    running = nullptr;
    if (!ok) throw Exit{exit_internal};
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("serve", setup);
}  // namespace entente::cli
