// entente forecast FILE: every issue, every model.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/interrupt.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("forecast", "forecast every issue of a scenario with one or more models");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, fmt::format("{}", fmt::join(default_models(), " ")));
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    const InterruptGuard guard;
    ForecastRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.models.cancel = guard.compute();
    req.store = o->store.target();
    req.store.cancel = guard.store();
    const Format format = o->output.resolved();
    const ForecastResponse rsp = forecast(req);
    report_warnings(rsp.scenario);
    guard.announce(false);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    guard.conclude(false, rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("forecast", setup);
}  // namespace entente::cli
