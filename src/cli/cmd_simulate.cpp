// entente simulate: the models on many draws of the scenario's uncertain inputs. Ctrl-C stops
// cleanly (cli/interrupt.hpp): finished draws are kept, shown and saved as partial, exit code 130.

#include "cli/command.hpp"
#include "cli/interrupt.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
  std::uint64_t draws = 1000;
  std::uint64_t first_draw = 0;
  unsigned threads = 0;
  int bins = 10;
  std::string store_draws = "auto";
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
  cmd->add_option("--store-draws", o->store_draws,
                  "how the store keeps the draws: yes (every draw), no (the inputs and a digest; `runs show|export` "
                  "compute them again), auto (no for models without rounds, yes for the others)")
      ->check(CLI::IsMember({"auto", "yes", "no"}))
      ->capture_default_str();
  cmd->callback([o] {
    const InterruptGuard guard;  // from the start: a Ctrl-C while loading also ends cleanly
    SimulateRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.store = o->store.target();
    req.store.cancel = guard.store();
    if (o->store_draws != "auto") req.draw_storage = o->store_draws == "yes" ? DrawStorage::blocks : DrawStorage::recompute;
    req.draws = o->draws;
    req.first_draw = o->first_draw;
    req.threads = o->threads;
    req.bins = o->bins;
    req.cancel = guard.compute();
    req.distributor = distributor();
    const bool bar = stderr_is_terminal() && speaker();
    if (bar)
      req.progress = [](const std::string& model, std::uint64_t done, std::uint64_t total) { draw_progress(model, done, total); };
    const Format format = o->output.resolved();
    const SimulateResponse rsp = simulate(req);
    report_warnings(rsp.scenario);
    if (bar) clear_progress();
    if (!rsp.speaker) return;
    guard.announce(rsp.partial);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    guard.conclude(rsp.partial, rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("simulate", setup);
}  // namespace entente::cli
