// Google Benchmark of the bdm model: 10 rounds on random one-issue scenarios of n actors
// (positions, capabilities and saliences uniform; fixed seed), through the public API.
// offers=selected keeps the trace O(n) per round (offers=all records up to n^2 events per round);
// BM_BdmAllOffers and BM_BdmDirect (the O(n^3) cross-check path) run on the small sizes only.
#include <benchmark/benchmark.h>

#include "entente/model.hpp"
#include "entente/random.hpp"

namespace {

entente::Scenario random_scenario(int n, std::uint64_t seed) {
  entente::Rng rng(seed, static_cast<std::uint64_t>(n));
  entente::Scenario sc;
  entente::Issue issue;
  issue.id = "q";
  issue.min = 0;
  issue.max = 100;
  sc.issues.push_back(issue);
  for (int i = 0; i < n; ++i) {
    entente::Actor a;
    a.id = a.name = "a" + std::to_string(i);
    a.capability.value = rng.uniform(1, 100);
    entente::Stance st;
    st.position.value = rng.uniform(0, 100);
    st.salience.value = rng.uniform(0.1, 1);
    a.stances.emplace_back(st);
    sc.actors.push_back(a);
  }
  return sc;
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
