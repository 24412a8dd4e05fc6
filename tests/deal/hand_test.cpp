// The deal analysis against hand calculations (issue 13). Every expected number is worked out in
// the comments from the definitions in docs/models/deal.md:
//   U_i(x) = -sum_k s_ik |x_k - p_ik| / (max_k - min_k)   (categorical: -s_ik (1 - u_ik(x_k)))
//   m_i(x) = U_i(x) - U_i(d_i) + cost_i,   i accepts x iff m_i(x) >= 0.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "entente/deal.hpp"
#include "entente/model.hpp"
#include "entente/scenario.hpp"

using namespace entente;

namespace {

std::string data(const std::string& f) { return std::string(ENTENTE_TEST_DATA) + "/deal/" + f; }
constexpr double eps = 1e-9;

std::size_t veto_index(const DealResult& r, const std::string& id) {
  for (std::size_t i = 0; i < r.veto_players.size(); ++i)
    if (r.veto_players[i].id == id) return i;
  ADD_FAILURE() << "no veto player " << id;
  return 0;
}

// One issue on 0-100. A at 0 expects 40 without a deal, B at 100 expects 30; saliences 1.
//   U_A(x) = -x/100,          U_A(40) = -0.4:  m_A = 0.4 - x/100  >= 0  iff  x <= 40
//   U_B(x) = -(100 - x)/100,  U_B(30) = -0.7:  m_B = x/100 - 0.3  >= 0  iff  x >= 30
// Zone [30, 40]. Maximin: 0.4 - x/100 = x/100 - 0.3 at x = 35, margin 0.05.
// The compromise model (capabilities and saliences equal): (0 + 100) / 2 = 50,
//   m_A(50) = 0.4 - 0.5 = -0.1 (A blocks),  m_B(50) = 0.5 - 0.3 = 0.2.
// The acceptable package nearest 50 is A's limit, 40 (distance 10/100 = 0.1).
TEST(DealHand, OneIssueTheCaseOfTheIssue) {
  const Scenario s = load_scenario(data("one_issue.yaml"));
  DealOptions o;
  o.models = {"compromise"};
  const DealResult r = analyse_deal(s, o);
  ASSERT_EQ(r.veto_players.size(), 2u);
  EXPECT_TRUE(r.possible);
  EXPECT_NEAR(r.maximin_margin, 0.05, eps);
  EXPECT_NEAR(r.maximin[0], 35.0, 1e-7);
  ASSERT_TRUE(r.zones[0].interval);
  EXPECT_NEAR(r.zones[0].interval->first, 30.0, 1e-9);
  EXPECT_NEAR(r.zones[0].interval->second, 40.0, 1e-9);
  ASSERT_TRUE(r.ranges[0].interval);  // one issue: every acceptable package is in the zone
  EXPECT_NEAR(r.ranges[0].interval->first, 30.0, 1e-7);
  EXPECT_NEAR(r.ranges[0].interval->second, 40.0, 1e-7);
  ASSERT_EQ(r.models.size(), 1u);
  const DealModel& m = r.models[0];
  EXPECT_DOUBLE_EQ(m.forecast[0], 50.0);
  EXPECT_FALSE(m.acceptable);
  EXPECT_EQ(m.blockers, std::vector<std::string>{"a"});
  EXPECT_NEAR(m.margins[veto_index(r, "a")], -0.1, eps);
  EXPECT_NEAR(m.margins[veto_index(r, "b")], 0.2, eps);
  ASSERT_EQ(m.nearest.size(), 1u);
  EXPECT_NEAR(m.nearest[0], 40.0, 1e-7);
  EXPECT_NEAR(m.nearest_distance, 0.1, 1e-9);
  // The zone of one issue does not depend on where the others are held: the same at 50.
  ASSERT_TRUE(m.zones[0].interval);
  EXPECT_NEAR(m.zones[0].interval->first, 30.0, 1e-9);
  EXPECT_NEAR(m.zones[0].interval->second, 40.0, 1e-9);
}

// B's no-deal point uniform on [20, 60]. B accepts x iff 100 - x <= 100 - d_B, i.e. x >= d_B;
// A accepts x <= 40. A deal is possible iff d_B <= 40: P = (40 - 20) / (60 - 20) = 0.5.
// With n = 20000 draws the share has sd sqrt(0.25 / 20000) = 0.0035; the tolerance 0.015 is
// over 4 sd. The compromise forecast (50) is never acceptable (A always rejects it); B rejects it
// iff d_B > 50: P = (60 - 50) / 40 = 0.25.
TEST(DealHand, OneIssueProbabilityOfADeal) {
  const Scenario s = load_scenario(data("one_issue.yaml"));
  DealOptions o;
  o.models = {"compromise"};
  o.draws = 20000;
  o.seed = 13;
  const DealResult r = analyse_deal(s, o);
  EXPECT_EQ(r.draws_completed, 20000u);
  EXPECT_NEAR(r.p_possible, 0.5, 0.015);
  EXPECT_EQ(r.models[0].p_acceptable, 0.0);
  EXPECT_EQ(r.models[0].p_blocks[veto_index(r, "a")], 1.0);
  EXPECT_NEAR(r.models[0].p_blocks[veto_index(r, "b")], 0.25, 0.015);
  // When a deal is possible the acceptable package nearest 50 is always A's limit, 40.
  EXPECT_EQ(r.models[0].nearest_draws, static_cast<std::size_t>(std::llround(r.p_possible * 20000)));
  EXPECT_NEAR(r.models[0].nearest_distribution[0].q05, 40.0, 1e-7);
  EXPECT_NEAR(r.models[0].nearest_distribution[0].q95, 40.0, 1e-7);
  // With two veto players and no deal, each is pivotal: without either veto, the other accepts
  // its own position. So P(pivotal) = P(no deal) = 1 - P(deal) for both.
  EXPECT_DOUBLE_EQ(r.p_pivotal[0], 1 - r.p_possible);
  EXPECT_DOUBLE_EQ(r.p_pivotal[1], 1 - r.p_possible);
}

// A no-deal cost widens the zone by cost * span / salience on its side:
// A with cost 0.1 accepts x/100 <= 0.4 + 0.1, x <= 50. Zone [30, 50]; maximin
// 0.5 - x/100 = x/100 - 0.3 at x = 40, margin 0.1.
TEST(DealHand, NoDealCostWidensTheZone) {
  Scenario s = load_scenario(data("one_issue.yaml"));
  Quantity cost;
  cost.value = 0.1;
  s.actors[0].no_deal_cost = cost;
  validate(s);
  const DealResult r = analyse_deal(s);
  EXPECT_NEAR(r.maximin_margin, 0.1, eps);
  EXPECT_NEAR(r.maximin[0], 40.0, 1e-7);
  ASSERT_TRUE(r.zones[0].interval);
  EXPECT_NEAR(r.zones[0].interval->first, 30.0, 1e-9);
  EXPECT_NEAR(r.zones[0].interval->second, 50.0, 1e-9);
}

// No deal: A expects 20 (accepts x <= 20), B expects 30 (accepts x >= 30).
//   maximin: 0.2 - x/100 = x/100 - 0.3 at x = 25, margin -0.05; no zone.
// What would it take for A: A must accept 30 (B's limit): a relief of 0.3 - 0.2 = 0.1, i.e.
//   a no-deal cost 0 -> 0.1 (relative 0.1 / A's total salience 1 = 0.1), or a no-deal point
//   at distance 20 + 0.1 * 100 = 30 from A's position 0: 20 -> 30 (relative 10/100 = 0.1).
// A's salience: m_A = s (0.2 - x/100) is negative at every x >= 30 for s > 0, so only s = 0
//   (A indifferent) opens a zone; the search stops within the tolerance of 0.
TEST(DealHand, WhatWouldItTake) {
  Scenario s = load_scenario(data("one_issue.yaml"));
  s.actors[0].stances[0]->no_deal->value = 20;
  validate(s);
  const DealResult r = analyse_deal(s);
  EXPECT_FALSE(r.possible);
  EXPECT_NEAR(r.maximin_margin, -0.05, eps);
  EXPECT_NEAR(r.maximin[0], 25.0, 1e-7);
  EXPECT_FALSE(r.zones[0].interval);
  EXPECT_FALSE(r.ranges[0].interval);

  DealWhatIfOptions w;
  w.actor = "a";
  const DealWhatIfResult a = deal_whatif(s, w);
  EXPECT_TRUE(a.veto);
  EXPECT_FALSE(a.already_possible);
  ASSERT_EQ(a.levers.size(), 3u);  // cost, no_deal on x, salience on x
  EXPECT_EQ(a.levers[0].lever, "no_deal_cost");
  EXPECT_TRUE(a.levers[0].opens);
  EXPECT_NEAR(a.levers[0].value, 0.1, 1e-9);
  EXPECT_NEAR(a.levers[0].relative, 0.1, 1e-9);
  EXPECT_EQ(a.levers[1].lever, "no_deal");
  EXPECT_EQ(a.levers[1].issue, "x");
  EXPECT_TRUE(a.levers[1].opens);
  EXPECT_NEAR(a.levers[1].current, 20.0, 0);
  EXPECT_NEAR(a.levers[1].value, 30.0, 1e-7);
  EXPECT_EQ(a.levers[2].lever, "salience");
  EXPECT_TRUE(a.levers[2].opens);
  EXPECT_LT(a.levers[2].value, 1e-6);
  // Check the answers: with each change a deal is possible.
  Scenario t = s;
  t.actors[0].stances[0]->no_deal->value = a.levers[1].value;
  EXPECT_TRUE(analyse_deal(t).possible);
  Scenario u = s;
  Quantity cost;
  cost.value = a.levers[0].value;
  u.actors[0].no_deal_cost = cost;
  EXPECT_TRUE(analyse_deal(u).possible);

  // The relief A needs is the same for B (0.3 - 0.2 by symmetry): B's no-deal point 30 -> 20.
  w.actor = "b";
  const DealWhatIfResult b = deal_whatif(s, w);
  EXPECT_NEAR(b.levers[0].value, 0.1, 1e-9);
  EXPECT_NEAR(b.levers[1].value, 20.0, 1e-7);
}

TEST(DealHand, WhatIfForAnActorWithoutVetoOrWhenADealExists) {
  const Scenario s = load_scenario(data("two_issues.yaml"));
  DealWhatIfOptions w;
  w.actor = "c";
  const DealWhatIfResult c = deal_whatif(s, w);
  EXPECT_FALSE(c.veto);
  EXPECT_TRUE(c.levers.empty());
  EXPECT_NE(c.note.find("not a veto player"), std::string::npos);
  w.actor = "a";
  const DealWhatIfResult a = deal_whatif(s, w);
  EXPECT_TRUE(a.already_possible);
  EXPECT_TRUE(a.levers.empty());
  w.actor = "nobody";
  EXPECT_THROW((void)deal_whatif(s, w), InputError);
}

// two_issues.yaml: x on 0-100 (status quo 50), y on 0-10 (status quo 5), v in {p, q, r}.
// a (veto on all, cost 0.05): x 0 (s 1, no deal 45), y 0 (s 0.5, no deal = status quo 5),
//   v utilities p 1, q 0.5, r 0 (s 0.3, no deal q).
//   base_a = 0.05 + 1 * 45/100 + 0.5 * 5/10 + 0.3 * (1 - 0.5) = 0.05 + 0.45 + 0.25 + 0.15 = 0.9
//   m_a = 0.9 - x/100 - 0.5 y/10 - 0.3 (1 - u_a(v))
// b (veto on x and v only): x 100 (s 1, no deal 50), v ranking r, q, p = utilities r 1, q 0.5,
//   p 0 (s 0.3, no no-deal option: utility 0). Its stance on y does not count.
//   base_b = 1 * 50/100 + 0.3 * (1 - 0) = 0.8,   m_b = 0.8 - (100 - x)/100 - 0.3 (1 - u_b(v))
// c holds no veto.
// Maximin, per option (y = 0 is best for a and indifferent to b):
//   p: m_a = 0.9 - x/100, m_b = -0.5 + x/100  ->  x = 70, t = 0.2
//   q: m_a = 0.75 - x/100, m_b = -0.35 + x/100 ->  x = 55, t = 0.2
//   r: m_a = 0.6 - x/100, m_b = -0.2 + x/100  ->  x = 40, t = 0.2
// A tie at t = 0.2, broken by the distance to the veto players' mean position (x 50, y 0):
// 0.2, 0.05 and 0.1: q, x = 55, y = 0.
// Zones at (55, 0, q), both margins 0.2:
//   x: a gives up 0.2 + 0.55 = 0.75 -> x <= 75; b: 0.2 + 0.45 = 0.65 -> x >= 35: [35, 75]
//   y: only a: 0.2 -> 0.5 y/10 <= 0.2 -> y <= 4: [0, 4]
//   v: a 0.35, 0.2, 0.05 and b 0.05, 0.2, 0.35 for p, q, r: all three
// Ranges over every acceptable package: x in [20, 90] (v = r with b at x >= 20; v = p with a at
// x <= 90), y in [0, 8] (with each option a has 0.4 left for y at b's lowest x), v all three.
TEST(DealHand, TwoIssuesACategoricalIssueAndACost) {
  const Scenario s = load_scenario(data("two_issues.yaml"));
  DealOptions o;
  o.models = {"compromise"};
  const DealResult r = analyse_deal(s, o);
  ASSERT_EQ(r.veto_players.size(), 2u);
  EXPECT_EQ(r.veto_players[1].issues, (std::vector<std::size_t>{0, 2}));  // b: x and v
  EXPECT_TRUE(r.possible);
  EXPECT_NEAR(r.maximin_margin, 0.2, eps);
  EXPECT_NEAR(r.maximin[0], 55.0, 1e-7);
  EXPECT_NEAR(r.maximin[1], 0.0, 1e-7);
  EXPECT_EQ(r.maximin[2], 1.0);  // q
  EXPECT_NEAR(r.maximin_margins[0], 0.2, 1e-9);
  EXPECT_NEAR(r.maximin_margins[1], 0.2, 1e-9);
  EXPECT_NEAR(r.zones[0].interval->first, 35.0, 1e-7);
  EXPECT_NEAR(r.zones[0].interval->second, 75.0, 1e-7);
  EXPECT_NEAR(r.zones[1].interval->first, 0.0, 1e-7);
  EXPECT_NEAR(r.zones[1].interval->second, 4.0, 1e-7);
  EXPECT_EQ(r.zones[2].options, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_NEAR(r.ranges[0].interval->first, 20.0, 1e-7);
  EXPECT_NEAR(r.ranges[0].interval->second, 90.0, 1e-7);
  EXPECT_NEAR(r.ranges[1].interval->first, 0.0, 1e-7);
  EXPECT_NEAR(r.ranges[1].interval->second, 8.0, 1e-7);
  EXPECT_EQ(r.ranges[2].options, (std::vector<std::size_t>{0, 1, 2}));

  // The compromise: x = (1*1*0 + 1*1*100 + 2*1*60) / 4 = 55; y = (0.5*0 + 0.5*10 + 2*0.5*3) / 2 = 4;
  // v undefined (the model forecasts numeric issues only), completed by maximin at x 55, y 4:
  //   p: m_a = 0.9 - 0.55 - 0.2 = 0.15, m_b = -0.5 + 0.55 = 0.05 -> 0.05
  //   q: m_a = 0.75 - 0.75 = 0,         m_b = -0.35 + 0.55 = 0.2 -> 0
  //   r: m_a = 0.6 - 0.75 = -0.15                                  -> -0.15
  // so p, with margins a 0.15, b 0.05: acceptable.
  const DealModel& m = r.models[0];
  EXPECT_NEAR(m.forecast[0], 55.0, 1e-12);
  EXPECT_NEAR(m.forecast[1], 4.0, 1e-12);
  EXPECT_TRUE(std::isnan(m.forecast[2]));
  EXPECT_EQ(m.completed, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(m.package[2], 0.0);  // p
  EXPECT_TRUE(m.acceptable);
  EXPECT_TRUE(m.blockers.empty());
  EXPECT_NEAR(m.margins[0], 0.15, 1e-9);
  EXPECT_NEAR(m.margins[1], 0.05, 1e-9);
  EXPECT_NEAR(m.nearest_distance, 0.0, 0);
  // Zones at the compromise (55, 4, p):
  //   x: a gives up 0.15 + 0.55 = 0.7 -> x <= 70; b 0.05 + 0.45 = 0.5 -> x >= 50: [50, 70]
  //   y: a 0.15 + 0.2 = 0.35 -> y <= 7: [0, 7]
  //   v: a 0.15 + 0 - 0.3 (1 - u_a) >= 0 -> p, q; b 0.05 + 0.3 - 0.3 (1 - u_b) >= 0 -> all: p, q
  EXPECT_NEAR(m.zones[0].interval->first, 50.0, 1e-9);
  EXPECT_NEAR(m.zones[0].interval->second, 70.0, 1e-9);
  EXPECT_NEAR(m.zones[1].interval->second, 7.0, 1e-9);
  EXPECT_EQ(m.zones[2].options, (std::vector<std::size_t>{0, 1}));
}

// One categorical issue v in {p, q, r}: a (s 1) utilities p 1, q 0.6, r 0, no deal q;
// b (s 0.5) utilities p 0, q 0.3, r 1, no no-deal option (utility 0).
//   m_a = u_a - 0.6:        p 0.4,  q 0,     r -0.6
//   m_b = 0.5 (u_b - 0):    p 0,    q 0.15,  r 0.5
// smallest: p 0, q 0, r -0.6. A deal is possible with margin 0, at p or q; the tie goes to the
// option the veto players like most in sum (p 1, q 0.9, r 1; p is listed first): p.
// Zone at p: the options both accept with nothing else to hold: p, q.
TEST(DealHand, CategoricalIssueAlone) {
  const std::string yaml = R"(
issues:
  - {id: v, options: [p, q, r]}
actors:
  - id: a
    capability: 1
    veto: true
    issues: {v: {utilities: {p: 1, q: 0.6, r: 0}, salience: 1, no_deal: q}}
  - id: b
    capability: 1
    veto: true
    issues: {v: {utilities: {p: 0, q: 0.3, r: 1}, salience: 0.5}}
)";
  const Scenario s = parse_scenario(yaml, "cat.yaml");
  const DealResult r = analyse_deal(s);
  EXPECT_TRUE(r.possible);
  EXPECT_NEAR(r.maximin_margin, 0.0, 1e-12);
  EXPECT_EQ(r.maximin[0], 0.0);
  EXPECT_EQ(r.zones[0].options, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(r.ranges[0].options, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(r.method, "linear programmes, one per combination of categorical options (3 combinations)");
}

// Above the enumeration limit the categorical choice is a GLPK MIP: the same answers.
TEST(DealHand, MixedIntegerProgrammeAgreesWithEnumeration) {
  for (const char* file : {"two_issues.yaml", "one_issue.yaml"}) {
    const Scenario s = load_scenario(data(file));
    DealOptions e, m;
    e.models = m.models = {"compromise"};
    m.max_enumerated = 1;
    const DealResult a = analyse_deal(s, e), b = analyse_deal(s, m);
    EXPECT_EQ(a.possible, b.possible) << file;
    EXPECT_NEAR(a.maximin_margin, b.maximin_margin, 1e-7) << file;
    for (std::size_t k = 0; k < s.issues.size(); ++k) EXPECT_NEAR(a.maximin[k], b.maximin[k], 1e-5) << file << " " << k;
    EXPECT_EQ(a.models[0].acceptable, b.models[0].acceptable) << file;
    for (std::size_t k = 0; k < s.issues.size(); ++k)
      EXPECT_NEAR(a.models[0].package[k], b.models[0].package[k], 1e-5) << file << " " << k;
  }
  const Scenario s = load_scenario(data("two_issues.yaml"));
  DealOptions m;
  m.max_enumerated = 1;
  EXPECT_NE(analyse_deal(s, m).method.find("mixed-integer"), std::string::npos);
}

TEST(DealHand, NoVetoPlayersEveryPackageIsAcceptable) {
  Scenario s = load_scenario(data("one_issue.yaml"));
  for (auto& a : s.actors) a.veto.reset();
  DealOptions o;
  o.models = {"compromise"};
  const DealResult r = analyse_deal(s, o);
  EXPECT_TRUE(r.veto_players.empty());
  EXPECT_TRUE(r.possible);
  EXPECT_FALSE(r.note.empty());
  EXPECT_TRUE(r.models[0].acceptable);
  EXPECT_NEAR(r.zones[0].interval->first, 0, 0);
  EXPECT_NEAR(r.zones[0].interval->second, 100, 0);
}

// check_forecast: the library call for a "deal?" column.
TEST(DealHand, CheckForecastOfOneResult) {
  const Scenario s = load_scenario(data("one_issue.yaml"));
  const DealModel m = check_forecast(s, run_model(s, "compromise"));
  EXPECT_EQ(m.model, "compromise");
  EXPECT_FALSE(m.acceptable);
  EXPECT_EQ(m.blockers, std::vector<std::string>{"a"});
  EXPECT_NEAR(m.nearest[0], 40.0, 1e-7);
}

}  // namespace
