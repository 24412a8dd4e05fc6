// Internal helpers shared by the analysis functions.
#pragma once
#include <cmath>
#include <limits>
#include <vector>

#include "entente/analysis.hpp"

namespace entente::detail {

// Overwrites every uncertain input of `target` (a copy of the scenario the inputs came from).
void draw_into(Scenario& target, const std::vector<UncertainInput>& inputs, Rng& rng);

// A model with its parameters resolved once (the scenario's stored ones, then the user's).
struct PreparedModel {
  const Model* model = nullptr;
  Params resolved;
  PreparedModel(const Scenario& scenario, const std::string& name, const Params& user);
  [[nodiscard]] Result run(const Scenario& s, std::uint64_t seed) const;
};

// Forecast value per issue; NaN where undefined.
inline std::vector<double> forecast_values(const Result& r) {
  std::vector<double> v;
  v.reserve(r.forecasts.size());
  for (const auto& f : r.forecasts) v.push_back(f.defined ? f.value : std::numeric_limits<double>::quiet_NaN());
  return v;
}

unsigned thread_count(unsigned requested);

}  // namespace entente::detail
