#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/store_options.hpp"

namespace entente::cli {
namespace {

// The models shown when none is named: the baselines, plus the dynamic models when built in.
std::vector<std::string> default_models() {
  std::vector<std::string> out{"compromise", "median", "nbs", "mean"};
  for (const char* dynamic : {"bdm", "smp", "exchange"})
    for (const auto* m : models())
      if (m->info().name == dynamic) out.emplace_back(dynamic);
  return out;
}

struct Options {
  ScenarioOptions scenario;
  ModelOptions model;
  OutputOptions output;
  StoreOptions store;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("forecast", "forecast every issue of a scenario with one or more models");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, default_models());
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    const Scenario sc = load(o->scenario);
    std::vector<Result> results;
    for (const auto& name : o->model.models) (void)find_model(name);  // unknown names fail before any work
    for (const auto& name : o->model.models)
      results.push_back(run_model(sc, name, params_for(o->model, name), o->model.seed));
    emit(o->output, write_forecasts(sc, results, parse_format(o->output.format)));
    save_results(o->store, sc, results, "forecast");
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("forecast", setup);
}  // namespace entente::cli
