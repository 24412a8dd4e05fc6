// Internal helpers shared by the analysis functions.
#pragma once
#include <cmath>
#include <limits>
#include <vector>

#include "entente/analysis.hpp"

namespace entente::detail {

// Overwrites every uncertain input of `target` (a copy of the scenario the inputs came from).
void draw_into(Scenario& target, const std::vector<UncertainInput>& inputs, Rng& rng);
// The same draws written through `slots` = input_slots(target, inputs): the addresses of the inputs'
// numbers in `target`, looked up once per scenario copy instead of once per draw and input.
std::vector<double*> input_slots(Scenario& target, const std::vector<UncertainInput>& inputs);
void draw_into(Scenario& target, const std::vector<double*>& slots, const std::vector<UncertainInput>& inputs, Rng& rng);

// The run options of an analysis's many model runs: the user's parameters and summary rule,
// nothing recorded beyond the forecasts.
inline RunOptions quiet_run(const Params& params, std::uint64_t seed, Settle settle) {
  RunOptions o;
  o.params = params;
  o.seed = seed;
  o.settle = settle;
  return o;
}

// Forecast value per issue; NaN where undefined.
inline std::vector<double> forecast_values(const Result& r) {
  std::vector<double> v;
  v.reserve(r.forecasts.size());
  for (const auto& f : r.forecasts) v.push_back(f.defined ? f.value : std::numeric_limits<double>::quiet_NaN());
  return v;
}

unsigned thread_count(unsigned requested);

}  // namespace entente::detail
