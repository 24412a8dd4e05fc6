// entente deal: will there be a deal? Veto players, zones of possible agreement, the most
// acceptable package, each model's forecast checked, and with --draws the probabilities. A thin
// adapter over the request layer's deal(); Ctrl-C stops the draws cleanly: finished draws are
// kept, shown as partial, and the exit code is 130 (as simulate).
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");
extern "C" void on_deal_sigint(int) { interrupted.store(true); }

// The SIGINT handler for the run, the previous one restored afterwards (as in cmd_simulate.cpp).
struct SigintGuard {
  struct sigaction old {};
  SigintGuard() {
    interrupted.store(false);
    struct sigaction sa {};
    sa.sa_handler = on_deal_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends the process at once
    sigaction(SIGINT, &sa, &old);
  }
  ~SigintGuard() { sigaction(SIGINT, &old, nullptr); }
};

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
  std::uint64_t draws = 0;
  std::uint64_t first_draw = 0;
  unsigned threads = 0;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("deal", "will there be a deal? veto players, zones of agreement, P(a deal is possible)");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, "(none: only the model-free analysis)");
  cmd->add_option("-n,--draws", o->draws, "Monte Carlo draws of the uncertain inputs (0 = point values only)")
      ->capture_default_str()
      ->check(CLI::Range(0ULL, 100000000ULL));
  cmd->add_option("--first-draw", o->first_draw, "index of the first draw (to split a run into ranges)")
      ->capture_default_str();
  cmd->add_option("-t,--threads", o->threads, "worker threads (0 = all cores)")->capture_default_str();
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    SigintGuard guard;
    DealRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.store = o->store.target();
    req.draws = o->draws;
    req.first_draw = o->first_draw;
    req.threads = o->threads;
    req.cancel = &interrupted;
    req.distributor = distributor();
    const bool bar = o->draws > 0 && stderr_is_terminal() && speaker();
    if (bar)
      req.progress = [](std::uint64_t done, std::uint64_t total) {
        const int width = 40;
        const auto filled = static_cast<int>(done * width / std::max<std::uint64_t>(total, 1));
        std::cerr << fmt::format("\rdeal [{}{}] {:3}% {}/{}", std::string(static_cast<std::size_t>(filled), '#'),
                                 std::string(static_cast<std::size_t>(width - filled), ' '),
                                 done * 100 / std::max<std::uint64_t>(total, 1), done, total)
                  << std::flush;
      };
    const Format format = o->output.resolved();
    const DealResponse rsp = deal(req);
    if (bar) std::cerr << "\r" << std::string(70, ' ') << "\r";
    if (!rsp.speaker) return;
    if (rsp.partial || interrupted.load())
      std::cerr << "entente: interrupted: the results below are partial (finished draws only)\n";
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    if (rsp.partial || interrupted.load()) throw Exit{exit_interrupted};
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("deal", setup);
}  // namespace entente::cli
