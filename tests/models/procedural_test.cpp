// The procedural model on hand-made cases worked out below (docs/models/procedural.md).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "entente/model.hpp"
#include "entente/scenario.hpp"

namespace {

using entente::DecisionRule;
using entente::Scenario;

// One issue on [0, 100]; actors a0, a1, ... at the given positions (capability 1, salience 1).
Scenario make(std::vector<double> x, std::optional<double> q, std::optional<DecisionRule> rule) {
  Scenario sc;
  sc.title = "procedural";
  entente::Issue is;
  is.id = "i";
  is.status_quo = q;
  is.decision_rule = std::move(rule);
  sc.issues.push_back(is);
  for (std::size_t k = 0; k < x.size(); ++k) {
    entente::Actor a;
    a.id = "a" + std::to_string(k);
    a.capability.value = 1;
    entente::Stance st;
    st.position.value = x[k];
    st.salience.value = 1;
    a.stances.emplace_back(st);
    sc.actors.push_back(a);
  }
  return sc;
}

DecisionRule body(std::vector<std::string> voters, double quota) {
  DecisionRule r;
  for (auto& v : voters) r.voters.push_back({v, 1});
  r.quota = quota;
  return r;
}

entente::Forecast run(const Scenario& s, entente::Params p = {{"noise", "0"}}) {
  return entente::run_model(s, "procedural", p, 1).forecasts[0];
}

double extra(const entente::Forecast& f, const char* name) {
  const double* v = f.extra(name);
  return v ? *v : std::nan("");
}

TEST(Procedural, UnanimityWithOneVoterAtTheStatusQuoIsNoChange) {
  // Voters at 0, 60, 80; q = 0; unanimity (quota 3 of 3). The voter at 0 prefers q to every y > 0,
  // and nobody wants y < 0: nothing passes.
  const auto s = make({0, 60, 80}, 0.0, body({"a0", "a1", "a2"}, 3));
  const auto f = run(s);
  EXPECT_DOUBLE_EQ(f.value, 0);
  EXPECT_DOUBLE_EQ(extra(f, "p_no_change"), 1);
  EXPECT_DOUBLE_EQ(extra(f, "gridlock"), 1);
}

TEST(Procedural, QualifiedMajorityWinSetAndSetter) {
  // Five voters at 10, 20, 60, 70, 80 (weight 1), q = 0, quota 4 of 5; setter s at 100 (not a voter).
  // A move to y > 0 needs 4 voters nearer y than 0, i.e. four positions above y/2: the fourth from
  // the top is 20, so y/2 < 20: the win set is (0, 40). The setter proposes its nearest point: 40.
  auto rule = body({"a0", "a1", "a2", "a3", "a4"}, 4);
  rule.agenda_setter = "a5";
  const auto f = run(make({10, 20, 60, 70, 80, 100}, 0.0, rule));
  EXPECT_DOUBLE_EQ(f.value, 40);
  EXPECT_DOUBLE_EQ(extra(f, "location"), 40);
  EXPECT_DOUBLE_EQ(extra(f, "p_no_change"), 0);
  // A setter at 30 inside the win set gets its own position.
  auto s2 = make({10, 20, 60, 70, 80, 30}, 0.0, rule);
  EXPECT_DOUBLE_EQ(run(s2).value, 30);
  // A setter who wants less than q (at 0 = q): no proposal, no change.
  auto s3 = make({10, 20, 60, 70, 80, 0}, 0.0, rule);
  EXPECT_DOUBLE_EQ(run(s3).value, 0);
  EXPECT_DOUBLE_EQ(extra(run(s3), "p_no_change"), 1);
}

TEST(Procedural, VetoPlayerAtTheStatusQuoBlocks) {
  // As above, with a veto player a5 at q = 0: nothing it prefers to q lies above 0: no change.
  auto rule = body({"a0", "a1", "a2", "a3", "a4"}, 4);
  rule.veto_players = {"a5"};
  EXPECT_DOUBLE_EQ(run(make({10, 20, 60, 70, 80, 0}, 0.0, rule)).value, 0);
  // A veto player at 15 caps the win set at 2*15 - 0 = 30; no setter: the proposal aims at the
  // compromise (mean of 10, 20, 60, 70, 80, 15 = 42.5), the nearest passing point is 30.
  const auto f = run(make({10, 20, 60, 70, 80, 15}, 0.0, rule));
  EXPECT_DOUBLE_EQ(f.value, 30);
}

TEST(Procedural, UnanimousAmendmentPullsTheProposalBack) {
  // Voters at 10, 20, 30, quota 2 of 3, q = 0, setter at 100 with unanimous amendment.
  // Win set: two voters above y/2: the second from the top is 20, so y < 40; the setter proposes 40;
  // every voter prefers 30 (the highest voter) to 40, so the body amends to 30.
  auto rule = body({"a0", "a1", "a2"}, 2);
  rule.agenda_setter = "a3";
  rule.unanimous_amendment = true;
  EXPECT_DOUBLE_EQ(run(make({10, 20, 30, 100}, 0.0, rule)).value, 30);
  rule.unanimous_amendment = false;
  EXPECT_DOUBLE_EQ(run(make({10, 20, 30, 100}, 0.0, rule)).value, 40);
}

TEST(Procedural, AbsentVoters) {
  // Voters a0 at 60, a1 at 80 and "x" who holds no position; quota 3 of 3 (unanimity), q = 0,
  // no setter: the compromise of 60 and 80 is 70. absent=support: x accepts any change, the win
  // set is (0, 2*60) capped at 100, so 70 passes. absent=oppose: x blocks: no change.
  auto rule = body({"a0", "a1", "x"}, 3);
  const auto s = make({60, 80}, 0.0, rule);
  EXPECT_DOUBLE_EQ(run(s).value, 70);
  EXPECT_DOUBLE_EQ(run(s, {{"noise", "0"}, {"absent", "oppose"}}).value, 0);
}

TEST(Procedural, WithoutStatusQuoTheCoreNearestTheSetter) {
  // Voters at 10, 20, 30, quota 2 of 3: right moves need two voters above, so they stop at 20; left
  // moves likewise at 20: the core is {20}. No status quo: the forecast is the core point nearest
  // the setter (at 90): 20, and there is no P(no change).
  auto rule = body({"a0", "a1", "a2"}, 2);
  rule.agenda_setter = "a3";
  const auto f = run(make({10, 20, 30, 90}, std::nullopt, rule));
  EXPECT_DOUBLE_EQ(f.value, 20);
  EXPECT_EQ(f.extra("p_no_change"), nullptr);
}

TEST(Procedural, DefaultRuleIsAMajorityOfCapabilities) {
  // No rule: actors at 0, 50, 60 vote with weight 1, a majority (2 of 3) decides. q = 0: two
  // voters above y/2 need y/2 < 50: win set (0, 100); the compromise (36.67) passes.
  const auto f = run(make({0, 50, 60}, 0.0, std::nullopt));
  EXPECT_NEAR(f.value, 110.0 / 3, 1e-12);
}

TEST(Procedural, NoiseGivesAProbabilityAndIsDeterministic) {
  // Voters at 0 and 60, 80 under unanimity: at the stated positions no change. With noise the voter
  // at q moves off it half the time (to either side), so P(no change) is below 1 but well above 0.
  const auto s = make({0, 60, 80}, 0.0, body({"a0", "a1", "a2"}, 3));
  const auto f = run(s, {{"noise", "0.1"}, {"draws", "2000"}});
  const double p = extra(f, "p_no_change");
  EXPECT_GT(p, 0.3);
  EXPECT_LT(p, 0.9);
  EXPECT_EQ(p, extra(run(s, {{"noise", "0.1"}, {"draws", "2000"}}), "p_no_change"));
}

RC_GTEST_PROP(Procedural, OutcomeIsTheStatusQuoOrPreferredByTheQuota, ()) {
  // Whatever the positions: the forecast is q, or a point that a quota of voters prefers to q.
  const auto n = *rc::gen::inRange<std::size_t>(2, 8);
  const auto x = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 101));
  const int q = *rc::gen::inRange(0, 101);
  const int quota = *rc::gen::inRange(1, static_cast<int>(n) + 1);
  std::vector<std::string> ids;
  for (std::size_t k = 0; k < n; ++k) ids.push_back("a" + std::to_string(k));
  const auto s = make(std::vector<double>(x.begin(), x.end()), q, body(ids, quota));
  const double y = run(s).value;
  RC_ASSERT(y >= 0 && y <= 100);
  if (y != q) {
    int yes = 0;
    for (int xi : x) yes += std::fabs(xi - y) < std::fabs(xi - q) + 1e-9 ? 1 : 0;
    RC_ASSERT(yes >= quota);
  }
}

}  // namespace
