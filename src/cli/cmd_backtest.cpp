#include <fmt/format.h>

#include <nlohmann/json.hpp>

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

std::string render_report(const BacktestReport& r, Format format) {
  if (format == Format::json) {
    nlohmann::ordered_json j;
    j["model"] = r.model;
    j["capability"] = r.capability;
    nlohmann::ordered_json splits = nlohmann::ordered_json::object();
    for (const auto& s : r.scores)
      splits[s.split] = {{"n", s.n},
                         {"mae", s.mae},
                         {"median_ae", s.median_ae},
                         {"within5", s.within5},
                         {"within10", s.within10},
                         {"within20", s.within20},
                         {"compromise_mae", s.baseline_mae},
                         {"diff_mae", s.diff_mae},
                         {"diff_mae_ci95", {s.diff_lo, s.diff_hi}}};
    j["splits"] = splits;
    return j.dump(2) + "\n";
  }
  Table t;
  t.header = {"split", "n", "MAE", "median AE", "<=5", "<=10", "<=20", "compromise MAE", "diff", "95% CI (paired bootstrap)"};
  for (const auto& s : r.scores)
    t.rows.push_back({s.split, std::to_string(s.n), fmt::format("{:.3f}", s.mae), fmt::format("{:.3f}", s.median_ae),
                      fmt::format("{:.1f}%", 100 * s.within5), fmt::format("{:.1f}%", 100 * s.within10),
                      fmt::format("{:.1f}%", 100 * s.within20), fmt::format("{:.3f}", s.baseline_mae),
                      fmt::format("{:+.3f}", s.diff_mae), fmt::format("[{:+.3f}, {:+.3f}]", s.diff_lo, s.diff_hi)});
  std::string head = fmt::format("DEU backtest: model {}, capability {}\n", r.model, r.capability);
  if (format == Format::csv) return render(t, Format::csv);
  return head + "\n" + render(t, Format::table) +
         "\ncompromise = the c*s-weighted mean with the same capabilities; diff = model MAE - compromise MAE.\n";
}

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
    if (o->model.models.size() != 1)
      throw InputError(Diagnostic{{"<command line>", 0, 0}, "--model", "exactly one model", fmt::format("{}", o->model.models.size()), {}});
    BacktestOptions b;
    b.model = o->model.models.front();
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
    emit(o->output, render_report(r, parse_format(o->output.format)));
    save_file_run(o->store, o->file, "backtest", r.model, b.params, b.seed, render_report(r, Format::json));
  });
}
}  // namespace
ENTENTE_REGISTER_COMMAND("backtest", setup);
}  // namespace entente::cli
