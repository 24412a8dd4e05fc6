// entente compare A [B]: two scenarios' forecasts side by side (B defaults to A with the what-ifs).
#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct Options {
  std::string a, b;
  std::vector<std::string> drop, set;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("compare", "two scenarios' forecasts side by side, with differences");
  cmd->add_option("A", o->a, "first scenario file")->required();
  cmd->add_option("B", o->b, "second scenario file (default: A with the what-ifs applied)");
  cmd->add_option("--drop", o->drop, "what-if on B: drop this actor (repeatable)")->type_name("ACTOR");
  cmd->add_option("--set", o->set, "what-if on B: ACTOR.ISSUE.position=V, ACTOR.ISSUE.salience=V, ACTOR.capability=V")
      ->type_name("ASSIGN");
  add_model_options(cmd, o->model, "(every model)");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    CompareRequest req;
    req.a.path = o->a;
    if (!o->b.empty()) req.b = ScenarioSource{o->b, {}, {}, nullptr, {}};
    req.b_edits = edits_of(o->drop, o->set);
    req.models = o->model.selection();
    req.store = o->store.target();
    const Format format = o->output.resolved();
    const CompareResponse rsp = compare(req);
    report_warnings(rsp.a);
    if (!o->b.empty()) report_warnings(rsp.b);
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("compare", setup);
}  // namespace entente::cli
