// Distributions of a simulation's forecasts, aggregated in draw order.
#include <tbb/parallel_for.h>

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

namespace {
// Sorts `v` as std::sort would, in parallel: fixed chunks (their number depends on the size only,
// never on the threads) sorted as separate tasks, then merged pairwise. Equal values are equal
// doubles, so the result is the same sequence on any number of threads.
void sort_parallel(std::vector<double>& v) {
  constexpr std::size_t min_chunk = 1 << 15, max_chunks = 8;
  std::size_t chunks = 1;
  while (chunks < max_chunks && v.size() / (chunks * 2) >= min_chunk) chunks *= 2;
  if (chunks == 1) {
    std::sort(v.begin(), v.end());
    return;
  }
  std::vector<std::size_t> edge(chunks + 1);
  for (std::size_t c = 0; c <= chunks; ++c) edge[c] = v.size() * c / chunks;
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::sort(v.begin() + static_cast<std::ptrdiff_t>(edge[c]), v.begin() + static_cast<std::ptrdiff_t>(edge[c + 1]));
  });
  std::vector<double> buffer(v.size());
  std::vector<double>* from = &v;
  std::vector<double>* to = &buffer;
  for (std::size_t width = 1; width < chunks; width *= 2) {
    tbb::parallel_for(std::size_t{0}, chunks / (2 * width), [&](std::size_t m) {
      const auto a = static_cast<std::ptrdiff_t>(edge[2 * width * m]);
      const auto b = static_cast<std::ptrdiff_t>(edge[2 * width * m + width]);
      const auto c = static_cast<std::ptrdiff_t>(edge[2 * width * (m + 1)]);
      std::merge(from->begin() + a, from->begin() + b, from->begin() + b, from->begin() + c, to->begin() + a);
    });
    std::swap(from, to);
  }
  if (from != &v) v.swap(buffer);
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
  sort_parallel(values);
  d.q05 = quantile_sorted(values, 0.05);
  d.q25 = quantile_sorted(values, 0.25);
  d.q50 = quantile_sorted(values, 0.50);
  d.q75 = quantile_sorted(values, 0.75);
  d.q95 = quantile_sorted(values, 0.95);
  return d;
}

SummaryAccumulator::SummaryAccumulator(const Scenario& scenario, std::vector<std::string> round_series)
    : scenario_(&scenario), round_series_(std::move(round_series)) {
  const std::size_t n = scenario.issues.size();
  values_.resize(n);
  convergence_.resize(n);
  share_.resize(n);
  probability_.resize(n);
  with_probabilities_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (scenario.issues[i].kind == Issue::Kind::categorical) {
      share_[i].assign(scenario.issues[i].options.size(), 0);
      probability_[i].assign(scenario.issues[i].options.size(), 0);
    }
  series_.resize(round_series_.size());
}

void SummaryAccumulator::reserve(std::uint64_t draws) {
  // Capped: a request for 10^9 draws must not reserve gigabytes before the first one is done.
  const auto more = static_cast<std::size_t>(std::min<std::uint64_t>(draws, 1ULL << 24));
  for (auto& v : values_) v.reserve(v.size() + more);
  for (auto& s : series_) s.rows.reserve(s.rows.size() + more);
}

void SummaryAccumulator::add(const DrawOutcome& o) {
  ++draws_;
  const std::size_t n = values_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double x = i < o.values.size() ? o.values[i] : std::nan("");
    values_[i].push_back(x);
    // How many draws' forecasts settled, cycled or drifted (dynamic models only).
    if (i < o.convergence.size() && !std::isnan(x)) {
      const auto state = static_cast<Convergence::State>(o.convergence[i]);
      if (state != Convergence::State::not_applicable) {
        auto& c = convergence_[i];
        ++c.counted;
        c.settled += state == Convergence::State::settled;
        c.cycling += state == Convergence::State::cycle;
        c.drifting += state == Convergence::State::drift;
      }
    }
    if (scenario_->issues[i].kind != Issue::Kind::categorical) continue;
    const std::size_t k = share_[i].size();
    if (!std::isnan(x)) {
      const auto c = static_cast<long>(std::lround(x));
      if (c >= 0 && static_cast<std::size_t>(c) < k) share_[i][static_cast<std::size_t>(c)] += 1;
    }
    if (i < o.probabilities.size() && o.probabilities[i].size() == k) {
      ++with_probabilities_[i];
      for (std::size_t j = 0; j < k; ++j) probability_[i][j] += o.probabilities[i][j];
    }
  }
  for (std::size_t k = 0; k < series_.size(); ++k) {
    if (k >= o.rounds.size() || o.rounds[k].empty()) continue;
    auto& s = series_[k];
    s.rows.push_back(static_cast<std::uint32_t>(o.rounds[k].size()));
    for (const auto& row : o.rounds[k])
      for (std::size_t i = 0; i < n; ++i) s.flat.push_back(i < row.size() ? row[i] : std::nan(""));
  }
}

SimulationSummary SummaryAccumulator::finish(const SimulationResult& header, int bins) const {
  if (bins < 1) bins = 1;
  const Scenario& scenario = *scenario_;
  SimulationSummary s;
  s.model = header.model;
  s.params = header.params;
  s.seed = header.seed;
  s.settle = header.settle;
  s.draws_requested = header.draws_requested;
  s.draws_completed = draws_;
  s.partial = header.partial;
  s.seconds = header.seconds;
  s.uncertain_inputs = uncertain_inputs(scenario).size();
  s.issues.resize(scenario.issues.size());
  tbb::parallel_for(std::size_t{0}, scenario.issues.size(), [&](std::size_t i) {
    const Issue& issue = scenario.issues[i];
    IssueSummary& is = s.issues[i];
    is.id = issue.id;
    is.name = issue.name;
    is.categorical = issue.kind == Issue::Kind::categorical;
    const std::vector<double>& values = values_[i];
    is.forecast = describe(values);
    if (const auto& c = convergence_[i]; c.counted) {
      is.dynamic = true;
      const auto n = static_cast<double>(c.counted);
      is.settled = static_cast<double>(c.settled) / n;
      is.cycling = static_cast<double>(c.cycling) / n;
      is.drifting = static_cast<double>(c.drifting) / n;
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
      is.option_share = share_[i];
      if (is.forecast.n)
        for (auto& x : is.option_share) x /= static_cast<double>(is.forecast.n);
      if (with_probabilities_[i]) {
        std::vector<double> prob = probability_[i];
        for (auto& x : prob) x /= static_cast<double>(with_probabilities_[i]);
        is.option_probability = prob;
      }
    }
  });
  // Per-round distributions. Draws that stopped early (a model that converged) keep their last
  // value for the later rounds: the state they ended in.
  const std::size_t n = scenario.issues.size();
  for (std::size_t k = 0; k < series_.size(); ++k) {
    const Series& series = series_[k];
    RoundSummary rs;
    rs.series = round_series_[k];
    std::size_t rounds = 0;
    for (auto r : series.rows) rounds = std::max<std::size_t>(rounds, r);
    rs.issues.assign(n, std::vector<Distribution>(rounds));
    // One task per (issue, round), each reading the draws in draw order.
    tbb::parallel_for(std::size_t{0}, n * rounds, [&](std::size_t task) {
      const std::size_t i = task / rounds, r = task % rounds;
      std::vector<double> values;
      values.reserve(series.rows.size());
      std::size_t offset = 0;  // index of the draw's first round in `flat`
      for (auto rows : series.rows) {
        values.push_back(series.flat[(offset + std::min<std::size_t>(r, rows - 1)) * n + i]);
        offset += rows;
      }
      rs.issues[i][r] = describe(std::move(values));
    });
    s.rounds.push_back(std::move(rs));
  }
  return s;
}

SimulationSummary summarize(const Scenario& scenario, const SimulationResult& result, int bins) {
  SummaryAccumulator acc(scenario, result.round_series);
  for (const auto& o : result.outcomes) acc.add(o);
  SimulationSummary s = acc.finish(result, bins);
  s.draws_completed = result.draws_completed();
  return s;
}

}  // namespace entente
