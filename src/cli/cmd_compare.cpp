// entente compare A [B]: two scenarios' forecasts side by side. Without B, B is A with the
// what-ifs (--drop, --set) applied: the effect of an edit in one command.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/store_options.hpp"
#include "entente/analysis.hpp"
#include "entente/edit.hpp"

namespace entente::cli {
namespace {
struct Options {
  std::string a, b;
  std::vector<std::string> drop, set;
  ModelOptions model;
  OutputOptions output;
  StoreOptions store;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("compare", "two scenarios' forecasts side by side, with differences");
  cmd->add_option("A", o->a, "first scenario file")->required();
  cmd->add_option("B", o->b, "second scenario file (default: A with the what-ifs applied)");
  cmd->add_option("--drop", o->drop, "what-if on B: drop this actor (repeatable)");
  cmd->add_option("--set", o->set, "what-if on B: ACTOR.ISSUE.position=V, ACTOR.ISSUE.salience=V, ACTOR.capability=V")->type_name("ASSIGN");
  add_model_options(cmd, o->model, {});
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    const Scenario a = load_scenario(o->a);
    Scenario b = o->b.empty() ? a : load_scenario(o->b);
    for (const auto& d : o->drop) b = drop_actor(b, d);
    for (const auto& s : o->set) b = apply_assignment(b, s);
    std::vector<std::string> names = o->model.models;
    if (names.empty())
      for (const auto* m : models()) names.push_back(m->info().name);
    std::vector<Params> params;
    for (const auto& n : names) params.push_back(params_for(o->model, n));
    const Comparison c = compare(a, b, names, params, o->model.seed);
    emit(o->output, write_comparison(c, parse_format(o->output.format)));
    save_document(o->store, b, "compare", fmt::format("{}", fmt::join(c.models, ",")), {}, o->model.seed,
                  write_comparison(c, Format::json));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("compare", setup);
}  // namespace entente::cli
