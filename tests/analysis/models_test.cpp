// Registers the test models for this binary.
#include <gtest/gtest.h>

#include "support/test_models.hpp"

using entente::testing::NoisyRounds;
using entente::testing::WeightedMean;
using entente::testing::WeightedMedian;
ENTENTE_REGISTER_MODEL(WeightedMean);
ENTENTE_REGISTER_MODEL(WeightedMedian);
ENTENTE_REGISTER_MODEL(NoisyRounds);

TEST(TestModels, WeightedMeanByHand) {
  using namespace entente::testing;
  // (1*1*0 + 2*0.5*100 + 1*1*40) / (1 + 1 + 1) = 140/3
  const auto s = one_issue({{"a", q(1), q(0), q(1)}, {"b", q(2), q(100), q(0.5)}, {"c", q(1), q(40), q(1)}});
  EXPECT_NEAR(entente::run_model(s, "test_wmean").forecasts[0].value, 140.0 / 3, 1e-12);
}
