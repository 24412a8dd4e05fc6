// entente deal: will there be a deal? Veto players, zones of possible agreement, the most
// acceptable package, each model's forecast checked, and with --draws the probabilities. A thin
// adapter over the request layer's deal(); Ctrl-C stops the draws cleanly: finished draws are
// kept, shown and saved as partial, and the exit code is 130 (cli/interrupt.hpp, as simulate).

#include "cli/command.hpp"
#include "cli/interrupt.hpp"

namespace entente::cli {
namespace {

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
    const InterruptGuard guard;
    DealRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.store = o->store.target();
    req.store.cancel = guard.store();
    req.draws = o->draws;
    req.first_draw = o->first_draw;
    req.threads = o->threads;
    req.cancel = guard.compute();
    req.distributor = distributor();
    const bool bar = o->draws > 0 && stderr_is_terminal() && speaker();
    if (bar)
      req.progress = [](std::uint64_t done, std::uint64_t total) { draw_progress("deal", done, total); };
    const Format format = o->output.resolved();
    const DealResponse rsp = deal(req);
    if (bar) clear_progress();
    if (!rsp.speaker) return;
    guard.announce(rsp.partial);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    guard.conclude(rsp.partial, rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("deal", setup);
}  // namespace entente::cli
