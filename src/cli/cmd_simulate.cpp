// entente simulate: the models on many draws of the scenario's uncertain inputs. Ctrl-C stops
// cleanly: finished draws are kept, shown as partial, and the exit code is 130.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

std::atomic<bool> interrupted{false};
std::atomic<bool> saving_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");
// The first Ctrl-C stops the draws (the finished ones are kept and saved); a second one rolls the
// store write back; a third ends the process at once.
extern "C" void on_sigint(int) {
  if (!interrupted.exchange(true)) return;
  saving_interrupted.store(true);
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  sigaction(SIGINT, &sa, nullptr);
}

// Installs the SIGINT handler for the simulation and restores the previous one afterwards, so a
// Ctrl-C after the run ends the process as usual.
struct SigintGuard {
  struct sigaction old {};
  SigintGuard() {
    interrupted.store(false);
    saving_interrupted.store(false);
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
  }
  ~SigintGuard() { sigaction(SIGINT, &old, nullptr); }
};

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
  std::uint64_t draws = 1000;
  std::uint64_t first_draw = 0;
  unsigned threads = 0;
  int bins = 10;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("simulate", "Monte Carlo: forecast distributions over the scenario's uncertain inputs");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, "(none: name one or more)");
  cmd->add_option("-n,--draws", o->draws, "number of draws")->capture_default_str()->check(CLI::Range(1ULL, 100000000ULL));
  cmd->add_option("--first-draw", o->first_draw, "index of the first draw (to split a simulation into ranges)")
      ->capture_default_str();
  cmd->add_option("-t,--threads", o->threads, "worker threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--bins", o->bins, "histogram bins")->capture_default_str()->check(CLI::Range(1, 1000));
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    SigintGuard guard;  // from the start: a Ctrl-C while loading also ends cleanly
    SimulateRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.store = o->store.target();
    req.store.cancel = &saving_interrupted;
    req.draws = o->draws;
    req.first_draw = o->first_draw;
    req.threads = o->threads;
    req.bins = o->bins;
    req.cancel = &interrupted;
    req.distributor = distributor();
    const bool bar = stderr_is_terminal() && speaker();
    if (bar)
      req.progress = [](const std::string& model, std::uint64_t done, std::uint64_t total) {
        const int width = 40;
        const auto filled = static_cast<int>(done * width / std::max<std::uint64_t>(total, 1));
        std::cerr << fmt::format("\r{} [{}{}] {:3}% {}/{}", model, std::string(static_cast<std::size_t>(filled), '#'),
                                 std::string(static_cast<std::size_t>(width - filled), ' '),
                                 done * 100 / std::max<std::uint64_t>(total, 1), done, total)
                  << std::flush;
      };
    const Format format = o->output.resolved();
    const SimulateResponse rsp = simulate(req);
    report_warnings(rsp.scenario);
    if (bar) std::cerr << "\r" << std::string(70, ' ') << "\r";
    if (!rsp.speaker) return;
    // Say which: draws abandoned (partial results, saved as partial), or every draw finished and
    // the Ctrl-C came while saving (the store's transaction completed: the run is whole).
    if (rsp.partial)
      std::cerr << "entente: interrupted: the results below are partial (finished draws only)\n";
    else if (interrupted.load())
      std::cerr << (rsp.provenance.run_id > 0
                        ? fmt::format("entente: interrupted after every draw had finished: the results are complete and "
                                      "were saved whole as run {}\n", rsp.provenance.run_id)
                        : std::string("entente: interrupted after every draw had finished: the results below are complete\n"));
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    // Interrupted: say whether the store write finished or was rolled back, terminal or not.
    if (interrupted.load() && rsp.provenance.run_id && !stderr_is_terminal())
      std::cerr << fmt::format("entente: the finished draws were saved completely as run {} in {}\n", rsp.provenance.run_id,
                               rsp.provenance.store_path);
    if (rsp.partial || interrupted.load()) throw Exit{exit_interrupted};
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("simulate", setup);
}  // namespace entente::cli
