// The ledger and news commands end to end through the built binary: the JSON keys scripts rely on,
// `ledger verify` exit codes on an intact and a tampered store, scoring a resolution file.
#include <gtest/gtest.h>

#include <cmath>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/cli.hpp"
namespace {

const std::string kScenario = ENTENTE_SOURCE_DIR "/scenarios/istanbul-2025.yaml";
const std::string kArticle = ENTENTE_SOURCE_DIR "/scenarios/sources/istanbul-talks-2025-05-28.txt";

using entente::test::CliRun;

CliRun run(const std::string& args, bool with_stderr = true) {
  return entente::test::run_cli(args, with_stderr ? entente::test::Streams::both : entente::test::Streams::stdout_only);
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("entente-ledger-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST(NewsCli, JsonHasCellsWithActorIssueQuotes) {
  const auto r = run("news " + kArticle + " --scenario " + kScenario + " --format json", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.at("cells").is_array());
  ASSERT_FALSE(j.at("cells").empty());
  bool regions = false;
  for (const auto& c : j.at("cells")) {
    ASSERT_TRUE(c.at("actor").is_string());
    ASSERT_TRUE(c.at("issue").is_string());
    ASSERT_TRUE(c.at("quotes").is_array());
    if (c.at("actor") == "russia" && c.at("issue") == "regions")
      for (const auto& q : c.at("quotes"))
        regions = regions || q.get<std::string>().find("fully cede the four eastern regions") != std::string::npos;
  }
  EXPECT_TRUE(regions);
  EXPECT_EQ(j.at("date"), "2025-05-28");
}

TEST(LedgerCli, AddVerifyTamperScore) {
  TempDir d;
  const std::string store = (d.path / "runs.sqlite").string();
  auto add = run("ledger add " + kScenario + " -m compromise --draws 20 --store " + store + " --format json", false);
  ASSERT_EQ(add.status, 0) << add.out;
  const auto e = nlohmann::json::parse(add.out);
  EXPECT_EQ(e.at("as_of"), "2025-05-28");
  EXPECT_EQ(e.at("seq"), 1);
  // The Istanbul scenario names veto players: P(deal) is a share of the 20 draws.
  ASSERT_TRUE(e.at("p_deal").is_number());
  const double pd = e.at("p_deal").get<double>() * 20;
  EXPECT_NEAR(pd, std::round(pd), 1e-9);
  ASSERT_EQ(run("ledger add " + kScenario + " -m compromise --draws 0 --store " + store).status, 0);

  auto ok = run("ledger verify --store " + store);
  EXPECT_EQ(ok.status, 0) << ok.out;

  // Resolution: the second round was held in Istanbul, at delegation level.
  const auto res = d.path / "resolution.yaml";
  std::ofstream(res) << "entente_resolution: 1\ndate: 2025-06-02\nissues:\n"
                        "  venue:\n    outcome: Istanbul\n    evidence: {source: test, quote: test}\n";
  auto sc = run("ledger score --store " + store + " --resolution " + res.string() + " --format json", false);
  ASSERT_EQ(sc.status, 0) << sc.out;
  const auto sj = nlohmann::json::parse(sc.out);
  EXPECT_FALSE(sj.at("summary").empty());

  auto tl = run("ledger timeline --store " + store + " --format csv", false);
  ASSERT_EQ(tl.status, 0) << tl.out;
  EXPECT_EQ(tl.out.rfind("seq,as_of,model,issue,forecast,low,high,p_deal,outcome,outcome_date", 0), 0u) << tl.out;

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE ledger SET content = replace(content, '\"draws\":20', '\"draws\":21') WHERE seq = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto bad = run("ledger verify --store " + store);
  EXPECT_NE(bad.status, 0) << bad.out;
  EXPECT_NE(bad.out.find("entry 1"), std::string::npos) << bad.out;
}

TEST(ValidateCli, SourceAfterAsOfIsExitTwoWithFileAndLine) {
  TempDir d;
  const auto f = d.path / "late.yaml";
  std::ofstream(f) << "entente: 1\nas_of: 2025-05-28\nsources:\n  - id: late\n    date: 2025-06-02\n"
                      "issues:\n  - id: x\nactors:\n  - id: a\n    capability: 1\n    issues:\n      x: {position: 1, salience: 1}\n";
  const auto r = run("validate " + f.string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("late.yaml:5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sources.late.date"), std::string::npos) << r.out;
}

}  // namespace
