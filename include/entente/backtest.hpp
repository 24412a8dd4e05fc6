// Scoring models against real outcomes: the DEU data on EU legislation (Thomson et al.;
// Arregui & Perarnaud 2021). Each DEU issue becomes a one-issue scenario; its forecast is compared
// with the recorded outcome.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "entente/params.hpp"
#include "entente/scenario.hpp"

namespace entente {

struct BacktestOptions {
  std::string model = "compromise";
  Params params;
  std::uint64_t seed = 0;
  // "equal": every actor capability 1. "vote-weights": Council vote weights in force at the final
  // act (EU-15 pre-Nice, Nice, population for 2016-2019), Commission and (under codecision) the EP
  // at the largest member state's weight.
  std::string capability = "equal";
  std::string vote_weights_file;  // default: eu-council-vote-weights.csv beside the DEU file
  int min_actors = 3;
  int bootstrap = 2000;  // paired bootstrap resamples for the difference against compromise
};

struct BacktestIssue {
  std::string id;     // DEU isnr
  std::string split;  // train / dev / ... ("" when the file has no split column)
  int actors = 0;
  double outcome = 0, forecast = 0, baseline = 0;  // baseline = compromise with the same capabilities
  bool defined = true;
};

struct BacktestScore {
  std::string split;  // split name or "all"
  int n = 0;
  double mae = 0, median_ae = 0, within5 = 0, within10 = 0, within20 = 0;  // shares in [0,1]
  double baseline_mae = 0;                        // compromise with the same capabilities
  double diff_mae = 0, diff_lo = 0, diff_hi = 0;  // model - baseline, 95% paired bootstrap interval
};

struct BacktestReport {
  std::string model, capability;
  std::vector<BacktestIssue> issues;  // scored issues, in file order
  std::vector<BacktestScore> scores;  // one per split (file order of first appearance), then "all"
};

// Reads a DEU-layout CSV (columns p<actor>, s<actor>, out, rp, proc, finact_iso, split) and scores
// `options.model` on every issue with an outcome in [0,100] and at least min_actors positions.
[[nodiscard]] BacktestReport backtest(const std::string& deu_file, const BacktestOptions& options);

// The one-issue scenarios of a DEU file (with the capabilities chosen), and their outcomes.
struct DeuCase {
  Scenario scenario;
  double outcome = 0;
  std::string split;
  std::string introduced, final_act;  // intro_iso, finact_iso (YYYY-MM-DD; empty if unknown)
};
[[nodiscard]] std::vector<DeuCase> load_deu(const std::string& deu_file, const BacktestOptions& options);

}  // namespace entente
