// One-at-a-time sensitivity: each uncertain input at its low and high end (5%/95% quantiles for a
// normal), every other input at its point value, with the same model seed (common random
// numbers), so the swing is the input's effect alone. Then each actor dropped in turn.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/internal.hpp"
#include "entente/edit.hpp"

namespace entente {

double SensitivityResult::swing(const SensitivityEntry& e, std::size_t issue, double base) {
  if (e.kind == SensitivityEntry::Kind::drop) {
    const double d = e.at_low.size() > issue ? std::fabs(e.at_low[issue] - base) : std::nan("");
    return std::isnan(d) ? 0.0 : d;
  }
  if (e.at_low.size() <= issue || e.at_high.size() <= issue) return 0.0;
  const double d = std::fabs(e.at_high[issue] - e.at_low[issue]);
  return std::isnan(d) ? 0.0 : d;
}

namespace {
// The figure each run is judged by: numeric issues, the forecast; categorical issues, the
// probability of the option the base run forecasts (or 1/0 for models without probabilities),
// never a difference of option numbers.
std::vector<double> figures(const Result& r, const std::vector<int>& base_option) {
  std::vector<double> v = detail::forecast_values(r);
  for (std::size_t i = 0; i < v.size() && i < base_option.size(); ++i) {
    if (base_option[i] < 0 || std::isnan(v[i])) continue;
    const auto k = static_cast<std::size_t>(base_option[i]);
    const auto& p = r.forecasts[i].option_probabilities;
    v[i] = k < p.size() ? p[k] : (std::lround(v[i]) == base_option[i] ? 1.0 : 0.0);
  }
  return v;
}
}  // namespace

SensitivityResult sensitivity(const Scenario& scenario, const SensitivityOptions& options) {
  RunOptions run = detail::quiet_run(options.params, options.seed, options.settle);
  run.cancel = options.cancel;
  const PreparedModel prepared(scenario, options.model, run);
  SensitivityResult out;
  out.model = prepared.model().info().name;
  for (const auto& is : scenario.issues) out.issue_ids.push_back(is.id);
  const Result base = prepared.run(scenario, options.seed);
  out.base_option.assign(scenario.issues.size(), -1);
  for (std::size_t i = 0; i < scenario.issues.size() && i < base.forecasts.size(); ++i)
    if (scenario.issues[i].kind == Issue::Kind::categorical && base.forecasts[i].defined)
      out.base_option[i] = static_cast<int>(std::lround(base.forecasts[i].value));
  out.base = figures(base, out.base_option);

  const auto inputs = uncertain_inputs(scenario);
  for (const auto& in : inputs) {
    SensitivityEntry e;
    e.kind = SensitivityEntry::Kind::input;
    e.label = in.path;
    const bool normal = in.uncertainty.kind == Uncertainty::Kind::normal;
    e.low = std::clamp(uncertainty_quantile(in.uncertainty, in.value, normal ? 0.05 : 0.0), in.low, in.high);
    e.high = std::clamp(uncertainty_quantile(in.uncertainty, in.value, normal ? 0.95 : 1.0), in.low, in.high);
    out.entries.push_back(std::move(e));
  }
  if (options.drop_actors)
    for (const auto& a : scenario.actors) {
      SensitivityEntry e;
      e.kind = SensitivityEntry::Kind::drop;
      e.label = a.id;
      out.entries.push_back(std::move(e));
    }

  // Every run is independent and lands in its own slot: parallel and deterministic.
  const std::size_t ranks = std::max<std::size_t>(options.ranks, 1);
  tbb::parallel_for(std::size_t{0}, out.entries.size(), [&](std::size_t k) {
    if (k % ranks != options.rank) return;  // another rank's share
    auto& e = out.entries[k];
    if (e.kind == SensitivityEntry::Kind::input) {
      Scenario s = scenario;
      set_input_value(s, inputs[k], e.low);
      e.at_low = figures(prepared.run(s, options.seed), out.base_option);
      set_input_value(s, inputs[k], e.high);
      e.at_high = figures(prepared.run(s, options.seed), out.base_option);
    } else {
      try {
        const Scenario s = drop_actor(scenario, e.label);
        e.at_low = figures(prepared.run(s, options.seed), out.base_option);
        e.at_high = e.at_low;
      } catch (const InputError& err) {
        // e.g. the actor is the only one holding a position on an issue
        e.note = err.diagnostics().empty() ? "cannot drop" : err.diagnostics().front().to_string();
        e.at_low.assign(scenario.issues.size(), std::nan(""));
        e.at_high = e.at_low;
      }
    }
  });

  rank_entries(out);
  return out;
}

void rank_entries(SensitivityResult& out) {
  out.ranking.assign(out.issue_ids.size(), {});
  for (std::size_t i = 0; i < out.issue_ids.size(); ++i) {
    auto& r = out.ranking[i];
    r.resize(out.entries.size());
    std::iota(r.begin(), r.end(), std::size_t{0});
    std::stable_sort(r.begin(), r.end(), [&](std::size_t x, std::size_t y) {
      return SensitivityResult::swing(out.entries[x], i, out.base[i]) > SensitivityResult::swing(out.entries[y], i, out.base[i]);
    });
  }
}

}  // namespace entente
