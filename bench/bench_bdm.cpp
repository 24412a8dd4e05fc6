// Google Benchmark of the bdm model: 10 rounds on random one-issue scenarios of n actors
// (positions, capabilities and saliences uniform; fixed seed), through the public API.
// offers=selected keeps the trace O(n) per round (offers=all records up to n^2 events per round);
// BM_BdmAllOffers and BM_BdmDirect (the O(n^3) cross-check path) run on the small sizes only.
#include <benchmark/benchmark.h>

#include "entente/model.hpp"
#include "entente/random.hpp"
#include "models/bdm_test_util.hpp"

namespace {

// n actors on one issue, drawn per actor in the order capability, position, salience.
entente::Scenario random_scenario(int n, std::uint64_t seed) {
  entente::Rng rng(seed, static_cast<std::uint64_t>(n));
  std::vector<double> x, c, s;
  for (int i = 0; i < n; ++i) {
    c.push_back(rng.uniform(1, 100));
    x.push_back(rng.uniform(0, 100));
    s.push_back(rng.uniform(0.1, 1));
  }
  return bdm_test::make_scenario(x, c, s);
}

void run_bdm(benchmark::State& state, const entente::Params& params) {
  const auto sc = random_scenario(static_cast<int>(state.range(0)), 2026);
  for (auto _ : state) {
    auto res = entente::run_model(sc, "bdm", params);
    benchmark::DoNotOptimize(res);
  }
  state.counters["actors"] = static_cast<double>(state.range(0));
}

void BM_Bdm(benchmark::State& state) { run_bdm(state, {{"offers", "selected"}}); }
void BM_BdmAllOffers(benchmark::State& state) { run_bdm(state, {}); }
void BM_BdmDirect(benchmark::State& state) { run_bdm(state, {{"offers", "selected"}, {"algorithm", "direct"}}); }

BENCHMARK(BM_Bdm)->Arg(10)->Arg(32)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BdmAllOffers)->Arg(10)->Arg(32)->Arg(100)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BdmDirect)->Arg(10)->Arg(32)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
