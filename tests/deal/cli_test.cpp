// `entente deal` and `entente whatif --deal` end to end (runs the built binary).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace {
namespace fs = std::filesystem;

struct CliRun {
  int code = -1;
  std::string out, err;
};

struct DealCli : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "entente-deal-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static std::string data(const std::string& f) { return std::string(ENTENTE_TEST_DATA) + "/deal/" + f; }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = (dir / name).string();
    std::ofstream(p) << text;
    return p;
  }
  CliRun run(const std::string& args) const {
    const auto o = (dir / "out.txt").string(), e = (dir / "err.txt").string();
    const std::string cmd = std::string(ENTENTE_BINARY) + " " + args + " >" + o + " 2>" + e + " </dev/null";
    const int status = std::system(cmd.c_str());
    auto slurp = [](const std::string& p) {
      std::ifstream in(p);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(o), slurp(e)};
  }
};

// The hand case (tests/deal/hand_test.cpp): zone [30, 40], maximin 35, the compromise (50) is
// blocked by a with margin -0.1.
TEST_F(DealCli, JsonKeysOfTheIssue) {
  const CliRun r = run("deal " + data("one_issue.yaml") + " -m compromise --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["possible"], true);
  EXPECT_NEAR(j["maximin"]["x"].get<double>(), 35.0, 1e-7);
  ASSERT_TRUE(j["issues"]["x"]["zone"].is_array());
  EXPECT_NEAR(j["issues"]["x"]["zone"][0].get<double>(), 30.0, 1e-9);
  EXPECT_NEAR(j["issues"]["x"]["zone"][1].get<double>(), 40.0, 1e-9);
  const auto& m = j["models"]["compromise"];
  EXPECT_EQ(m["acceptable"], false);
  EXPECT_EQ(m["blockers"], (nlohmann::json{"a"}));
  EXPECT_NEAR(m["margins"]["a"].get<double>(), -0.1, 1e-9);
  EXPECT_NEAR(m["margins"]["b"].get<double>(), 0.2, 1e-9);
  EXPECT_FALSE(m.contains("p_acceptable"));  // only with draws
  EXPECT_NEAR(m["nearest"]["x"].get<double>(), 40.0, 1e-7);
}

TEST_F(DealCli, DrawsGiveProbabilities) {
  // --no-store: a saved run's id would differ between the two runs.
  const CliRun r = run("deal " + data("one_issue.yaml") + " -m compromise --draws 4000 --seed 3 --format json --no-store");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["possible"].is_number());
  EXPECT_NEAR(j["possible"].get<double>(), 0.5, 0.035);  // sd 0.008 with 4000 draws
  EXPECT_EQ(j["possible_at_point_values"], true);
  EXPECT_EQ(j["models"]["compromise"]["p_acceptable"], 0.0);
  EXPECT_EQ(j["draws_completed"], 4000);
  EXPECT_EQ(j["seed"], 3);
  // Same seed, one thread: the same bits.
  const CliRun again = run("deal " + data("one_issue.yaml") + " -m compromise --draws 4000 --seed 3 -t 1 --format json --no-store");
  EXPECT_EQ(again.out, r.out);
}

TEST_F(DealCli, TableAndCsv) {
  CliRun r = run("deal " + data("two_issues.yaml") + " -m compromise");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("a deal IS possible"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Model compromise: its forecast is ACCEPTABLE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("p (completed)"), std::string::npos) << r.out;
  r = run("deal " + data("one_issue.yaml") + " -m compromise -f csv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "section,model,issue,actor,key,value");
  EXPECT_NE(r.out.find("model_blocker,compromise,,a,blocks,true\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("zone,,x,,low,30\n"), std::string::npos) << r.out;
}

TEST_F(DealCli, BadScenarioExits2WithFileAndLine) {
  const std::string file = write("bad.yaml",
                                 "issues:\n"
                                 "  - id: x\n"
                                 "actors:\n"
                                 "  - id: a\n"
                                 "    capability: 1\n"
                                 "    veto: [x, y]\n"
                                 "    issues:\n"
                                 "      x: {position: 0, salience: 1, no_deal: 140}\n"
                                 "  - id: b\n"
                                 "    capability: 1\n"
                                 "    veto: true\n"
                                 "    issues:\n"
                                 "      x: {position: 100, salience: 1}\n");
  const CliRun r = run("deal " + file);
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(file + ":6:15: error: field 'actors.a.veto[1]': expected the id of an issue, found unknown issue 'y'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(file + ":8:46: error: field 'actors.a.issues.x.no_deal': expected a number in [0, 100], found 140"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(file + ":13:21: error: field 'actors.b.issues.x.no_deal': expected a no_deal point on [0, 100]"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(run("validate " + file).code, 2);
}

TEST_F(DealCli, WhatIfDeal) {
  const std::string file = write("nodeal.yaml",
                                 "issues:\n"
                                 "  - {id: x, scale: {min: 0, max: 100}}\n"
                                 "actors:\n"
                                 "  - {id: a, capability: 1, veto: true, issues: {x: {position: 0, salience: 1, no_deal: 20}}}\n"
                                 "  - {id: b, capability: 1, veto: true, issues: {x: {position: 100, salience: 1, no_deal: 30}}}\n");
  const CliRun r = run("whatif " + file + " --deal --actor a -f json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["already_possible"], false);
  EXPECT_NEAR(j["maximin_margin"].get<double>(), -0.05, 1e-9);
  EXPECT_EQ(j["levers"][0]["lever"], "no_deal_cost");
  EXPECT_NEAR(j["levers"][0]["value"].get<double>(), 0.1, 1e-9);
  EXPECT_EQ(j["levers"][1]["lever"], "no_deal");
  EXPECT_NEAR(j["levers"][1]["value"].get<double>(), 30.0, 1e-7);
  const CliRun t = run("whatif " + file + " --deal --actor a");
  EXPECT_EQ(t.code, 0);
  EXPECT_NE(t.out.find("What would it take for a deal: actor a"), std::string::npos) << t.out;
  // Without --deal, --issue and --target are still required.
  const CliRun missing = run("whatif " + file + " -m compromise --actor a --target 3");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("--issue"), std::string::npos) << missing.err;
  EXPECT_EQ(run("whatif " + file + " --deal --actor nobody").code, 2);
}

TEST_F(DealCli, UnknownModelExits2) {
  const CliRun r = run("deal " + data("one_issue.yaml") + " -m no_such_model");
  EXPECT_EQ(r.code, 2);
}

}  // namespace

// The request/render path on the Istanbul scenario (issue 13's integration): `forecast` checks
// each model's forecast against the veto players; the JSON carries a `deal` object per model.
namespace {
struct DealIntegration : DealCli {};
TEST_F(DealIntegration, ForecastHasADealColumnAndObject) {
  const std::string file = std::string(ENTENTE_SOURCE_DIR) + "/scenarios/istanbul-2025.yaml";
  const CliRun t = run("forecast " + file + " -m compromise --no-store");
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("deal?"), std::string::npos) << t.out;
  const CliRun j = run("forecast " + file + " -m compromise --format json --no-store");
  ASSERT_EQ(j.code, 0) << j.err;
  const auto doc = nlohmann::json::parse(j.out);
  const auto& d = doc["models"][0]["deal"];
  ASSERT_TRUE(d.is_object()) << j.out;
  EXPECT_TRUE(d["acceptable"].is_boolean());
  EXPECT_TRUE(d["blockers"].is_array());
  EXPECT_TRUE(d["margins"].contains("russia"));
  EXPECT_TRUE(d["margins"].contains("ukraine"));
}

TEST_F(DealIntegration, DealJsonKeysThroughTheRequestLayer) {
  const CliRun r = run("deal " + data("one_issue.yaml") + " -m compromise --draws 200 --seed 3 --format json --no-store");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"possible", "maximin", "issues", "models", "veto_players", "maximin_margin", "method",
                          "p_pivotal", "draws_completed", "partial", "provenance"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_TRUE(j["possible"].is_number());  // with draws: its probability
  for (const char* key : {"acceptable", "blockers", "margins", "p_acceptable"})
    EXPECT_TRUE(j["models"]["compromise"].contains(key)) << key;
}

TEST_F(DealIntegration, BadVetoDataExitsTwoWithFileAndLine) {
  const std::string path = write("bad.yaml",
                                 "entente: 1\n"
                                 "title: bad veto\n"
                                 "issues:\n"
                                 "  - id: x\n"
                                 "    scale: {min: 0, max: 100}\n"
                                 "actors:\n"
                                 "  - id: a\n"
                                 "    capability: 1\n"
                                 "    veto: [nowhere]\n"
                                 "    issues:\n"
                                 "      x: {position: 0, salience: 1, no_deal: 40}\n");
  const CliRun r = run("deal " + path + " --no-store");
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("bad.yaml:9"), std::string::npos) << r.err;
}
}  // namespace
