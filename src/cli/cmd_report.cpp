// entente report FILE -o report.html: the self-contained HTML report (src/report/).
#include <fmt/format.h>

#include "cli/command.hpp"
#include "entente/report.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioOptions scenario;
  ModelOptions model;
  OutputOptions output;
  int draws = 1000;
  std::string command;
};

std::vector<std::string> all_model_names() {
  std::vector<std::string> names;
  for (const auto* m : models()) names.push_back(m->info().name);
  return names;
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("report", "write a self-contained HTML report (charts, forecasts, evidence, sources)");
  add_scenario_options(cmd, opt->scenario);
  add_model_options(cmd, opt->model, {});
  cmd->add_option("--draws", opt->draws, "simulation draws per model for the forecast distribution (0 = none)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("-o,--output", opt->output.output, "write the report to this file (default: standard output)")
      ->type_name("FILE");
  cmd->callback([opt] {
    const Scenario s = load(opt->scenario);
    ReportRequest req;
    req.models = opt->model.models.empty() ? all_model_names() : opt->model.models;
    for (const auto& m : req.models) req.params.push_back(params_for(opt->model, m));
    req.seed = opt->model.seed;
    req.draws = opt->draws;
    req.command = fmt::format("entente report {}{}", opt->scenario.file,
                              opt->model.models.empty() ? "" : fmt::format(" --model {}", fmt::join(req.models, " --model ")));
    emit(opt->output, write_report(s, prepare_report(s, req)));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("report", setup);
}  // namespace entente::cli
