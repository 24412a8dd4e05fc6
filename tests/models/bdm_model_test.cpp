// The bdm Model through the public API: its info, the trace it records, several issues with absent
// actors, degenerate inputs, input errors, and every option against a hand calculation or the
// behaviour the spec describes.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "bdm_test_util.hpp"
#include "entente/model.hpp"
#include "models/bdm_core.hpp"

namespace {

using entente::Params;
using entente::Result;
using entente::Scenario;

enum { NL, BE, LU, DE, FR, IT, UK, IE, DK, GR };

Scenario ec() { return bdm_test::load_case(bdm_test::data("cases/bdm1994_emission_standards_actors.csv")); }

Result run(const Scenario& sc, const Params& p = {}) { return entente::run_model(sc, "bdm", p); }

const entente::Event* selected_offer(const entente::Round& r, const std::string& to) {
  for (const auto& e : r.events)
    if (std::get<std::string>(*e.get("to")) == to && std::get<long long>(*e.get("selected")) == 1) return &e;
  return nullptr;
}

// Every number a run reports is finite, except NaN where the layout says so (absent actors,
// round 0's risk exponents).
void expect_finite(const Result& res, const Scenario& sc) {
  for (const auto& f : res.forecasts) {
    EXPECT_TRUE(std::isfinite(f.value));
    for (const auto& [k, v] : f.extras) EXPECT_TRUE(std::isfinite(v)) << k;
  }
  for (const auto& r : res.trace.rounds) {
    for (std::size_t q = 0; q < sc.issues.size(); ++q) {
      EXPECT_TRUE(std::isfinite(r.issues("median")->data[q]));
      EXPECT_TRUE(std::isfinite(r.issues("mean")->data[q]));
      for (std::size_t a = 0; a < sc.actors.size(); ++a) {
        if (!sc.stance(a, q)) continue;
        EXPECT_TRUE(std::isfinite(r.actors("position")->data[q][a]));
        if (r.index > 0) { EXPECT_TRUE(std::isfinite(r.actors("risk")->data[q][a])); }
      }
    }
    for (const auto& e : r.events) EXPECT_TRUE(std::isfinite(std::get<double>(*e.get("new_position"))));
  }
}

TEST(BdmModel, Info) {
  const auto& info = entente::find_model("bdm").info();
  EXPECT_TRUE(info.has_rounds);
  EXPECT_FALSE(info.stochastic);
  EXPECT_EQ(info.trace_layout, entente::ModelInfo::TraceLayout::per_issue_wide);
  EXPECT_EQ(info.round_label, "round");
  std::set<std::string> names;
  for (const auto& p : info.params) names.insert(p.name);
  for (const char* n : {"rounds", "probability", "perspective", "salience", "security", "capitulation", "compromise",
                        "compromise_position", "update", "median", "q", "t", "q_form", "range", "tolerance", "stop",
                        "epsilon", "k", "offers", "algorithm"})
    EXPECT_TRUE(names.count(n)) << n;
  const auto res = run(ec());
  EXPECT_EQ(res.params.text("rounds"), "10");
  EXPECT_EQ(res.params.text("probability"), "global");
  EXPECT_EQ(res.params.text("perspective"), "receiver");
  EXPECT_EQ(res.params.text("capitulation"), "off");
  EXPECT_EQ(res.params.text("compromise"), "key");
  EXPECT_EQ(res.params.text("update"), "simultaneous");
  EXPECT_EQ(res.params.text("q"), "1");
  EXPECT_EQ(res.params.text("stop"), "fixed");
}

TEST(BdmModel, TraceLayout) {
  const auto sc = ec();
  const auto res = run(sc);
  ASSERT_EQ(res.trace.rounds.size(), 11u);
  const auto& r0 = res.trace.rounds[0];
  EXPECT_EQ(r0.index, 0);
  ASSERT_EQ(r0.actor_series.size(), 2u);
  EXPECT_EQ(r0.actor_series[0].name, "position");
  EXPECT_EQ(r0.actor_series[0].column, "x");
  EXPECT_EQ(r0.actor_series[1].name, "risk");
  EXPECT_EQ(r0.actor_series[1].column, "r");
  ASSERT_EQ(r0.issue_series.size(), 2u);
  EXPECT_EQ(r0.issue_series[0].name, "median");
  EXPECT_EQ(r0.issue_series[1].name, "mean");
  EXPECT_TRUE(r0.events.empty());
  for (double r : r0.actors("risk")->data[0]) EXPECT_TRUE(std::isnan(r));  // empty cells in round 0
  EXPECT_EQ(r0.actors("position")->data[0][BE], 7);

  const auto& r1 = res.trace.rounds[1];
  EXPECT_EQ(r1.index, 1);
  ASSERT_FALSE(r1.events.empty());
  const auto& e = r1.events.front();
  EXPECT_EQ(e.kind, "offer");
  ASSERT_EQ(e.fields.size(), 6u);
  const char* order[] = {"issue", "from", "to", "type", "new_position", "selected"};
  for (std::size_t k = 0; k < 6; ++k) EXPECT_EQ(e.fields[k].first, order[k]);
  EXPECT_EQ(std::get<std::string>(*e.get("issue")), "issue");
  int selected = 0;
  for (const auto& ev : r1.events) selected += static_cast<int>(std::get<long long>(*ev.get("selected")));
  EXPECT_EQ(selected, 3);  // BE, LU and IE move (spec 4.3)
  const auto* be = selected_offer(r1, "Belgium");
  ASSERT_NE(be, nullptr);
  EXPECT_EQ(std::get<std::string>(*be->get("from")), "France");
  EXPECT_EQ(std::get<std::string>(*be->get("type")), "compromise");
  EXPECT_TRUE(bdm_test::matches_printed(std::get<double>(*be->get("new_position")), 8.415932315));
  const auto* lu = selected_offer(r1, "Luxembourg");
  ASSERT_NE(lu, nullptr);
  EXPECT_EQ(std::get<std::string>(*lu->get("from")), "Belgium");
  EXPECT_EQ(std::get<std::string>(*lu->get("type")), "confrontation");
  EXPECT_EQ(std::get<double>(*lu->get("new_position")), 7);
  const auto* ie = selected_offer(r1, "Ireland");
  ASSERT_NE(ie, nullptr);
  EXPECT_EQ(std::get<std::string>(*ie->get("from")), "Luxembourg");
  // Forecast: the median after the last round, with the median and mean as extras.
  EXPECT_EQ(res.forecasts[0].value, 7);
  ASSERT_EQ(res.forecasts[0].extras.size(), 2u);
  EXPECT_EQ(res.forecasts[0].extras[0].first, "median");
  EXPECT_EQ(res.forecasts[0].extras[1].first, "mean");
  expect_finite(res, sc);
}

TEST(BdmModel, OfferLogging) {
  const auto sc = ec();
  const auto all = run(sc);
  const auto sel = run(sc, {{"offers", "selected"}});
  const auto none = run(sc, {{"offers", "none"}});
  for (std::size_t t = 0; t < all.trace.rounds.size(); ++t) {
    std::size_t n_sel = 0;
    for (const auto& e : all.trace.rounds[t].events) n_sel += std::get<long long>(*e.get("selected")) == 1;
    EXPECT_EQ(sel.trace.rounds[t].events.size(), n_sel);
    for (const auto& e : sel.trace.rounds[t].events) EXPECT_EQ(std::get<long long>(*e.get("selected")), 1);
    EXPECT_TRUE(none.trace.rounds[t].events.empty());
    EXPECT_EQ(all.trace.rounds[t].actors("position")->data, none.trace.rounds[t].actors("position")->data);
  }
}

TEST(BdmModel, IssuesAreIndependentAndAbsentActorsAreNaN) {
  // Issue 0 = the EC table, issue 1 = Iran 2013; nobody holds a position on both.
  const auto a = ec();
  const auto b = bdm_test::load_case(bdm_test::data("cases/eum_iranian_election_2013.tsv"));
  Scenario sc;
  sc.issues = {a.issues[0], b.issues[0]};
  sc.issues[1].id = "iran";
  for (auto act : a.actors) {
    act.stances.emplace_back(std::nullopt);
    sc.actors.push_back(act);
  }
  for (auto act : b.actors) {
    act.stances.insert(act.stances.begin(), std::nullopt);
    sc.actors.push_back(act);
  }
  const auto both = run(sc);
  const auto ra = run(a);
  const auto rb = run(b);
  ASSERT_EQ(both.forecasts.size(), 2u);
  EXPECT_EQ(both.forecasts[0].value, ra.forecasts[0].value);
  EXPECT_EQ(both.forecasts[1].value, rb.forecasts[0].value);
  EXPECT_EQ(both.forecasts[1].value, 5);  // spec 4.4: Iran's median stays 5
  const std::size_t na = a.actors.size();
  for (std::size_t t = 0; t < both.trace.rounds.size(); ++t) {
    const auto& r = both.trace.rounds[t];
    for (std::size_t k = 0; k < sc.actors.size(); ++k) {
      const bool in_a = k < na;
      EXPECT_EQ(std::isnan(r.actors("position")->data[0][k]), !in_a);
      EXPECT_EQ(std::isnan(r.actors("position")->data[1][k]), in_a);
      if (in_a) { EXPECT_EQ(r.actors("position")->data[0][k], ra.trace.rounds[t].actors("position")->data[0][k]); }
      else { EXPECT_EQ(r.actors("position")->data[1][k], rb.trace.rounds[t].actors("position")->data[0][k - na]); }
    }
    EXPECT_EQ(r.issues("mean")->data[1], rb.trace.rounds[t].issues("mean")->data[0]);
    for (const auto& e : r.events) {
      const bool iran = std::get<std::string>(*e.get("issue")) == "iran";
      const std::size_t to = sc.actor_index(std::get<std::string>(*e.get("to")));
      EXPECT_EQ(iran, to >= na);
    }
  }
  expect_finite(both, sc);
}

TEST(BdmModel, OneActor) {
  const auto sc = bdm_test::make_scenario({42}, {3}, {0.7});
  const auto res = run(sc);
  EXPECT_EQ(res.forecasts[0].value, 42);
  EXPECT_EQ(*res.forecasts[0].extra("mean"), 42);
  for (const auto& r : res.trace.rounds) {
    EXPECT_EQ(r.actors("position")->data[0][0], 42);
    if (r.index > 0) { EXPECT_EQ(r.actors("risk")->data[0][0], 1); }  // no danger spread: r = 1
    EXPECT_TRUE(r.events.empty());
  }
  expect_finite(res, sc);
}

TEST(BdmModel, AllActorsAtOnePosition) {
  // Delta = 0: no distances, no contests, nothing moves, r = 1.
  const auto sc = bdm_test::make_scenario({30, 30, 30}, {1, 2, 3}, {0.2, 0.5, 1});
  for (const char* alg : {"fast", "direct"}) {
    const auto res = run(sc, {{"algorithm", alg}});
    EXPECT_EQ(res.forecasts[0].value, 30);
    for (const auto& r : res.trace.rounds) {
      for (std::size_t a = 0; a < 3; ++a) {
        EXPECT_EQ(r.actors("position")->data[0][a], 30);
        if (r.index > 0) { EXPECT_EQ(r.actors("risk")->data[0][a], 1); }
      }
      EXPECT_TRUE(r.events.empty());
    }
    expect_finite(res, sc);
  }
}

TEST(BdmModel, ZeroCapability) {
  // One actor without capability votes with weight 0; all without: Z = 0, P = 0, the mean falls
  // back to the plain mean and the median to unit weights.
  const auto one = bdm_test::make_scenario({10, 40, 90}, {0, 2, 3}, {0.5, 0.5, 0.5});
  const auto all = bdm_test::make_scenario({10, 40, 90}, {0, 0, 0}, {0.5, 0.5, 0.5});
  for (const char* alg : {"fast", "direct"}) {
    expect_finite(run(one, {{"algorithm", alg}}), one);
    const auto res = run(all, {{"algorithm", alg}});
    expect_finite(res, all);
    EXPECT_NEAR(res.trace.rounds[0].issues("mean")->data[0], 140.0 / 3, 1e-12);
    EXPECT_EQ(res.trace.rounds[0].issues("median")->data[0], 40);
  }
  const auto d = entente::bdm::round_details({{0, 0, 0}, {0.5, 0.5, 0.5}}, {10, 40, 90}, 80, {});
  EXPECT_EQ(d.z1, 0);
  EXPECT_EQ(d.p1[0][1], 0);
}

TEST(BdmModel, EqualDangerSums) {
  // Two identical actors facing each other: D_1 = D_2, so R = 0 and r = 1 (not 0/0).
  const auto sc = bdm_test::make_scenario({20, 60}, {1, 1}, {0.6, 0.6});
  for (const char* alg : {"fast", "direct"}) {
    const auto res = run(sc, {{"algorithm", alg}, {"rounds", "1"}});
    EXPECT_EQ(res.trace.rounds[1].actors("risk")->data[0][0], 1);
    EXPECT_EQ(res.trace.rounds[1].actors("risk")->data[0][1], 1);
    expect_finite(res, sc);
  }
  const auto d = entente::bdm::round_details({{1, 1}, {0.6, 0.6}}, {20, 60}, 40, {});
  EXPECT_EQ(d.danger[0], d.danger[1]);
  EXPECT_EQ(d.R[0], 0);
  EXPECT_EQ(entente::bdm::risk_exponent(3.0, 3.0, 3.0), 1.0);
  EXPECT_EQ(entente::bdm::risk_exponent(0.0, -1e-17, 1e-17), 1.0);  // rounding noise is no spread
  EXPECT_DOUBLE_EQ(entente::bdm::risk_exponent(1.0, -1.0, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(entente::bdm::risk_exponent(-1.0, -1.0, 1.0), 2.0);
}

TEST(BdmModel, SalienceZeroAndOne) {
  for (double s : {0.0, 1.0}) {
    const auto sc = bdm_test::make_scenario({0, 25, 60, 100}, {1, 2, 3, 4}, {s, s, s, s});
    for (const char* alg : {"fast", "direct"}) {
      const auto res = run(sc, {{"algorithm", alg}});
      expect_finite(res, sc);
    }
  }
  const auto mixed = bdm_test::make_scenario({0, 25, 60, 100}, {1, 2, 3, 4}, {0, 1, 0, 1});
  expect_finite(run(mixed), mixed);
}

TEST(BdmModel, CategoricalAndEmptyIssuesAreNotForecast) {
  auto sc = bdm_test::make_scenario({10, 20}, {1, 1}, {0.5, 0.5});
  entente::Issue cat;
  cat.id = "venue";
  cat.kind = entente::Issue::Kind::categorical;
  cat.options = {"a", "b"};
  entente::Issue empty;
  empty.id = "empty";
  sc.issues.push_back(cat);
  sc.issues.push_back(empty);
  for (auto& a : sc.actors) {
    a.stances.emplace_back(std::nullopt);
    a.stances.emplace_back(std::nullopt);
  }
  const auto res = run(sc);
  EXPECT_TRUE(res.forecasts[0].defined);
  EXPECT_FALSE(res.forecasts[1].defined);
  EXPECT_FALSE(res.forecasts[2].defined);
  EXPECT_TRUE(std::isfinite(res.forecasts[1].value));
  EXPECT_TRUE(std::isfinite(res.forecasts[2].value));
}

TEST(BdmModel, InputErrors) {
  auto bad = bdm_test::make_scenario({10, 20}, {1, 1}, {0.5, 1.5});
  EXPECT_THROW((void)run(bad), entente::InputError);
  bad = bdm_test::make_scenario({10, 20}, {-1, 1}, {0.5, 0.5});
  EXPECT_THROW((void)run(bad), entente::InputError);
  const auto sc = ec();
  EXPECT_THROW((void)run(sc, {{"T", "abc"}}), entente::InputError);
  EXPECT_THROW((void)run(sc, {{"T", "2"}}), entente::InputError);
  EXPECT_THROW((void)run(sc, {{"Q", "1.5"}}), entente::InputError);
  EXPECT_THROW((void)run(sc, {{"probability", "local"}}), entente::InputError);
  EXPECT_THROW((void)run(sc, {{"no_such_parameter", "1"}}), entente::InputError);
  EXPECT_NO_THROW((void)run(sc, {{"T", "0.5"}, {"Q", "0.5"}}));
}

TEST(BdmModel, BaselinesOfSpecSection2) {
  // c*s-weighted mean and median of the tables (spec section 2, "Test values").
  struct Case {
    const char* file;
    double cs_mean, median;
  };
  const Case cases[] = {{"bdm1994_emission_standards_actors.csv", 7.389956, 7},
                        {"bdm1997_sultan_actors.csv", 13.619912, 13.9},
                        {"bdm_china_dmasad_actors.csv", 30.721540, 20},
                        {"eum_iranian_election_2013.tsv", 5.438337, 5},
                        {"uk_emu_labour.csv", 5.321569, 6}};
  for (const auto& c : cases) {
    const auto res = run(bdm_test::load_case(bdm_test::data(std::string("cases/") + c.file)), {{"rounds", "0"}});
    EXPECT_NEAR(res.trace.rounds[0].issues("mean")->data[0], c.cs_mean, 5e-7) << c.file;
    EXPECT_EQ(res.forecasts[0].value, c.median) << c.file;
  }
}

TEST(BdmModel, MedianTieRule) {
  using entente::bdm::MedianRule;
  EXPECT_EQ(entente::bdm::weighted_median({0, 10}, {1, 1}, MedianRule::lower), 0);
  EXPECT_EQ(entente::bdm::weighted_median({0, 10}, {1, 1}, MedianRule::midpoint), 5);
  EXPECT_EQ(entente::bdm::weighted_median({0, 10, 4}, {1, 1, 1}, MedianRule::midpoint), 4);
  EXPECT_EQ(entente::bdm::weighted_median({0, 10, 4}, {0, 0, 0}, MedianRule::lower), 4);  // unit weights
}

// ---- Options --------------------------------------------------------------------------------

using entente::bdm::Options;

struct EcData {
  entente::bdm::Problem pb;
  std::vector<double> x;
  EcData() {
    for (const auto& a : ec().actors) {
      pb.c.push_back(a.capability.value);
      pb.s.push_back(a.stances[0]->salience.value);
      x.push_back(a.stances[0]->position.value);
    }
  }
};

TEST(BdmOptions, PairwiseProbabilityIsEquation31) {
  // x = 0, 4, 10; w = c*s = 1, 1, 1.5; Delta = 10. P(0 over 4): votes 1*(4-0), 1*(0-4),
  // 1.5*(6-10) -> 4 for, 10 against: P = 4/14, P(4 over 0) = 10/14. Same in the main pass (linear).
  Options o;
  o.probability = entente::bdm::Probability::pairwise;
  const auto d = entente::bdm::round_details({{1, 2, 3}, {1, 0.5, 0.5}}, {0, 4, 10}, 10, o);
  EXPECT_NEAR(d.p1[0][1], 4.0 / 14, 1e-15);
  EXPECT_NEAR(d.p1[1][0], 10.0 / 14, 1e-15);
  EXPECT_NEAR(d.p[0][1], 4.0 / 14, 1e-15);
  // P(0 over 10): 1*10 - 0, 1*(6-4) = 2, 1.5*(0-10) -> for 12, against 15.
  EXPECT_NEAR(d.p1[0][2], 12.0 / 27, 1e-15);
  for (std::size_t a = 0; a < 3; ++a)
    for (std::size_t b = 0; b < 3; ++b)
      if (a != b) { EXPECT_NEAR(d.p[a][b] + d.p[b][a], 1.0, 1e-15); }
}

// EU^p(a -> b) by hand: s_b [P U_s + (1-P) U_f] + (1-s_b) U_s - U_sq with exponent r, Q = 1.
double hand_eu(double d, double P, double sb, double r) {
  const double us = 2 - 4 * std::pow(0.5 - 0.5 * d, r);
  const double uf = 2 - 4 * std::pow(0.5 + 0.5 * d, r);
  const double usq = 2 - 4 * std::pow(0.5, r);
  return sb * (P * us + (1 - P) * uf) + (1 - sb) * us - usq;
}

TEST(BdmOptions, OwnPerspectiveAndChallengerSalience) {
  // Belgium (receiver) vs France in round 1, from the spec's printed r and P (4.1):
  // r_BE = 0.754196, r_FR = 1.046524, P(FR over BE) = 0.00458258, d = 3/6, s_BE = 0.4, s_FR = 0.6.
  const EcData ec;
  Options own;
  own.perspective = entente::bdm::Perspective::own;
  const auto d_own = entente::bdm::round_details(ec.pb, ec.x, 6, own);
  EXPECT_NEAR(d_own.e2[BE][FR], hand_eu(0.5, 0.00458258, 0.4, 1.046524), 2e-6);
  EXPECT_NEAR(d_own.e1[BE][FR], -0.1148305, 5e-8);  // e1 is unchanged
  Options chal;
  chal.salience = entente::bdm::ChallengeSalience::challenger;
  const auto d_chal = entente::bdm::round_details(ec.pb, ec.x, 6, chal);
  EXPECT_NEAR(d_chal.e2[BE][FR], hand_eu(0.5, 0.00458258, 0.6, 0.754196), 2e-6);
  const auto f_own = entente::bdm::round_fast(ec.pb, ec.x, 6, own);
  for (std::size_t a = 0; a < 10; ++a) EXPECT_NEAR(f_own.x[a], d_own.x[a], 1e-12);
}

TEST(BdmOptions, QBelowOneAtRiskOne) {
  // With r = 1: U_s = 2d, U_f = -2d, U_sq = 0, U_b = g, U_w = -g, so
  // EU1(a->b) = 2d[1 - 2 s_b (1 - P)] - (1-Q)(2T - 1) g, g = (|x_a - mu| + |x_a - x_b|)/Delta,
  // T = 1 iff |x_a - mu| < |x_a - x_b| (mu = 7 on the EC table).
  const EcData ec;
  for (double T : {-1.0, 0.0, 1.0, 0.25}) {
    Options o;
    o.Q = 0.5;
    o.T = T;
    const auto d = entente::bdm::round_details(ec.pb, ec.x, 6, o);
    EXPECT_EQ(d.median, 7);
    for (std::size_t a = 0; a < 10; ++a)
      for (std::size_t b = 0; b < 10; ++b) {
        if (ec.x[a] == ec.x[b]) continue;
        const double dab = std::fabs(ec.x[a] - ec.x[b]) / 6;
        const double g = (std::fabs(ec.x[a] - 7) + std::fabs(ec.x[a] - ec.x[b])) / 6;
        const double t = T >= 0 ? T : (std::fabs(ec.x[a] - 7) < std::fabs(ec.x[a] - ec.x[b]) ? 1 : 0);
        const double want = 2 * dab * (1 - 2 * ec.pb.s[b] * (1 - d.p1[a][b])) - 0.5 * (2 * t - 1) * g;
        EXPECT_NEAR(d.eu1[a][b], want, 1e-14) << a << " " << b << " T " << T;
      }
    // The main pass for one pair by hand: Belgium challenging France, r_BE from the same run.
    const double r = d.r[BE], P = d.p[BE][FR];
    const double g = (0 + 3) / 6.0;  // Belgium sits on the median
    const double ub = 2 - 4 * std::pow(0.5 - 0.25 * g, r), uw = 2 - 4 * std::pow(0.5 + 0.25 * g, r);
    const double t = T >= 0 ? T : 1.0;
    const double want = hand_eu(0.5, P, 0.6, r) + 0.5 * (2 - 4 * std::pow(0.5, r)) - 0.5 * (t * ub + (1 - t) * uw);
    EXPECT_NEAR(d.e1[BE][FR], want, 1e-14);
  }
  // jmckib's form drops the (1-Q) term: at r = 1 nothing is left of Q.
  Options jm;
  jm.Q = 0.5;
  jm.q_form = entente::bdm::QForm::jmckib;
  const auto dj = entente::bdm::round_details(ec.pb, ec.x, 6, jm);
  const auto d1 = entente::bdm::round_details(ec.pb, ec.x, 6, Options{});
  EXPECT_EQ(dj.danger, d1.danger);
  EXPECT_NEAR(dj.e1[BE][FR], hand_eu(0.5, dj.p[BE][FR], 0.6, dj.r[BE]) + 0.5 * (2 - 4 * std::pow(0.5, dj.r[BE])), 1e-14);
}

TEST(BdmOptions, CompromiseChoiceAndPosition) {
  const auto sc = ec();
  // Round 4: the key picks the Netherlands (spec 4.3); the least move picks France (first of FR/IT).
  const auto key = run(sc, {{"rounds", "4"}});
  const auto least = run(sc, {{"rounds", "4"}, {"compromise", "least-move"}});
  EXPECT_EQ(std::get<std::string>(*selected_offer(key.trace.rounds[4], "Belgium")->get("from")), "Netherlands");
  const auto* f = selected_offer(least.trace.rounds[4], "Belgium");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(std::get<std::string>(*f->get("from")), "France");
  const double x3 = least.trace.rounds[3].actors("position")->data[0][BE];
  double smallest = 1e300;
  for (const auto& e : least.trace.rounds[4].events)
    if (std::get<std::string>(*e.get("to")) == "Belgium" && std::get<std::string>(*e.get("type")) == "compromise")
      smallest = std::min(smallest, std::fabs(std::get<double>(*e.get("new_position")) - x3));
  EXPECT_EQ(std::fabs(std::get<double>(*f->get("new_position")) - x3), smallest);
  // eum's weighted position: (|e1| 7 + |e2| 10) / (|e1| + |e2|) with e1/e2 = -0.1148305/0.2432966.
  const auto w = run(sc, {{"rounds", "1"}, {"compromise_position", "weighted"}});
  const double want = (0.1148305 * 7 + 0.2432966 * 10) / (0.1148305 + 0.2432966);
  EXPECT_NEAR(w.trace.rounds[1].actors("position")->data[0][BE], want, 1e-6);
}

TEST(BdmOptions, RangeVariants) {
  auto sc = ec();  // the test loader sets the issue scale to the data's range, 4..10
  const auto base = run(sc);
  EXPECT_EQ(run(sc, {{"range", "scale"}}).trace.rounds.back().actors("position")->data,
            base.trace.rounds.back().actors("position")->data);
  EXPECT_EQ(run(sc, {{"range", "current"}, {"rounds", "1"}}).trace.rounds[1].actors("position")->data,
            base.trace.rounds[1].actors("position")->data);
  sc.issues[0].min = 0;
  sc.issues[0].max = 20;  // a wider nominal scale changes every utility
  const auto wide = run(sc, {{"range", "scale"}, {"rounds", "1"}});
  EXPECT_NE(wide.trace.rounds[1].actors("risk")->data, base.trace.rounds[1].actors("risk")->data);
}

TEST(BdmOptions, EqualPositionTolerance) {
  // With tolerance 3.5 positions 4/7 and 7/10 count as equal: only 4 vs 10 are contests.
  const auto res = run(ec(), {{"tolerance", "3.5"}, {"rounds", "1"}});
  const auto& r1 = res.trace.rounds[1];
  const auto& x0 = res.trace.rounds[0].actors("position")->data[0];
  const auto sc = ec();
  ASSERT_FALSE(r1.events.empty());
  for (const auto& e : r1.events) {
    const auto to = sc.actor_index(std::get<std::string>(*e.get("to")));
    const auto from = sc.actor_index(std::get<std::string>(*e.get("from")));
    EXPECT_GT(std::fabs(x0[to] - x0[from]), 3.5);
  }
}

TEST(BdmOptions, SequentialUpdates) {
  // The first actor decides on the unchanged state, so its move equals the simultaneous one.
  const auto sc = ec();
  const auto sim = run(sc, {{"rounds", "1"}});
  for (const char* alg : {"fast", "direct"}) {
    const auto seq = run(sc, {{"rounds", "2"}, {"update", "sequential"}, {"algorithm", alg}});
    EXPECT_EQ(seq.trace.rounds[1].actors("position")->data[0][NL], sim.trace.rounds[1].actors("position")->data[0][NL]);
    EXPECT_EQ(seq.trace.rounds[1].actors("risk")->data[0][NL], sim.trace.rounds[1].actors("risk")->data[0][NL]);
    expect_finite(seq, sc);
  }
  const auto f = run(sc, {{"update", "sequential"}});
  const auto d = run(sc, {{"update", "sequential"}, {"algorithm", "direct"}});
  for (std::size_t t = 0; t < f.trace.rounds.size(); ++t)
    for (std::size_t a = 0; a < 10; ++a)
      EXPECT_NEAR(f.trace.rounds[t].actors("position")->data[0][a], d.trace.rounds[t].actors("position")->data[0][a], 1e-9);
}

TEST(BdmOptions, SecurityOverPositions) {
  const auto sc = ec();
  const auto f = run(sc, {{"security", "positions"}});
  const auto d = run(sc, {{"security", "positions"}, {"algorithm", "direct"}});
  for (std::size_t t = 1; t < f.trace.rounds.size(); ++t)
    for (std::size_t a = 0; a < 10; ++a) {
      const double r = f.trace.rounds[t].actors("risk")->data[0][a];
      EXPECT_GE(r, 0.5);
      EXPECT_LE(r, 2.0);
      EXPECT_NEAR(r, d.trace.rounds[t].actors("risk")->data[0][a], 1e-9);
    }
  // Each actor's own danger lies between its best and worst over positions, so r differs from
  // the over-actors normalisation (Ireland is no longer pinned at r = 0.5).
  EXPECT_NE(f.trace.rounds[1].actors("risk")->data[0][IE], 0.5);
}

TEST(BdmOptions, MedianShiftStop) {
  const auto sc = ec();
  // epsilon = 1 (a whole Delta): every shift is small, so the run stops after k rounds.
  const auto res = run(sc, {{"stop", "median-shift"}, {"epsilon", "1"}, {"k", "2"}});
  EXPECT_EQ(res.trace.rounds.size(), 3u);
  EXPECT_EQ(res.diagnostics.front().second, 2);
  EXPECT_EQ(res.forecasts[0].value, res.trace.rounds[2].issues("median")->data[0]);
  // A tiny epsilon never triggers on the EC case (its median cycles): all 10 rounds run.
  EXPECT_EQ(run(sc, {{"stop", "median-shift"}, {"epsilon", "1e-9"}, {"k", "3"}}).trace.rounds.size(), 11u);
  // The Sultan case never moves: stops after k calm rounds.
  const auto sultan = bdm_test::load_case(bdm_test::data("cases/bdm1997_sultan_actors.csv"));
  EXPECT_EQ(run(sultan, {{"stop", "median-shift"}, {"epsilon", "1e-9"}, {"k", "3"}}).trace.rounds.size(), 4u);
}

TEST(BdmOptions, TiledFastPathEqualsUntiled) {
  const auto sc = bdm_test::load_case(bdm_test::data("cases/bdm_china_dmasad_actors.csv"));
  std::vector<double> x, c, s;
  for (const auto& a : sc.actors) {
    x.push_back(a.stances[0]->position.value);
    c.push_back(a.capability.value);
    s.push_back(a.stances[0]->salience.value);
  }
  Options big, small;
  small.tile_budget = 1;  // one position per tile
  const auto a = entente::bdm::run_issue({c, s}, x, 0, big);
  const auto b = entente::bdm::run_issue({c, s}, x, 0, small);
  for (std::size_t t = 0; t < a.rounds.size(); ++t) EXPECT_EQ(a.rounds[t].x, b.rounds[t].x);
}

}  // namespace
