// The equations both round implementations share, the median and mean, and the run loop.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "entente/model.hpp"  // Cancelled
#include "models/bdm_core.hpp"

namespace entente::bdm {

const char* to_string(OfferType t) {
  switch (t) {
    case OfferType::confrontation: return "confrontation";
    case OfferType::compromise: return "compromise";
    case OfferType::capitulation: return "capitulation";
  }
  return "?";
}

double weighted_median(const std::vector<double>& x, const std::vector<double>& w, MedianRule rule) {
  const std::size_t n = x.size();
  if (n == 0) return std::nan("");
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  double total = 0;
  for (double v : w) total += v;
  const bool unit = !(total > 0);
  if (unit) total = static_cast<double>(n);
  double cum = 0;
  for (std::size_t k = 0; k < n;) {
    const double y = x[idx[k]];
    for (; k < n && x[idx[k]] == y; ++k) cum += unit ? 1.0 : w[idx[k]];
    if (2 * cum >= total) {
      if (rule == MedianRule::midpoint && 2 * cum == total && k < n) return 0.5 * (y + x[idx[k]]);
      return y;
    }
  }
  return x[idx[n - 1]];
}

double weighted_mean(const std::vector<double>& x, const std::vector<double>& w) {
  double sw = 0, swx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sw += w[i];
    swx += w[i] * x[i];
  }
  if (sw > 0) return swx / sw;
  if (x.empty()) return std::nan("");
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

bool danger_spread(double lo, double hi) { return hi - lo > 1e-11 * std::max({1.0, std::fabs(lo), std::fabs(hi)}); }

double risk_exponent(double d, double lo, double hi) {
  // Equal danger sums carry no information: R = 0, r = 1 (the reference divides by zero here).
  // "Equal" includes rounding noise between sums that are equal in exact arithmetic; the terms
  // summed are utilities of order 1, so the noise is absolute, not relative to the sums.
  if (!danger_spread(lo, hi)) return 1.0;
  const double R = std::clamp((2 * d - hi - lo) / (hi - lo), -1.0, 1.0);
  return (1 - R / 3) / (1 + R / 3);
}

namespace {
RoundResult from_details(RoundDetails&& d, const Options& o) {
  RoundResult r;
  r.x = std::move(d.x);
  r.r = std::move(d.r);
  r.danger = std::move(d.danger);
  r.z1 = d.z1;
  r.z = d.z;
  if (o.offers == OfferLog::all) {
    r.offers = std::move(d.offers);
  } else if (o.offers == OfferLog::selected) {
    for (const auto& f : d.offers)
      if (f.selected) r.offers.push_back(f);
  }
  return r;
}

RoundResult simultaneous(const Problem& pb, const std::vector<double>& x, double delta, const Options& o,
                         Workspace* ws) {
  if (o.algorithm == Algorithm::direct) return from_details(round_details(pb, x, delta, o), o);
  return round_fast(pb, x, delta, o, ws);
}
}  // namespace

RoundResult play_round(const Problem& pb, const std::vector<double>& x, double delta, const Options& o,
                       Workspace* ws) {
  if (o.update == Update::simultaneous) return simultaneous(pb, x, delta, o, ws);
  // Sequential (A7): actors take turns in input order; each re-evaluates the current state,
  // including the moves made earlier in the round, and only the actor whose turn it is moves.
  const std::size_t n = x.size();
  RoundResult out;
  out.x = x;
  out.r.assign(n, 1.0);
  out.danger.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    RoundResult t = simultaneous(pb, out.x, delta, o, ws);
    out.x[i] = t.x[i];
    out.r[i] = t.r[i];
    out.danger[i] = t.danger[i];
    out.z1 = t.z1;
    out.z = t.z;
    for (auto& f : t.offers)
      if (f.to == static_cast<int>(i)) out.offers.push_back(f);
  }
  return out;
}

IssueRun run_issue(const Problem& pb, const std::vector<double>& x0, double scale_range, const Options& o) {
  const std::size_t n = x0.size();
  if (pb.c.size() != n || pb.s.size() != n) throw std::logic_error("bdm: problem sizes differ");
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = pb.c[i] * pb.s[i];
  auto range_of = [](const std::vector<double>& x) {
    if (x.empty()) return 0.0;
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    return *hi - *lo;
  };
  IssueRun run;
  run.delta = o.range == Range::scale ? scale_range : range_of(x0);
  run.rounds.push_back(RoundRecord{x0, {}, weighted_median(x0, w, o.median), weighted_mean(x0, w), {}});
  int calm = 0;  // consecutive rounds with a small median shift
  Workspace ws;
  for (int t = 1; t <= o.rounds; ++t) {
    if (o.cancel && o.cancel->load(std::memory_order_relaxed)) throw Cancelled();
    const std::vector<double>& x = run.rounds.back().x;
    const double delta = o.range == Range::current ? range_of(x) : run.delta;
    RoundResult rr = play_round(pb, x, delta, o, &ws);
    RoundRecord rec;
    rec.median = weighted_median(rr.x, w, o.median);
    rec.mean = weighted_mean(rr.x, w);
    rec.x = std::move(rr.x);
    rec.r = std::move(rr.r);
    rec.offers = std::move(rr.offers);
    const double shift = std::fabs(rec.median - run.rounds.back().median);
    run.rounds.push_back(std::move(rec));
    if (o.stop == Stop::median_shift) {
      calm = shift <= o.epsilon * delta ? calm + 1 : 0;
      if (calm >= o.k) break;
    }
  }
  return run;
}

}  // namespace entente::bdm
