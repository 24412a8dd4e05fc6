// Scoring forecasters against real outcomes: the DEU data on EU legislation (Thomson et al.;
// Arregui & Perarnaud 2021). Each DEU issue (or each proposal, with scope=proposal) becomes a
// scenario; a forecaster's output becomes a predictive distribution (a point, or a mixture of "no
// change" at the reference point and a spread around a location) scored by MAE, CRPS, the Brier
// score of P(no change) and the hit rate within 10 points, each against the compromise model on
// the same issues. Candidates can be selected on named splits and scored once on the rest.
// docs/accuracy.md has the protocol, the equations and the figures.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entente/params.hpp"
#include "entente/scenario.hpp"
#include "entente/scores.hpp"

namespace entente {

// A forecaster to score, written MODEL[/KEY=VALUE]... e.g.
// "compromise/cap=vote-weights/spread=laplace/p0=at-sq-fit". Keys:
//   cap=equal|vote-weights|shapley-shubik|banzhaf  actor capabilities (default: BacktestOptions::capability)
//   spread=none|normal|laplace|residuals           the distribution of the outcome if it changes, centred on
//                                                  the model's location; scale or residuals fitted on the fit split
//   p0=none|base|model|procedural|procedural-fit|at-sq-fit   P(no change): none; the fit split's base rate; the
//                                                  model's own p_no_change; the procedural model's; the
//                                                  procedural model's recalibrated by a logistic fit; a logistic
//                                                  fit on the share of capability at the reference point
//   p0.KEY=VALUE                                   a parameter of the procedural model that p0 runs
//   scope=issue|proposal                           one scenario per DEU issue, or per proposal (prnr)
//   KEY=VALUE                                      a parameter of MODEL
struct Candidate {
  std::string name;  // as written
  std::string model = "compromise";
  Params params;
  std::string capability;  // "" = BacktestOptions::capability
  std::string spread = "none";
  std::string p0 = "none";
  Params p0_params;
  std::string scope = "issue";
  [[nodiscard]] bool fitted() const;  // needs outcomes of the fit split
};
// Throws InputError naming the candidate and the key.
[[nodiscard]] Candidate parse_candidate(std::string_view text);

struct BacktestOptions {
  std::string model = "compromise";
  Params params;
  std::uint64_t seed = 0;
  // "equal": every actor capability 1. "vote-weights": Council vote weights in force at the final
  // act (EU-15 pre-Nice, Nice, population for 2016-2019), Commission and (under codecision) the EP
  // at the largest member state's weight. "shapley-shubik", "banzhaf": the power indices of the
  // issue's decision rule (Council weights and quota of the period, EP veto under codecision, the
  // Commission as agenda setter under consultation); docs/models/procedural.md.
  std::string capability = "equal";
  std::string vote_weights_file;  // default: eu-council-vote-weights.csv beside the DEU file
  int min_actors = 3;
  int bootstrap = 2000;  // paired bootstrap resamples for the differences against the baseline
  // Candidates (specs as parse_candidate reads them); empty: one candidate, `model` with `params`.
  std::vector<std::string> candidates;
  // Splits to select on; empty: no selection, every candidate scored on every split. Never "test".
  std::vector<std::string> select_on;
  std::string criterion = "crps";  // crps | mae: the mean over the selection splits, lower wins
  std::string baseline;            // candidate spec; "" = compromise with the candidate's capability
};

struct BacktestIssue {
  std::string id;     // DEU isnr
  std::string split;  // train / dev / ... ("" when the file has no split column)
  std::string proposal;  // DEU prnr
  int actors = 0;
  double outcome = 0;
  double forecast = 0;   // the point forecast: the median of the predictive distribution
  double baseline = 0;   // the baseline's point forecast (compromise with the same capabilities by default)
  bool defined = true;
  std::optional<double> status_quo;  // DEU rp
  double location = 0;   // the model's location (the procedural model's "location", else its value)
  double p_no_change = std::numeric_limits<double>::quiet_NaN();  // NaN: the candidate gives none
  double crps = 0, baseline_crps = 0;
  double baseline_p_no_change = 0;  // the baseline's probability of exactly the status quo (0 or 1 for a point)
};

struct BacktestScore {
  std::string split;  // split name or "all"
  std::string role;   // "scored", "fit and selection", "selection" (with --select-on), "" otherwise
  int n = 0;
  double mae = 0, median_ae = 0, within5 = 0, within10 = 0, within20 = 0;  // shares in [0,1]
  double baseline_mae = 0;                        // compromise with the same capabilities
  double diff_mae = 0, diff_lo = 0, diff_hi = 0;  // model - baseline, 95% paired bootstrap interval
  double crps = 0, hit10 = 0;                     // hit10 = within10
  int n_status_quo = 0;                           // issues with a reference point (for the Brier score)
  double brier = std::numeric_limits<double>::quiet_NaN();  // P(no change); NaN if the candidate gives none
  double baseline_crps = 0, baseline_hit10 = 0, baseline_brier = 0;
  scores::PairedComparison vs_mae, vs_crps, vs_hit10, vs_brier;  // candidate - baseline, per-issue losses
  std::vector<scores::ReliabilityBin> reliability;  // P(no change), when the candidate gives it
};

struct CandidateReport {
  Candidate candidate;
  std::vector<std::pair<std::string, double>> fitted;  // e.g. {"scale", 17.2}, {"p0_intercept", -1.5}
  std::vector<BacktestIssue> issues;  // scored issues, in file order
  std::vector<BacktestScore> scores;  // one per split (file order of first appearance), then "all"
};

struct Selection {
  std::vector<std::string> select_on;
  std::string fit_split;
  std::string criterion;
  std::vector<std::string> consulted;  // splits whose outcomes were read to fit and select (== select_on or fewer)
  std::vector<std::pair<std::string, double>> values;  // candidate -> criterion on the selection splits
  std::string selected;
  // The second best, and the paired difference of the criterion (runner-up - selected) on the
  // selection splits with its minimum detectable effect: a gap inside it means the data cannot
  // tell the two apart.
  std::string runner_up;
  double runner_up_gap = 0, runner_up_mde = 0;
  std::vector<std::string> scored_on;  // the remaining splits, scored once
  double mde = 0;                      // minimum detectable effect of the criterion's difference vs baseline
  std::string mde_split;               // where it was computed (a scored split, or the selection splits)
  std::vector<std::string> warnings;
};

struct BacktestReport {
  std::string model, capability;      // of the primary candidate (the only one, or the selected one)
  std::string candidate;              // its name
  std::string baseline;               // the baseline's spec
  std::vector<BacktestIssue> issues;  // the primary candidate's
  std::vector<BacktestScore> scores;  // the primary candidate's
  std::vector<CandidateReport> candidates;  // every candidate, in the order given
  std::optional<Selection> selection;
};

// Reads a DEU-layout CSV (columns p<actor>, s<actor>, out, rp, proc, counvte, finact_iso, split,
// prnr) and scores the candidates on every issue with an outcome in [0,100] and at least
// min_actors positions.
[[nodiscard]] BacktestReport backtest(const std::string& deu_file, const BacktestOptions& options);

// The one-issue scenarios of a DEU file (with the capabilities chosen and each issue's decision
// rule: the Council's votes and quota of the period, the EP's veto under codecision, the
// Commission as agenda setter under consultation), and their outcomes.
struct DeuCase {
  Scenario scenario;
  double outcome = 0;
  std::string split;
  std::string introduced, final_act;  // intro_iso, finact_iso (YYYY-MM-DD; empty if unknown)
  std::string proposal;
};
[[nodiscard]] std::vector<DeuCase> load_deu(const std::string& deu_file, const BacktestOptions& options);

// The same issues grouped by proposal (prnr), one multi-issue scenario each, issues in file order.
struct DeuProposal {
  Scenario scenario;
  std::string id;
  std::vector<double> outcomes;     // per issue
  std::vector<std::string> splits;  // per issue
};
[[nodiscard]] std::vector<DeuProposal> load_deu_proposals(const std::string& deu_file, const BacktestOptions& options);

// Serialisation is in the presentation layer: render(const BacktestResponse&, Format) and
// backtest_issues() (entente/output.hpp).

}  // namespace entente
