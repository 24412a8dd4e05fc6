// Issue 18, finding 8: Ctrl-C during `entente simulate` and its store write. One policy
// (src/cli/interrupt.hpp): the 1st Ctrl-C stops the draws (what finished is shown and saved as
// partial) or, once every draw has finished, lets the write finish; the 2nd rolls the write back;
// the 3rd ends the process at once. Exit 130 and a line on stderr that says which. The moments are
// chosen with the store's test hook ENTENTE_TEST_STORE_HOLD_MS (the write that makes the run
// visible holds the lock, after saying so on stderr), not with timing guesses.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "entente/store.hpp"
#include "support/cli.hpp"

using namespace entente;
namespace fs = std::filesystem;

namespace {

const std::string kScenario = ENTENTE_SOURCE_DIR "/scenarios/istanbul-2025.yaml";
const std::string kHolding = "entente-test: store write holds the lock";
const std::string kStreaming = "entente-test: draws streaming to the store";

struct Dir {
  fs::path path;
  Dir() {
    path = fs::temp_directory_path() / ("entente-interrupt-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::string file(const std::string& n) const { return (path / n).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> simulate_args(const Dir& d, const std::string& draws) {
  return {"simulate", kScenario, "-m", "compromise", "-n", draws, "-t", "2", "--store", d.file("runs.sqlite"), "-f", "json"};
}

// Signals in a row must not merge into one pending SIGINT: give the handler time to run.
void pause_between_signals() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }

}  // namespace

TEST(CtrlC, DuringTheDrawsTheFinishedOnesAreShownAndSavedAsPartial) {
  Dir d;
  // 10^8 draws never finish by themselves here; the hook only announces the first stored block.
  test::Child c(simulate_args(d, "100000000"), {"ENTENTE_TEST_STORE_HOLD_MS=1"}, d.file("out.json"));
  ASSERT_TRUE(c.started());
  ASSERT_TRUE(c.wait_for(kStreaming)) << c.err();
  c.signal(SIGINT);
  const int status = c.wait();
  ASSERT_TRUE(WIFEXITED(status)) << c.err();
  EXPECT_EQ(WEXITSTATUS(status), 130) << c.err();
  EXPECT_NE(c.err().find("interrupted: the results below are partial"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("saved as run 1"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("(marked partial)"), std::string::npos) << c.err();
  const auto j = nlohmann::json::parse(slurp(d.file("out.json")));
  EXPECT_EQ(j.at("partial"), true);
  const auto done = j.at("draws_completed").get<std::uint64_t>();
  EXPECT_GT(done, 0u);
  EXPECT_LT(done, 100000000u);
  const auto runs = Store(d.file("runs.sqlite")).list();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].partial);
  EXPECT_EQ(runs[0].draws, done);
  EXPECT_EQ(runs[0].draws_requested, 100000000u);
}

TEST(CtrlC, DuringTheWriteTheWriteFinishesAndTheRunIsComplete) {
  Dir d;
  test::Child c(simulate_args(d, "3000"), {"ENTENTE_TEST_STORE_HOLD_MS=500"}, d.file("out.json"));
  ASSERT_TRUE(c.started());
  ASSERT_TRUE(c.wait_for(kHolding)) << c.err();
  c.signal(SIGINT);
  const int status = c.wait();
  ASSERT_TRUE(WIFEXITED(status)) << c.err();
  EXPECT_EQ(WEXITSTATUS(status), 130) << c.err();
  EXPECT_NE(c.err().find("the results below are complete"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("the store write finished: the complete results were saved as run 1"), std::string::npos) << c.err();
  const auto j = nlohmann::json::parse(slurp(d.file("out.json")));
  EXPECT_EQ(j.at("partial"), false);
  EXPECT_EQ(j.at("draws_completed"), 3000);
  const auto runs = Store(d.file("runs.sqlite")).list();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FALSE(runs[0].partial);
  EXPECT_EQ(runs[0].draws, 3000u);
}

TEST(CtrlC, ASecondOneDuringTheWriteRollsItBack) {
  Dir d;
  test::Child c(simulate_args(d, "3000"), {"ENTENTE_TEST_STORE_HOLD_MS=800"}, d.file("out.json"));
  ASSERT_TRUE(c.started());
  ASSERT_TRUE(c.wait_for(kHolding)) << c.err();
  c.signal(SIGINT);
  pause_between_signals();
  c.signal(SIGINT);
  const int status = c.wait();
  ASSERT_TRUE(WIFEXITED(status)) << c.err();
  EXPECT_EQ(WEXITSTATUS(status), 130) << c.err();
  EXPECT_NE(c.err().find("the store write was rolled back: nothing was saved"), std::string::npos) << c.err();
  EXPECT_EQ(c.err().find("saved as run"), std::string::npos) << c.err();
  EXPECT_TRUE(Store(d.file("runs.sqlite")).list().empty());
}

TEST(CtrlC, AThirdOneEndsTheProcessAtOnceAndLeavesNoCompleteRun) {
  Dir d;
  test::Child c(simulate_args(d, "3000"), {"ENTENTE_TEST_STORE_HOLD_MS=20000"}, d.file("out.json"));
  ASSERT_TRUE(c.started());
  ASSERT_TRUE(c.wait_for(kHolding)) << c.err();
  const auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < 3; ++k) {
    if (k) pause_between_signals();
    c.signal(SIGINT);
  }
  const int status = c.wait();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(WIFSIGNALED(status)) << c.err();
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_LT(seconds, 10.0);  // not after the 20 s the write holds the lock
  Store store(d.file("runs.sqlite"));
  EXPECT_TRUE(store.list().empty());
  EXPECT_TRUE(store.integrity_ok());
}

// The same guard in a command without partial results: forecast.
TEST(CtrlC, ForecastDuringTheWriteFinishesOrRollsBack) {
  Dir d;
  const std::vector<std::string> args{"forecast", kScenario, "-m", "compromise", "--store", d.file("runs.sqlite"), "-f", "json"};
  {
    test::Child c(args, {"ENTENTE_TEST_STORE_HOLD_MS=500"}, d.file("out.json"));
    ASSERT_TRUE(c.wait_for(kHolding)) << c.err();
    c.signal(SIGINT);
    const int status = c.wait();
    ASSERT_TRUE(WIFEXITED(status)) << c.err();
    EXPECT_EQ(WEXITSTATUS(status), 130) << c.err();
    EXPECT_NE(c.err().find("the store write finished: the complete results were saved as run 1"), std::string::npos)
        << c.err();
    EXPECT_TRUE(nlohmann::json::accept(slurp(d.file("out.json"))));
  }
  {
    test::Child c(args, {"ENTENTE_TEST_STORE_HOLD_MS=800"}, d.file("out.json"));
    ASSERT_TRUE(c.wait_for(kHolding)) << c.err();
    c.signal(SIGINT);
    pause_between_signals();
    c.signal(SIGINT);
    const int status = c.wait();
    ASSERT_TRUE(WIFEXITED(status)) << c.err();
    EXPECT_EQ(WEXITSTATUS(status), 130) << c.err();
    EXPECT_NE(c.err().find("the store write was rolled back"), std::string::npos) << c.err();
  }
  const auto runs = Store(d.file("runs.sqlite")).list();
  ASSERT_EQ(runs.size(), 1u);  // the first forecast only
  EXPECT_EQ(runs[0].id, 1);
}
