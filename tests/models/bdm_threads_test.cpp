// bdm's fast round splits its pair walk, normalisers and danger sums over the caller's TBB
// threads (issue 17). The results must be bit-identical on any number of threads: the same run
// in arenas of 1, 2 and 5 threads (5 > the cores of the CI machine: oversubscribed on purpose).
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <random>

#include "models/bdm_core.hpp"

namespace {

using entente::bdm::IssueRun;
using entente::bdm::Options;

IssueRun run_in(int threads, const entente::bdm::Problem& pb, const std::vector<double>& x, const Options& o) {
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  IssueRun out;
  arena.execute([&] { out = entente::bdm::run_issue(pb, x, 100, o); });
  return out;
}

void expect_identical(const IssueRun& a, const IssueRun& b) {
  ASSERT_EQ(a.rounds.size(), b.rounds.size());
  for (std::size_t t = 0; t < a.rounds.size(); ++t) {
    EXPECT_EQ(a.rounds[t].x, b.rounds[t].x) << "round " << t;  // exact, not near
    EXPECT_EQ(a.rounds[t].r, b.rounds[t].r) << "round " << t;
    ASSERT_EQ(a.rounds[t].offers.size(), b.rounds[t].offers.size()) << "round " << t;
    for (std::size_t k = 0; k < a.rounds[t].offers.size(); ++k) {
      const auto& p = a.rounds[t].offers[k];
      const auto& q = b.rounds[t].offers[k];
      EXPECT_TRUE(p.to == q.to && p.from == q.from && p.type == q.type && p.new_position == q.new_position &&
                  p.selected == q.selected);
    }
  }
}

TEST(BdmThreads, BitIdenticalOnAnyNumberOfThreads) {
  // 700 actors: above Options::parallel_from (384 positions), with a few shared positions so
  // that positions with several actors are exercised too.
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> U(0, 1);
  const std::size_t n = 700;
  entente::bdm::Problem pb;
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    pb.c.push_back(1 + 99 * U(rng));
    pb.s.push_back(0.1 + 0.9 * U(rng));
    x[i] = i % 7 == 0 ? std::round(100 * U(rng)) : 100 * U(rng);
  }
  for (const auto offers : {entente::bdm::OfferLog::none, entente::bdm::OfferLog::all}) {
    Options o;
    o.rounds = 3;
    o.offers = offers;
    o.tile_budget = 200 * (n + 1);  // several tiles, so streamed rows are recomputed per thread
    const IssueRun one = run_in(1, pb, x, o);
    expect_identical(one, run_in(2, pb, x, o));
    expect_identical(one, run_in(5, pb, x, o));
  }
}

}  // namespace
