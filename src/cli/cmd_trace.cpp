// entente trace FILE -m MODEL: a dynamic model round by round, and the events asked for.
#include "cli/command.hpp"
#include "cli/interrupt.hpp"

namespace entente::cli {
namespace {

struct Options {
  ScenarioArgs scenario;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
  int rounds = 0;
  std::string issue;
  bool offers = false, exchanges = false, externalities = false, winprob = false, choices = false;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("trace", "the round-by-round trace of a dynamic model (bdm, smp, exchange)");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, "bdm");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->add_option("--rounds", o->rounds, "number of rounds (sets the model's rounds or max_turns)")->check(CLI::Range(1, 1000000));
  cmd->add_option("--issue", o->issue, "only this issue (id); events of other issues are left out too");
  cmd->add_flag("--offers", o->offers, "list the offers made in each round (bdm, smp)");
  cmd->add_flag("--exchanges", o->exchanges, "list every realised exchange (exchange)");
  cmd->add_flag("--externalities", o->externalities, "list the per-actor externalities (exchange)");
  cmd->add_flag("--choices", o->choices, "list each actor's chosen bargain per turn (smp)");
  cmd->add_flag("--winprob", o->winprob, "the win probability of each actor's position per turn (smp)");
  cmd->callback([o] {
    const InterruptGuard guard;
    TraceRequest req;
    req.scenario = o->scenario.source();
    req.models = o->model.selection();
    req.models.cancel = guard.compute();
    req.store = o->store.target();
    req.store.cancel = guard.store();
    req.rounds = o->rounds;
    req.issue = o->issue;
    if (o->offers) req.events.push_back("offer");
    if (o->exchanges) req.events.push_back("exchange");
    if (o->externalities) req.events.push_back("externality");
    if (o->choices) req.events.push_back("choice");
    if (o->winprob) req.series = {"prob_of_position"};
    const Format format = o->output.resolved();
    const TraceResponse rsp = trace(req);
    report_warnings(rsp.scenario);
    guard.announce(false);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
    guard.conclude(false, rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("trace", setup);
}  // namespace entente::cli
