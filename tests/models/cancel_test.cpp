// Cancellation and memory estimates of the dynamic models (issue 18, findings 2, 3 and 7).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "bdm_test_util.hpp"
#include "entente/model.hpp"
#include "models/bdm_core.hpp"

namespace entente {
namespace {

using namespace std::chrono_literals;

// Finding 3: bdm checked its cancellation only between issues, so one issue with many rounds
// (the probe: algorithm=direct, 100 rounds, 500 actors; ~16 min) ran to its end after the
// server's time limit. Now every round checks it.
TEST(Cancel, BdmStopsWithinARoundOfOneLongIssue) {
  std::vector<double> x, c, s;
  for (int a = 0; a < 100; ++a) {
    x.push_back((a * 37) % 101);
    c.push_back(1 + a % 7);
    s.push_back(0.3 + 0.001 * a);
  }
  const Scenario sc = bdm_test::make_scenario(x, c, s);
  std::atomic<bool> cancel{false};
  RunOptions o;
  o.params.set("rounds", "100000");
  o.params.set("algorithm", "direct");  // O(n^3) a round: 100000 rounds of 100 actors take minutes
  o.cancel = &cancel;
  std::thread raiser([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW((void)run_model(sc, "bdm", o), Cancelled);
  raiser.join();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 5.0);
}

TEST(Cancel, BdmRunIssuePollsTheTokenEveryRound) {
  bdm::Problem pb;
  pb.c = {1, 2};
  pb.s = {1, 1};
  std::atomic<bool> cancel{true};
  bdm::Options o;
  o.cancel = &cancel;
  EXPECT_THROW((void)bdm::run_issue(pb, {0.0, 1.0}, 1.0, o), Cancelled);
  cancel = false;
  EXPECT_EQ(bdm::run_issue(pb, {0.0, 1.0}, 1.0, o).rounds.size(), 11u);  // round 0 and 10 rounds
}

// Finding 7: smp on 100,000 actors ended with "internal error: out of memory" (exit 1). Its
// memory is estimated before any allocation: 6 x 8 bytes x n^2; 9,200 actors need 4.06 GB.
TEST(Budget, SmpRefusesARunBeyondItsMemoryBudgetWithTheEstimate) {
  std::vector<double> x(9200), c(9200, 1.0), s(9200, 0.5);
  for (std::size_t a = 0; a < x.size(); ++a) x[a] = static_cast<double>(a % 100);
  const Scenario sc = bdm_test::make_scenario(x, c, s);
  try {
    (void)run_model(sc, "smp", RunOptions{});
    FAIL() << "smp ran on 9200 actors";
  } catch (const ResourceError& e) {
    // 48 * 9200^2 = 4.06272e9 bytes
    EXPECT_NE(std::string(e.what()).find("9200 actors would need about 4.1 GB"), std::string::npos) << e.what();
  }
}

// bdm's estimate: positions and risks of every actor for every round of every issue, 16 bytes
// each, kept to the end, plus one fast round's tiles. 3000 actors, 1 issue, 100000 rounds:
// 1 x 100001 x 3000 x 16 = 4.800048e9, plus min(8 x 2^25, 16 x 3000^2) = 1.44e8: 4.94 GB > 4 GB.
TEST(Budget, BdmRefusesARunBeyondItsMemoryBudgetWithTheEstimate) {
  std::vector<double> x(3000), c(3000, 1.0), s(3000, 0.5);
  for (std::size_t a = 0; a < x.size(); ++a) x[a] = static_cast<double>(a % 100);
  const Scenario sc = bdm_test::make_scenario(x, c, s);
  RunOptions o;
  o.params.set("rounds", "100000");
  try {
    (void)run_model(sc, "bdm", o);
    FAIL() << "bdm ran 100000 rounds of 3000 actors";
  } catch (const ResourceError& e) {
    EXPECT_NE(std::string(e.what()).find("3000 actors, 1 issues and 100000 rounds would need about 4.9 GB"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace entente
