// entente backtest FILE: score models and candidates against real outcomes (DEU data on EU legislation).
#include "cli/command.hpp"

namespace entente::cli {
namespace {

struct Options {
  std::string file;
  ModelArgs model;
  OutputArgs output;
  StoreArgs store;
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
  add_model_options(cmd, o->model, "compromise");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->add_option("--capability", o->capability,
                  "equal; Council vote weights at the final act; or the power indices of the issue's decision rule "
                  "(equal, vote-weights, shapley-shubik, banzhaf)")
      ->capture_default_str();
  cmd->add_option("--vote-weights", o->weights, "vote-weight table (default: eu-council-vote-weights.csv beside FILE)");
  cmd->add_option("--candidates", o->candidates,
                  "forecasters to score, MODEL[/KEY=VALUE]... (cap=, spread=, p0=, scope=, model parameters; "
                  "docs/accuracy.md); comma-separated")
      ->delimiter(',');
  cmd->add_option("--select-on", o->select_on,
                  "choose one candidate on these splits only (never 'test'), then score it once on the rest")
      ->delimiter(',');
  cmd->add_option("--criterion", o->criterion, "what selection minimises on the selection splits (crps, mae)")
      ->capture_default_str();
  cmd->add_option("--baseline", o->baseline, "the forecaster every candidate is compared with (default: compromise, same capabilities)");
  cmd->add_option("--per-issue", o->per_issue,
                  "also write every scored issue of every candidate to this file (CSV, or by its extension)");
  cmd->add_option("--min-actors", o->min_actors, "score only issues with at least this many positioned actors")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--bootstrap", o->bootstrap, "paired bootstrap resamples for the intervals")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cmd->callback([o] {
    BacktestRequest req;
    req.file = o->file;
    req.models = o->model.selection();
    req.capability = o->capability;
    req.vote_weights_file = o->weights;
    req.min_actors = o->min_actors;
    req.candidates = o->candidates;
    req.select_on = o->select_on;
    req.criterion = o->criterion;
    req.baseline = o->baseline;
    req.bootstrap = o->bootstrap;
    req.store = o->store.target();
    const Format format = o->output.resolved();
    const BacktestResponse rsp = backtest(req);
    if (!o->per_issue.empty()) {
      OutputArgs per{"", o->per_issue};
      const Format f = per.resolved(Format::csv);
      emit(per, f, render(backtest_issues(rsp), f));
    }
    emit(o->output, format, render(rsp, format));
    report_store(rsp.provenance);
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("backtest", setup);
}  // namespace entente::cli
