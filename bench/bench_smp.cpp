// KTAB's SMP (`smp`) on KTAB's own inputs and on a synthetic 1000-actor scenario. KTAB's compute
// times on the same 2-core machine (smp.md section 6): SOE-Pol-Comp 0.16 s, dummyData-a040 2.7 s,
// a080 33 s, a160 697 s; it refuses more than 250 actors. bench/smp_timings.sh prints the ratios.
#include <benchmark/benchmark.h>

#include <string>

#include "entente/model.hpp"
#include "entente/random.hpp"
#include "entente/scenario.hpp"

namespace {
using namespace entente;

// Same recipe as shared/data/ktab/synthetic: capability U(10,200), positions U(0,100), total
// salience U(75,99) split at random over the dimensions.
Scenario synthetic(std::size_t n, std::size_t d) {
  Rng rng(1000 * n + d);
  Scenario sc;
  for (std::size_t k = 0; k < d; ++k) {
    Issue is;
    is.id = "d" + std::to_string(k);
    is.name = is.id;
    sc.issues.push_back(is);
  }
  for (std::size_t a = 0; a < n; ++a) {
    Actor act;
    act.id = "a" + std::to_string(a);
    act.name = act.id;
    act.capability.value = rng.uniform(10, 200);
    const double total = rng.uniform(75, 99) / 100;
    std::vector<double> w(d);
    double sw = 0;
    for (auto& x : w) sw += x = rng.uniform(0.05, 1);
    for (std::size_t k = 0; k < d; ++k) {
      Stance st;
      st.position.value = rng.uniform(0, 100);
      st.salience.value = total * w[k] / sw;
      act.stances.emplace_back(st);
    }
    sc.actors.push_back(act);
  }
  return sc;
}

void run(benchmark::State& state, const Scenario& sc) {
  double turns = 0;
  for (auto _ : state) {
    const Result r = run_model(sc, "smp");
    turns = r.diagnostics.front().second;
    benchmark::DoNotOptimize(r.forecasts.data());
  }
  state.counters["actors"] = static_cast<double>(sc.actors.size());
  state.counters["turns"] = turns;
}

void BM_ktab_file(benchmark::State& state, const std::string& file) {
  static std::map<std::string, Scenario> cache;
  auto it = cache.find(file);
  if (it == cache.end()) it = cache.emplace(file, load_scenario(std::string(ENTENTE_TEST_DATA) + "/ktab/" + file)).first;
  run(state, it->second);
}

void BM_synthetic(benchmark::State& state) {
  static const Scenario sc = synthetic(static_cast<std::size_t>(state.range(0)), 2);
  run(state, sc);
}

}  // namespace

BENCHMARK_CAPTURE(BM_ktab_file, SOE_Pol_Comp, std::string("SOE-Pol-Comp.csv"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ktab_file, a040, std::string("dummyData-a040.csv"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ktab_file, a080, std::string("dummyData-a080.csv"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ktab_file, a160, std::string("dummyData-a160.csv"))->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_synthetic)->Arg(1000)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

BENCHMARK_MAIN();
