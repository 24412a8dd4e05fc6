// entente sensitivity: which inputs (and which actors' presence) move each forecast most.
#include "cli/command.hpp"
#include "cli/interrupt.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
  std::size_t top = 10;
  bool all = false, no_drop = false;
  unsigned threads = 0;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("sensitivity", "which inputs move each forecast most (tornado), and the effect of dropping each actor");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, "(none: name one)");
  cmd->add_option("--top", o->top, "per issue, the N inputs that move it most (only those that move it at all)")
      ->capture_default_str();
  cmd->add_flag("--all", o->all, "every input and actor, also those that do not move the forecast");
  cmd->add_flag("--no-drop", o->no_drop, "do not try dropping each actor");
  cmd->add_option("-t,--threads", o->threads, "worker threads (0 = all cores)")->capture_default_str();
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    const InterruptGuard guard;
    SensitivityRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.models.cancel = guard.compute();
    req.store = o->store.target();
    req.store.cancel = guard.store();
    req.top = o->top;
    req.all = o->all;
    req.drop_actors = !o->no_drop;
    req.threads = o->threads;
    req.distributor = distributor();
    const Format format = o->output.resolved();
    const SensitivityResponse rsp = sensitivity(req);
    report_warnings(rsp.scenario);
    if (!rsp.speaker) return;
    guard.announce(false);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    guard.conclude(false, rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("sensitivity", setup);
}  // namespace entente::cli
