// The backtest's outputs come from the presentation layer only: the CLI's --per-issue file is
// backtest_issues() of the same response (the table Python returns), one row per candidate and
// issue; the request layer's errors name request fields.
#include <gtest/gtest.h>

#include <array>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "entente/diagnostics.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"

namespace {

const std::string deu = std::string(ENTENTE_TEST_DATA) + "/deu3/deu3-train-dev.csv";
const std::string cands = "compromise,compromise/cap=vote-weights/p0=base";

int run(const std::string& args) {
  const int status = std::system((std::string(ENTENTE_BINARY) + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

entente::BacktestRequest request() {
  entente::BacktestRequest rq;
  rq.file = deu;
  rq.candidates = {"compromise", "compromise/cap=vote-weights/p0=base"};
  rq.bootstrap = 0;
  return rq;
}

TEST(BacktestOutput, CliPerIssueIsTheRequestLayersTable) {
  const auto dir = std::filesystem::temp_directory_path() / ("entente-bt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "issues.csv";
  ASSERT_EQ(run("backtest " + deu + " --candidates " + cands + " --bootstrap 0 --no-store --per-issue " + file.string()), 0);
  const auto rsp = entente::backtest(request());
  const entente::Table t = entente::backtest_issues(rsp);
  // 15 columns, the candidate first; two candidates x 245 scored issues.
  ASSERT_EQ(t.header.size(), 15u);
  EXPECT_EQ(t.header.front(), "candidate");
  EXPECT_EQ(t.rows.size(), 2u * 245u);
  EXPECT_EQ(slurp(file), entente::render(t, entente::Format::csv));
  std::filesystem::remove_all(dir);
}

TEST(BacktestOutput, JsonKeepsSplitsAndNamesEveryCandidate) {
  const auto j = nlohmann::json::parse(entente::render(entente::backtest(request()), entente::Format::json));
  EXPECT_EQ(j["splits"]["train"]["n"], 140);
  ASSERT_EQ(j["candidates"].size(), 2u);
  EXPECT_TRUE(j["candidates"][1]["splits"]["dev"].contains("brier_no_change"));
  EXPECT_FALSE(j["candidates"][0]["splits"]["dev"].contains("brier_no_change"));
  EXPECT_TRUE(j.contains("provenance"));
}

TEST(BacktestOutput, RequestErrorsNameFields) {
  auto field_of = [](const entente::BacktestRequest& rq) {
    try {
      (void)entente::backtest(rq);
    } catch (const entente::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto both = request();
  both.models.models = {"mean"};
  EXPECT_NE(field_of(both).find("models"), std::string::npos);
  auto crit = request();
  crit.criterion = "rmse";
  EXPECT_NE(field_of(crit).find("criterion"), std::string::npos);
  auto test = request();
  test.select_on = {"test"};
  const auto msg = field_of(test);
  EXPECT_NE(msg.find("select_on"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("--select-on"), std::string::npos) << msg;
  // snake_case spellings are aliases of the documented ones.
  auto snake = request();
  snake.candidates = {"compromise/cap=vote_weights"};
  snake.capability = "vote_weights";
  EXPECT_EQ(entente::backtest(snake).report.capability, "vote-weights");
}

}  // namespace
