// Distributions of a simulation's forecasts, aggregated in draw order.
#include <sys/mman.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <utility>
#include <vector>

#include "analysis/internal.hpp"

namespace entente {

namespace {
// Big arrays (a simulation's draws per issue: 8 MB per issue at 10^6 draws) in 2 MB pages where
// the kernel allows it (transparent huge pages in "madvise" or "always" mode): one page fault per
// 2 MB instead of 512, which on the 2-core VM cost ~10% of a compromise simulation's CPU, paid
// while the other thread computes draws.
template <class T>
struct LargePages {
  using value_type = T;
  static constexpr std::size_t huge = std::size_t{2} << 20;
  LargePages() = default;
  template <class U>
  LargePages(const LargePages<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T) - huge) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge / 2) return static_cast<T*>(::operator new(bytes));
    const std::size_t rounded = (bytes + huge - 1) / huge * huge;
    void* p = std::aligned_alloc(huge, rounded);
    if (!p) throw std::bad_alloc();
    ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: without it the pages are 4 KB, nothing worse
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < huge / 2) ::operator delete(p);
    else std::free(p);
  }
  template <class U>
  bool operator==(const LargePages<U>&) const noexcept { return true; }
};
using Column = std::vector<double, LargePages<double>>;
constexpr std::size_t series_cap_bytes = std::size_t{128} << 20;
}  // namespace

namespace {
// Type 7 (linear interpolation between order statistics), as R's and NumPy's default: the ranks
// it reads for `q` of `n` values, and the quantile from the order statistics at those ranks.
std::pair<std::size_t, std::size_t> quantile_ranks(std::size_t n, double q) {
  const auto lo = static_cast<std::size_t>(std::floor((static_cast<double>(n) - 1) * q));
  return {lo, std::min(lo + 1, n - 1)};
}
double quantile_of(std::size_t n, double q, double at_lo, double at_hi) {
  const double h = (static_cast<double>(n) - 1) * q;
  return at_lo + (h - std::floor(h)) * (at_hi - at_lo);
}

// Puts the order statistics at `ranks` (ascending, within [a, b)) in place, as a full sort would:
// nth_element on the middle rank, then the same on each side. O(n log k) for k ranks, not a sort's
// O(n log n); the values are exact order statistics, so the quantiles are the bits a sort gives.
template <class V>
void select_ranks(V& v, std::size_t a, std::size_t b, const std::size_t* ranks, std::size_t count) {
  if (count == 0 || b - a < 2) return;
  const std::size_t mid = count / 2, k = ranks[mid];
  const auto at = [&v](std::size_t i) { return v.begin() + static_cast<std::ptrdiff_t>(i); };
  std::nth_element(at(a), at(k), at(b));
  select_ranks(v, a, k, ranks, mid);
  select_ranks(v, k + 1, b, ranks + mid + 1, count - mid - 1);
}

// The order statistics at `ranks` (ascending, unique, < v.size()) of `v`, whose values (no NaN)
// lie in [lo, hi]. Large inputs: one pass counts the values into 4096 buckets of the range
// (floor((x - lo) * scale) never decreases as x grows, so bucket order is value order), a second
// gathers only the buckets that hold a rank, and nth_element runs on those few values: two
// streaming passes instead of several of nth_element's over everything (a 200,000-draw summary
// spent 10% of a compromise simulation here). Exact: the values a sort puts at those ranks.
// `v` is left unchanged except by the small-input path, which selects in place.
template <class V>
std::vector<double> order_statistics(V& v, double lo, double hi, const std::vector<std::size_t>& ranks) {
  std::vector<double> out(ranks.size());
  constexpr std::size_t buckets = 4096;
  const double scale = static_cast<double>(buckets) / (hi - lo);
  if (v.size() < 8 * buckets || !(hi > lo) || !std::isfinite(scale)) {
    select_ranks(v, 0, v.size(), ranks.data(), ranks.size());
    for (std::size_t k = 0; k < ranks.size(); ++k) out[k] = v[ranks[k]];
    return out;
  }
  const auto bucket = [lo, scale](double x) {
    return std::min(buckets - 1, static_cast<std::size_t>((x - lo) * scale));
  };
  std::vector<std::size_t> first(buckets + 1, 0);  // counts, then each bucket's first rank
  for (double x : v) ++first[bucket(x) + 1];
  for (std::size_t b = 0; b < buckets; ++b) first[b + 1] += first[b];
  // The buckets holding a rank, and where each gathered bucket starts in `picked`.
  std::vector<std::size_t> slot(buckets, SIZE_MAX), wanted;
  for (std::size_t r : ranks) {
    const auto b = static_cast<std::size_t>(std::upper_bound(first.begin(), first.end(), r) - first.begin()) - 1;
    if (slot[b] == SIZE_MAX) {
      slot[b] = wanted.size();
      wanted.push_back(b);
    }
  }
  std::vector<std::size_t> start(wanted.size() + 1, 0);
  for (std::size_t w = 0; w < wanted.size(); ++w) start[w + 1] = start[w] + (first[wanted[w] + 1] - first[wanted[w]]);
  std::vector<double> picked(start.back());
  std::vector<std::size_t> fill(start.begin(), start.end() - 1);
  for (double x : v)
    if (const std::size_t w = slot[bucket(x)]; w != SIZE_MAX) picked[fill[w]++] = x;
  // Within each gathered bucket, the ranks it holds, shifted to the bucket's start.
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    const std::size_t base = first[wanted[w]];
    std::vector<std::size_t> local;
    for (std::size_t r : ranks)
      if (r >= base && r < first[wanted[w] + 1]) local.push_back(r - base + start[w]);
    select_ranks(picked, start[w], start[w + 1], local.data(), local.size());
  }
  for (std::size_t k = 0; k < ranks.size(); ++k) {
    const std::size_t b = static_cast<std::size_t>(std::upper_bound(first.begin(), first.end(), ranks[k]) - first.begin()) - 1;
    out[k] = picked[ranks[k] - first[b] + start[slot[b]]];
  }
  return out;
}
}  // namespace

namespace {
// `values` loses its NaNs and may be reordered: no copy of what may be 10^7 numbers.
template <class V>
Distribution describe_in_place(V& values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return std::isnan(x); }), values.end());
  Distribution d;
  d.n = values.size();
  if (values.empty()) return d;
  // Two passes in the given (draw) order: the same bits for the same draws.
  double sum = 0, lo = values.front(), hi = values.front();
  for (double x : values) {
    sum += x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  if (lo == hi) {
    // Every draw the same (no uncertain input reaches this forecast): the rounding of the sum
    // must not show as a mean a hair off and a standard deviation of 1e-14.
    d.mean = lo;
    d.sd = 0;
  } else {
    d.mean = std::clamp(sum / static_cast<double>(d.n), lo, hi);
    double ss = 0;
    for (double x : values) ss += (x - d.mean) * (x - d.mean);
    d.sd = d.n > 1 ? std::sqrt(ss / static_cast<double>(d.n - 1)) : 0.0;
  }
  // The ranks the five quantiles read (the lower and upper order statistic of each).
  constexpr double qs[] = {0.05, 0.25, 0.50, 0.75, 0.95};
  std::vector<std::size_t> ranks;
  for (double q : qs) {
    const auto [a, b] = quantile_ranks(d.n, q);
    ranks.push_back(a);
    ranks.push_back(b);
  }
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  const std::vector<double> stats = order_statistics(values, lo, hi, ranks);
  const auto at = [&](std::size_t r) { return stats[static_cast<std::size_t>(std::lower_bound(ranks.begin(), ranks.end(), r) - ranks.begin())]; };
  double* const out[] = {&d.q05, &d.q25, &d.q50, &d.q75, &d.q95};
  for (std::size_t k = 0; k < 5; ++k) {
    const auto [a, b] = quantile_ranks(d.n, qs[k]);
    *out[k] = quantile_of(d.n, qs[k], at(a), at(b));
  }
  return d;
}
}  // namespace

Distribution describe(std::vector<double> values) { return describe_in_place(values); }

struct SummaryAccumulator::State {
  struct Convergences {
    std::size_t counted = 0, settled = 0, cycling = 0, drifting = 0;
  };
  struct Series {
    std::vector<std::uint32_t> rows;  // per draw that has this series: its number of rounds
    Column flat;                      // those rounds, issues.size() values each
  };
  const Scenario* scenario;
  std::vector<std::string> round_series;
  // The per-round values of a dynamic model (a bdm draw on Istanbul: ~1 KB) are kept for at most
  // this many bytes, so that 10^6 draws fit in well under 500 MB: the per-round distributions are
  // those of the first draws (RoundSummary::draws says how many); the forecasts use every draw.
  std::size_t series_bytes = 0;
  bool series_full = false;
  std::uint64_t draws = 0;
  std::vector<Column> values;                            // [issue][draw]
  std::vector<Convergences> convergence;                 // [issue]
  std::vector<std::vector<double>> share, probability;   // [issue][option]: counts, sums in draw order
  std::vector<std::size_t> with_probabilities;           // [issue]
  std::vector<Series> series;
};

SummaryAccumulator::SummaryAccumulator(SummaryAccumulator&&) noexcept = default;
SummaryAccumulator& SummaryAccumulator::operator=(SummaryAccumulator&&) noexcept = default;
SummaryAccumulator::~SummaryAccumulator() = default;
std::uint64_t SummaryAccumulator::draws() const noexcept { return state_->draws; }

SummaryAccumulator::SummaryAccumulator(const Scenario& scenario, std::vector<std::string> round_series)
    : state_(std::make_unique<State>()) {
  State& st = *state_;
  st.scenario = &scenario;
  st.round_series = std::move(round_series);
  const std::size_t n = scenario.issues.size();
  st.values.resize(n);
  st.convergence.resize(n);
  st.share.resize(n);
  st.probability.resize(n);
  st.with_probabilities.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (scenario.issues[i].kind == Issue::Kind::categorical) {
      st.share[i].assign(scenario.issues[i].options.size(), 0);
      st.probability[i].assign(scenario.issues[i].options.size(), 0);
    }
  st.series.resize(st.round_series.size());
}

void SummaryAccumulator::reserve(std::uint64_t draws) {
  State& st = *state_;
  // Capped: a request for 10^9 draws must not reserve gigabytes before the first one is done.
  const auto more = static_cast<std::size_t>(std::min<std::uint64_t>(draws, 1ULL << 24));
  for (auto& v : st.values) v.reserve(v.size() + more);
  for (auto& s : st.series) s.rows.reserve(s.rows.size() + more);
}

void SummaryAccumulator::add(const DrawOutcome& o) {
  State& st = *state_;
  ++st.draws;
  const std::size_t n = st.values.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double x = i < o.values.size() ? o.values[i] : std::nan("");
    st.values[i].push_back(x);
    // How many draws' forecasts settled, cycled or drifted (dynamic models only).
    if (i < o.convergence.size() && !std::isnan(x)) {
      const auto state = static_cast<Convergence::State>(o.convergence[i]);
      if (state != Convergence::State::not_applicable) {
        auto& c = st.convergence[i];
        ++c.counted;
        c.settled += state == Convergence::State::settled;
        c.cycling += state == Convergence::State::cycle;
        c.drifting += state == Convergence::State::drift;
      }
    }
    if (st.scenario->issues[i].kind != Issue::Kind::categorical) continue;
    const std::size_t k = st.share[i].size();
    if (!std::isnan(x)) {
      const auto c = static_cast<long>(std::lround(x));
      if (c >= 0 && static_cast<std::size_t>(c) < k) st.share[i][static_cast<std::size_t>(c)] += 1;
    }
    if (i < o.probabilities.size() && o.probabilities[i].size() == k) {
      ++st.with_probabilities[i];
      for (std::size_t j = 0; j < k; ++j) st.probability[i][j] += o.probabilities[i][j];
    }
  }
  // Per-round values, up to the cap: the first draws in draw order, whole draws, every series.
  if (st.series_full) return;
  std::size_t more = 0;
  for (std::size_t k = 0; k < st.series.size() && k < o.rounds.size(); ++k)
    more += o.rounds[k].size() * n * sizeof(double) + sizeof(std::uint32_t);
  if (st.series_bytes + more > series_cap_bytes) {
    st.series_full = true;
    return;
  }
  st.series_bytes += more;
  for (std::size_t k = 0; k < st.series.size(); ++k) {
    if (k >= o.rounds.size() || o.rounds[k].empty()) continue;
    auto& s = st.series[k];
    if (s.flat.capacity() == 0) s.flat.reserve(series_cap_bytes / sizeof(double));  // address space only: no regrowth copies
    s.rows.push_back(static_cast<std::uint32_t>(o.rounds[k].size()));
    for (const auto& row : o.rounds[k])
      for (std::size_t i = 0; i < n; ++i) s.flat.push_back(i < row.size() ? row[i] : std::nan(""));
  }
}

SimulationSummary SummaryAccumulator::finish(const SimulationResult& header, int bins) && {
  if (bins < 1) bins = 1;
  State& st = *state_;
  const Scenario& scenario = *st.scenario;
  SimulationSummary s;
  s.model = header.model;
  s.params = header.params;
  s.seed = header.seed;
  s.settle = header.settle;
  s.draws_requested = header.draws_requested;
  s.draws_completed = st.draws;
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
    auto& values = st.values[i];
    if (const auto& c = st.convergence[i]; c.counted) {
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
      is.option_share = st.share[i];
      if (st.with_probabilities[i]) {
        std::vector<double> prob = st.probability[i];
        for (auto& x : prob) x /= static_cast<double>(st.with_probabilities[i]);
        is.option_probability = prob;
      }
    }
    is.forecast = describe_in_place(values);  // last: it reorders the draws
    if (is.categorical && is.forecast.n)
      for (auto& x : is.option_share) x /= static_cast<double>(is.forecast.n);
  });
  // Per-round distributions. Draws that stopped early (a model that converged) keep their last
  // value for the later rounds: the state they ended in.
  const std::size_t n = scenario.issues.size();
  for (std::size_t k = 0; k < st.series.size(); ++k) {
    const State::Series& series = st.series[k];
    RoundSummary rs;
    rs.series = st.round_series[k];
    rs.draws = series.rows.size();
    rs.capped = st.series_full;
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
  SimulationSummary s = std::move(acc).finish(result, bins);
  s.draws_completed = result.draws_completed();
  return s;
}

}  // namespace entente
