// Scores for forecasts against outcomes, as a small library: the continuous ranked probability
// score (CRPS) of points, samples and mixtures of a point mass with a distribution; the Brier score
// and a reliability table for probabilities of a yes/no event; paired bootstrap intervals and the
// minimum detectable effect for comparing two forecasters on the same items. Pure functions, no I/O.
// Equations and sources: docs/accuracy.md ("Scores").
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace entente::scores {

// A distribution on the real line without an atom of its own (or a single point).
struct Spread {
  enum class Kind { point, uniform, normal, laplace, sample };
  Kind kind = Kind::point;
  double location = 0;         // point: the value; normal: the mean; laplace: the median
  double scale = 0;            // normal: standard deviation; laplace: b (> 0)
  double low = 0, high = 0;    // uniform on [low, high] (low < high)
  std::vector<double> sample;  // sample: the values, each with weight 1/n (sorted by the functions that need it)

  static Spread point(double x);
  static Spread uniform(double low, double high);
  static Spread normal(double mean, double sd);
  static Spread laplace(double median, double b);
  static Spread empirical(std::vector<double> values);
};

// A predictive distribution: with probability p_atom the value `atom` (e.g. no change: the
// outcome stays at the reference point), otherwise a draw from `rest`.
struct Predictive {
  double p_atom = 0;
  double atom = 0;
  Spread rest;
};

// E|X - y| for X ~ spread, and E|X - X'| (Gini's mean difference) for X, X' independent.
[[nodiscard]] double mean_abs(const Spread& g, double y);
[[nodiscard]] double mean_difference(const Spread& g);

// CRPS(F, y) = integral (F(t) - 1{t >= y})^2 dt = E|X - y| - E|X - X'| / 2 (Gneiting & Raftery 2007).
// For a point forecast it is the absolute error, so points and distributions share one scale.
[[nodiscard]] double crps_point(double forecast, double y);
[[nodiscard]] double crps_sample(std::span<const double> sample, double y);  // the empirical distribution
[[nodiscard]] double crps(const Spread& g, double y);
// The mixture F = w delta_r + (1 - w) G:
//   CRPS = w|r - y| + (1-w) E_G|X - y| - w(1-w) E_G|X - r| - (1-w)^2 E_G|X - X'| / 2.
[[nodiscard]] double crps(const Predictive& f, double y);

// P(X <= x), the probability of exactly x (the atom and point masses at x), and the median
// (the smallest x with F(x) >= 1/2).
[[nodiscard]] double cdf(const Predictive& f, double x);
[[nodiscard]] double mass_at(const Predictive& f, double x, double tolerance = 1e-9);
[[nodiscard]] double median(const Predictive& f);

// Brier score of probabilities p for outcomes o (0 or 1): mean of (p - o)^2. Empty input: NaN.
[[nodiscard]] double brier(std::span<const double> p, std::span<const double> o);

// Reliability table: `bins` equal-width bins of [0, 1] (the last one closed); per bin the number of
// forecasts, their mean and the observed frequency of the event (NaN for empty bins).
struct ReliabilityBin {
  double low = 0, high = 0;
  int n = 0;
  double mean_forecast = 0, observed = 0;
};
[[nodiscard]] std::vector<ReliabilityBin> reliability(std::span<const double> p, std::span<const double> o,
                                                      int bins = 5);

// Comparison of two forecasters' per-item losses a and b (same items, same order): the mean
// difference a - b, a percentile interval from `resamples` paired bootstrap resamples (items drawn
// with replacement, their two losses together; deterministic in `seed`), the standard deviation of
// the differences and the minimum detectable effect at 5% two-sided and 80% power.
struct PairedComparison {
  int n = 0;
  double mean_a = 0, mean_b = 0;
  double diff = 0, low = 0, high = 0;  // a - b and its interval (low = high = diff if resamples = 0)
  double sd = 0;                       // standard deviation of the item differences
  double mde = 0;                      // minimum detectable effect on the mean difference
  [[nodiscard]] bool interval_excludes_zero() const noexcept { return low > 0 || high < 0; }
};
[[nodiscard]] PairedComparison paired_bootstrap(std::span<const double> a, std::span<const double> b, int resamples,
                                                std::uint64_t seed, double level = 0.95);

// Minimum detectable effect of a mean paired difference: (z_{1-alpha/2} + z_{power}) * sd / sqrt(n),
// the smallest true difference a two-sided test at level alpha would detect with the given power.
[[nodiscard]] double minimum_detectable_effect(double sd, int n, double alpha = 0.05, double power = 0.8);

// The standard normal CDF and its inverse (Acklam's rational approximation refined by one Newton
// step; |error| < 1e-12 on (0, 1)).
[[nodiscard]] double normal_cdf(double z);
[[nodiscard]] double normal_quantile(double p);

}  // namespace entente::scores
