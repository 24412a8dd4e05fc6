#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/store_options.hpp"
#include "entente/backtest.hpp"

namespace entente::cli {
namespace {

struct Options {
  std::string file;
  ModelOptions model;
  OutputOptions output;
  StoreOptions store;
  std::string capability = "equal";
  std::string per_issue;
  std::string weights;
  int min_actors = 3;
  std::vector<std::string> candidates;
  std::vector<std::string> select_on;
  std::string criterion = "crps";
  std::string baseline;
  int bootstrap = 2000;
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("backtest", "score forecasters against real outcomes (DEU data on EU legislation)");
  cmd->add_option("FILE", o->file, "DEU-layout CSV (p<actor>, s<actor>, out, rp, proc, counvte, finact_iso, split, prnr)")->required();
  add_model_options(cmd, o->model, {"compromise"});
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->add_option("--capability", o->capability,
                  "equal; Council vote weights at the final act; or the power indices of the issue's decision rule")
      ->check(CLI::IsMember({"equal", "vote-weights", "shapley-shubik", "banzhaf"}))
      ->capture_default_str();
  cmd->add_option("--vote-weights", o->weights, "vote-weight table (default: eu-council-vote-weights.csv beside FILE)");
  cmd->add_option("--candidates", o->candidates,
                  "forecasters to score, MODEL[/KEY=VALUE]... (cap=, spread=, p0=, scope=, model parameters; "
                  "docs/accuracy.md); comma-separated")
      ->delimiter(',');
  cmd->add_option("--select-on", o->select_on,
                  "choose one candidate on these splits only (never 'test'), then score it once on the rest")
      ->delimiter(',');
  cmd->add_option("--criterion", o->criterion, "what selection minimises on the selection splits")
      ->check(CLI::IsMember({"crps", "mae"}))
      ->capture_default_str();
  cmd->add_option("--baseline", o->baseline, "the forecaster every candidate is compared with (default: compromise, same capabilities)");
  cmd->add_option("--per-issue", o->per_issue, "also write every scored issue of every candidate to this CSV");
  cmd->add_option("--min-actors", o->min_actors, "score only issues with at least this many positioned actors")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--bootstrap", o->bootstrap, "paired bootstrap resamples for the intervals")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cmd->callback([o, cmd] {
    BacktestOptions b;
    if (!o->candidates.empty() && cmd->count("--model"))
      throw InputError(Diagnostic{{"<command line>", 0, 0}, "--model", "either --model or --candidates", "both", {}});
    b.model = single_model(o->model);
    b.params = params_for(o->model, b.model);
    b.seed = o->model.seed;
    b.capability = o->capability;
    b.vote_weights_file = o->weights;
    b.min_actors = o->min_actors;
    b.bootstrap = o->bootstrap;
    b.candidates = o->candidates;
    b.select_on = o->select_on;
    b.criterion = o->criterion;
    b.baseline = o->baseline;
    if (!b.select_on.empty() && b.candidates.empty()) b.candidates = {b.model};
    const BacktestReport r = backtest(o->file, b);
    if (!o->per_issue.empty()) emit(OutputOptions{"csv", o->per_issue}, write_backtest_issues(r));
    emit(o->output, write_backtest(r, parse_format(o->output.format)));
    save_file_run(o->store, o->file, "backtest", r.candidate, b.params, b.seed, write_backtest(r, Format::json));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("backtest", setup);
}  // namespace entente::cli
