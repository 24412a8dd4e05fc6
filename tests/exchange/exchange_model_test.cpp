// Properties of the exchange model beyond the reference vectors: determinism of the seeded
// variants, no NaN, robustness to degenerate data, the model's metadata.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "decide_reader.hpp"
#include "entente/model.hpp"

namespace {
entente::Scenario data_short() {
  return entente::testing::read_decide_for_tests(std::string(ENTENTE_TEST_DATA) + "/decide/data_short.csv");
}
std::vector<double> outcomes(const entente::Result& r) {
  std::vector<double> v;
  for (const auto& round : r.trace.rounds)
    for (double x : round.issues("voting_nbs_after_exchanges")->data) v.push_back(x);
  return v;
}
void expect_finite(const entente::Result& r) {
  for (const auto& f : r.forecasts) {
    if (f.defined) {
      EXPECT_TRUE(std::isfinite(f.value));
    }
  }
  for (const auto& round : r.trace.rounds)
    for (const auto& s : round.issue_series)
      for (double x : s.data) EXPECT_TRUE(std::isfinite(x)) << s.name;
}
}  // namespace

TEST(ExchangeModel, Metadata) {
  const auto& info = entente::find_model("exchange").info();
  EXPECT_TRUE(info.has_rounds);
  EXPECT_EQ(info.trace_layout, entente::ModelInfo::TraceLayout::issue_rounds);
  EXPECT_EQ(info.round_label, "round");
}

TEST(ExchangeModel, TraceShapeAndForecast) {
  const auto sc = data_short();
  const auto r = entente::run_model(sc, "exchange", {{"rounds", "2"}}, 0);
  ASSERT_EQ(r.trace.rounds.size(), 2u);
  EXPECT_EQ(r.trace.rounds[0].index, 1);
  const auto& s = r.trace.rounds[0].issue_series;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].name, "preference_nbs_start_of_round");
  EXPECT_EQ(s[1].name, "voting_nbs_after_exchanges");
  EXPECT_EQ(s[2].name, "exchanges_realized");
  ASSERT_NE(r.trace.rounds[0].actors("position"), nullptr);
  // The forecast is the last round's voting outcome.
  for (std::size_t k = 0; k < sc.issues.size(); ++k)
    EXPECT_DOUBLE_EQ(r.forecasts[k].value, r.trace.rounds[1].issues("voting_nbs_after_exchanges")->data[k]);
  // One exchange event per realised exchange.
  std::size_t n = 0;
  for (const auto& e : r.trace.rounds[0].events) n += e.kind == "exchange";
  EXPECT_EQ(static_cast<double>(n), s[2].data[0]);
}

TEST(ExchangeModel, SeededVariantsAreDeterministic) {
  const auto sc = data_short();
  for (const entente::Params& p : {entente::Params{{"variant", "rex"}, {"p", "0.5"}, {"rounds", "3"}},
                                   entente::Params{{"variant", "rex"}, {"p", "0.5"}, {"rex_fix", "true"}, {"rounds", "3"}},
                                   entente::Params{{"ties", "random"}, {"rounds", "3"}},
                                   entente::Params{{"variant", "random_rate"}, {"rounds", "2"}, {"arith", "double"}}}) {
    const auto a = entente::run_model(sc, "exchange", p, 42);
    const auto b = entente::run_model(sc, "exchange", p, 42);
    EXPECT_EQ(outcomes(a), outcomes(b));
    expect_finite(a);
  }
}

TEST(ExchangeModel, RexWithPZeroIsEqualGain) {
  const auto sc = data_short();
  const auto eg = entente::run_model(sc, "exchange", {{"rounds", "3"}}, 1);
  const auto rex = entente::run_model(sc, "exchange", {{"rounds", "3"}, {"variant", "rex"}, {"p", "0"}}, 1);
  EXPECT_EQ(outcomes(eg), outcomes(rex));
}

TEST(ExchangeModel, DegenerateDataNeitherCrashesNorProducesNaN) {
  auto sc = data_short();
  sc.actors[0].stances[0]->salience.value = 0;     // would divide by zero in Decide
  sc.actors[1].stances[1]->capability->value = 0;  // zero power
  sc.actors[2].stances[2].reset();                 // missing row
  for (const char* arith : {"decimal28", "double"}) {
    const auto r = entente::run_model(sc, "exchange", {{"rounds", "3"}, {"arith", arith}}, 0);
    expect_finite(r);
  }
}

TEST(ExchangeModel, RejectsUnknownParameters) {
  const auto sc = data_short();
  EXPECT_THROW((void)entente::run_model(sc, "exchange", {{"arith", "float"}}, 0), entente::InputError);
  EXPECT_THROW((void)entente::run_model(sc, "exchange", {{"nonsense", "1"}}, 0), entente::InputError);
}

// Random small scenarios with the awkward cases the real files avoid: equal positions (actors on
// the outcome), zero saliences and powers, missing stances, positions at the bounds, a narrow
// scale. Every variant in both arithmetics runs without an exception and reports finite
// numbers; the first round's preference outcome is the compromise in both arithmetics.
RC_GTEST_PROP(ExchangeProperty, AwkwardScenariosRunAndStayFinite, ()) {
  const int actors = *rc::gen::inRange(2, 9);
  const int issues = *rc::gen::inRange(2, 6);
  entente::Scenario sc;
  for (int k = 0; k < issues; ++k) {
    entente::Issue is;
    is.id = "i" + std::to_string(k);
    is.min = *rc::gen::element(0.0, -5.0, 10.0);
    is.max = is.min + *rc::gen::element(100.0, 1.0, 0.5);
    sc.issues.push_back(is);
  }
  for (int a = 0; a < actors; ++a) {
    entente::Actor ac;
    ac.id = "a" + std::to_string(a);
    ac.capability.value = 1;
    for (int k = 0; k < issues; ++k) {
      if (*rc::gen::inRange(0, 6) == 0) {
        ac.stances.emplace_back();  // no position on this issue
        continue;
      }
      const auto& is = sc.issues[static_cast<std::size_t>(k)];
      entente::Stance st;
      st.position.value = is.min + (is.max - is.min) * *rc::gen::element(0.0, 0.25, 0.5, 0.5, 0.75, 1.0, 0.3);
      st.salience.value = *rc::gen::element(0.0, 0.1, 0.5, 0.5, 0.9, 1.0);
      st.capability = entente::Quantity{};
      st.capability->value = *rc::gen::element(0.0, 0.2, 0.5, 1.0);
      ac.stances.push_back(st);
    }
    sc.actors.push_back(ac);
  }
  const entente::Params variants[] = {{{"rounds", "3"}},
                                      {{"rounds", "2"}, {"variant", "rex"}, {"p", "0.5"}},
                                      {{"rounds", "2"}, {"variant", "rex"}, {"p", "0.5"}, {"rex_fix", "true"}},
                                      {{"rounds", "2"}, {"variant", "random_rate"}},
                                      {{"rounds", "2"}, {"ties", "random"}}};
  std::vector<double> first[2];
  for (int m = 0; m < 2; ++m) {
    for (entente::Params p : variants) {
      p.set("arith", m == 0 ? "decimal28" : "double");
      const auto r = entente::run_model(sc, "exchange", p, 3);
      for (const auto& round : r.trace.rounds)
        for (const auto& s : round.issue_series)
          for (double x : s.data) RC_ASSERT(std::isnan(x) || std::isfinite(x));
      if (p.values().size() == 2) first[m] = r.trace.rounds.at(0).issues("preference_nbs_start_of_round")->data;
    }
  }
  // Same compromise before any exchange (NaN where no actor holds the issue).
  for (std::size_t k = 0; k < first[0].size(); ++k) {
    if (std::isnan(first[0][k])) {
      RC_ASSERT(std::isnan(first[1][k]));
    } else {
      RC_ASSERT(std::fabs(first[0][k] - first[1][k]) <= 1e-9 * (1 + std::fabs(first[0][k])));
    }
  }
}
