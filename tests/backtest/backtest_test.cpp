// DEU backtest against reference values computed independently (issue #2 / specs README):
// equal-capability compromise MAE 23.301 (train, n = 140) and 25.695 (dev, n = 105); the plain
// mean 22.896 / 26.103.
#include <gtest/gtest.h>

#include "support/cli.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "entente/backtest.hpp"

namespace {

const std::string deu = std::string(ENTENTE_TEST_DATA) + "/deu3/deu3-train-dev.csv";

const entente::BacktestScore& split(const entente::BacktestReport& r, const std::string& name) {
  for (const auto& s : r.scores)
    if (s.split == name) return s;
  throw std::runtime_error("no split " + name);
}

TEST(Backtest, CompromiseEqualCapabilityMatchesReference) {
  entente::BacktestOptions o;
  o.model = "compromise";
  o.bootstrap = 200;
  const auto r = entente::backtest(deu, o);
  EXPECT_EQ(split(r, "train").n, 140);
  EXPECT_EQ(split(r, "dev").n, 105);
  EXPECT_EQ(split(r, "all").n, 245);
  EXPECT_NEAR(split(r, "train").mae, 23.301, 5e-4);  // reference printed to 3 decimals
  EXPECT_NEAR(split(r, "dev").mae, 25.695, 5e-4);
  // The model is its own baseline: the difference is exactly zero.
  EXPECT_EQ(split(r, "all").diff_mae, 0.0);
}

TEST(Backtest, MeanMatchesReference) {
  entente::BacktestOptions o;
  o.model = "mean";
  o.bootstrap = 200;
  const auto r = entente::backtest(deu, o);
  EXPECT_NEAR(split(r, "train").mae, 22.896, 5e-4);
  EXPECT_NEAR(split(r, "dev").mae, 26.103, 5e-4);
  const auto& all = split(r, "all");
  EXPECT_LE(all.diff_lo, all.diff_mae);
  EXPECT_GE(all.diff_hi, all.diff_mae);
  EXPECT_GE(all.within20, all.within10);
  EXPECT_GE(all.within10, all.within5);
}

TEST(Backtest, VoteWeightsChangeTheCompromise) {
  entente::BacktestOptions o;
  o.capability = "vote-weights";
  o.bootstrap = 0;
  const auto r = entente::backtest(deu, o);
  EXPECT_EQ(split(r, "all").n, 245);
  EXPECT_GT(std::fabs(split(r, "all").mae - 24.327), 0.05);  // differs from equal capability
}

TEST(Backtest, BadInputs) {
  entente::BacktestOptions o;
  EXPECT_THROW((void)entente::backtest("/nonexistent/deu.csv", o), entente::InputError);
  o.capability = "gdp";
  EXPECT_THROW((void)entente::backtest(deu, o), entente::InputError);
  o.capability = "equal";
  o.model = "nope";
  EXPECT_THROW((void)entente::backtest(deu, o), entente::InputError);
}

std::string run(const std::string& args, int& status) {
  auto r = entente::test::run_cli(args);
  status = r.status;
  return r.out;
}

TEST(BacktestCli, JsonHasSplitsWithNAndMae) {
  int status = 0;
  const auto out = run("backtest " + deu + " --model compromise --format json", status);
  ASSERT_EQ(status, 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["splits"]["train"]["n"], 140);
  EXPECT_NEAR(j["splits"]["dev"]["mae"].get<double>(), 25.695, 5e-4);
  EXPECT_TRUE(j["splits"].contains("all"));
}

TEST(BacktestCli, MissingFileExits2) {
  int status = 0;
  const auto out = run("backtest /nonexistent.csv --model compromise", status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("/nonexistent.csv"), std::string::npos);
}

}  // namespace
