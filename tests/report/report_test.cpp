// The HTML report: every section is there, every scenario text is escaped, nothing is fetched.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "entente/model.hpp"
#include "entente/report.hpp"
#include "entente/scenario.hpp"
#include "support/test_models.hpp"
#include "output/html.hpp"

namespace entente {
namespace {

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

Quantity q(double v) {
  Quantity x;
  x.value = v;
  return x;
}

// Every text field holds markup that would run or fetch if it were not escaped.
Scenario hostile() {
  const std::string evil = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
  Scenario s;
  s.title = "Title " + evil;
  s.as_of = "2025-01-01" + evil;
  s.description = "Desc " + evil;
  s.origin = "file" + evil + ".yaml";
  s.sources.push_back(Source{"src1", "Source " + evil, "Pub " + evil, "2025", "javascript:alert(3)", "f" + evil, {}});
  s.sources.push_back(Source{"src2", "Ok", "", "", "https://example.org/a?b=1&c=\"><script>x</script>", "", {}});
  Issue num;
  num.id = "i1";
  num.name = "Issue " + evil;
  num.description = "About " + evil;
  num.points = {ScalePoint{0, "Zero " + evil}, ScalePoint{100, "Hundred " + evil}};
  num.status_quo = 30;
  Issue cat;
  cat.id = "i2";
  cat.name = "Cat " + evil;
  cat.kind = Issue::Kind::categorical;
  cat.options = {"Opt " + evil, "B"};
  s.issues = {num, cat};
  for (int k = 0; k < 3; ++k) {
    Actor a;
    a.id = "a" + std::to_string(k);
    a.name = "Actor " + std::to_string(k) + evil;
    a.description = "Who " + evil;
    a.capability = q(10.0 + 10 * k);
    Stance st;
    st.position = q(20.0 * k + 10);
    st.salience = q(0.5);
    if (k == 0) {
      st.position.evidence = Evidence{"src1", "quote " + evil, ""};
      st.salience.evidence = Evidence{"", "", "judgment " + evil};
      st.salience.uncertainty.kind = Uncertainty::Kind::range;
      st.salience.uncertainty.low = 0.3;
      st.salience.uncertainty.high = 0.7;
    }
    Stance cst;
    cst.salience = q(0.4);
    cst.utilities = {q(k == 0 ? 1.0 : 0.0), q(k == 0 ? 0.0 : 1.0)};
    a.stances = {st, cst};
    s.actors.push_back(a);
  }
  return s;
}

Result fake_result(const Scenario& s) {
  Result r;
  r.model = "fake<b>model";
  r.forecasts.resize(s.issues.size());
  r.forecasts[0].value = 42.5;
  r.forecasts[0].extras = {{"spread<i>", 3.0}};
  r.forecasts[0].note = "note " + s.title;
  r.forecasts[1].value = 1;
  r.forecasts[1].option_probabilities = {0.25, 0.75};
  for (int k = 0; k <= 3; ++k) {
    Round round;
    round.index = k;
    ActorSeries pos{"position", "x", {{10.0 + k, 30.0, 50.0 - k}, {NAN, NAN, NAN}}};
    round.actor_series.push_back(pos);
    round.issue_series.push_back(IssueSeries{"median", {30.0 + k, NAN}});
    round.issue_series.push_back(IssueSeries{"mean", {31.0 - k, NAN}});
    r.trace.rounds.push_back(round);
  }
  return r;
}

ReportInputs full_inputs(const Scenario& s) {
  ReportInputs in;
  in.results.push_back(fake_result(s));
  ForecastDraws d;
  d.model = in.results[0].model;
  d.values = {{40, 41, 42, 43, 44, 45, 50, NAN}, {0, 1, 1, 1}};
  in.draws.push_back(d);
  Tornado t;
  t.model = in.results[0].model;
  t.issue = 0;
  t.base = 42.5;
  t.bars = {TornadoBar{"a0.i1.salience<x>", 0.3, 0.7, 40, 45}, TornadoBar{"a1.i1.position", 20, 40, 41, 43}};
  in.tornadoes.push_back(t);
  in.command = "entente report <x>";
  return in;
}

TEST(Report, EscapesEveryScenarioText) {
  const Scenario s = hostile();
  const std::string html = write_report(s, full_inputs(s));
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_EQ(count(html, "<b>model"), 0u);
  EXPECT_EQ(count(html, "<i>"), 0u);
  EXPECT_EQ(count(html, "<x>"), 0u);
  // Raw quotes never leave an attribute: every '"' inside a tag comes from the template.
  EXPECT_EQ(html.find("<img src=x onerror"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // Only http(s) links; the javascript: URL is not a link.
  EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos);
  std::regex href("href=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it) {
    const std::string url = (*it)[1];
    EXPECT_TRUE(url.rfind("#", 0) == 0 || url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) << url;
  }
  EXPECT_NE(html.find("https://example.org/a?b=1&amp;c=&quot;&gt;&lt;script&gt;"), std::string::npos);
}

TEST(Report, IsSelfContainedAndInert) {
  const Scenario s = hostile();
  const std::string html = write_report(s, full_inputs(s));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  // Nothing to fetch: no script, no external stylesheet, no src attributes.
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_EQ(count(html, "<link"), 0u);
  // (escaped text may say "src=": look at attribute names only, quoted values removed)
  const std::string names_only = std::regex_replace(html, std::regex("\"[^\"]*\""), "\"\"");
  EXPECT_FALSE(std::regex_search(names_only, std::regex("<[^>]*\\ssrc=")));
  EXPECT_FALSE(std::regex_search(names_only, std::regex("<[^>]*\\son[a-z]+=")));
  EXPECT_FALSE(entente::testing::shows_nan(html));
  EXPECT_EQ(html.find("inf<"), std::string::npos);
}

TEST(Report, HasEverySection) {
  const Scenario s = hostile();
  const std::string html = write_report(s, full_inputs(s));
  for (const char* id : {"id=\"forecasts\"", "id=\"issue-i1\"", "id=\"issue-i2\"", "id=\"actors\"", "id=\"evidence\"",
                         "id=\"missing-evidence\"", "id=\"sources\"", "id=\"src-src1\""})
    EXPECT_NE(html.find(id), std::string::npos) << id;
  // Charts: an issue chart per issue, a trajectory, a histogram per issue with draws, a tornado.
  EXPECT_GE(count(html, "<svg"), 5u);
  EXPECT_NE(html.find("positions over rounds"), std::string::npos);
  EXPECT_NE(html.find("Distribution of the forecast on"), std::string::npos);
  EXPECT_NE(html.find("Sensitivity of the"), std::string::npos);
  // The forecast and its labelled-point description.
  EXPECT_NE(html.find("42.5"), std::string::npos);
  // Evidence: the quote, the judgment, the uncertainty, and "none" for numbers without evidence.
  EXPECT_NE(html.find("quote &lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("judgment: judgment"), std::string::npos);
  EXPECT_NE(html.find("range [0.3, 0.7]"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"missing\">none</td>"), std::string::npos);
  EXPECT_NE(html.find("actors.a1.issues.i1.position"), std::string::npos);
}

TEST(Report, SaysWhySimulationOrSensitivityIsMissing) {
  const Scenario s = hostile();
  ReportInputs in;
  in.results.push_back(fake_result(s));
  in.simulation_note = "no simulation here";
  in.sensitivity_note = "no sensitivity here";
  const std::string html = write_report(s, in);
  EXPECT_NE(html.find("no simulation here"), std::string::npos);
  EXPECT_NE(html.find("no sensitivity here"), std::string::npos);
}

TEST(Report, RealScenarioAndModels) {
  const Scenario s = load_scenario(std::string(ENTENTE_TEST_DATA) + "/web/talks.yaml");
  ReportRequest req;
  req.scenario.scenario = std::make_shared<const Scenario>(s);
  req.models.models = {"compromise", "median"};
  req.draws = 50;
  const ReportInputs in = report(req).inputs;
  ASSERT_EQ(in.results.size(), 2u);
  const std::string html = write_report(s, in);
  // compromise = (80*.6*20 + 50*.9*70 + 30*.5*55) / 108 = 45.69 (4 significant digits in the report)
  EXPECT_NE(html.find("45.69"), std::string::npos);
  EXPECT_NE(html.find("Budget share"), std::string::npos);
  EXPECT_NE(html.find("North pays most"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://example.org/memo\""), std::string::npos);
}

TEST(Charts, ShowNeverPrintsNan) {
  EXPECT_EQ(display_number(NAN), "n/a");
  EXPECT_EQ(display_number(INFINITY), "n/a");
  EXPECT_EQ(display_number(45.694444), "45.69");
  EXPECT_EQ(display_number(100), "100");
  EXPECT_EQ(display_number(-0.0), "0");
}

TEST(Charts, EmptyInputsGiveNoChart) {
  Issue is;
  EXPECT_EQ(charts::histogram_chart(is, {}, 0, false), "");
  EXPECT_EQ(charts::histogram_chart(is, {NAN, NAN}, 0, false), "");
  Tornado t;
  EXPECT_EQ(charts::tornado_chart(is, t), "");
  const Scenario s = hostile();
  EXPECT_EQ(charts::trajectory_chart(s, 0, Result{}), "");
  EXPECT_EQ(charts::issue_chart(s, 99, {}), "");
}

}  // namespace
}  // namespace entente
