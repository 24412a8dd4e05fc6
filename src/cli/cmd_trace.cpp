#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/store_options.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioOptions scenario;
  ModelOptions model;
  OutputOptions output;
  StoreOptions store;
  int rounds = 0;
  std::string issue;
  bool offers = false, exchanges = false, externalities = false, winprob = false;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("trace", "the round-by-round trace of a dynamic model (bdm, smp, exchange)");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, {"bdm"});
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->add_option("--rounds", o->rounds, "number of rounds (sets the model's `rounds` parameter)")->check(CLI::Range(1, 1000000));
  cmd->add_option("--issue", o->issue, "only this issue (id)");
  cmd->add_flag("--offers", o->offers, "list the offers made in each round (bdm)");
  cmd->add_flag("--exchanges", o->exchanges, "list every realised exchange (exchange)");
  cmd->add_flag("--externalities", o->externalities, "list the per-actor externalities (exchange)");
  cmd->add_flag("--winprob", o->winprob, "the win probability of each actor's position per turn (smp)");
  cmd->callback([o] {
    const std::string& name = single_model(o->model);
    const Model& model = find_model(name);
    if (!model.info().has_rounds)
      throw InputError(Diagnostic{{"<command line>", 0, 0}, "--model", "a model with rounds (bdm, smp, exchange)",
                                  fmt::format("'{}', which has no rounds", name), {}});
    const Scenario sc = load(o->scenario);
    Params p = params_for(o->model, name);
    if (o->rounds > 0) p.set("rounds", std::to_string(o->rounds));
    const Result r = run_model(sc, name, p, o->model.seed);
    TraceOptions t;
    t.issue = o->issue;
    if (o->offers) t.event_kind = "offer";
    if (o->exchanges) t.event_kind = "exchange";
    if (o->externalities) t.event_kind = "externality";
    t.events = !t.event_kind.empty();
    if (o->winprob) t.series = {"prob_of_position"};
    emit(o->output, write_trace(sc, r, parse_format(o->output.format), t));
    save_result(o->store, sc, r, "trace");
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("trace", setup);
}  // namespace entente::cli
