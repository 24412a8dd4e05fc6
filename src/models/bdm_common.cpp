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

namespace {
// pow(b, 1) == b exactly; the shortcut saves the call in the risk pass (r = 1 everywhere).
double power(double b, double r) { return r == 1.0 ? b : std::pow(b, r); }
}  // namespace

// Bases stay in [0,1] because d <= 1 and g <= 2; pow(0, r) = 0 for r > 0.
double u_success(double d, double r) { return 2 - 4 * power(0.5 - 0.5 * d, r); }
double u_failure(double d, double r) { return 2 - 4 * power(0.5 + 0.5 * d, r); }
double u_status_quo(double r) { return 2 - 4 * power(0.5, r); }
double u_better(double g, double r) { return 2 - 4 * power(0.5 - 0.25 * g, r); }
double u_worse(double g, double r) { return 2 - 4 * power(0.5 + 0.25 * g, r); }

double unit_distance(double a, double b, double delta) {
  if (!(delta > 0)) return 0;
  // Positions stay in the initial hull, so d <= 1 up to rounding; the clamp keeps pow real.
  return std::min(1.0, std::fabs(a - b) / delta);
}

QGeometry q_geometry(double xa, double xb, double mu, double delta, const Options& o) {
  QGeometry q;
  const double to_mu = std::fabs(xa - mu);
  const double to_b = std::fabs(xa - xb);
  q.g = delta > 0 ? std::min(2.0, (to_mu + to_b) / delta) : 0.0;
  q.T = o.T >= 0 ? o.T : (to_mu < to_b ? 1.0 : 0.0);
  return q;
}

double eu_subtracted(const QGeometry& q, double r, double usq, const Options& o) {
  if (o.Q >= 1 || o.q_form == QForm::jmckib) return o.Q * usq;
  return o.Q * usq + (1 - o.Q) * (q.T * u_better(q.g, r) + (1 - q.T) * u_worse(q.g, r));
}

bool classify(double e1, double e2, bool capitulation, OfferType& type) {
  if (e2 > e1 && e1 > 0) {
    type = OfferType::confrontation;  // i loses the confrontation: moves to x_j
    return true;
  }
  if (e2 > 0 && 0 > e1 && e2 > std::fabs(e1)) {
    type = OfferType::compromise;
    return true;
  }
  // The reference tests `e2 < abs(e2)` here, which is never true (A5).
  if (capitulation && e2 > 0 && 0 > e1 && e2 < std::fabs(e1)) {
    type = OfferType::capitulation;
    return true;
  }
  return false;
}

double offer_position(OfferType type, double xi, double xj, double e1, double e2, const Options& o) {
  if (type != OfferType::compromise) return xj;
  if (o.compromise_position == CompromisePosition::weighted)
    return (std::fabs(e1) * xi + std::fabs(e2) * xj) / (std::fabs(e1) + std::fabs(e2));
  return xi + (xj - xi) * std::fabs(e1 / e2);  // eq. 36
}

double offer_key(OfferType type, double xi, double xj, double e1, double e2, double new_position,
                 const Options& o) {
  if (type == OfferType::compromise && o.compromise == CompromiseChoice::key)
    return (std::fabs(e1) * xi + std::fabs(e2) * xj) / (std::fabs(e1) + std::fabs(e2));
  return std::fabs(new_position - xi);  // "move the least"
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

RoundResult simultaneous(const Problem& pb, const std::vector<double>& x, double delta, const Options& o) {
  if (o.algorithm == Algorithm::direct) return from_details(round_details(pb, x, delta, o), o);
  return round_fast(pb, x, delta, o);
}
}  // namespace

RoundResult play_round(const Problem& pb, const std::vector<double>& x, double delta, const Options& o) {
  if (o.update == Update::simultaneous) return simultaneous(pb, x, delta, o);
  // Sequential (A7): actors take turns in input order; each re-evaluates the current state,
  // including the moves made earlier in the round, and only the actor whose turn it is moves.
  const std::size_t n = x.size();
  RoundResult out;
  out.x = x;
  out.r.assign(n, 1.0);
  out.danger.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    RoundResult t = simultaneous(pb, out.x, delta, o);
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
  for (int t = 1; t <= o.rounds; ++t) {
    if (o.cancel && o.cancel->load(std::memory_order_relaxed)) throw Cancelled();
    const std::vector<double>& x = run.rounds.back().x;
    const double delta = o.range == Range::current ? range_of(x) : run.delta;
    RoundResult rr = play_round(pb, x, delta, o);
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
