// entente validate FILE [--evidence]: checks a scenario; with --evidence also lists every number
// that lacks evidence (exit 3 if any).
#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioArgs scenario;
  bool evidence = false;
  OutputArgs output;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("validate", "check a scenario file; --evidence lists numbers without evidence");
  add_scenario_options(cmd, o->scenario);
  cmd->add_flag("--evidence", o->evidence, "list every number lacking evidence (exit code 3 if there is any)");
  add_output_options(cmd, o->output, {"table", "json", "csv"});
  cmd->callback([o] {
    ValidateRequest req;
    req.scenario = o->scenario.source();
    req.evidence = o->evidence;
    const ValidateResponse rsp = validate(req);  // InputError -> exit 2 in main
    report_warnings(rsp.scenario);
    const Format format = o->output.resolved();
    emit(o->output, format, render(rsp, format));
    if (!rsp.missing.empty()) throw Exit{exit_evidence};
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("validate", setup);
}  // namespace entente::cli
