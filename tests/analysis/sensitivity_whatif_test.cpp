#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstring>

#include "entente/analysis.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"
#include "support/test_models.hpp"

using namespace entente;
using namespace entente::testing;

namespace {
// The presentation layer renders responses; the analysis results are wrapped in them.
std::string write_sensitivity(const Scenario& s, const SensitivityResult& r, Format f, std::size_t top = 10) {
  SensitivityResponse rsp;
  rsp.scenario = s;
  rsp.result = r;
  rsp.top = top;
  return render(rsp, f);
}
std::string write_whatif(const Scenario& s, const WhatIfOptions& o, const WhatIfResult& r, Format f) {
  WhatIfResponse rsp;
  rsp.scenario = s;
  rsp.options = o;
  rsp.result = r;
  return render(rsp, f);
}
std::string write_comparison(const Comparison& c, Format f) {
  CompareResponse rsp;
  rsp.comparison = c;
  return render(rsp, f);
}
}  // namespace

TEST(Sensitivity, RanksTheObviousInputFirst) {
  // Three equal-weight actors: the forecast is the plain mean of positions. a's position spans
  // [0, 100] (swing 100/3); b's salience [0.9, 1] moves it a little; c's capability [1, 1.1] too.
  const auto s = one_issue({{"a", q(1), q(50, uniform(0, 100)), q(1)},
                            {"b", q(1), q(20), q(1, uniform(0.9, 1))},
                            {"c", q(1, uniform(1, 1.1)), q(80), q(1)}});
  SensitivityOptions o;
  o.model = "test_wmean";
  const auto r = sensitivity(s, o);
  ASSERT_EQ(r.entries.size(), 6u);  // 3 inputs + 3 drops
  EXPECT_NEAR(r.base[0], 50, 1e-12);
  const auto& top = r.entries[r.ranking[0][0]];
  EXPECT_EQ(top.label, "a.x.position");
  EXPECT_NEAR(top.at_low[0], (0 + 20 + 80) / 3.0, 1e-12);
  EXPECT_NEAR(top.at_high[0], (100 + 20 + 80) / 3.0, 1e-12);
  EXPECT_NEAR(SensitivityResult::swing(top, 0, r.base[0]), 100 / 3.0, 1e-12);
  // Dropping b (at 20) moves the mean to (50 + 80)/2 = 65: swing 15, the second largest effect.
  const auto& second = r.entries[r.ranking[0][1]];
  EXPECT_EQ(second.label, "b");
  EXPECT_EQ(second.kind, SensitivityEntry::Kind::drop);
  EXPECT_NEAR(SensitivityResult::swing(second, 0, r.base[0]), 15, 1e-12);
  // b's salience at 0.9: (50 + 0.9*20 + 80)/2.9; at 1: 50. c's capability at 1.1: (50+20+88)/3.1.
  for (std::size_t k : r.ranking[0]) {
    const auto& e = r.entries[k];
    if (e.label == "b.x.salience") {
      EXPECT_NEAR(SensitivityResult::swing(e, 0, 50), 148 / 2.9 - 50, 1e-12);
    }
    if (e.label == "c.capability") {
      EXPECT_NEAR(SensitivityResult::swing(e, 0, 50), 158 / 3.1 - 50, 1e-12);
    }
  }
  for (auto f : {Format::table, Format::json, Format::csv}) EXPECT_FALSE(shows_nan(write_sensitivity(s, r, f)));
  const auto j = nlohmann::json::parse(write_sensitivity(s, r, Format::json, 2));
  EXPECT_EQ(j["issues"][0]["ranking"].size(), 2u);
  EXPECT_EQ(j["issues"][0]["ranking"][0]["label"], "a.x.position");
}

TEST(Sensitivity, NormalInputsUseTheir5And95PercentQuantiles) {
  const auto s = one_issue({{"a", q(1), q(50, normal(50, 10, 0, 100)), q(1)}, {"b", q(1), q(50), q(1)}});
  SensitivityOptions o;
  o.model = "test_wmean";
  o.drop_actors = false;
  const auto r = sensitivity(s, o);
  ASSERT_EQ(r.entries.size(), 1u);
  // 50 -/+ 1.6448536 sd (the truncation at 5 sd changes the quantiles by < 1e-6).
  EXPECT_NEAR(r.entries[0].low, 50 - 16.448536, 1e-4);
  EXPECT_NEAR(r.entries[0].high, 50 + 16.448536, 1e-4);
}

// SensitivityRequest::threads (CLI --threads): the entries are independent runs in their own
// slots, so 1, 2 and 3 workers give bit-identical results (bdm: real floating-point work).
TEST(Sensitivity, BitIdenticalOnAnyNumberOfThreads) {
  const auto s = one_issue({{"a", q(1, uniform(0.5, 2)), q(10, uniform(0, 30)), q(0.8)},
                            {"b", q(2), q(35, uniform(20, 50)), q(0.5, uniform(0.2, 0.9))},
                            {"c", q(1.5), q(60), q(1, uniform(0.6, 1))},
                            {"d", q(0.7, uniform(0.3, 1)), q(80, uniform(70, 100)), q(0.6)},
                            {"e", q(1), q(95), q(0.9)}});
  std::vector<SensitivityResult> runs;
  for (unsigned t : {1u, 2u, 3u}) {
    SensitivityRequest req;
    req.scenario.scenario = std::make_shared<const Scenario>(s);
    req.models.models = {"bdm"};
    req.threads = t;
    runs.push_back(sensitivity(req).result);
  }
  auto bits = [](const std::vector<double>& v) {
    std::vector<std::uint64_t> b(v.size());
    std::memcpy(b.data(), v.data(), v.size() * sizeof(double));
    return b;
  };
  ASSERT_EQ(runs[0].entries.size(), 7u + 5u);  // 7 uncertain inputs + 5 drops
  for (std::size_t r = 1; r < runs.size(); ++r) {
    ASSERT_EQ(runs[r].entries.size(), runs[0].entries.size());
    EXPECT_EQ(bits(runs[r].base), bits(runs[0].base));
    for (std::size_t k = 0; k < runs[0].entries.size(); ++k) {
      EXPECT_EQ(bits(runs[r].entries[k].at_low), bits(runs[0].entries[k].at_low)) << runs[0].entries[k].label;
      EXPECT_EQ(bits(runs[r].entries[k].at_high), bits(runs[0].entries[k].at_high)) << runs[0].entries[k].label;
    }
    EXPECT_EQ(runs[r].ranking, runs[0].ranking);
  }
}

namespace {
// a: c=1 s=1 x=0; b: c=2 s=0.5 x=100; c: c=1 s=1 x=40. Weights 1, 1, 1: forecast 140/3.
Scenario hand() { return one_issue({{"a", q(1), q(0), q(1)}, {"b", q(2), q(100), q(0.5)}, {"c", q(1), q(40), q(1)}}); }
WhatIfOptions wo(std::string lever, double target) {
  WhatIfOptions o;
  o.model = "test_wmean";
  o.actor = "a";
  o.issue = "x";
  o.lever = std::move(lever);
  o.target = target;
  return o;
}
}  // namespace

TEST(WhatIf, PositionByHand) {
  // (x + 100 + 40)/3 = 50  =>  x = 10: a moves +10.
  const auto r = whatif(hand(), wo("position", 50));
  ASSERT_TRUE(r.reachable);
  EXPECT_NEAR(r.value, 10, 1e-6);
  EXPECT_NEAR(r.change, 10, 1e-6);
  EXPECT_NEAR(r.forecast, 50, 1e-4);
  EXPECT_NEAR(r.base_forecast, 140.0 / 3, 1e-12);
}

TEST(WhatIf, SalienceByHand) {
  // (s*0 + 100 + 40)/(s + 2) = 50  =>  s = 0.8: a's salience -0.2.
  const auto r = whatif(hand(), wo("salience", 50));
  ASSERT_TRUE(r.reachable);
  EXPECT_NEAR(r.value, 0.8, 1e-6);
  EXPECT_NEAR(r.change, -0.2, 1e-6);
}

TEST(WhatIf, CapabilityByHand) {
  // Lower the forecast: (c*0 + 140)/(c + 2) = 40  =>  c = 1.5.
  const auto r = whatif(hand(), wo("capability", 40));
  ASSERT_TRUE(r.reachable);
  EXPECT_NEAR(r.value, 1.5, 1e-6);
}

TEST(WhatIf, UnreachableTarget) {
  // a's position can at most give (100 + 140)/3 = 80.
  const auto r = whatif(hand(), wo("position", 95));
  EXPECT_FALSE(r.reachable);
  EXPECT_NE(r.note.find("80"), std::string::npos) << r.note;
  const auto j = nlohmann::json::parse(write_whatif(hand(), wo("position", 95), r, Format::json));
  EXPECT_EQ(j["reachable"], false);
  EXPECT_TRUE(j["value"].is_null());
  EXPECT_NE(write_whatif(hand(), wo("position", 95), r, Format::table).find("UNREACHABLE"), std::string::npos);
}

TEST(WhatIf, AlreadyThere) {
  const auto r = whatif(hand(), wo("position", 140.0 / 3));
  EXPECT_TRUE(r.reachable);
  EXPECT_EQ(r.change, 0);
}

TEST(WhatIf, PositionOnAMedian) {
  // Median of a(10), b(50), c(90), equal weights, is b's position while b stays between a and c:
  // the smallest move of b that gives 90 is b to 90 (change +40).
  auto s = one_issue({{"a", q(1), q(10), q(1)}, {"b", q(1), q(50), q(1)}, {"c", q(1), q(90), q(1)}});
  WhatIfOptions o;
  o.model = "test_wmedian";
  o.actor = "b";
  o.issue = "x";
  o.target = 90;
  const auto r = whatif(s, o);
  ASSERT_TRUE(r.reachable);
  EXPECT_NEAR(r.value, 90, 1e-6);
  EXPECT_NEAR(r.forecast, 90, 1e-6);
}

TEST(WhatIf, StepFunctionJumpsOverTheTarget) {
  // a(10, weight 1.5), b(50, weight 1), c(90, weight s): half the weight is 1.25 + s/2, which a
  // alone holds iff s <= 0.5. So the median is 10 for s <= 0.5 and 50 above: a jump at s = 0.5.
  auto s = one_issue({{"a", q(1.5), q(10), q(1)}, {"b", q(1), q(50), q(1)}, {"c", q(1), q(90), q(1)}});
  WhatIfOptions o;
  o.model = "test_wmedian";
  o.actor = "c";
  o.issue = "x";
  o.lever = "salience";
  o.target = 10;
  auto r = whatif(s, o);
  ASSERT_TRUE(r.reachable);
  EXPECT_NEAR(r.value, 0.5, 1e-9);
  EXPECT_NEAR(r.change, -0.5, 1e-9);
  EXPECT_EQ(r.forecast, 10);
  o.target = 30;  // never taken: the median jumps from 50 to 10
  r = whatif(s, o);
  EXPECT_FALSE(r.reachable);
  EXPECT_NE(r.note.find("jumps from 50 to 10"), std::string::npos) << r.note;
}

TEST(WhatIf, BadLeverIsAnInputError) {
  EXPECT_THROW((void)whatif(hand(), wo("mood", 50)), InputError);
  auto o = wo("position", 50);
  o.actor = "nobody";
  EXPECT_THROW((void)whatif(hand(), o), InputError);
}

TEST(Compare, DifferencesByHand) {
  const Scenario a = hand();
  Scenario b = hand();
  b.actors[0].stances[0]->position.value = 30;  // (30 + 140)/3
  const auto c = compare(a, b, {"test_wmean"}, {}, 0);
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_NEAR(c.rows[0].a[0]->value, 140.0 / 3, 1e-12);
  EXPECT_NEAR(c.rows[0].b[0]->value, 170.0 / 3, 1e-12);
  const auto j = nlohmann::json::parse(write_comparison(c, Format::json));
  EXPECT_NEAR(j["issues"][0]["forecasts"]["test_wmean"]["difference"].get<double>(), 10, 1e-12);
  EXPECT_NE(write_comparison(c, Format::csv).find("x,test_wmean,"), std::string::npos);
}
