// Distributions of draw_scenario against closed forms. With n draws the sample mean has standard
// error sd/sqrt(n); every tolerance below is 5 standard errors (a false failure about once in
// 3.5 million runs), and the seeds are fixed, so the tests are deterministic anyway.
#include <gtest/gtest.h>

#include <cmath>

#include "entente/analysis.hpp"
#include "support/test_models.hpp"

using namespace entente;
using namespace entente::testing;

namespace {
constexpr int n = 20000;

struct Sample {
  double mean = 0, var = 0, min = 1e300, max = -1e300;
};
Sample sample(const Uncertainty& u, double value, double lo, double hi, std::uint64_t seed = 1) {
  std::vector<double> xs;
  for (int k = 0; k < n; ++k) {
    Rng rng(seed, static_cast<std::uint64_t>(k));
    xs.push_back(draw_value(u, value, lo, hi, rng));
  }
  Sample s;
  for (double x : xs) {
    s.mean += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean /= n;
  for (double x : xs) s.var += (x - s.mean) * (x - s.mean);
  s.var /= n - 1;
  return s;
}
double pdf(double z) { return std::exp(-z * z / 2) / std::sqrt(2 * M_PI); }
double cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
// Mean and variance of N(mu, sd) truncated to [a, b] (Johnson, Kotz & Balakrishnan).
void truncated_moments(double mu, double sd, double a, double b, double& mean, double& var) {
  const double al = (a - mu) / sd, be = (b - mu) / sd, Z = cdf(be) - cdf(al);
  mean = mu + sd * (pdf(al) - pdf(be)) / Z;
  var = sd * sd * (1 + (al * pdf(al) - be * pdf(be)) / Z - std::pow((pdf(al) - pdf(be)) / Z, 2));
}
}  // namespace

TEST(Draw, UniformMeanAndVariance) {
  const auto s = sample(uniform(10, 30), 20, 0, 100);
  const double sd = 20 / std::sqrt(12.0);
  EXPECT_NEAR(s.mean, 20, 5 * sd / std::sqrt(n));
  EXPECT_NEAR(s.var, sd * sd, 0.05 * sd * sd);  // se of a variance ~ var*sqrt(2/n) = 1% of var
  EXPECT_GE(s.min, 10);
  EXPECT_LE(s.max, 30);
}

TEST(Draw, RangeIsUniform) {
  const auto s = sample({Uncertainty::Kind::range, 0.8, 1.0, 0, 0, 0}, 0.9, 0, 1);
  EXPECT_NEAR(s.mean, 0.9, 5 * (0.2 / std::sqrt(12.0)) / std::sqrt(n));
  EXPECT_GE(s.min, 0.8);
  EXPECT_LE(s.max, 1.0);
}

TEST(Draw, TriangularMeanAndVariance) {
  // a=0, c=20, b=100: mean (a+b+c)/3 = 40; variance (a²+b²+c²-ab-ac-bc)/18 = 8400/18.
  const auto s = sample(triangular(0, 20, 100), 20, 0, 100);
  const double var = 8400.0 / 18;
  EXPECT_NEAR(s.mean, 40, 5 * std::sqrt(var / n));
  EXPECT_NEAR(s.var, var, 0.05 * var);
  EXPECT_GE(s.min, 0);
  EXPECT_LE(s.max, 100);
}

TEST(Draw, TruncatedNormalByRejection) {
  // N(50, 20) on [40, 100]: 69% of the mass inside, the rejection path.
  double mean, var;
  truncated_moments(50, 20, 40, 100, mean, var);
  const auto s = sample(normal(50, 20, 40, 100), 50, 0, 100);
  EXPECT_NEAR(s.mean, mean, 5 * std::sqrt(var / n));
  EXPECT_NEAR(s.var, var, 0.05 * var);
  EXPECT_GE(s.min, 40);
  EXPECT_LE(s.max, 100);
}

TEST(Draw, TruncatedNormalByInversion) {
  // N(50, 20) on [90, 100]: 2% of the mass inside, the inversion path.
  double mean, var;
  truncated_moments(50, 20, 90, 100, mean, var);
  const auto s = sample(normal(50, 20, 90, 100), 95, 0, 100);
  EXPECT_NEAR(s.mean, mean, 5 * std::sqrt(var / n));
  EXPECT_NEAR(s.var, var, 0.05 * var);
  EXPECT_GE(s.min, 90);
  EXPECT_LE(s.max, 100);
}

TEST(Draw, NormalWithoutBoundsUsesTheFieldBounds) {
  // Salience N(0.9, 0.2) with no bounds of its own: truncated to [0, 1].
  double mean, var;
  truncated_moments(0.9, 0.2, 0, 1, mean, var);
  const auto s = sample({Uncertainty::Kind::normal, 0, 0, 0, 0.9, 0.2}, 0.9, 0, 1);
  EXPECT_NEAR(s.mean, mean, 5 * std::sqrt(var / n));
  EXPECT_GE(s.min, 0);
  EXPECT_LE(s.max, 1);
}

TEST(Draw, QuantilesOfEachKind) {
  EXPECT_DOUBLE_EQ(uncertainty_quantile(uniform(10, 30), 20, 0.25), 15);
  // Triangular (0, 50, 100) is symmetric: median 50; F(x) = x²/5000 below the mode -> q(0.02) = 10.
  EXPECT_NEAR(uncertainty_quantile(triangular(0, 50, 100), 50, 0.5), 50, 1e-12);
  EXPECT_NEAR(uncertainty_quantile(triangular(0, 50, 100), 50, 0.02), 10, 1e-9);
  // Untruncated in practice (bounds 10 sd away): the 95% quantile of N(50, 1) is 50 + 1.6448536.
  EXPECT_NEAR(uncertainty_quantile(normal(50, 1, 40, 60), 50, 0.95), 51.644853626951472, 1e-8);
}

TEST(Draw, ScenarioDrawsAreKeyedBySeedAndIndex) {
  const Scenario s = rich_scenario();
  const auto inputs = uncertain_inputs(s);
  ASSERT_FALSE(inputs.empty());
  const Scenario d1 = draw_scenario(s, 42, 7);
  Rng rng(42, 7);
  const Scenario d2 = draw_scenario(s, rng);
  const Scenario d3 = draw_scenario(s, 42, 8);
  bool differs = false;
  for (const auto& in : inputs) {
    EXPECT_EQ(input_value(d1, in), input_value(d2, in)) << in.path;
    EXPECT_GE(input_value(d1, in), in.low) << in.path;
    EXPECT_LE(input_value(d1, in), in.high) << in.path;
    differs = differs || input_value(d1, in) != input_value(d3, in);
  }
  EXPECT_TRUE(differs);
  // Numbers without uncertainty are untouched.
  EXPECT_EQ(d1.actors[2].capability.value, 150);
  EXPECT_EQ(d1.actors[0].stances[1]->position.value, 8);
  EXPECT_NE(model_seed(42, 7), model_seed(42, 8));
}

TEST(Draw, InputsAreListedWithPaths) {
  const auto inputs = uncertain_inputs(rich_scenario());
  std::vector<std::string> paths;
  for (const auto& in : inputs) paths.push_back(in.path);
  EXPECT_EQ(paths.front(), "russia.capability");
  EXPECT_NE(std::find(paths.begin(), paths.end(), "usa.regions.capability"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "ukraine.venue.utilities.Vatican"), paths.end());
}
