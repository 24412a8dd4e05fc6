// Timings of the exchange model (bench/exchange_timings.sh compares them with the reference
// implementation's: Decide takes 8.4 s for 10 rounds on cop21 and 22 s per round at 30 x 15).
#include <benchmark/benchmark.h>

#include <string>

#include "entente/model.hpp"
#include "entente/random.hpp"
#include "entente/scenario.hpp"
#include "exchange/synthetic_decide.hpp"

namespace {

const entente::Scenario& cop21() {
  static const entente::Scenario sc = entente::load_scenario(std::string(ENTENTE_TEST_DATA) + "/decide/cop21.csv");
  return sc;
}

using entente::testing::synthetic_decide;

void run(benchmark::State& state, const entente::Scenario& sc, const char* arith, int rounds) {
  const entente::Params params{{"arith", arith}, {"rounds", std::to_string(rounds)}};
  double exchanges = 0;
  for (auto _ : state) {
    const auto r = entente::run_model(sc, "exchange", params, 1);
    exchanges = r.diagnostics.size() > 1 ? r.diagnostics[1].second : 0;
    benchmark::DoNotOptimize(r.forecasts.data());
  }
  state.counters["exchanges"] = exchanges;
}

void BM_cop21_10rounds_decimal28(benchmark::State& s) { run(s, cop21(), "decimal28", 10); }
void BM_cop21_10rounds_double(benchmark::State& s) { run(s, cop21(), "double", 10); }
void BM_30x15_1round_decimal28(benchmark::State& s) {
  static const auto sc = synthetic_decide(30, 15, 3015);
  run(s, sc, "decimal28", 1);
}
void BM_30x15_1round_double(benchmark::State& s) {
  static const auto sc = synthetic_decide(30, 15, 3015);
  run(s, sc, "double", 1);
}
void BM_100x50_10rounds_double(benchmark::State& s) {
  static const auto sc = synthetic_decide(100, 50, 10050);
  run(s, sc, "double", 10);
}

}  // namespace

BENCHMARK(BM_cop21_10rounds_decimal28)->Unit(benchmark::kMillisecond)->MinTime(1.0)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_cop21_10rounds_double)->Unit(benchmark::kMillisecond)->MinTime(1.0)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_30x15_1round_decimal28)->Unit(benchmark::kMillisecond)->MinTime(1.0)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_30x15_1round_double)->Unit(benchmark::kMillisecond)->MinTime(1.0)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_100x50_10rounds_double)->Unit(benchmark::kMillisecond)->Iterations(1)->MeasureProcessCPUTime()->UseRealTime();

BENCHMARK_MAIN();
