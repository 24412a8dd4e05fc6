// deal: draws per second of the Istanbul scenario's deal analysis (veto players, P(a deal is
// possible), the compromise forecast checked and its nearest acceptable package), on 1 and 2
// threads; and the point analysis alone (maximin, zones, ranges: the LPs without draws).
//   build/bench_deal --benchmark_counters_tabular=true
// Draws per second appear as the "draws/s" counter. The end-to-end figure of docs/models/deal.md
// is `entente deal scenarios/istanbul-2025.yaml -m compromise --draws 10000`, timed as a process.
#include <benchmark/benchmark.h>

#include <string>

#include "entente/deal.hpp"

namespace {
const entente::Scenario& istanbul() {
  static const entente::Scenario s = entente::load_scenario(std::string(ENTENTE_SOURCE_DIR) + "/scenarios/istanbul-2025.yaml");
  return s;
}

void deal_draws(benchmark::State& state, std::vector<std::string> models, std::uint64_t draws) {
  entente::DealOptions o;
  o.models = std::move(models);
  o.seed = 1;
  o.draws = draws;
  o.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto r = entente::analyse_deal(istanbul(), o);
    benchmark::DoNotOptimize(r.p_possible);
  }
  state.counters["draws/s"] =
      benchmark::Counter(static_cast<double>(draws) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_DealCompromise(benchmark::State& state) { deal_draws(state, {"compromise"}, 2000); }
void BM_DealNoModel(benchmark::State& state) { deal_draws(state, {}, 2000); }

void BM_DealPointValues(benchmark::State& state) {
  entente::DealOptions o;
  o.models = {"compromise"};
  for (auto _ : state) {
    auto r = entente::analyse_deal(istanbul(), o);
    benchmark::DoNotOptimize(r.maximin_margin);
  }
}
}  // namespace

BENCHMARK(BM_DealCompromise)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_DealNoModel)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_DealPointValues)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
