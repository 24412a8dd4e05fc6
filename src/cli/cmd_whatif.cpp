// entente whatif: the smallest change of one actor's position, salience or capability that moves
// an issue's forecast to a target.
#include <fmt/format.h>

#include <charconv>
#include <chrono>

#include "cli/command.hpp"
#include "cli/store_options.hpp"
#include "entente/analysis.hpp"
#include "entente/deal.hpp"

namespace entente::cli {
namespace {
struct Options {
  ScenarioOptions scenario;
  ModelOptions model;
  OutputOptions output;
  StoreOptions store;
  WhatIfOptions w;
  std::string target;
  bool deal = false;
};

// --issue and --target are needed unless --deal asks what would open a zone of agreement.
void require_option(const std::string& value, const char* name) {
  if (value.empty())
    throw InputError(Diagnostic{{"<command line>", 0, 0}, name, "a value (required unless --deal is given)", "nothing", {}});
}

// A number, or for a categorical issue an option's name (its index is the forecast's value).
double parse_target(const Scenario& s, const std::string& issue, const std::string& text) {
  const Issue& is = s.issues[s.issue_index(issue)];
  if (is.kind == Issue::Kind::categorical)
    for (std::size_t k = 0; k < is.options.size(); ++k)
      if (is.options[k] == text) return static_cast<double>(k);
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty() || !std::isfinite(v))
    throw InputError(Diagnostic{{"<command line>", 0, 0}, "--target",
                                is.kind == Issue::Kind::categorical ? "an option of the issue or its index" : "a number on the issue's scale",
                                fmt::format("'{}'", text), {}});
  return v;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("whatif", "the smallest change of an actor's position/salience/capability that moves a forecast to a target");
  add_scenario_options(cmd, o->scenario);
  add_model_options(cmd, o->model, {});
  cmd->add_option("--actor", o->w.actor, "the actor whose lever moves")->required();
  cmd->add_option("--issue", o->w.issue, "the issue whose forecast should reach the target (required without --deal)");
  cmd->add_option("--target", o->target, "the forecast wanted (a number; an option name for categorical issues; required without --deal)");
  cmd->add_flag("--deal", o->deal,
                "instead: the smallest change of the actor's no-deal expectation, no-deal cost or salience that opens "
                "a zone of agreement (docs/models/deal.md)");
  cmd->add_option("--lever", o->w.lever, "what changes")->check(CLI::IsMember({"position", "salience", "capability"}))->capture_default_str();
  cmd->add_option("--lever-issue", o->w.lever_issue, "the issue whose position/salience changes (default: --issue)");
  cmd->add_option("--tolerance", o->w.tolerance, "how close counts as reached (default 1e-6 of the issue's scale)");
  cmd->add_option("--grid", o->w.grid, "bracketing grid points on each side")->capture_default_str()->check(CLI::Range(2, 100000));
  cmd->add_option("--capability-max", o->w.capability_max, "upper bound searched for capability (default 10 x the largest)");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->callback([o] {
    const Scenario scenario = load(o->scenario);
    if (o->deal) {
      DealWhatIfOptions dw;
      dw.actor = o->w.actor;
      dw.grid = o->w.grid;
      emit(o->output, write_deal_whatif(scenario, deal_whatif(scenario, dw), parse_format(o->output.format)));
      return;
    }
    require_option(o->w.issue, "--issue");
    require_option(o->target, "--target");
    WhatIfOptions w = o->w;
    w.model = single_model(o->model);
    w.params = params_for(o->model, w.model);
    w.seed = o->model.seed;
    w.target = parse_target(scenario, w.issue, o->target);
    const auto start = std::chrono::steady_clock::now();
    const WhatIfResult r = whatif(scenario, w);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    emit(o->output, write_whatif(w, r, parse_format(o->output.format)));
    save_document(o->store, scenario, "whatif", w.model, w.params, w.seed, write_whatif(w, r, Format::json), seconds);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("whatif", setup);
}  // namespace entente::cli
