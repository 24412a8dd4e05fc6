// entente report FILE -o report.html: the self-contained HTML report.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "entente/report.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  int draws = 1000;
};

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("report", "write a self-contained HTML report (charts, forecasts, evidence, sources)");
  add_scenario_options(cmd, opt->scenario);
  add_model_options(cmd, opt->model, "(every model)");
  cmd->add_option("--draws", opt->draws, "simulation draws per model for the forecast distribution (0 = none)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("-o,--output", opt->output.output, "write the report to this file (default: standard output)")
      ->type_name("FILE");
  cmd->callback([opt] {
    ReportRequest req;
    req.scenario = opt->scenario.source();
    req.models = opt->model.selection();
    req.draws = opt->draws;
    const ReportResponse rsp = report(req);
    report_warnings(rsp.scenario);
    emit(opt->output, Format::table, write_report(rsp));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("report", setup);
}  // namespace entente::cli
