// Will there be a deal? Veto players, no-deal expectations and the zone of possible agreement
// (docs/models/deal.md). A veto player i accepts a package x (one value per issue; a categorical
// issue's value is an option index) iff its margin
//   m_i(x) = U_i(x) - U_i(d_i) + no_deal_cost_i >= 0,
//   U_i(x) = -sum over the issues k it vetoes of s_ik * |x_k - p_ik| / (max_k - min_k)
//            (categorical: -s_ik * (1 - u_ik(x_k))),
// where d_i is its no-deal expectation. A package is acceptable when every veto player accepts it.
// Options in (DealOptions), plain data out (DealResult); no I/O. Linear programmes are solved with
// GLPK; Monte Carlo draws are bit-identical on any number of threads.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "entente/analysis.hpp"
#include "entente/model.hpp"
#include "entente/scenario.hpp"

namespace entente {

struct DealOptions {
  // Models whose forecasts are checked (each run with run_model's rules: the scenario's stored
  // parameters, then `params`). Empty: only the model-free analysis.
  std::vector<std::string> models;
  std::vector<Params> params;  // [model], parallel to `models`; missing entries = no parameters
  std::uint64_t seed = 0;      // the models' seed, and the Monte Carlo seed
  Settle settle = Settle::last;  // how a cycling forecast is summarised (RunOptions::settle)
  // 0: the scenario's point values only. N > 0: also N Monte Carlo draws of every uncertain input
  // (draw i = draw_scenario(scenario, seed, i), models run with model_seed(seed, i)).
  std::uint64_t draws = 0;
  std::uint64_t first_draw = 0;  // draws [first_draw, first_draw + draws)
  unsigned threads = 0;          // 0 = all cores
  // Combinations of categorical options up to this many are enumerated (one LP each); above it the
  // categorical choice is a GLPK mixed-integer programme.
  std::size_t max_enumerated = 4096;
  // A margin >= -tolerance counts as acceptance (utility units: a salience-weighted share of a scale).
  double tolerance = 1e-9;
  // Called with (draws finished, draws requested) from any thread, never concurrently.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  const std::atomic<bool>* cancel = nullptr;  // when set, draws not yet started are abandoned
};

// The values acceptable on one issue with every other issue held at a package.
struct DealZone {
  bool categorical = false;
  std::optional<std::pair<double, double>> interval;  // numeric: [low, high]; nullopt = none
  std::vector<std::size_t> options;                   // categorical: acceptable option indices
  [[nodiscard]] bool empty() const noexcept { return categorical ? options.empty() : !interval.has_value(); }
};

struct VetoPlayer {
  std::size_t actor = 0;
  std::string id;
  std::vector<std::size_t> issues;  // the issues it vetoes (on which it holds a stance)
};

// One model's forecast as a package.
struct DealModel {
  std::string model;
  std::vector<double> forecast;  // [issue] as the model gave it (categorical: option index); NaN = undefined
  // [issue] the forecast, completed where the model left an issue undefined by the values that
  // maximise the smallest margin (others held at the forecast); see `completed`.
  std::vector<double> package;
  std::vector<bool> completed;  // [issue]
  bool acceptable = false;
  std::vector<double> margins;        // [veto player] at `package`
  std::vector<std::string> blockers;  // veto players with a negative margin, in scenario order
  std::vector<DealZone> zones;        // [issue], the other issues held at `package`
  // The acceptable package nearest to the forecast (sum over issues of |x_k - f_k| / (max_k - min_k),
  // 1 per categorical issue changed; issues the model left undefined are free); empty if none.
  std::vector<double> nearest;
  double nearest_distance = std::numeric_limits<double>::quiet_NaN();
  // Monte Carlo (draws > 0), over the finished draws:
  double p_acceptable = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> p_blocks;           // [veto player] share of draws in which it rejects the forecast
  std::size_t nearest_draws = 0;          // draws in which an acceptable package exists
  std::vector<Distribution> nearest_distribution;     // [issue] numeric issues (empty for categorical)
  std::vector<std::vector<double>> nearest_options;   // [issue][option] share of those draws (categorical)
};

struct DealResult {
  std::vector<std::string> issue_ids;
  std::vector<VetoPlayer> veto_players;
  std::string method;  // how categorical issues were handled: "none", "enumeration of N combinations", "MIP"
  // The scenario's point values:
  bool possible = false;        // some package is acceptable to every veto player
  double maximin_margin = 0;    // the largest smallest margin over all packages (>= 0 iff possible)
  std::vector<double> maximin;  // [issue] the package attaining it (ties: docs/models/deal.md)
  std::vector<double> maximin_margins;  // [veto player] at `maximin`
  std::vector<DealZone> zones;          // [issue], the other issues held at `maximin`
  std::vector<DealZone> ranges;         // [issue] hull of the issue's values over all acceptable packages
  std::vector<DealModel> models;
  std::string note;  // e.g. "no veto players: every package is acceptable"
  // Monte Carlo (draws > 0):
  std::uint64_t seed = 0, first_draw = 0, draws_requested = 0, draws_completed = 0;
  bool partial = false;
  double p_possible = std::numeric_limits<double>::quiet_NaN();
  // [veto player] share of draws in which no package is acceptable but one would be without its veto.
  std::vector<double> p_pivotal;
  Distribution maximin_margin_distribution;
  double seconds = 0;
};

// The whole analysis: point values, then (draws > 0) the Monte Carlo summary. Throws InputError
// for unknown models or bad parameters.
[[nodiscard]] DealResult analyse_deal(const Scenario& scenario, const DealOptions& options = {});
// The same under MPI: each rank runs a contiguous share of the draws; rank 0 returns the merged
// result, bit-identical to analyse_deal() in one process; other ranks return their share.
[[nodiscard]] DealResult analyse_deal(const Scenario& scenario, const DealOptions& options, Distributor& distributor);

// The veto players of a scenario, in scenario order.
[[nodiscard]] std::vector<VetoPlayer> veto_players(const Scenario& scenario);

// One forecast checked (no Monte Carlo): completion, margins, blockers, zones, nearest package.
// For a "deal?" column: check_forecast(s, run_model(s, "compromise")).acceptable.
[[nodiscard]] DealModel check_forecast(const Scenario& scenario, const Result& forecast,
                                       const DealOptions& options = {});

// ---- What would it take: the smallest change of one actor's no-deal inputs or salience that
// opens a zone of agreement (`entente whatif FILE --deal --actor A`). ----------------------------

struct DealWhatIfOptions {
  std::string actor;
  int grid = 200;           // salience: grid points on each side of the current value, then bisection
  double tolerance = 1e-9;  // as DealOptions::tolerance
  std::size_t max_enumerated = 4096;
};
struct DealLever {
  std::string lever;  // "no_deal_cost", "no_deal" or "salience"
  std::string issue;  // empty for no_deal_cost
  bool opens = false;  // some value within the bounds opens a zone of agreement
  bool categorical = false;  // no_deal on a categorical issue: values are option indices (NaN = no option)
  double current = 0, value = 0, change = 0;
  double low = 0, high = 0;  // bounds searched
  double relative = std::numeric_limits<double>::quiet_NaN();  // |change| / (high - low)
  std::string note;
};
struct DealWhatIfResult {
  std::string actor;
  bool veto = false;            // the actor is a veto player
  bool already_possible = false;
  double maximin_margin = 0;    // now
  std::vector<DealLever> levers;
  std::optional<std::size_t> best;  // the lever with the smallest relative change that opens a zone
  std::string note;
};
[[nodiscard]] DealWhatIfResult deal_whatif(const Scenario& scenario, const DealWhatIfOptions& options);

}  // namespace entente
