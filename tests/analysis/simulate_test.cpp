#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "entente/analysis.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"
#include "support/test_models.hpp"

using namespace entente;
using namespace entente::testing;

namespace {
// The presentation layer renders responses; a summary alone is wrapped in one.
std::string write_simulation(const SimulationSummary& summary, Format f) {
  SimulateResponse r;
  r.summaries = {summary};
  return render(r, f);
}
SimulationResult run(const std::string& model, std::uint64_t first, std::uint64_t draws, unsigned threads,
                     std::uint64_t seed = 11) {
  SimulationOptions o;
  o.model = model;
  o.seed = seed;
  o.first_draw = first;
  o.draws = draws;
  o.threads = threads;
  return simulate(rich_scenario(), o);
}

// Bit-for-bit equality of doubles (NaN == NaN when the bits match).
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
void expect_identical(const SimulationResult& a, const SimulationResult& b) {
  ASSERT_EQ(a.outcomes.size(), b.outcomes.size());
  EXPECT_EQ(a.round_series, b.round_series);
  for (std::size_t k = 0; k < a.outcomes.size(); ++k) {
    const auto &x = a.outcomes[k], &y = b.outcomes[k];
    ASSERT_EQ(x.draw, y.draw);
    ASSERT_EQ(x.values.size(), y.values.size());
    for (std::size_t i = 0; i < x.values.size(); ++i) EXPECT_TRUE(same_bits(x.values[i], y.values[i])) << "draw " << x.draw;
    ASSERT_EQ(x.probabilities, y.probabilities);
    ASSERT_EQ(x.rounds.size(), y.rounds.size());
    for (std::size_t s = 0; s < x.rounds.size(); ++s)
      for (std::size_t r = 0; r < x.rounds[s].size(); ++r)
        for (std::size_t i = 0; i < x.rounds[s][r].size(); ++i)
          EXPECT_TRUE(same_bits(x.rounds[s][r][i], y.rounds[s][r][i]));
  }
  EXPECT_EQ(write_simulation(summarize(rich_scenario(), a), Format::json).substr(0, 200).size(), 200u);
  // Summaries without timings are identical text.
  auto sa = summarize(rich_scenario(), a), sb = summarize(rich_scenario(), b);
  sa.seconds = sb.seconds = 0;
  EXPECT_EQ(write_simulation(sa, Format::json), write_simulation(sb, Format::json));
}
}  // namespace

TEST(Simulate, SameBitsOn1And2And4Threads) {
  const auto one = run("test_rounds", 0, 300, 1);
  expect_identical(one, run("test_rounds", 0, 300, 2));
  expect_identical(one, run("test_rounds", 0, 300, 4));
  EXPECT_FALSE(one.partial);
  EXPECT_EQ(one.draws_completed(), 300u);
}

TEST(Simulate, DifferentSeedsDiffer) {
  EXPECT_NE(run("test_wmean", 0, 10, 1, 1).outcomes[0].values[0], run("test_wmean", 0, 10, 1, 2).outcomes[0].values[0]);
}

TEST(Simulate, SubRangesMergeToTheFullRun) {
  const auto full = run("test_rounds", 0, 200, 2);
  const auto merged = merge({run("test_rounds", 130, 70, 1), run("test_rounds", 0, 57, 2), run("test_rounds", 57, 73, 4)});
  EXPECT_EQ(merged.first_draw, 0u);
  EXPECT_EQ(merged.draws_requested, 200u);
  EXPECT_FALSE(merged.partial);
  expect_identical(full, merged);
}

TEST(Simulate, MergeRejectsOverlapAndMismatch) {
  EXPECT_THROW((void)merge({run("test_wmean", 0, 10, 1), run("test_wmean", 5, 10, 1)}), std::invalid_argument);
  EXPECT_THROW((void)merge({run("test_wmean", 0, 10, 1), run("test_wmean", 10, 10, 1, 99)}), std::invalid_argument);
  EXPECT_TRUE(merge({run("test_wmean", 0, 10, 1), run("test_wmean", 20, 10, 1)}).partial);  // a gap
}

TEST(Simulate, CancelBeforeStartGivesAnEmptyPartialResult) {
  std::atomic<bool> cancel{true};
  SimulationOptions o;
  o.model = "test_wmean";
  o.draws = 50;
  o.cancel = &cancel;
  const auto r = simulate(rich_scenario(), o);
  EXPECT_TRUE(r.partial);
  EXPECT_EQ(r.draws_completed(), 0u);
  const auto json = write_simulation(summarize(rich_scenario(), r), Format::json);
  EXPECT_NE(json.find("\"partial\": true"), std::string::npos);
  EXPECT_NE(json.find("\"draws_completed\": 0"), std::string::npos);
  EXPECT_FALSE(shows_nan(json));
}

TEST(Simulate, CancelMidwayKeepsTheFinishedDrawsExactly) {
  std::atomic<bool> cancel{false};
  SimulationOptions o;
  o.model = "test_rounds";
  o.seed = 11;
  o.draws = 400;
  o.threads = 2;
  o.cancel = &cancel;
  std::uint64_t calls = 0, last = 0;
  o.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(total, 400u);
    EXPECT_GE(done, last);  // never goes backwards
    last = done;
    ++calls;
    if (done >= 100) cancel = true;
  };
  const auto r = simulate(rich_scenario(), o);
  EXPECT_TRUE(r.partial);
  EXPECT_GE(r.draws_completed(), 100u);
  EXPECT_LT(r.draws_completed(), 400u);
  EXPECT_GT(calls, 0u);
  // Each finished draw is exactly the same draw of the full run.
  const auto full = run("test_rounds", 0, 400, 1);
  for (const auto& d : r.outcomes) EXPECT_EQ(d.values, full.outcomes[d.draw].values);
}

TEST(Simulate, RoundSeriesAndCategoricalShares) {
  const auto r = run("test_rounds", 0, 100, 2);
  // The per-round series is the model's forecast path (test_rounds: its "mean").
  ASSERT_EQ(r.round_series, std::vector<std::string>{"forecast"});
  const auto s = summarize(rich_scenario(), r);
  ASSERT_EQ(s.rounds.size(), 1u);
  ASSERT_EQ(s.rounds[0].issues[0].size(), 6u);  // rounds 0..5
  EXPECT_EQ(s.rounds[0].issues[0][5].n, 100u);
  // Round 5 of the path is the forecast.
  EXPECT_DOUBLE_EQ(s.rounds[0].issues[0][5].mean, s.issues[0].forecast.mean);

  const auto c = summarize(rich_scenario(), run("test_wmean", 0, 500, 2));
  const auto& venue = c.issues[2];
  ASSERT_TRUE(venue.categorical);
  ASSERT_EQ(venue.option_share.size(), 3u);
  EXPECT_NEAR(venue.option_share[0] + venue.option_share[1] + venue.option_share[2], 1.0, 1e-12);
  ASSERT_EQ(venue.option_probability.size(), 3u);
  EXPECT_NEAR(venue.option_probability[0] + venue.option_probability[1] + venue.option_probability[2], 1.0, 1e-12);
  std::size_t binned = 0;
  for (auto b : c.issues[0].bin_counts) binned += b;
  EXPECT_EQ(binned, 500u);
  EXPECT_EQ(c.issues[1].bin_edges.front(), -10);
  EXPECT_EQ(c.issues[1].bin_edges.back(), 10);
}

TEST(Simulate, DescribeByHand) {
  // 1..5: mean 3, sample sd sqrt(2.5), type-7 quantiles: q25 = 2, q50 = 3, q05 = 1.2, q95 = 4.8.
  const auto d = describe({5, 1, std::nan(""), 4, 2, 3});
  EXPECT_EQ(d.n, 5u);
  EXPECT_DOUBLE_EQ(d.mean, 3);
  EXPECT_DOUBLE_EQ(d.sd, std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(d.q25, 2);
  EXPECT_DOUBLE_EQ(d.q50, 3);
  EXPECT_NEAR(d.q05, 1.2, 1e-12);
  EXPECT_NEAR(d.q95, 4.8, 1e-12);
  EXPECT_EQ(describe({}).n, 0u);
}

TEST(Simulate, DescribeOfEqualDrawsIsExact) {
  // Ten draws of 0.1 sum to 0.9999999999999999 in doubles, and 2000 of 78.10476926637529 to a
  // mean 1.4e-14 off; a forecast that no uncertain input reaches must still show its value and a
  // standard deviation of 0, not of 1e-14.
  const double sum10 = 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1;
  ASSERT_NE(sum10 / 10, 0.1);  // the rounding this guards against
  const auto a = describe(std::vector<double>(10, 0.1));
  EXPECT_EQ(a.mean, 0.1);
  EXPECT_EQ(a.sd, 0);
  const auto b = describe(std::vector<double>(2000, 78.10476926637529));
  EXPECT_EQ(b.mean, 78.10476926637529);
  EXPECT_EQ(b.sd, 0);
  EXPECT_EQ(b.q05, 78.10476926637529);
  // Unequal draws keep the plain mean: (1 + 2) / 2.
  EXPECT_EQ(describe({1, 2}).mean, 1.5);
}

TEST(Simulate, DescribeQuantilesAreTheSortedOrderStatistics) {
  // The quantiles from a full sort, by the definition (type 7), against describe(), which selects
  // only the order statistics it needs (by buckets of the range above 32,768 values): the same
  // bits, for wide, clustered, tied, huge, tiny and constant-but-one inputs, with NaNs.
  std::mt19937_64 g(17);
  auto reference = [](std::vector<double> v, double q) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1) * q;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  auto bits = [](double x) {
    std::uint64_t u;
    std::memcpy(&u, &x, sizeof u);
    return u;
  };
  for (int trial = 0; trial < 48; ++trial) {
    const std::size_t n = trial % 3 == 0 ? 1 + g() % 200 : 32768 + g() % 70000;
    std::vector<double> v(n);
    std::uniform_real_distribution<double> u(0, 1);
    for (auto& x : v) {
      switch (trial % 8) {
        case 0: x = u(g) * 100; break;                            // wide
        case 1: x = 40 + std::floor(u(g) * 5); break;             // five values, many ties
        case 2: x = (u(g) - 0.5) * 1e300; break;                  // huge range
        case 3: x = u(g) * 1e-310; break;                         // subnormal range
        case 4: x = u(g) < 0.999 ? 7.0 : 7.0 + u(g); break;       // nearly constant
        case 5: x = std::exp(u(g) * 40); break;                   // a long right tail
        case 6: x = u(g) < 0.1 ? std::nan("") : -u(g); break;     // NaNs, negatives
        default: x = std::nextafter(1.0, 2.0 * (u(g) < 0.5)); break;  // two adjacent doubles
      }
    }
    const Distribution d = describe(v);
    SCOPED_TRACE(::testing::Message() << "trial " << trial << " n " << n);
    EXPECT_EQ(bits(d.q05), bits(reference(v, 0.05)));
    EXPECT_EQ(bits(d.q25), bits(reference(v, 0.25)));
    EXPECT_EQ(bits(d.q50), bits(reference(v, 0.50)));
    EXPECT_EQ(bits(d.q75), bits(reference(v, 0.75)));
    EXPECT_EQ(bits(d.q95), bits(reference(v, 0.95)));
  }
}

TEST(Simulate, WritersNeverPrintNaN) {
  Scenario s = rich_scenario();
  const auto r = run("test_rounds", 0, 20, 1);
  for (auto f : {Format::table, Format::json, Format::csv}) {
    const auto text = write_simulation(summarize(s, r), f);
    EXPECT_FALSE(shows_nan(text)) << text;
    EXPECT_FALSE(text.empty());
  }
}

TEST(Simulate, UnknownModelIsAnInputError) {
  SimulationOptions o;
  o.model = "no_such_model";
  EXPECT_THROW((void)simulate(rich_scenario(), o), InputError);
}

// The quantiles sort large inputs in chunks, in parallel, then merge: the result must be the
// order statistics of a plain sort whatever the threads. Reference: std::sort and the type 7 rule
// h = (n - 1) q, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]), written out here.
TEST(Simulate, DescribeLargeInputsIsExactOnAnyThreads) {
  std::vector<double> values;
  std::uint64_t state = 12345;
  for (int k = 0; k < 300001; ++k) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double x = static_cast<double>(state >> 40) / 1000.0;  // many exact repeats
    values.push_back(k % 97 == 0 ? std::nan("") : x);
  }
  std::vector<double> sorted;
  for (double x : values)
    if (!std::isnan(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end());
  auto type7 = [&](double q) {
    const double h = (static_cast<double>(sorted.size()) - 1) * q;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
  };
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    const Distribution d = arena.execute([&] { return describe(values); });
    EXPECT_EQ(d.n, sorted.size());
    EXPECT_EQ(d.q05, type7(0.05)) << threads;
    EXPECT_EQ(d.q25, type7(0.25)) << threads;
    EXPECT_EQ(d.q50, type7(0.50)) << threads;
    EXPECT_EQ(d.q75, type7(0.75)) << threads;
    EXPECT_EQ(d.q95, type7(0.95)) << threads;
  }
}

// The quantiles come from selecting order statistics, not a sort: on every size from 1 to 300
// (odd and even, heavy ties, NaNs mixed in) they equal type 7 read off a sorted copy.
TEST(Simulate, DescribeSelectionMatchesSortOnEverySize) {
  std::uint64_t state = 99;
  for (std::size_t size = 1; size <= 300; ++size) {
    std::vector<double> values;
    for (std::size_t k = 0; k < size; ++k) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const auto r = state >> 33;
      values.push_back(r % 13 == 0 ? std::nan("") : static_cast<double>(r % (size % 3 == 0 ? 5 : 1000)) - 20.5);
    }
    std::vector<double> sorted;
    for (double x : values)
      if (!std::isnan(x)) sorted.push_back(x);
    std::sort(sorted.begin(), sorted.end());
    const Distribution d = describe(values);
    ASSERT_EQ(d.n, sorted.size());
    if (sorted.empty()) continue;
    auto type7 = [&](double q) {
      const double h = (static_cast<double>(sorted.size()) - 1) * q;
      const auto lo = static_cast<std::size_t>(std::floor(h));
      const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
      return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
    };
    EXPECT_EQ(d.q05, type7(0.05)) << size;
    EXPECT_EQ(d.q25, type7(0.25)) << size;
    EXPECT_EQ(d.q50, type7(0.50)) << size;
    EXPECT_EQ(d.q75, type7(0.75)) << size;
    EXPECT_EQ(d.q95, type7(0.95)) << size;
  }
}

// The streaming path (blocks overlapped with the next block's draws, the running summary, its
// parallel finish) gives the same JSON on 1, 2 and 3 threads over several blocks.
TEST(Simulate, StreamedSummarySameOnAnyThreads) {
  auto json = [](unsigned threads) {
    SimulateRequest r;
    r.scenario.scenario = std::make_shared<const Scenario>(rich_scenario());
    r.models.models = {"test_rounds"};
    r.draws = 2600;  // three blocks of 1024 on one thread
    r.threads = threads;
    SimulateResponse out = simulate(r);
    for (auto& s : out.summaries) s.seconds = 0;
    return render(out, Format::json);
  };
  const std::string one = json(1);
  EXPECT_EQ(one, json(2));
  EXPECT_EQ(one, json(3));
}

TEST(Simulate, PerRoundValuesStopAtTheCapWithWholeDraws) {
  // 4000 rounds x 3 issues = 96,004 bytes of per-round values per draw (with its row count), so the
  // 128 MB cap (134,217,728 bytes) holds floor(134217728 / 96004) = 1398 draws; the forecasts still
  // use all 1500, and the per-round distributions are those of the first 1398.
  const Scenario s = rich_scenario();
  SummaryAccumulator acc(s, {"forecast"});
  SimulationResult header;
  header.model = "test";
  header.draws_requested = 1500;
  std::vector<double> round_100;  // issue 0's value in round 100, per draw
  for (std::uint64_t d = 0; d < 1500; ++d) {
    DrawOutcome o;
    o.draw = d;
    o.values = {static_cast<double>(d), 1, std::nan("")};
    o.convergence = {0, 0, 0};
    o.rounds = {std::vector<std::vector<double>>(4000, std::vector<double>{0, 0, 0})};
    o.rounds[0][100][0] = static_cast<double>((d * 7919) % 1500);
    round_100.push_back(o.rounds[0][100][0]);
    acc.add(o);
  }
  const SimulationSummary sum = std::move(acc).finish(header);
  EXPECT_EQ(sum.issues[0].forecast.n, 1500u);
  ASSERT_EQ(sum.rounds.size(), 1u);
  EXPECT_TRUE(sum.rounds[0].capped);
  EXPECT_EQ(sum.rounds[0].draws, 1398u);
  round_100.resize(1398);
  const Distribution want = describe(round_100);
  EXPECT_EQ(sum.rounds[0].issues[0][100].n, 1398u);
  EXPECT_EQ(sum.rounds[0].issues[0][100].q50, want.q50);
  EXPECT_EQ(sum.rounds[0].issues[0][100].mean, want.mean);
  // The terminal says so.
  SimulateResponse rsp;
  rsp.summaries.push_back(sum);
  EXPECT_NE(render(rsp, Format::table).find("the first 1398 draws"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(render(rsp, Format::json))["rounds"][0]["draws"], 1398);  // one model: the summary at the top
}
