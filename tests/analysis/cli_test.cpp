// The analysis commands end to end (runs the built binary), with a temporary store.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {
namespace fs = std::filesystem;

struct Cli : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "entente-cli-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string store() const { return (dir / "runs.sqlite").string(); }
  std::string data(const std::string& f) const { return std::string(ENTENTE_TEST_DATA) + "/analysis/" + f; }
  // Runs entente; returns the exit code; stdout in `out`, stderr in `err`.
  int run(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) const {
    const auto o = (dir / "out.txt").string(), e = (dir / "err.txt").string();
    const std::string cmd = std::string(ENTENTE_BINARY) + " " + args + " >" + o + " 2>" + e + " </dev/null";
    const int status = std::system(cmd.c_str());
    auto slurp = [](const std::string& p) {
      std::ifstream in(p);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    };
    if (out) *out = slurp(o);
    if (err) *err = slurp(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST_F(Cli, SimulateJsonIsCompleteAndSaved) {
  std::string out, err;
  ASSERT_EQ(run("simulate " + data("three.yaml") + " -m compromise -n 200 --seed 3 -t 2 -f json --store " + store(), &out, &err), 0)
      << err;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["partial"], false);
  EXPECT_EQ(j["draws_completed"], 200);
  EXPECT_EQ(j["issues"][0]["id"], "x");
  EXPECT_EQ(j["issues"][0]["histogram"]["counts"].size(), 10u);
  EXPECT_EQ(j["issues"][1]["kind"], "categorical");
  EXPECT_EQ(err.find('['), std::string::npos);  // no progress bar when stderr is not a terminal
  // Same seed, 1 thread: the same distribution.
  std::string again;
  ASSERT_EQ(run("simulate " + data("three.yaml") + " -m compromise -n 200 --seed 3 -t 1 -f json --no-store", &again), 0);
  auto a = nlohmann::json::parse(again);
  auto b = j;
  a.erase("seconds");
  b.erase("seconds");
  b["provenance"].erase("run_id");  // only the saved run has one
  EXPECT_EQ(a, b);
  // Saved: listed, exported.
  ASSERT_EQ(run("runs list -f json --store " + store(), &out), 0);
  const auto runs = nlohmann::json::parse(out);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["kind"], "simulation");
  ASSERT_EQ(run("runs export 1 --format csv --store " + store(), &out), 0);
  EXPECT_EQ(out.substr(0, out.find('\n')), "draw,issue,series,round,value");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1 + 200 * 2);
  ASSERT_EQ(run("runs show 1 --store " + store(), &out), 0);
  EXPECT_NE(out.find("simulation of model compromise"), std::string::npos);
  EXPECT_EQ(run("runs show 42 --store " + store(), nullptr, &err), 2);
}

TEST_F(Cli, ForecastAndTraceSaveTheirRuns) {
  ASSERT_EQ(run("forecast " + data("three.yaml") + " -m compromise -m median --store " + store()), 0);
  std::string out;
  ASSERT_EQ(run("runs list -f csv --store " + store(), &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);  // header + 2 runs
  ASSERT_EQ(run("forecast " + data("three.yaml") + " -m compromise --no-store"), 0);
  ASSERT_EQ(run("runs list -f csv --store " + store(), &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
}

TEST_F(Cli, WhatIfReachesTheHandCalculation) {
  std::string out, err;
  ASSERT_EQ(run("whatif " + data("three.yaml") + " -m compromise --actor a --issue x --target 50 -f json --no-store", &out, &err),
            0)
      << err;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["reachable"], true);
  EXPECT_NEAR(j["value"].get<double>(), 10, 1e-6);  // (x + 100 + 40)/3 = 50
  // Beyond reach: exit 0, and said so.
  ASSERT_EQ(run("whatif " + data("three.yaml") + " -m compromise --actor a --issue x --target 95 --no-store", &out), 0);
  EXPECT_NE(out.find("UNREACHABLE"), std::string::npos);
  ASSERT_EQ(run("whatif " + data("three.yaml") + " -m compromise --actor a --issue x --target 95 -f json --no-store", &out), 0);
  EXPECT_EQ(nlohmann::json::parse(out)["reachable"], false);
}

TEST_F(Cli, SensitivityAndCompare) {
  std::string out, err;
  ASSERT_EQ(run("sensitivity " + data("three.yaml") + " -m compromise -f json --store " + store(), &out, &err), 0) << err;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["issues"][0]["id"], "x");
  EXPECT_FALSE(j["issues"][0]["ranking"].empty());
  ASSERT_EQ(run("compare " + data("three.yaml") + " --set a.x.position=30 -m compromise -f json --no-store", &out, &err), 0) << err;
  const auto c = nlohmann::json::parse(out);
  EXPECT_NEAR(c["issues"][0]["forecasts"]["compromise"]["difference"].get<double>(), 10, 1e-9);  // 30/3
  ASSERT_EQ(run("compare " + data("three.yaml") + " " + data("three.yaml") + " -m compromise -f csv --no-store", &out), 0);
  EXPECT_NE(out.find("x,compromise,"), std::string::npos);
}

TEST_F(Cli, ExitCodes) {
  EXPECT_EQ(run("simulate " + data("missing.yaml") + " -m compromise --no-store"), 2);
  EXPECT_EQ(run("simulate " + data("three.yaml") + " -m no_such_model --no-store"), 2);
  EXPECT_EQ(run("simulate " + data("three.yaml") + " --no-store"), 2);  // no model
  EXPECT_EQ(run("simulate " + data("three.yaml") + " -m compromise -n 0 --no-store"), 2);
  EXPECT_EQ(run("whatif " + data("three.yaml") + " -m compromise --actor a --issue x --no-store"), 2);  // no target
  EXPECT_EQ(run("whatif " + data("three.yaml") + " -m compromise --actor zz --issue x --target 5 --no-store"), 2);
  EXPECT_EQ(run("whatif " + data("three.yaml") + " -m compromise --actor a --issue x --target abc --no-store"), 2);
  EXPECT_EQ(run("runs export 1 --format csv --store " + (dir / "notadir" / "x.sqlite/").string()), 2);
  std::ofstream(dir / "bad.sqlite") << "not a database at all, not at all, not at all, not at all, not at all";
  EXPECT_EQ(run("simulate " + data("three.yaml") + " -m compromise -n 5 --store " + (dir / "bad.sqlite").string()), 2);
}

TEST_F(Cli, SigintStopsCleanlyWithAPartialResult) {
  // A long simulation in the background, interrupted after a moment.
  const auto o = (dir / "out.json").string(), e = (dir / "err.txt").string();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string args = "simulate " + data("three.yaml") + " -m compromise -n 20000000 -t 1 -f json -o " + o + " --store " + store();
    ::execl("/bin/sh", "sh", "-c", (std::string("exec ") + ENTENTE_BINARY + " " + args + " 2>" + e).c_str(), nullptr);
    ::_exit(127);
  }
  ::usleep(1500000);  // well past start-up, even under the sanitizers
  ::kill(child, SIGINT);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal instead of stopping cleanly";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  std::ifstream in(o);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto j = nlohmann::json::parse(ss.str());
  EXPECT_EQ(j["partial"], true);
  EXPECT_GT(j["draws_completed"].get<long long>(), 0);
  EXPECT_LT(j["draws_completed"].get<long long>(), 20000000);
  std::string out;
  ASSERT_EQ(run("runs list -f json --store " + store(), &out), 0);
  EXPECT_EQ(nlohmann::json::parse(out)[0]["partial"], true);
}

}  // namespace
