// entente whatif: the smallest change of one actor's position, salience or capability that moves
// an issue's forecast to a target.
#include "cli/command.hpp"

namespace entente::cli {
namespace {
struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
  WhatIfOptions w;
  std::string target;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("whatif", "the smallest change of an actor's position/salience/capability that moves a forecast to a target");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, "(none: name one)");
  cmd->add_option("--actor", o->w.actor, "the actor whose lever moves")->required();
  cmd->add_option("--issue", o->w.issue, "the issue whose forecast should reach the target")->required();
  cmd->add_option("--target", o->target, "the forecast wanted (a number; an option name for categorical issues)")->required();
  cmd->add_option("--lever", o->w.lever, "what changes")->check(CLI::IsMember({"position", "salience", "capability"}))->capture_default_str();
  cmd->add_option("--lever-issue", o->w.lever_issue, "the issue whose position/salience changes (default: --issue)");
  cmd->add_option("--tolerance", o->w.tolerance, "how close counts as reached (default 1e-6 of the issue's scale)");
  cmd->add_option("--grid", o->w.grid, "bracketing grid points on each side")->capture_default_str()->check(CLI::Range(2, 100000));
  cmd->add_option("--capability-max", o->w.capability_max, "upper bound searched for capability (default 10 x the largest)");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    WhatIfRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.store = o->store.target();
    req.options = o->w;
    req.target = o->target;
    const Format format = o->output.resolved();
    const WhatIfResponse rsp = whatif(req);
    report_warnings(rsp.scenario);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("whatif", setup);
}  // namespace entente::cli
