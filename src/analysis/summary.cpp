// Distributions of a simulation's forecasts, aggregated in draw order.
#include <algorithm>
#include <cmath>

#include "analysis/internal.hpp"

namespace entente {

namespace {
double quantile_sorted(const std::vector<double>& v, double q) {
  // Type 7 (linear interpolation between order statistics), as R's and NumPy's default.
  if (v.empty()) return 0;
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}
}  // namespace

Distribution describe(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return std::isnan(x); }), values.end());
  Distribution d;
  d.n = values.size();
  if (values.empty()) return d;
  // Two passes in the given (draw) order: the same bits for the same draws.
  double sum = 0;
  for (double x : values) sum += x;
  d.mean = sum / static_cast<double>(d.n);
  double ss = 0;
  for (double x : values) ss += (x - d.mean) * (x - d.mean);
  d.sd = d.n > 1 ? std::sqrt(ss / static_cast<double>(d.n - 1)) : 0.0;
  std::sort(values.begin(), values.end());
  d.q05 = quantile_sorted(values, 0.05);
  d.q25 = quantile_sorted(values, 0.25);
  d.q50 = quantile_sorted(values, 0.50);
  d.q75 = quantile_sorted(values, 0.75);
  d.q95 = quantile_sorted(values, 0.95);
  return d;
}

SimulationSummary summarize(const Scenario& scenario, const SimulationResult& result, int bins) {
  if (bins < 1) bins = 1;
  SimulationSummary s;
  s.model = result.model;
  s.params = result.params;
  s.seed = result.seed;
  s.settle = result.settle;
  s.draws_requested = result.draws_requested;
  s.draws_completed = result.draws_completed();
  s.partial = result.partial;
  s.seconds = result.seconds;
  s.uncertain_inputs = uncertain_inputs(scenario).size();
  const auto& draws = result.outcomes;
  for (std::size_t i = 0; i < scenario.issues.size(); ++i) {
    const Issue& issue = scenario.issues[i];
    IssueSummary is;
    is.id = issue.id;
    is.name = issue.name;
    is.categorical = issue.kind == Issue::Kind::categorical;
    std::vector<double> values;
    values.reserve(draws.size());
    for (const auto& o : draws) values.push_back(i < o.values.size() ? o.values[i] : std::nan(""));
    is.forecast = describe(values);
    // How many draws' forecasts settled, cycled or drifted (dynamic models only).
    std::size_t counted = 0, settled = 0, cycling = 0, drifting = 0;
    for (const auto& o : draws) {
      if (i >= o.convergence.size() || std::isnan(i < o.values.size() ? o.values[i] : std::nan(""))) continue;
      const auto state = static_cast<Convergence::State>(o.convergence[i]);
      if (state == Convergence::State::not_applicable) continue;
      ++counted;
      settled += state == Convergence::State::settled;
      cycling += state == Convergence::State::cycle;
      drifting += state == Convergence::State::drift;
    }
    if (counted) {
      is.dynamic = true;
      const auto n = static_cast<double>(counted);
      is.settled = static_cast<double>(settled) / n;
      is.cycling = static_cast<double>(cycling) / n;
      is.drifting = static_cast<double>(drifting) / n;
    }
    if (!is.categorical) {
      const double lo = issue.min, hi = issue.max;
      is.bin_edges.resize(static_cast<std::size_t>(bins) + 1);
      for (int b = 0; b <= bins; ++b) is.bin_edges[static_cast<std::size_t>(b)] = lo + (hi - lo) * b / bins;
      is.bin_counts.assign(static_cast<std::size_t>(bins), 0);
      for (double x : values) {
        if (std::isnan(x)) continue;
        auto b = static_cast<long>(std::floor((x - lo) / (hi - lo) * bins));
        b = std::clamp<long>(b, 0, bins - 1);  // the top edge belongs to the last bin
        ++is.bin_counts[static_cast<std::size_t>(b)];
      }
    } else {
      is.options = issue.options;
      const std::size_t k = issue.options.size();
      is.option_share.assign(k, 0);
      std::vector<double> prob(k, 0);
      std::size_t with_probs = 0;
      for (const auto& o : draws) {
        const double x = i < o.values.size() ? o.values[i] : std::nan("");
        if (!std::isnan(x)) {
          const auto c = static_cast<long>(std::lround(x));
          if (c >= 0 && static_cast<std::size_t>(c) < k) is.option_share[static_cast<std::size_t>(c)] += 1;
        }
        if (i < o.probabilities.size() && o.probabilities[i].size() == k) {
          ++with_probs;
          for (std::size_t j = 0; j < k; ++j) prob[j] += o.probabilities[i][j];
        }
      }
      if (is.forecast.n)
        for (auto& x : is.option_share) x /= static_cast<double>(is.forecast.n);
      if (with_probs) {
        for (auto& x : prob) x /= static_cast<double>(with_probs);
        is.option_probability = prob;
      }
    }
    s.issues.push_back(std::move(is));
  }
  // Per-round distributions. Draws that stopped early (a model that converged) keep their last
  // value for the later rounds: the state they ended in.
  for (std::size_t k = 0; k < result.round_series.size(); ++k) {
    RoundSummary rs;
    rs.series = result.round_series[k];
    std::size_t rounds = 0;
    for (const auto& o : draws)
      if (k < o.rounds.size()) rounds = std::max(rounds, o.rounds[k].size());
    rs.issues.assign(scenario.issues.size(), {});
    for (std::size_t i = 0; i < scenario.issues.size(); ++i) {
      for (std::size_t r = 0; r < rounds; ++r) {
        std::vector<double> values;
        values.reserve(draws.size());
        for (const auto& o : draws) {
          if (k >= o.rounds.size() || o.rounds[k].empty()) continue;
          const auto& series = o.rounds[k];
          const auto& row = series[std::min(r, series.size() - 1)];
          values.push_back(i < row.size() ? row[i] : std::nan(""));
        }
        rs.issues[i].push_back(describe(std::move(values)));
      }
    }
    s.rounds.push_back(std::move(rs));
  }
  return s;
}

}  // namespace entente
