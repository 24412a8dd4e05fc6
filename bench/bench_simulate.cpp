// simulate: draws per second of the Istanbul scenario with bdm (10 rounds) and compromise, on 1
// and 2 threads. Parallel efficiency = (draws/s on 2 threads) / (2 x draws/s on 1 thread).
//   build/bench_simulate --benchmark_counters_tabular=true
// Draws per second appear as the "draws/s" counter.
#include <benchmark/benchmark.h>

#include <string>

#include "entente/analysis.hpp"

namespace {
const entente::Scenario& istanbul() {
  static const entente::Scenario s = entente::load_scenario(std::string(ENTENTE_SOURCE_DIR) + "/scenarios/istanbul-2025.yaml");
  return s;
}

void simulate_model(benchmark::State& state, const char* model, std::uint64_t draws) {
  entente::SimulationOptions o;
  o.model = model;
  o.seed = 1;
  o.draws = draws;
  o.threads = static_cast<unsigned>(state.range(0));
  if (std::string(model) == "bdm") o.params.set("rounds", "10");
  for (auto _ : state) {
    auto r = entente::simulate(istanbul(), o);
    benchmark::DoNotOptimize(r.outcomes.data());
  }
  state.counters["draws/s"] =
      benchmark::Counter(static_cast<double>(draws) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_SimulateBdm(benchmark::State& state) { simulate_model(state, "bdm", 10000); }
void BM_SimulateCompromise(benchmark::State& state) { simulate_model(state, "compromise", 10000); }
}  // namespace

BENCHMARK(BM_SimulateBdm)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_SimulateCompromise)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK_MAIN();
