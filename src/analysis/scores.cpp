// Forecast scores (include/entente/scores.hpp). Closed forms for E|X - y| and E|X - X'|:
//   uniform [a, b]: E|X - y| = ((y-a)^2 + (b-y)^2) / (2(b-a)) inside, |y - (a+b)/2| outside; E|X-X'| = (b-a)/3
//   normal (m, s):  E|X - y| = s (z (2 Phi(z) - 1) + 2 phi(z)), z = (y-m)/s;                E|X-X'| = 2s/sqrt(pi)
//   laplace (m, b): E|X - y| = |y-m| + b exp(-|y-m|/b);                                     E|X-X'| = 3b/2
//   sample x_(1..n) sorted: E|X - y| = mean |x_j - y|;  E|X-X'| = 2/n^2 sum_j (2j - n - 1) x_(j)
// (Gneiting & Raftery 2007, JASA 102:359; Jordan, Krueger & Lerch 2019, J. Stat. Softw. 90(12)).
#include "entente/scores.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include "entente/random.hpp"

namespace entente::scores {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi); }

std::vector<double> sorted(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v;
}

double sample_mean_abs(std::span<const double> s, double y) {
  if (s.empty()) return kNaN;
  double t = 0;
  for (double x : s) t += std::fabs(x - y);
  return t / static_cast<double>(s.size());
}

// Gini's mean difference of sorted values.
double sorted_mean_difference(std::span<const double> s) {
  const auto n = static_cast<double>(s.size());
  if (s.empty()) return kNaN;
  double t = 0;
  for (std::size_t j = 0; j < s.size(); ++j) t += (2.0 * static_cast<double>(j + 1) - n - 1) * s[j];
  return 2 * t / (n * n);
}

double spread_cdf(const Spread& g, double x) {
  switch (g.kind) {
    case Spread::Kind::point: return x >= g.location ? 1.0 : 0.0;
    case Spread::Kind::uniform: return std::clamp((x - g.low) / (g.high - g.low), 0.0, 1.0);
    case Spread::Kind::normal: return normal_cdf((x - g.location) / g.scale);
    case Spread::Kind::laplace: {
      const double d = (x - g.location) / g.scale;
      return d < 0 ? 0.5 * std::exp(d) : 1 - 0.5 * std::exp(-d);
    }
    case Spread::Kind::sample: {
      if (g.sample.empty()) return kNaN;
      const auto s = std::is_sorted(g.sample.begin(), g.sample.end()) ? g.sample : sorted(g.sample);
      return static_cast<double>(std::upper_bound(s.begin(), s.end(), x) - s.begin()) / static_cast<double>(s.size());
    }
  }
  return kNaN;
}

// The smallest x with spread_cdf(x) >= p (0 < p <= 1).
double spread_quantile(const Spread& g, double p) {
  p = std::clamp(p, 1e-15, 1 - 1e-15);  // unbounded families: a finite quantile at the ends
  switch (g.kind) {
    case Spread::Kind::point: return g.location;
    case Spread::Kind::uniform: return g.low + p * (g.high - g.low);
    case Spread::Kind::normal: return g.location + g.scale * normal_quantile(p);
    case Spread::Kind::laplace:
      return p < 0.5 ? g.location + g.scale * std::log(2 * p) : g.location - g.scale * std::log(2 * (1 - p));
    case Spread::Kind::sample: {
      if (g.sample.empty()) return kNaN;
      const auto s = sorted(g.sample);
      const auto n = static_cast<double>(s.size());
      auto k = static_cast<std::size_t>(std::ceil(p * n - 1e-12));
      k = std::clamp<std::size_t>(k, 1, s.size());
      return s[k - 1];
    }
  }
  return kNaN;
}

void check(const Spread& g) {
  switch (g.kind) {
    case Spread::Kind::uniform:
      if (!(g.low < g.high)) throw std::invalid_argument("scores: a uniform spread needs low < high");
      break;
    case Spread::Kind::normal:
    case Spread::Kind::laplace:
      if (!(g.scale > 0)) throw std::invalid_argument("scores: a normal or Laplace spread needs scale > 0");
      break;
    default: break;
  }
}

}  // namespace

Spread Spread::point(double x) {
  Spread g;
  g.location = x;
  return g;
}
Spread Spread::uniform(double low, double high) {
  Spread g;
  g.kind = Kind::uniform;
  g.low = low;
  g.high = high;
  g.location = (low + high) / 2;
  return g;
}
Spread Spread::normal(double mean, double sd) {
  Spread g;
  g.kind = Kind::normal;
  g.location = mean;
  g.scale = sd;
  return g;
}
Spread Spread::laplace(double median, double b) {
  Spread g;
  g.kind = Kind::laplace;
  g.location = median;
  g.scale = b;
  return g;
}
Spread Spread::empirical(std::vector<double> values) {
  Spread g;
  g.kind = Kind::sample;
  g.sample = sorted(std::move(values));
  return g;
}

double mean_abs(const Spread& g, double y) {
  check(g);
  switch (g.kind) {
    case Spread::Kind::point: return std::fabs(g.location - y);
    case Spread::Kind::uniform: {
      const double a = g.low, b = g.high;
      if (y <= a || y >= b) return std::fabs(y - (a + b) / 2);
      return ((y - a) * (y - a) + (b - y) * (b - y)) / (2 * (b - a));
    }
    case Spread::Kind::normal: {
      const double z = (y - g.location) / g.scale;
      return g.scale * (z * (2 * normal_cdf(z) - 1) + 2 * normal_pdf(z));
    }
    case Spread::Kind::laplace: {
      const double d = std::fabs(y - g.location);
      return d + g.scale * std::exp(-d / g.scale);
    }
    case Spread::Kind::sample: return sample_mean_abs(g.sample, y);
  }
  return kNaN;
}

double mean_difference(const Spread& g) {
  check(g);
  switch (g.kind) {
    case Spread::Kind::point: return 0;
    case Spread::Kind::uniform: return (g.high - g.low) / 3;
    case Spread::Kind::normal: return 2 * g.scale / std::sqrt(std::numbers::pi);
    case Spread::Kind::laplace: return 1.5 * g.scale;
    case Spread::Kind::sample:
      if (std::is_sorted(g.sample.begin(), g.sample.end())) return sorted_mean_difference(g.sample);
      return sorted_mean_difference(sorted(g.sample));
  }
  return kNaN;
}

double crps_point(double forecast, double y) { return std::fabs(forecast - y); }

double crps_sample(std::span<const double> sample, double y) {
  std::vector<double> s(sample.begin(), sample.end());
  std::sort(s.begin(), s.end());
  return sample_mean_abs(s, y) - sorted_mean_difference(s) / 2;
}

double crps(const Spread& g, double y) { return mean_abs(g, y) - mean_difference(g) / 2; }

double crps(const Predictive& f, double y) {
  const double w = f.p_atom;
  if (!(w >= 0 && w <= 1)) throw std::invalid_argument("scores: the atom's probability must lie in [0, 1]");
  if (w == 1) return std::fabs(f.atom - y);
  if (w == 0) return crps(f.rest, y);
  return w * std::fabs(f.atom - y) + (1 - w) * mean_abs(f.rest, y) - w * (1 - w) * mean_abs(f.rest, f.atom) -
         0.5 * (1 - w) * (1 - w) * mean_difference(f.rest);
}

double cdf(const Predictive& f, double x) {
  return (x >= f.atom ? f.p_atom : 0.0) + (1 - f.p_atom) * spread_cdf(f.rest, x);
}

double mass_at(const Predictive& f, double x, double tolerance) {
  double m = std::fabs(f.atom - x) <= tolerance ? f.p_atom : 0.0;
  const Spread& g = f.rest;
  if (g.kind == Spread::Kind::point && std::fabs(g.location - x) <= tolerance) m += 1 - f.p_atom;
  if (g.kind == Spread::Kind::sample && !g.sample.empty()) {
    const auto k = std::count_if(g.sample.begin(), g.sample.end(), [&](double v) { return std::fabs(v - x) <= tolerance; });
    m += (1 - f.p_atom) * static_cast<double>(k) / static_cast<double>(g.sample.size());
  }
  return m;
}

double median(const Predictive& f) {
  const double w = f.p_atom;
  if (w >= 1) return f.atom;
  if (w <= 0) return spread_quantile(f.rest, 0.5);
  // F(x) = w 1{x >= r} + (1 - w) G(x). Below the atom F = (1-w) G; at and above, w + (1-w) G.
  const double below = (1 - w) * spread_cdf(f.rest, std::nextafter(f.atom, -std::numeric_limits<double>::infinity()));
  if (below >= 0.5) return spread_quantile(f.rest, 0.5 / (1 - w));
  if (w + (1 - w) * spread_cdf(f.rest, f.atom) >= 0.5) return f.atom;
  return spread_quantile(f.rest, (0.5 - w) / (1 - w));
}

double brier(std::span<const double> p, std::span<const double> o) {
  if (p.size() != o.size()) throw std::invalid_argument("scores: brier needs as many outcomes as forecasts");
  if (p.empty()) return kNaN;
  double t = 0;
  for (std::size_t k = 0; k < p.size(); ++k) t += (p[k] - o[k]) * (p[k] - o[k]);
  return t / static_cast<double>(p.size());
}

std::vector<ReliabilityBin> reliability(std::span<const double> p, std::span<const double> o, int bins) {
  if (p.size() != o.size()) throw std::invalid_argument("scores: reliability needs as many outcomes as forecasts");
  if (bins < 1) throw std::invalid_argument("scores: reliability needs at least one bin");
  std::vector<ReliabilityBin> t(static_cast<std::size_t>(bins));
  for (int b = 0; b < bins; ++b) {
    t[static_cast<std::size_t>(b)].low = static_cast<double>(b) / bins;
    t[static_cast<std::size_t>(b)].high = static_cast<double>(b + 1) / bins;
  }
  for (std::size_t k = 0; k < p.size(); ++k) {
    const int b = std::clamp(static_cast<int>(std::floor(p[k] * bins)), 0, bins - 1);
    auto& r = t[static_cast<std::size_t>(b)];
    ++r.n;
    r.mean_forecast += p[k];
    r.observed += o[k];
  }
  for (auto& r : t) {
    if (r.n == 0) {
      r.mean_forecast = r.observed = kNaN;
    } else {
      r.mean_forecast /= r.n;
      r.observed /= r.n;
    }
  }
  return t;
}

PairedComparison paired_bootstrap(std::span<const double> a, std::span<const double> b, int resamples,
                                  std::uint64_t seed, double level) {
  if (a.size() != b.size()) throw std::invalid_argument("scores: a paired comparison needs equal lengths");
  PairedComparison c;
  c.n = static_cast<int>(a.size());
  if (c.n == 0) {
    c.mean_a = c.mean_b = c.diff = c.low = c.high = c.sd = c.mde = kNaN;
    return c;
  }
  const double n = c.n;
  std::vector<double> d(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) d[k] = a[k] - b[k];
  c.mean_a = std::accumulate(a.begin(), a.end(), 0.0) / n;
  c.mean_b = std::accumulate(b.begin(), b.end(), 0.0) / n;
  c.diff = std::accumulate(d.begin(), d.end(), 0.0) / n;
  double ss = 0;
  for (double x : d) ss += (x - c.diff) * (x - c.diff);
  c.sd = c.n > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  c.mde = minimum_detectable_effect(c.sd, c.n);
  c.low = c.high = c.diff;
  if (resamples <= 0) return c;
  std::vector<double> means;
  means.reserve(static_cast<std::size_t>(resamples));
  Rng rng(seed, 0xB007);
  for (int r = 0; r < resamples; ++r) {
    double t = 0;
    for (int k = 0; k < c.n; ++k) t += d[static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(c.n)))];
    means.push_back(t / n);
  }
  std::sort(means.begin(), means.end());
  const double tail = (1 - level) / 2;
  auto q = [&](double p) {
    return means[static_cast<std::size_t>(std::floor(p * static_cast<double>(means.size() - 1)))];
  };
  c.low = q(tail);
  c.high = q(1 - tail);
  return c;
}

double minimum_detectable_effect(double sd, int n, double alpha, double power) {
  if (n <= 0) return kNaN;
  return (normal_quantile(1 - alpha / 2) + normal_quantile(power)) * sd / std::sqrt(static_cast<double>(n));
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) {
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    return kNaN;
  }
  // P. J. Acklam's rational approximation (relative error 1.15e-9), then one Halley step.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double lo = 0.02425, hi = 1 - lo;
  double x;
  if (p < lo) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= hi) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace entente::scores
