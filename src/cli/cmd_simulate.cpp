// entente simulate: the model on many draws of the scenario's uncertain inputs.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "cli/cluster.hpp"
#include "cli/command.hpp"
#include "cli/store_options.hpp"
#include "entente/analysis.hpp"

namespace entente::cli {
namespace {

std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");
extern "C" void on_sigint(int) { interrupted.store(true); }

// Installs the SIGINT handler for the simulation and restores the previous one afterwards, so a
// second Ctrl-C after the run ends the process as usual.
struct SigintGuard {
  struct sigaction old {};
  SigintGuard() {
    interrupted.store(false);
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
  }
  ~SigintGuard() { sigaction(SIGINT, &old, nullptr); }
};

struct Options {
  ScenarioOptions scenario;
  ModelOptions model;
  OutputOptions output;
  StoreOptions store;
  std::uint64_t draws = 1000;
  std::uint64_t first_draw = 0;
  unsigned threads = 0;
  int bins = 10;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("simulate", "Monte Carlo: forecast distributions over the scenario's uncertain inputs");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, {});
  cmd->add_option("-n,--draws", o->draws, "number of draws")->capture_default_str()->check(CLI::Range(1ULL, 100000000ULL));
  cmd->add_option("--first-draw", o->first_draw, "index of the first draw (to split a simulation into ranges)")
      ->capture_default_str();
  cmd->add_option("-t,--threads", o->threads, "worker threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--bins", o->bins, "histogram bins")->capture_default_str()->check(CLI::Range(1, 1000));
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    SigintGuard guard;  // from the start: a Ctrl-C while loading also ends cleanly
    const Scenario scenario = load(o->scenario);
    SimulationOptions so;
    so.model = single_model(o->model);
    so.params = params_for(o->model, so.model);
    so.seed = o->model.seed;
    so.draws = o->draws;
    so.first_draw = o->first_draw;
    so.threads = o->threads;
    so.cancel = &interrupted;
    const bool bar = stderr_is_terminal() && cluster().rank == 0;
    if (bar)
      so.progress = [](std::uint64_t done, std::uint64_t total) {
        const int width = 40;
        const auto filled = static_cast<int>(done * width / std::max<std::uint64_t>(total, 1));
        std::cerr << fmt::format("\r[{}{}] {:3}% {}/{}", std::string(static_cast<std::size_t>(filled), '#'),
                                 std::string(static_cast<std::size_t>(width - filled), ' '), done * 100 / std::max<std::uint64_t>(total, 1),
                                 done, total)
                  << std::flush;
      };
    // Under mpirun each rank runs a contiguous share of the draws; rank 0 gathers and merges.
    // Draw i is keyed by (seed, i), so the merged result equals the single-process run.
    const Cluster& cl = cluster();
    if (cl.size > 1) {
      const auto [first, count] = share(o->first_draw, o->draws, cl.rank, cl.size);
      so.first_draw = first;
      so.draws = count;
      if (cl.rank != 0) so.progress = nullptr;
    }
    SimulationResult result = simulate(scenario, so);
    if (cl.size > 1) {
      auto parts = cl.gather(serialize(result));
      if (cl.rank != 0) return;
      std::vector<SimulationResult> results;
      for (const auto& p : parts) results.push_back(deserialize_simulation(p));
      result = merge(std::move(results));
    }
    if (bar) std::cerr << "\r" << std::string(60, ' ') << "\r";
    if (result.partial)
      std::cerr << fmt::format("entente: interrupted: {} of {} draws finished; the results below are partial\n",
                               result.draws_completed(), result.draws_requested);
    emit(o->output, write_simulation(summarize(scenario, result, o->bins), parse_format(o->output.format)));
    save_simulation(o->store, scenario, result);
    if (result.partial || interrupted.load()) throw Exit{130};  // the shell's code for "stopped by Ctrl-C"
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("simulate", setup);
}  // namespace entente::cli
