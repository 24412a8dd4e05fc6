// entente whatif: the smallest change of one actor's position, salience or capability that moves
// an issue's forecast to a target.
#include "cli/command.hpp"
#include "cli/interrupt.hpp"

namespace entente::cli {
namespace {
struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
  WhatIfOptions w;
  std::string target;
  bool deal = false;
};

// --issue and --target are needed unless --deal asks what would open a zone of agreement.
void require_option(const std::string& value, const char* name) {
  if (value.empty())
    throw InputError(Diagnostic{{"<command line>", 0, 0}, name, "a value (required unless --deal is given)", "nothing", {}});
}

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("whatif", "the smallest change of an actor's position/salience/capability that moves a forecast to a target");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, "(none: name one)");
  cmd->add_option("--actor", o->w.actor, "the actor whose lever moves")->required();
  cmd->add_option("--issue", o->w.issue, "the issue whose forecast should reach the target (required without --deal)");
  cmd->add_option("--target", o->target, "the forecast wanted (a number; an option name for categorical issues; required without --deal)");
  cmd->add_flag("--deal", o->deal,
                "instead: the smallest change of the actor's no-deal expectation, no-deal cost or salience that opens "
                "a zone of agreement (docs/models/deal.md)");
  cmd->add_option("--lever", o->w.lever, "what changes")->check(CLI::IsMember({"position", "salience", "capability"}))->capture_default_str();
  cmd->add_option("--lever-issue", o->w.lever_issue, "the issue whose position/salience changes (default: --issue)");
  cmd->add_option("--tolerance", o->w.tolerance, "how close counts as reached (default 1e-6 of the issue's scale)");
  cmd->add_option("--grid", o->w.grid, "bracketing grid points on each side")->capture_default_str()->check(CLI::Range(2, 100000));
  cmd->add_option("--capability-max", o->w.capability_max, "upper bound searched for capability (default 10 x the largest)");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    const Format format = o->output.resolved();
    if (o->deal) {
      DealWhatIfRequest req;
      req.scenario = o->scenario.source();
      req.store = o->store.target();
      req.options.actor = o->w.actor;
      req.options.grid = o->w.grid;
      const DealWhatIfResponse rsp = deal_whatif(req);
      emit(o->output, format, render(rsp, format));
      report_store(rsp.provenance);
      return;
    }
    require_option(o->w.issue, "--issue");
    require_option(o->target, "--target");
    const InterruptGuard guard;
    WhatIfRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.models.cancel = guard.compute();
    req.store = o->store.target();
    req.store.cancel = guard.store();
    req.options = o->w;
    req.target = o->target;
    const WhatIfResponse rsp = whatif(req);
    report_warnings(rsp.scenario);
    guard.announce(false);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    guard.conclude(false, rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("whatif", setup);
}  // namespace entente::cli
