// The what-ifs docs/istanbul.md advertises, end to end through the built binary; repeated options
// (--drop, -m, -p) must accumulate rather than be rejected.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "support/cli.hpp"
namespace {

const std::string kScenario = ENTENTE_SOURCE_DIR "/scenarios/istanbul-2025.yaml";

using entente::test::CliRun;

CliRun run(const std::string& args) { return entente::test::run_cli(args); }

// The first data row of the table for an issue, e.g. "ceasefire   33.75".
std::string row(const std::string& out, const std::string& issue) {
  const auto at = out.find("\n" + issue + " ");
  if (at == std::string::npos) return {};
  const auto end = out.find('\n', at + 1);
  return out.substr(at + 1, end - at - 1);
}

TEST(IstanbulCli, ValidateEvidenceFindsNothingMissing) {
  const CliRun r = run("validate --evidence " + kScenario);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("every number has evidence"), std::string::npos) << r.out;
}

TEST(IstanbulCli, RepeatedDropAccumulates) {
  // Without the Vatican and Türkiye the ceasefire positions are russia 80, ukraine 5,
  // united_states 45, europe 5: mean = 135 / 4 = 33.75.
  const CliRun r = run("forecast " + kScenario + " -m mean --drop vatican --drop turkiye");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(row(r.out, "ceasefire").find("33.75"), std::string::npos) << r.out;
}

TEST(IstanbulCli, RepeatedModelAndParamAccumulate) {
  const CliRun r = run("forecast " + kScenario + " -m mean -m compromise -p mean.x=1 -p compromise.y=2");
  // Unknown parameters are rejected with exit 2, but only after both -p values were accepted.
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out.find("At Most 1"), std::string::npos) << r.out;
  const CliRun ok = run("forecast " + kScenario + " -m mean -m compromise");
  ASSERT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("mean"), std::string::npos);
  EXPECT_NE(ok.out.find("compromise"), std::string::npos);
  // Mean of the six ceasefire positions: (80 + 5 + 45 + 5 + 20 + 5) / 6 = 26.67 (tables show two decimals).
  EXPECT_NE(row(ok.out, "ceasefire").find("26.67"), std::string::npos) << ok.out;
}

TEST(IstanbulCli, DropUnitedStatesRuns) {
  const CliRun r = run("forecast " + kScenario + " --drop united_states");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_FALSE(row(r.out, "regions").empty()) << r.out;
}

}  // namespace
