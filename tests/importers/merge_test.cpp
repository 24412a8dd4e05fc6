// Expert panels (entente merge). Three experts in tests/data/import/panel_{alice,bob,carol}.csv;
// every expected number below is worked out by hand from those files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "entente/merge.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"

namespace entente::test {
namespace {

std::vector<Expert> panel() {
  std::vector<Expert> out;
  for (const char* name : {"alice", "bob", "carol"}) {
    Expert e;
    e.name = name;
    e.file = data_path(std::string("import/panel_") + name + ".csv");
    e.scenario = load_scenario(e.file);
    out.push_back(std::move(e));
  }
  return out;
}

void expect_triangle(const Quantity& q, double value, double low, double high) {
  EXPECT_DOUBLE_EQ(q.value, value);
  if (low == high) {
    EXPECT_FALSE(q.uncertainty.present());
    return;
  }
  ASSERT_EQ(q.uncertainty.kind, Uncertainty::Kind::triangular);
  EXPECT_DOUBLE_EQ(q.uncertainty.low, low);
  EXPECT_DOUBLE_EQ(q.uncertainty.mode, value);
  EXPECT_DOUBLE_EQ(q.uncertainty.high, high);
}

const PanelSpread& spread_of(const PanelResult& r, const std::string& field) {
  const auto it = std::find_if(r.spreads.begin(), r.spreads.end(), [&](const PanelSpread& p) { return p.field == field; });
  if (it == r.spreads.end()) throw std::logic_error("no spread " + field);
  return *it;
}

TEST(Merge, ThreeExpertsGiveTheHandWorkedMediansAndRanges) {
  const PanelResult r = merge_experts(panel());
  const Scenario& s = r.scenario;
  ASSERT_EQ(s.issues.size(), 2u);
  ASSERT_EQ(s.actors.size(), 4u);  // A, B, C from everyone, D from alice and carol
  EXPECT_EQ(s.format, "panel");

  // Capabilities. alice: A 50, B 30, C 20 (D 10); bob on 0-1: A 0.4, B 0.4, C 0.2; carol: A 60,
  // B 20, C 20 (D 30). The actors every expert rated are A, B, C: alice's total 100, bob's 1,
  // carol's 100, so bob's are multiplied by 100/1 = 100 -> A 40, B 40, C 20.
  //   A: 50, 40, 60 -> median 50, range [40, 60]
  //   B: 30, 40, 20 -> median 30, range [20, 40]
  //   C: 20, 20, 20 -> 20, no uncertainty
  //   D: 10, 30     -> median (10 + 30) / 2 = 20, range [10, 30]
  expect_triangle(s.actors[s.actor_index("a")].capability, 50, 40, 60);
  expect_triangle(s.actors[s.actor_index("b")].capability, 30, 20, 40);
  expect_triangle(s.actors[s.actor_index("c")].capability, 20, 20, 20);
  expect_triangle(s.actors[s.actor_index("d")].capability, 20, 10, 30);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("bob's capabilities are multiplied by 100"), std::string::npos) << r.notes[0];

  // Tax, on 0-100 in every file. Positions A 20/10/40, B 60/70/50, C 90/80/100, D 50/-/70.
  EXPECT_DOUBLE_EQ(s.issues[0].min, 0);
  EXPECT_DOUBLE_EQ(s.issues[0].max, 100);
  expect_triangle(stance_of(s, "a", "tax").position, 20, 10, 40);
  expect_triangle(stance_of(s, "b", "tax").position, 60, 50, 70);
  expect_triangle(stance_of(s, "c", "tax").position, 90, 80, 100);
  expect_triangle(stance_of(s, "d", "tax").position, 60, 50, 70);
  // Saliences (written 0-100, read /100): A .8/.9/.6, B .5/.5/.5, C .4/.2/.3, D .2/-/.4.
  expect_triangle(stance_of(s, "a", "tax").salience, 0.8, 0.6, 0.9);
  expect_triangle(stance_of(s, "b", "tax").salience, 0.5, 0.5, 0.5);
  expect_triangle(stance_of(s, "c", "tax").salience, 0.3, 0.2, 0.4);
  expect_triangle(stance_of(s, "d", "tax").salience, (0.2 + 0.4) / 2, 0.2, 0.4);

  // Venue, options X, Y, Z (n = 3; a ranking gives 1, 0.5, 0; an option as position 1, 0, 0).
  //   A: alice X -> (1, 0, 0); bob "X > Z > Y" -> (1, 0, 0.5); carol utilities (0.8, 0.1, 0.3)
  //      X: 1, 1, 0.8 -> 1 [0.8, 1];  Y: 0, 0, 0.1 -> 0 [0, 0.1];  Z: 0, 0.5, 0.3 -> 0.3 [0, 0.5]
  //   B: alice "Y > X > Z" -> (0.5, 1, 0); bob Y -> (0, 1, 0); carol "Y > Z > X" -> (0, 1, 0.5)
  //      X: 0.5, 0, 0 -> 0 [0, 0.5];  Y: 1 (all);  Z: 0, 0, 0.5 -> 0 [0, 0.5]
  //   C: alice (0.2, 0.4, 1.0); bob (0, 0.6, 0.8); carol Z -> (0, 0, 1)
  //      X: 0.2, 0, 0 -> 0 [0, 0.2];  Y: 0.4, 0.6, 0 -> 0.4 [0, 0.6];  Z: 1, 0.8, 1 -> 1 [0.8, 1]
  ASSERT_EQ(s.issues[1].options, (std::vector<std::string>{"X", "Y", "Z"}));
  const auto& ua = stance_of(s, "a", "venue").utilities;
  expect_triangle(ua[0], 1, 0.8, 1);
  expect_triangle(ua[1], 0, 0, 0.1);
  expect_triangle(ua[2], 0.3, 0, 0.5);
  const auto& ub = stance_of(s, "b", "venue").utilities;
  expect_triangle(ub[0], 0, 0, 0.5);
  expect_triangle(ub[1], 1, 1, 1);
  expect_triangle(ub[2], 0, 0, 0.5);
  const auto& uc = stance_of(s, "c", "venue").utilities;
  expect_triangle(uc[0], 0, 0, 0.2);
  expect_triangle(uc[1], 0.4, 0, 0.6);
  expect_triangle(uc[2], 1, 0.8, 1);
  // Venue saliences: A .3/.4/.2 -> .3 [.2, .4]; B .6 (all); C .1/.3/.2 -> .2 [.1, .3]. D holds none.
  expect_triangle(stance_of(s, "a", "venue").salience, 0.3, 0.2, 0.4);
  expect_triangle(stance_of(s, "c", "venue").salience, 0.2, 0.1, 0.3);
  EXPECT_EQ(s.stance(s.actor_index("d"), s.issue_index("venue")), nullptr);

  // Each expert is evidence: a source per expert, and each number names every expert's value.
  ASSERT_EQ(s.sources.size(), 3u);
  EXPECT_EQ(s.sources[1].id, "expert-bob");
  EXPECT_EQ(s.sources[1].file, data_path("import/panel_bob.csv"));
  EXPECT_EQ(stance_of(s, "a", "tax").position.evidence.judgment, "median of 3 experts: alice 20, bob 10, carol 40");
  EXPECT_EQ(s.actors[s.actor_index("d")].capability.evidence.judgment, "median of 2 experts: alice 10, carol 30");
  EXPECT_TRUE(missing_evidence(s).empty());

  // Spreads, relative to the number's range (positions: the scale's 100; saliences and
  // utilities: 1; capabilities: the highest value). Largest first:
  //   D capability (30 - 10) / 30 = 0.667, C utility of Y 0.6 / 1 = 0.6, then four at 0.5 in
  //   panel order (A utility of Z, B capability 20 / 40, B utilities of X and Z).
  ASSERT_GE(r.spreads.size(), 6u);
  EXPECT_EQ(r.spreads[0].field, "actors.d.capability");
  EXPECT_NEAR(r.spreads[0].relative, 2.0 / 3, 1e-12);
  EXPECT_EQ(r.spreads[0].values, (std::vector<std::pair<std::string, double>>{{"alice", 10}, {"carol", 30}}));
  EXPECT_EQ(r.spreads[1].field, "actors.c.issues.venue.utilities.Y");
  EXPECT_DOUBLE_EQ(r.spreads[1].relative, 0.6);
  EXPECT_EQ(r.spreads[2].field, "actors.a.issues.venue.utilities.Z");
  EXPECT_EQ(r.spreads[3].field, "actors.b.capability");
  EXPECT_DOUBLE_EQ(r.spreads[3].relative, 0.5);
  EXPECT_DOUBLE_EQ(spread_of(r, "actors.a.issues.tax.position").relative, 0.3);  // (40 - 10) / 100
  EXPECT_DOUBLE_EQ(spread_of(r, "actors.b.issues.tax.salience").relative, 0.0);
  // Gaps: D only from alice and carol.
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].what, "actor");
  EXPECT_EQ(r.gaps[0].actor, "d");
  EXPECT_EQ(r.gaps[0].lack, std::vector<std::string>{"bob"});
  // The listing (the presentation layer) names them.
  MergeResponse rsp;
  rsp.panel = r;
  rsp.top = 3;
  const std::string text = render(rsp, Format::table);
  EXPECT_NE(text.find("67%  actors.d.capability: 10 to 30, median 20 (alice 10, carol 30)"), std::string::npos) << text;
  EXPECT_NE(text.find("actor 'd': alice, carol (not bob)"), std::string::npos) << text;
  EXPECT_EQ(text.find("actors.b.capability"), std::string::npos) << "only the top 3";
}

TEST(Merge, TheMergedScenarioWritesAndLoadsBack) {
  const PanelResult r = merge_experts(panel());
  const Scenario back = parse_scenario(to_yaml(r.scenario), "panel.yaml");
  EXPECT_EQ(back.actors.size(), 4u);
  EXPECT_EQ(stance_of(back, "a", "tax").position.uncertainty.kind, Uncertainty::Kind::triangular);
}

Expert table(const std::string& name, const std::string& text) {
  return Expert{name, name + ".csv", parse_scenario(text, name + ".csv")};
}

TEST(Merge, ExpertsThatCannotBeMergedAreInputErrors) {
  const std::string head = "Actor,Issue,Capability,Position,Salience,Min,Max\n";
  const Expert a = table("a", head + "P,T,1,20,0.5,0,100\nQ,T,1,40,0.5,0,100\n");
  // Fewer than two experts.
  auto ds = diagnostics_of([&] { (void)merge_experts({a}); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].expected, "two or more experts' files");
  // Declared scales that differ.
  ds = diagnostics_of([&] { (void)merge_experts({a, table("b", head + "P,T,1,2,0.5,0,10\nQ,T,1,4,0.5,0,10\n")}); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].field, "issues.t.scale");
  EXPECT_EQ(ds[0].found, "[0, 10] for b (b.csv)");
  // Numeric for one, categorical for another; different options.
  const std::string cat = "Actor,Issue,Capability,Position,Salience,Options\n";
  ds = diagnostics_of([&] { (void)merge_experts({a, table("c", cat + "P,T,1,x,0.5,x;y\nQ,T,1,y,0.5,\n")}); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].found.find("categorical for c"), std::string::npos);
  ds = diagnostics_of([&] {
    (void)merge_experts({table("d", cat + "P,T,1,x,0.5,x;y\nQ,T,1,y,0.5,\n"), table("e", cat + "P,T,1,x,0.5,x;z\nQ,T,1,z,0.5,\n")});
  });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].field, "issues.t.options");
  // The same name twice.
  ds = diagnostics_of([&] { (void)merge_experts({a, a}); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].found, "'a' twice");
}

TEST(Merge, ScalesFromDataAreJoinedAndOwnUncertaintyWidensTheRange) {
  // Neither expert gives a scale: the panel's is the range of all positions, [10, 80], noted.
  const std::string head = "Actor,Issue,Capability,Position,Salience\n";
  const Expert a = table("a", head + "P,T,1,10,0.5\nQ,T,1,40,0.5\n");
  const Expert b = table("b", head + "P,T,1,30,0.5\nQ,T,1,80,0.5\n");
  const PanelResult r = merge_experts({a, b});
  EXPECT_DOUBLE_EQ(r.scenario.issues[0].min, 10);
  EXPECT_DOUBLE_EQ(r.scenario.issues[0].max, 80);
  EXPECT_NE(r.notes.back().find("no expert gave a scale"), std::string::npos);
  // P: 10 and 30 -> median 20, [10, 30].
  expect_triangle(stance_of(r.scenario, "p", "t").position, 20, 10, 30);
  // An expert's own uncertainty (a YAML file): the panel's range covers it.
  const Expert y{"y", "y.yaml",
                 parse_scenario("issues: [{id: t, scale: {min: 0, max: 100}}]\n"
                                "actors:\n"
                                "  - {id: p, capability: 1, issues: {t: {position: {value: 20, uncertainty: {range: [5, 35]}}, salience: 0.5}}}\n"
                                "  - {id: q, capability: 1, issues: {t: {position: 50, salience: 0.5}}}\n",
                                "y.yaml")};
  const Expert z = table("z", "Actor,Issue,Capability,Position,Salience,Min,Max\nP,T,1,30,0.5,0,100\nQ,T,1,60,0.5,0,100\n");
  const PanelResult w = merge_experts({y, z});
  // P: 20 and 30 -> median 25; y's own range [5, 35] widens [20, 30] to [5, 35].
  expect_triangle(stance_of(w.scenario, "p", "t").position, 25, 5, 35);
}

TEST(MergeRequest, LoadsTheFilesNamesTheExpertsAndRendersEverySpread) {
  MergeRequest req;
  for (const char* name : {"alice", "bob", "carol"})
    req.experts.push_back(ScenarioSource{data_path(std::string("import/panel_") + name + ".csv"), {}, {}, nullptr, {}});
  const MergeResponse rsp = merge(req);
  ASSERT_EQ(rsp.panel.experts.size(), 3u);
  EXPECT_EQ(rsp.panel.experts[1].first, "panel_bob");  // the file's name without extension
  // The same numbers as the library call with the same files.
  expect_triangle(rsp.panel.scenario.actors[rsp.panel.scenario.actor_index("a")].capability, 50, 40, 60);
  // JSON lists every spread with each expert's value: D's capability, alice 10 and carol 30.
  const auto j = nlohmann::json::parse(render(rsp, Format::json));
  EXPECT_EQ(j["experts"].size(), 3u);
  bool found = false;
  for (const auto& p : j["spreads"])
    if (p["field"] == "actors.d.capability") {
      found = true;
      EXPECT_DOUBLE_EQ(p["median"].get<double>(), 20);
      EXPECT_DOUBLE_EQ(p["values"]["panel_alice"].get<double>(), 10);
      EXPECT_FALSE(p["values"].contains("panel_bob"));
    }
  EXPECT_TRUE(found);
  EXPECT_TRUE(j["warnings"].is_array());
  // A names list of the wrong length is an error naming the request field.
  req.names = {"x", "y"};
  const auto ds = diagnostics_of([&] { (void)merge(req); });
  ASSERT_FALSE(ds.empty());
  EXPECT_EQ(ds[0].field, "names");
}

TEST(MergeCommand, WritesTheScenarioAndListsTheDisagreements) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("entente_merge_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string out = (dir / "panel.yaml").string();
  const std::string cmd = std::string(ENTENTE_BINARY) + " merge " + data_path("import/panel_alice.csv") + " " +
                          data_path("import/panel_bob.csv") + " " + data_path("import/panel_carol.csv") +
                          " --names alice,bob,carol -o " + out + " >" + (dir / "report.txt").string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << read_file((dir / "report.txt").string());
  const std::string report = read_file((dir / "report.txt").string());
  EXPECT_NE(report.find("Panel of 3 experts: alice"), std::string::npos) << report;
  EXPECT_NE(report.find("actors.d.capability"), std::string::npos);
  const Scenario s = load_scenario(out);
  EXPECT_EQ(s.actors.size(), 4u);
  // One file is not a panel: exit code 2.
  const std::string one = std::string(ENTENTE_BINARY) + " merge " + data_path("import/panel_alice.csv") + " >/dev/null 2>&1";
  const int st1 = std::system(one.c_str());
  EXPECT_EQ(WEXITSTATUS(st1), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace entente::test
