// Scores (include/entente/scores.hpp) against hand calculations written out below.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "entente/scores.hpp"

namespace {

using entente::scores::Predictive;
using entente::scores::Spread;
namespace sc = entente::scores;

TEST(Crps, PointForecastIsTheAbsoluteError) {
  // F = step at x: integral of (1{t >= x} - 1{t >= y})^2 dt = |x - y|.
  EXPECT_DOUBLE_EQ(sc::crps_point(62, 50), 12);
  EXPECT_DOUBLE_EQ(sc::crps(Spread::point(62), 50), 12);
  EXPECT_DOUBLE_EQ(sc::crps(Predictive{0, 0, Spread::point(30)}, 100), 70);
  EXPECT_DOUBLE_EQ(sc::crps(Predictive{1, 40, Spread::point(30)}, 100), 60);  // all mass on the atom
}

TEST(Crps, UniformClosedForm) {
  // F uniform on [a, b] = [20, 80], L = b - a = 60, y inside: with u = y - a, v = b - y,
  //   CRPS = int_a^y ((t-a)/L)^2 dt + int_y^b ((b-t)/L)^2 dt = (u^3 + v^3) / (3 L^2).
  // y = 50: u = v = 30: (27000 + 27000) / (3 * 3600) = 54000 / 10800 = 5.
  EXPECT_NEAR(sc::crps(Spread::uniform(20, 80), 50), 5.0, 1e-12);
  // y = 35: u = 15, v = 45: (3375 + 91125) / 10800 = 94500 / 10800 = 8.75.
  EXPECT_NEAR(sc::crps(Spread::uniform(20, 80), 35), 8.75, 1e-12);
  // y = 90 above b: int_a^b F^2 dt + int_b^y 1 dt = L/3 + (y - b) = 20 + 10 = 30.
  EXPECT_NEAR(sc::crps(Spread::uniform(20, 80), 90), 30.0, 1e-12);
  // Uniform [0, 1] at its midpoint: L/12 = 1/12.
  EXPECT_NEAR(sc::crps(Spread::uniform(0, 1), 0.5), 1.0 / 12, 1e-15);
  // E|X - X'| for the uniform is L/3.
  EXPECT_NEAR(sc::mean_difference(Spread::uniform(20, 80)), 20.0, 1e-12);
}

TEST(Crps, PointMassPlusUniformMixture) {
  // F = 0.3 delta_0 + 0.7 U[20, 80], y = 50. CDF: 0.3 on [0, 20), 0.3 + 0.7 (t-20)/60 on [20, 80], 1 after.
  //   int_0^20 0.3^2 dt                             = 0.09 * 20                                 = 1.8
  //   int_20^50 (0.3 + 0.7 s/60)^2 ds, s = t - 20:  = 0.09*30 + 0.007*30^2/2 + (0.7/60)^2*30^3/3
  //                                                 = 2.7 + 3.15 + 1.225                       = 7.075
  //   int_50^80 (0.7 - 0.7 s/60)^2 ds, s in [30,60] = 0.49 * 60 * int_0^0.5 u^2 du = 29.4/24     = 1.225
  //   total                                                                                     = 10.1
  // By the mixture formula: w|r-y| + (1-w)E|X-y| - w(1-w)E|X-r| - (1-w)^2 E|X-X'|/2
  //   = 0.3*50 + 0.7*15 - 0.21*50 - 0.49*20/2 = 15 + 10.5 - 10.5 - 4.9 = 10.1.
  const Predictive f{0.3, 0, Spread::uniform(20, 80)};
  EXPECT_NEAR(sc::crps(f, 50), 10.1, 1e-12);
  // The median: F(20-) = 0.3 < 0.5, so F(x) = 0.3 + 0.7 (x-20)/60 = 0.5 at x = 20 + 60 * 0.2/0.7.
  EXPECT_NEAR(sc::median(f), 20 + 60 * 0.2 / 0.7, 1e-9);
  EXPECT_DOUBLE_EQ(sc::mass_at(f, 0), 0.3);
  // With w = 0.6 the atom holds the median.
  EXPECT_DOUBLE_EQ(sc::median(Predictive{0.6, 0, Spread::uniform(20, 80)}), 0);
}

TEST(Crps, NormalLaplaceAndSampleClosedForms) {
  // Normal (Gneiting & Raftery 2007): sigma (z(2Phi(z)-1) + 2phi(z) - 1/sqrt(pi)); at z = 0:
  // sigma (2/sqrt(2 pi) - 1/sqrt(pi)) = 10 * (0.7978845608 - 0.5641895835) = 2.336949773.
  EXPECT_NEAR(sc::crps(Spread::normal(50, 10), 50), 2.336949773, 1e-9);
  // Laplace(m, b): |d| + b e^{-|d|/b} - 3b/4. d = 0, b = 8: 8 - 6 = 2.
  EXPECT_NEAR(sc::crps(Spread::laplace(50, 8), 50), 2.0, 1e-12);
  // Sample {0, 10}, y = 4: F = 0.5 on [0, 10): int_0^4 0.25 + int_4^10 0.25 = 2.5.
  const std::vector<double> s{10, 0};
  EXPECT_NEAR(sc::crps_sample(s, 4), 2.5, 1e-12);
  EXPECT_NEAR(sc::crps(Spread::empirical(s), 4), 2.5, 1e-12);
  // Sample {0, 0, 100}, y = 0: F = 2/3 on [0, 100): int_0^100 (2/3 - 1)^2 = 100/9.
  EXPECT_NEAR(sc::crps_sample(std::vector<double>{0, 0, 100}, 0), 100.0 / 9, 1e-12);
}

RC_GTEST_PROP(Crps, MixtureFormulaMatchesTheSampleItStandsFor, ()) {
  // A point mass with weight k/n plus an empirical sample of n-k values is itself an empirical
  // sample of n values; both CRPS formulas must agree.
  const auto values = *rc::gen::container<std::vector<int>>(*rc::gen::inRange<std::size_t>(1, 20), rc::gen::inRange(0, 101));
  const int k = *rc::gen::inRange(0, 6);
  const int atom = *rc::gen::inRange(0, 101);
  const int y = *rc::gen::inRange(0, 101);
  std::vector<double> rest(values.begin(), values.end());
  std::vector<double> all = rest;
  for (int i = 0; i < k; ++i) all.push_back(atom);
  const double w = static_cast<double>(k) / static_cast<double>(all.size());
  const Predictive f{w, static_cast<double>(atom), Spread::empirical(rest)};
  RC_ASSERT(std::fabs(sc::crps(f, y) - sc::crps_sample(all, y)) < 1e-9);
}

TEST(Brier, HandWorkedTable) {
  //  p     o   (p - o)^2
  //  0.9   1   0.01
  //  0.2   0   0.04
  //  0.5   0   0.25
  //  0.0   1   1.00
  //  mean      1.30 / 4 = 0.325
  const std::vector<double> p{0.9, 0.2, 0.5, 0.0}, o{1, 0, 0, 1};
  EXPECT_NEAR(sc::brier(p, o), 0.325, 1e-15);
  EXPECT_TRUE(std::isnan(sc::brier(std::vector<double>{}, std::vector<double>{})));
}

TEST(Brier, ReliabilityTable) {
  // Five bins of width 0.2: 0.9 -> [0.8,1], 0.2 -> [0.2,0.4), 0.5 -> [0.4,0.6), 0.0 and 0.1 -> [0,0.2).
  const std::vector<double> p{0.9, 0.2, 0.5, 0.0, 0.1}, o{1, 0, 0, 1, 0};
  const auto t = sc::reliability(p, o, 5);
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].n, 2);
  EXPECT_NEAR(t[0].mean_forecast, 0.05, 1e-15);  // (0.0 + 0.1) / 2
  EXPECT_NEAR(t[0].observed, 0.5, 1e-15);        // (1 + 0) / 2
  EXPECT_EQ(t[1].n, 1);
  EXPECT_EQ(t[2].n, 1);
  EXPECT_EQ(t[3].n, 0);
  EXPECT_TRUE(std::isnan(t[3].observed));
  EXPECT_EQ(t[4].n, 1);
  EXPECT_DOUBLE_EQ(t[4].observed, 1);
}

TEST(PairedBootstrap, IntervalAndMinimumDetectableEffect) {
  // Differences a - b: 1, 2, 3, 4 -> mean 2.5, sd = sqrt(((1.5^2 + 0.5^2) * 2) / 3) = sqrt(5/3).
  const std::vector<double> a{2, 4, 6, 8}, b{1, 2, 3, 4};
  const auto c = sc::paired_bootstrap(a, b, 1000, 7);
  EXPECT_EQ(c.n, 4);
  EXPECT_DOUBLE_EQ(c.diff, 2.5);
  EXPECT_NEAR(c.sd, std::sqrt(5.0 / 3), 1e-12);
  // MDE = (1.959964 + 0.841621) * sd / sqrt(4) = 2.801585 * 1.290994 / 2 = 1.808415.
  EXPECT_NEAR(c.mde, 2.801585 * std::sqrt(5.0 / 3) / 2, 1e-5);
  EXPECT_GE(c.low, 1.0);   // a resampled mean of values in [1, 4]
  EXPECT_LE(c.high, 4.0);
  EXPECT_LE(c.low, c.diff);
  EXPECT_GE(c.high, c.diff);
  EXPECT_TRUE(c.interval_excludes_zero());
  // Deterministic in the seed.
  const auto d = sc::paired_bootstrap(a, b, 1000, 7);
  EXPECT_EQ(c.low, d.low);
  EXPECT_EQ(c.high, d.high);
}

TEST(NormalQuantile, KnownValues) {
  EXPECT_NEAR(sc::normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(sc::normal_quantile(0.8), 0.8416212335729143, 1e-12);
  EXPECT_NEAR(sc::normal_quantile(0.01), -2.326347874040841, 1e-12);
  EXPECT_NEAR(sc::normal_cdf(1.959963984540054), 0.975, 1e-14);
}

}  // namespace
