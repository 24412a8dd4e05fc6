// Uncertainty and what-ifs, for every model: Monte Carlo simulation over the scenario's uncertain
// inputs, one-at-a-time sensitivity (tornado), the smallest change that moves a forecast to a
// target (what-if), and a side-by-side comparison of two scenarios. Each is a function of
// (scenario, model, params, seed); simulate is parallel inside and bit-identical on any number of
// threads or ranks.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entente/model.hpp"
#include "entente/random.hpp"
#include "entente/scenario.hpp"

namespace entente {

// ---- Uncertain inputs and draws ---------------------------------------------------------------

// One number of the scenario that carries an uncertainty.
struct UncertainInput {
  // no_deal: a numeric no-deal point (Stance::no_deal); no_deal_cost: Actor::no_deal_cost.
  enum class Field { capability, position, salience, issue_capability, utility, no_deal, no_deal_cost };
  Field field = Field::position;
  std::size_t actor = 0;
  std::size_t issue = 0;   // unused for Field::capability and Field::no_deal_cost
  std::size_t option = 0;  // Field::utility only
  std::string path;        // e.g. "russia.regions.position", "russia.capability"
  double value = 0;        // the point value in the scenario
  Uncertainty uncertainty;
  double low = 0, high = 0;  // the field's own bounds (issue scale, [0,1], [0, inf))
};
// Every uncertain number, in a fixed order (actors, then their capability, then issues in order;
// then the no-deal inputs: per actor its no_deal_cost, then its numeric no_deal points by issue.
// They come last so that adding them leaves the draws of every other input unchanged).
[[nodiscard]] std::vector<UncertainInput> uncertain_inputs(const Scenario& scenario);

// Reads / writes the number an input refers to.
[[nodiscard]] double input_value(const Scenario& scenario, const UncertainInput& input);
void set_input_value(Scenario& scenario, const UncertainInput& input, double value);

// One draw of a quantity's uncertainty, clamped to [field_low, field_high]. range and uniform are
// uniform on [low, high]; triangular by inversion; normal truncated to [low, high] (which the
// parser already intersected with the field bounds) by rejection, falling back to inversion when
// the acceptance probability is small. Uses only Rng::uniform/normal (portable bits).
[[nodiscard]] double draw_value(const Uncertainty& u, double value, double field_low, double field_high, Rng& rng);

// A copy of the scenario with every uncertain number replaced by a draw (inputs in the order of
// uncertain_inputs). Numbers without uncertainty are unchanged.
[[nodiscard]] Scenario draw_scenario(const Scenario& scenario, Rng& rng);
// Draw `draw` of a simulation with this seed: draw_scenario with Rng(seed, draw).
[[nodiscard]] Scenario draw_scenario(const Scenario& scenario, std::uint64_t seed, std::uint64_t draw);
// The seed handed to the model for draw `draw` (independent of the input stream).
[[nodiscard]] std::uint64_t model_seed(std::uint64_t seed, std::uint64_t draw);

// Quantile q (0..1) of an input's distribution (truncated normal by bisection on its CDF).
[[nodiscard]] double uncertainty_quantile(const Uncertainty& u, double value, double q);

// ---- Simulation -------------------------------------------------------------------------------

struct DrawOutcome;
struct SimulationResult;

struct SimulationOptions {
  std::string model;
  Params params;                // user parameters (the scenario's stored ones are merged in first)
  std::uint64_t seed = 0;
  Settle settle = Settle::last; // how each draw's cycling forecast is summarised
  std::uint64_t first_draw = 0;  // run draws [first_draw, first_draw + draws): MPI ranks split ranges
  std::uint64_t draws = 1000;
  unsigned threads = 0;          // 0 = all available
  // Called with (draws finished, draws in this range), from any thread but never concurrently.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  const std::atomic<bool>* cancel = nullptr;  // when set to true, draws not yet started are abandoned
  // Streaming: called after each block of draws (up to 1024), on the calling thread and in draw
  // order, with the simulation so far (model, resolved params, ...) and the block's finished draws.
  std::function<void(const SimulationResult& header, std::vector<DrawOutcome>& block)> on_block;
  // false: draws are handed to on_block only and not kept in SimulationResult::outcomes, so memory
  // does not grow with the number of draws.
  bool keep_outcomes = true;
};

// One draw's outcome: the forecast per issue and, for models with rounds, per-round series.
struct DrawOutcome {
  std::uint64_t draw = 0;
  std::vector<double> values;                      // [issue]; NaN if the model left it undefined
  std::vector<std::vector<double>> probabilities;  // [issue][option] (categorical issues; else empty)
  std::vector<std::uint8_t> convergence;           // [issue] Convergence::State of the draw's forecast
  // [series][round][issue], series named in SimulationResult::round_series.
  std::vector<std::vector<std::vector<double>>> rounds;
};

struct SimulationResult {
  std::string model;
  Params params;  // resolved
  std::uint64_t seed = 0;
  Settle settle = Settle::last;
  std::uint64_t first_draw = 0;
  std::uint64_t draws_requested = 0;
  std::vector<std::string> issue_ids;
  std::vector<std::string> round_series;  // {"forecast"} for dynamic models (the forecast after each round)
  std::vector<DrawOutcome> outcomes;      // sorted by draw index; only finished draws
  bool partial = false;                   // cancelled before all requested draws finished
  double seconds = 0;
  std::uint64_t draws_streamed = 0;       // finished draws handed to on_block and not kept (keep_outcomes = false)
  [[nodiscard]] std::uint64_t draws_completed() const noexcept { return outcomes.size() + draws_streamed; }
};

// Runs the model on draws [first_draw, first_draw + draws). Deterministic: draw i uses
// draw_scenario(s, seed, i) and model_seed(seed, i), whatever the thread count.
[[nodiscard]] SimulationResult simulate(const Scenario& scenario, const SimulationOptions& options);

// Merges results of disjoint draw ranges of the same simulation (same model, params, seed).
// merge(run(0..a), run(a..n)) == run(0..n), bit for bit. Throws std::invalid_argument on overlap
// or mismatch.
[[nodiscard]] SimulationResult merge(std::vector<SimulationResult> parts);

struct Distribution {
  std::size_t n = 0;  // defined values
  double mean = 0, sd = 0;
  double q05 = 0, q25 = 0, q50 = 0, q75 = 0, q95 = 0;
};
// Summary of a sample (quantiles by linear interpolation, type 7). NaNs are skipped.
[[nodiscard]] Distribution describe(std::vector<double> values);

struct IssueSummary {
  std::string id, name;
  bool categorical = false;
  Distribution forecast;
  std::vector<double> bin_edges;          // numeric: bins + 1 edges over the issue scale
  std::vector<std::size_t> bin_counts;    // numeric
  std::vector<std::string> options;       // categorical
  std::vector<double> option_share;       // share of draws whose forecast is each option
  std::vector<double> option_probability; // mean of the model's option probabilities (if it gives them)
  // Dynamic models: share of draws whose forecast settled, cycled or drifted (each in [0, 1]).
  bool dynamic = false;
  double settled = 0, cycling = 0, drifting = 0;
};
struct RoundSummary {
  std::string series;  // e.g. "median"
  std::vector<std::vector<Distribution>> issues;  // [issue][round]
  // Draws behind the per-round distributions: all that had this series, or the first ones (in
  // draw order) when the per-round values reached the summary's cap of 128 MB (docs/analysis.md).
  std::uint64_t draws = 0;
  bool capped = false;  // the cap was reached: later draws are not in these distributions
};
struct SimulationSummary {
  std::string model;
  Params params;
  std::uint64_t seed = 0;
  Settle settle = Settle::last;
  std::uint64_t draws_requested = 0, draws_completed = 0;
  bool partial = false;
  double seconds = 0;
  std::size_t uncertain_inputs = 0;
  std::vector<IssueSummary> issues;
  std::vector<RoundSummary> rounds;
};
// Aggregates in draw order (the same bits for the same draws).
[[nodiscard]] SimulationSummary summarize(const Scenario& scenario, const SimulationResult& result, int bins = 10);

// summarize() fed one draw at a time, in draw order, as a simulation streams them: the same bits
// as summarize() over the same draws, keeping only the numbers the quantiles need (per draw: the
// forecast per issue and, for dynamic models, the per-round forecasts), not whole outcomes.
class SummaryAccumulator {
 public:
  SummaryAccumulator(const Scenario& scenario, std::vector<std::string> round_series);
  SummaryAccumulator(SummaryAccumulator&&) noexcept;
  SummaryAccumulator& operator=(SummaryAccumulator&&) noexcept;
  ~SummaryAccumulator();
  void add(const DrawOutcome& draw);
  // Room for `draws` more draws (a simulation knows how many it asked for): no regrowth per block.
  void reserve(std::uint64_t draws);
  // `header`: model, params, seed, settle, draws requested, partial, seconds (outcomes unused).
  // Selects the quantiles in parallel (TBB, in the caller's arena), one task per issue and per
  // (issue, round); each task works alone in draw order, so the bits do not depend on the threads.
  // Spends the accumulator: it works on the draws in place (reordering them) rather than on copies.
  [[nodiscard]] SimulationSummary finish(const SimulationResult& header, int bins = 10) &&;
  [[nodiscard]] std::uint64_t draws() const noexcept;

 private:
  struct State;  // summary.cpp: the draws' numbers (in 2 MB pages where the kernel allows)
  std::unique_ptr<State> state_;
};

// ---- Sensitivity ------------------------------------------------------------------------------

struct SensitivityOptions {
  std::string model;
  Params params;
  std::uint64_t seed = 0;
  Settle settle = Settle::last;
  bool drop_actors = true;
  const std::atomic<bool>* cancel = nullptr;  // raised: the model runs throw Cancelled
  // Share of the work: only entries k with k % ranks == rank are computed (MPI splits them);
  // the others keep empty forecasts until merged with merge_entries.
  std::size_t rank = 0, ranks = 1;
};
struct SensitivityEntry {
  enum class Kind { input, drop };
  Kind kind = Kind::input;
  std::string label;          // input path, or the dropped actor's id
  double low = 0, high = 0;   // input: the values tried (5%/95% quantiles for normal); drop: unused
  std::vector<double> at_low, at_high;  // [issue] figures as `base` (drop: both = without the actor)
  std::string note;           // e.g. why dropping failed
};
struct SensitivityResult {
  std::string model;
  std::vector<std::string> issue_ids;
  // [issue] numeric issues: the forecast; categorical issues: the probability of base_option.
  std::vector<double> base;
  std::vector<int> base_option;  // [issue] categorical: the option the base run forecasts; -1 numeric
  std::vector<SensitivityEntry> entries;
  // Per issue, entries sorted by swing (largest first; ties in entry order).
  std::vector<std::vector<std::size_t>> ranking;
  [[nodiscard]] static double swing(const SensitivityEntry& e, std::size_t issue, double base);
};
[[nodiscard]] SensitivityResult sensitivity(const Scenario& scenario, const SensitivityOptions& options);
// Recomputes SensitivityResult::ranking from the entries (after shares were filled in).
void rank_entries(SensitivityResult& result);

// ---- What-if: the smallest change that moves a forecast to a target ---------------------------

struct WhatIfOptions {
  std::string model;
  Params params;
  std::uint64_t seed = 0;
  Settle settle = Settle::last;
  std::string actor, issue;  // the actor whose lever moves, the issue whose forecast is watched
  std::string lever_issue;   // the issue whose position/salience moves (default: `issue`)
  std::string lever = "position";  // position | salience | capability
  double target = 0;
  double tolerance = -1;     // |forecast - target| that counts as reached; <0: 1e-6 of the scale span
  int grid = 200;            // bracketing grid points on each side of the current value
  double capability_max = -1;  // upper bound for capability; <0: 10 x the largest capability
  const std::atomic<bool>* cancel = nullptr;  // raised: the model runs throw Cancelled
};
struct WhatIfResult {
  bool reachable = false;
  std::string lever;
  double lever_low = 0, lever_high = 0;  // bounds searched
  double current = 0;          // the lever's current value
  double base_forecast = 0;    // forecast now
  double value = 0;            // the lever's new value (if reachable)
  double change = 0;           // value - current
  double forecast = 0;         // the forecast at the new value
  int evaluations = 0;         // model runs
  std::string note;            // e.g. "the forecast jumps from 40 to 60 at 52.3"
};
[[nodiscard]] WhatIfResult whatif(const Scenario& scenario, const WhatIfOptions& options);

// ---- Compare ----------------------------------------------------------------------------------

struct Comparison {
  std::vector<std::string> models;
  struct Row {
    Issue issue;  // as in A (or in B for issues only B has)
    std::vector<std::optional<Forecast>> a, b;  // [model]; nullopt if the issue is absent or undefined
  };
  std::vector<Row> rows;  // issues of A in order, then issues only in B
  std::string title_a, title_b;
};
[[nodiscard]] Comparison compare(const Scenario& a, const Scenario& b, const std::vector<std::string>& models,
                                 const std::vector<Params>& params, std::uint64_t seed);

// ---- Distributed runs (MPI) --------------------------------------------------------------------

// Splits work across processes (MPI ranks). A plain process is one rank of one; the MPI front end
// implements it. Results do not depend on the number of ranks.
class Distributor {
 public:
  virtual ~Distributor() = default;
  [[nodiscard]] virtual int rank() const = 0;
  [[nodiscard]] virtual int size() const = 0;
  // Collective: every rank passes its payload; rank 0 gets all of them in rank order, others {}.
  [[nodiscard]] virtual std::vector<std::string> gather(const std::string& payload) = 0;
};

// Each rank runs a contiguous share of the draws [first_draw, first_draw + draws); rank 0 returns
// the merged result, bit-identical to simulate() in one process; other ranks return their share.
[[nodiscard]] SimulationResult simulate(const Scenario& scenario, const SimulationOptions& options,
                                        Distributor& distributor);
// Each rank computes every size-th entry; rank 0 returns the whole ranked result.
[[nodiscard]] SensitivityResult sensitivity(const Scenario& scenario, const SensitivityOptions& options,
                                            Distributor& distributor);

}  // namespace entente
