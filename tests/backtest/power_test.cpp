// Power indices (include/entente/power.hpp) against published and hand-worked values, and against
// brute-force enumeration of coalitions and orderings (an independent implementation).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "entente/diagnostics.hpp"
#include "entente/power.hpp"

namespace {

using entente::VotingGame;

TEST(Power, Eec1958CouncilPublishedValues) {
  // EEC Council 1958: France, Germany, Italy 4 votes; Belgium, Netherlands 2; Luxembourg 1; QMV 12
  // of 17. The values quoted in the literature (e.g. Felsenthal & Machover 1998, The Measurement of Voting Power):
  // Banzhaf 0.238 / 0.143 / 0; Shapley-Shubik 0.233 / 0.150 / 0 ("Luxembourg is a dummy").
  // By hand: a big member swings when the others' weight lies in [8, 11]:
  //   {4,4} 8, {4,4,1} 9, {4,4,2} 10 (x2), {4,4,2,1} 11 (x2), {4,2,2} 8 (x2), {4,2,2,1} 9 (x2) -> 10
  // Belgium when the others' weight lies in [10, 11]: {4,4,2} (3 pairs of big ones), {4,4,2,1} (3) -> 6
  // Luxembourg needs exactly 11 from {4,4,4,2,2}, all even: 0. Total 3*10 + 2*6 = 42:
  //   Banzhaf 10/42 = 5/21, 6/42 = 1/7, 0.
  // Shapley-Shubik of Belgium: predecessor sets {two big, N} (3 sets of size 3) and {two big, N, L}
  // (3 sets of size 4): 3 * 3!2!/6! + 3 * 4!1!/6! = 36/720 + 72/720 = 0.15; big: (1 - 0.3)/3 = 7/30.
  VotingGame g;
  g.weights = {4, 4, 4, 2, 2, 1};
  g.quota = 12;
  const auto p = entente::power_indices(g);
  for (int i : {0, 1, 2}) {
    EXPECT_NEAR(p.banzhaf[static_cast<std::size_t>(i)], 5.0 / 21, 1e-12);
    EXPECT_NEAR(p.shapley_shubik[static_cast<std::size_t>(i)], 7.0 / 30, 1e-12);
    EXPECT_EQ(p.swings[static_cast<std::size_t>(i)], 10u);
  }
  for (int i : {3, 4}) {
    EXPECT_NEAR(p.banzhaf[static_cast<std::size_t>(i)], 1.0 / 7, 1e-12);
    EXPECT_NEAR(p.shapley_shubik[static_cast<std::size_t>(i)], 0.15, 1e-12);
    EXPECT_EQ(p.swings[static_cast<std::size_t>(i)], 6u);
  }
  EXPECT_EQ(p.swings[5], 0u);
  EXPECT_EQ(p.shapley_shubik[5], 0.0);
}

TEST(Power, VetoPlayerHandWorked) {
  // Members {1, 1, 1}, quota 2, plus a veto player V: wins iff V and two members.
  // Banzhaf: V swings with {1,2}, {1,3}, {2,3}, {1,2,3} (4); member 1 with {V,2}, {V,3} (2 each). Total 10.
  // Shapley-Shubik (24 orderings): V pivotal iff it comes 3rd or 4th: 12/24 = 1/2; members 1/6 each.
  VotingGame g;
  g.weights = {1, 1, 1};
  g.quota = 2;
  g.veto_players = 1;
  const auto p = entente::power_indices(g);
  ASSERT_EQ(p.banzhaf.size(), 4u);
  EXPECT_NEAR(p.banzhaf[3], 0.4, 1e-12);
  EXPECT_NEAR(p.banzhaf[0], 0.2, 1e-12);
  EXPECT_NEAR(p.shapley_shubik[3], 0.5, 1e-12);
  EXPECT_NEAR(p.shapley_shubik[1], 1.0 / 6, 1e-12);
}

TEST(Power, SetterOverruledOnlyUnanimouslyHandWorked) {
  // Members {1, 1, 1}, quota 2, setter S: wins iff two members and (S, or all three members).
  // Banzhaf: S swings with any two members (3). Member 1: {S,2}, {S,3} and {2,3} (3 each). Total 12:
  // everyone 1/4. Shapley-Shubik: S pivotal iff exactly two members precede it: 3 pairs * 2! * 1! = 6
  // of 24 orderings = 1/4; members (1 - 1/4)/3 = 1/4.
  VotingGame g;
  g.weights = {1, 1, 1};
  g.quota = 2;
  g.setter = true;
  const auto p = entente::power_indices(g);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(p.banzhaf[i], 0.25, 1e-12);
    EXPECT_NEAR(p.shapley_shubik[i], 0.25, 1e-12);
  }
}

TEST(Power, UnanimityIsEqualPower) {
  VotingGame g;
  g.weights = {29, 27, 4};
  g.quota = 60;
  const auto p = entente::power_indices(g);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(p.shapley_shubik[i], 1.0 / 3, 1e-12);
    EXPECT_NEAR(p.banzhaf[i], 1.0 / 3, 1e-12);
  }
}

TEST(Power, BadGamesAreInputErrors) {
  VotingGame g;
  g.weights = {1, -1};
  g.quota = 1;
  EXPECT_THROW((void)entente::power_indices(g), entente::InputError);
  g.weights = {1, 1};
  g.quota = 3;
  EXPECT_THROW((void)entente::power_indices(g), entente::InputError);
  g.quota = 0;
  EXPECT_THROW((void)entente::power_indices(g), entente::InputError);
}

TEST(Power, DecisionRuleGame) {
  // The rule's voters, then its veto players, then the setter (amended only unanimously).
  entente::DecisionRule r;
  r.voters = {{"a", 1}, {"b", 1}, {"c", 1}};
  r.quota = 2;
  r.veto_players = {"v"};
  const auto p = entente::power_indices(r);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[3].actor, "v");
  EXPECT_NEAR(p[3].shapley_shubik, 0.5, 1e-12);
  r.voters[0].weight = 1.5;
  EXPECT_THROW((void)entente::power_indices(r), entente::InputError);  // weights must be whole numbers
}

// Brute force: Banzhaf over all subsets, Shapley-Shubik over all orderings.
struct Brute {
  std::vector<double> ss, bz;
};
Brute brute(const VotingGame& g) {
  const int n = static_cast<int>(g.weights.size());
  const int extras = g.veto_players + (g.setter ? 1 : 0);
  const int N = n + extras;
  auto wins = [&](unsigned mask) {
    long long w = 0;
    int k = 0;
    for (int i = 0; i < n; ++i)
      if (mask & (1u << i)) {
        w += g.weights[static_cast<std::size_t>(i)];
        ++k;
      }
    const bool body = (w >= g.quota && k >= g.min_members) || (g.members_suffice > 0 && k >= g.members_suffice);
    for (int v = 0; v < g.veto_players; ++v)
      if (!(mask & (1u << (n + v)))) return false;
    if (g.setter && !(mask & (1u << (n + g.veto_players))) && k != n) return false;
    return body;
  };
  Brute b;
  b.ss.assign(static_cast<std::size_t>(N), 0);
  b.bz.assign(static_cast<std::size_t>(N), 0);
  double total = 0;
  for (unsigned m = 0; m < (1u << N); ++m)
    for (int i = 0; i < N; ++i)
      if (!(m & (1u << i)) && !wins(m) && wins(m | (1u << i))) {
        b.bz[static_cast<std::size_t>(i)] += 1;
        total += 1;
      }
  for (auto& x : b.bz) x = total > 0 ? x / total : 0;
  std::vector<int> order(static_cast<std::size_t>(N));
  std::iota(order.begin(), order.end(), 0);
  double perms = 0;
  do {
    unsigned m = 0;
    for (int i : order) {
      if (!wins(m) && wins(m | (1u << i))) {
        b.ss[static_cast<std::size_t>(i)] += 1;
        break;
      }
      m |= 1u << i;
    }
    perms += 1;
  } while (std::next_permutation(order.begin(), order.end()));
  for (auto& x : b.ss) x /= perms;
  return b;
}

RC_GTEST_PROP(Power, GeneratingFunctionsEqualBruteForce, ()) {
  VotingGame g;
  g.weights = *rc::gen::container<std::vector<std::int64_t>>(*rc::gen::inRange<std::size_t>(1, 7), rc::gen::inRange<std::int64_t>(1, 30));
  const std::int64_t total = std::accumulate(g.weights.begin(), g.weights.end(), std::int64_t{0});
  g.quota = *rc::gen::inRange<std::int64_t>(1, total + 1);
  g.min_members = *rc::gen::inRange(0, static_cast<int>(g.weights.size()) + 1);
  g.members_suffice = *rc::gen::element(0, static_cast<int>(g.weights.size()));
  g.veto_players = *rc::gen::inRange(0, 2);
  g.setter = *rc::gen::arbitrary<bool>();
  const auto p = entente::power_indices(g);
  const auto b = brute(g);
  for (std::size_t i = 0; i < b.ss.size(); ++i) {
    RC_ASSERT(std::fabs(p.shapley_shubik[i] - b.ss[i]) < 1e-12);
    RC_ASSERT(std::fabs(p.banzhaf[i] - b.bz[i]) < 1e-12);
  }
}

}  // namespace
