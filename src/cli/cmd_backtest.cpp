// entente backtest FILE: score a model against real outcomes (DEU data on EU legislation).
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
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("backtest", "score a model against real outcomes (DEU data on EU legislation)");
  cmd->add_option("FILE", o->file, "DEU-layout CSV (p<actor>, s<actor>, out, rp, proc, finact_iso, split)")->required();
  add_model_options(cmd, o->model, "compromise");
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->add_option("--capability", o->capability, "equal, or Council vote weights at the final act")
      ->check(CLI::IsMember({"equal", "vote-weights", "vote_weights"}))
      ->capture_default_str();
  cmd->add_option("--vote-weights", o->weights, "vote-weight table (default: eu-council-vote-weights.csv beside FILE)");
  cmd->add_option("--per-issue", o->per_issue, "also write every scored issue to this file (CSV, or by its extension)");
  cmd->add_option("--min-actors", o->min_actors, "score only issues with at least this many positioned actors")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->callback([o] {
    BacktestRequest req;
    req.file = o->file;
    req.models = o->model.selection();
    req.capability = o->capability == "vote_weights" ? "vote-weights" : o->capability;
    req.vote_weights_file = o->weights;
    req.min_actors = o->min_actors;
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
