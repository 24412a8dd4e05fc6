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
};

void setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("backtest", "score a model against real outcomes (DEU data on EU legislation)");
  cmd->add_option("FILE", o->file, "DEU-layout CSV (p<actor>, s<actor>, out, rp, proc, finact_iso, split)")->required();
  add_model_options(cmd, o->model, {"compromise"});
  add_output_options(cmd, o->output);
  add_store_options(cmd, o->store);
  cmd->add_option("--capability", o->capability, "equal, or Council vote weights at the final act")
      ->check(CLI::IsMember({"equal", "vote-weights"}))
      ->capture_default_str();
  cmd->add_option("--vote-weights", o->weights, "vote-weight table (default: eu-council-vote-weights.csv beside FILE)");
  cmd->add_option("--per-issue", o->per_issue, "also write every scored issue to this CSV");
  cmd->add_option("--min-actors", o->min_actors, "score only issues with at least this many positioned actors")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->callback([o] {
    BacktestOptions b;
    b.model = single_model(o->model);
    b.params = params_for(o->model, b.model);
    b.seed = o->model.seed;
    b.capability = o->capability;
    b.vote_weights_file = o->weights;
    b.min_actors = o->min_actors;
    const BacktestReport r = backtest(o->file, b);
    if (!o->per_issue.empty()) {
      Table t;
      t.header = {"issue", "split", "actors", "outcome", "forecast", "abs_error", "compromise"};
      for (const auto& i : r.issues)
        t.rows.push_back({i.id, i.split, std::to_string(i.actors), format_number(i.outcome),
                          i.defined ? format_number(i.forecast) : "", i.defined ? format_number(std::fabs(i.forecast - i.outcome)) : "",
                          format_number(i.baseline)});
      emit(OutputOptions{"csv", o->per_issue}, render(t, Format::csv));
    }
    emit(o->output, write_backtest(r, parse_format(o->output.format)));
    save_file_run(o->store, o->file, "backtest", r.model, b.params, b.seed, write_backtest(r, Format::json));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("backtest", setup);
}  // namespace entente::cli
