// The generic probabilistic Condorcet election against hand calculations (2 and 3 options).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "entente/pce.hpp"

namespace pce = entente::pce;

TEST(Pce, VotingRules) {
  using R = pce::VotingRule;
  EXPECT_DOUBLE_EQ(pce::vote(R::Prop, 2, 0.7, 0.2), 2 * 0.5);
  EXPECT_DOUBLE_EQ(pce::vote(R::Binary, 2, 0.3, 0.1), 2);            // |diff| >> 1e-8: full weight
  EXPECT_DOUBLE_EQ(pce::vote(R::Binary, 2, 0.1, 0.3), -2);
  EXPECT_NEAR(pce::vote(R::Binary, 2, 0.5e-8, 0), 1.0, 1e-12);        // linear below 1e-8
  EXPECT_DOUBLE_EQ(pce::vote(R::PropBin, 1, 0.3, 0.1), 0.8 * 0.2 + 0.2);
  EXPECT_DOUBLE_EQ(pce::vote(R::PropCbc, 1, 0.3, 0.1), 0.5 * 0.2 + 0.5 * 0.008);
  EXPECT_NEAR(pce::vote(R::Cubic, 2, 0.3, 0.1), 2 * 0.008, 1e-15);
  EXPECT_DOUBLE_EQ(pce::vote(R::ASymProsp, 3, 0.1, 0.4), 3 * (0.1 - 0.4));      // a loss counts fully
  EXPECT_NEAR(pce::vote(R::ASymProsp, 3, 0.4, 0.1), 2.0 * 0.3, 1e-15);          // a gain two thirds
  EXPECT_EQ(pce::vote(R::ASymProsp, 3, 0.4, 0.4), 0.0);
}

TEST(Pce, VictoryModels) {
  using V = pce::VictoryModel;
  auto [a, b] = pce::victory_probability(V::Linear, 1, 3);
  EXPECT_DOUBLE_EQ(a, 0.25);
  EXPECT_DOUBLE_EQ(b, 0.75);
  std::tie(a, b) = pce::victory_probability(V::Square, 1, 3);
  EXPECT_DOUBLE_EQ(a, 0.1);  // 1 / (1 + 9)
  std::tie(a, b) = pce::victory_probability(V::Quartic, 1, 2);
  EXPECT_DOUBLE_EQ(a, 1.0 / 17);
  std::tie(a, b) = pce::victory_probability(V::Octic, 1, 2);
  EXPECT_DOUBLE_EQ(a, 1.0 / 257);
  std::tie(a, b) = pce::victory_probability(V::Binary, 2.2, 1.0);  // ratio >= 1.1: (1, 1e-6) normalised
  EXPECT_DOUBLE_EQ(a, 1 / (1 + 1e-6));
  std::tie(a, b) = pce::victory_probability(V::Binary, 1.05, 1.0);  // ramp: (r (1.1+1) - 1) / (1.1-1)
  const double r = 1.05 / 2.05;
  EXPECT_NEAR(a, (r * 2.1 - 1) / 0.1, 1e-12);
  EXPECT_NEAR(a + b, 1.0, 1e-15);
}

// Two options, two voters. Voter 0 (weight 2) has utilities (1, 0), voter 1 (weight 1) (0.2, 0.6).
// Prop votes on "1 over 0": voter 0: 2 (0 - 1) = -2, voter 1: 1 (0.6 - 0.2) = 0.4, so
// C[1][0] = 1e-8 + 0.4, C[0][1] = 1e-8 + 2, and V[0][1] = 2.00000001 / 2.40000002.
// Conditional: p_i ~ 0.5 V[i][j], i.e. p = (V01, V10). MarkovUniform's fixed point for two
// options solves p0 = (p0 + V01) / 2, the same p.
TEST(Pce, TwoOptionsByHand) {
  const std::vector<std::vector<double>> u = {{1, 0}, {0.2, 0.6}};
  const std::vector<double> w = {2, 1};
  const double v01 = (1e-8 + 2) / (1e-8 + 2 + 1e-8 + 0.4);
  pce::Options o;
  auto p = pce::condorcet(u, w, o);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NEAR(p[0], v01, 1e-15);
  EXPECT_NEAR(p[1], 1 - v01, 1e-15);
  o.model = pce::PceModel::MarkovUniform;
  p = pce::condorcet(u, w, o);
  EXPECT_NEAR(p[0], v01, 1e-5);
  EXPECT_NEAR(p[1], 1 - v01, 1e-5);
  const std::vector<double> flat = {1, 0, 0.2, 0.6};
  const auto c = pce::coalitions(flat, 2, w, pce::VotingRule::Prop);
  EXPECT_DOUBLE_EQ(c[1 * 2 + 0], 1e-8 + 0.4);
  EXPECT_DOUBLE_EQ(c[0 * 2 + 1], 1e-8 + 2);
}

// Three options; voters (weights 1, 1, 2) with utilities (1, .5, 0), (0, .5, 1), (.5, 1, 0).
// Coalitions (ignoring the 1e-8 seeds): C10 = 1.5, C01 = 0.5; C20 = 1, C02 = 2; C21 = 0.5, C12 = 2.5.
// Victory: V10 = 3/4, V20 = 1/3, V21 = 1/6.
// Conditional: pi0 = .5 * 1/4 * 2/3 = 1/12, pi1 = 3/4 * .5 * 5/6 = 5/16, pi2 = 1/3 * 1/6 * .5 = 1/36,
//   normalised: (12, 45, 4) / 61.
// MarkovUniform fixed point: (5/2 - r_i) p_i = sum_{j != i} V_ij p_j with row sums r = (17/12, 25/12, 1):
//   13 p0 = 3 p1 + 8 p2, 5 p1 = 9 p0 + 10 p2, 18 p2 = 4 p0 + 2 p1  =>  p = (35, 101, 19) / 155.
TEST(Pce, ThreeOptionsByHand) {
  const std::vector<std::vector<double>> u = {{1, 0.5, 0}, {0, 0.5, 1}, {0.5, 1, 0}};
  const std::vector<double> w = {1, 1, 2};
  pce::Options o;
  auto p = pce::condorcet(u, w, o);
  EXPECT_NEAR(p[0], 12.0 / 61, 1e-7);
  EXPECT_NEAR(p[1], 45.0 / 61, 1e-7);
  EXPECT_NEAR(p[2], 4.0 / 61, 1e-7);
  o.model = pce::PceModel::MarkovUniform;
  p = pce::condorcet(u, w, o);
  EXPECT_NEAR(p[0], 35.0 / 155, 1e-5);
  EXPECT_NEAR(p[1], 101.0 / 155, 1e-5);
  EXPECT_NEAR(p[2], 19.0 / 155, 1e-5);
  o.model = pce::PceModel::MarkovIncentive;
  p = pce::condorcet(u, w, o);
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-6);
  EXPECT_GT(p[1], p[0]);  // the Condorcet winner stays the likeliest
  EXPECT_GT(p[1], p[2]);
}

TEST(Pce, IndifferentVotersGiveUniform) {
  for (auto m : {pce::PceModel::Conditional, pce::PceModel::MarkovUniform, pce::PceModel::MarkovIncentive}) {
    pce::Options o;
    o.model = m;
    const auto p = pce::condorcet({{0.3, 0.3, 0.3}, {1, 1, 1}}, {1, 0}, o);
    for (double v : p) EXPECT_NEAR(v, 1.0 / 3, 1e-9);
  }
}

TEST(Pce, ManyOptionsDoNotUnderflow) {
  // 400 options in a line, every voter prefers lower indices strongly: Conditional products underflow.
  const std::size_t m = 400;
  std::vector<std::vector<double>> u(3, std::vector<double>(m));
  for (std::size_t k = 0; k < m; ++k)
    for (auto& row : u) row[k] = 1.0 - static_cast<double>(k) / m;
  pce::Options o;
  o.victory = pce::VictoryModel::Octic;
  const auto p = pce::condorcet(u, {1, 1, 1}, o);
  double sum = 0;
  for (double v : p) {
    ASSERT_TRUE(std::isfinite(v));
    sum += v;
  }
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_GT(p[0], p[1]);
}

TEST(Pce, ParsesKtabNames) {
  EXPECT_EQ(pce::parse_voting_rule("Proportional"), pce::VotingRule::Prop);
  EXPECT_EQ(pce::parse_victory_model("Quartic"), pce::VictoryModel::Quartic);
  EXPECT_EQ(pce::parse_pce_model("MarkovIncentive"), pce::PceModel::MarkovIncentive);
  EXPECT_THROW((void)pce::parse_voting_rule("Majority"), std::invalid_argument);
}
