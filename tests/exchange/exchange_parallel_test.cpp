// The exchange model builds and refreshes candidates on several threads. Its results must not
// depend on how many: the same scenario, parameters and seed give bit-identical rounds, events
// and forecasts on 1 and N threads, for every variant (the REX and Random Rate draws are keyed
// by round, candidate and evaluation, not by the order work is done in).
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <variant>

#include "entente/analysis.hpp"
#include "entente/model.hpp"
#include "entente/random.hpp"
#include "entente/scenario.hpp"
#include "exchange/synthetic_decide.hpp"

namespace {

// Big enough that candidates are built in parallel (>= 4096) and that realisations refresh
// more than 256 candidates at once: 48 actors x 14 issues.
using entente::testing::synthetic_decide;

// Everything a run reports, doubles in hexadecimal (exact).
std::string dump(const entente::Result& r) {
  std::string out;
  auto num = [&](double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%a ", v);
    out += buf;
  };
  for (const auto& f : r.forecasts) num(f.value);
  for (const auto& round : r.trace.rounds) {
    out += "\nround " + std::to_string(round.index) + "\n";
    for (const auto& s : round.issue_series)
      for (double v : s.data) num(v);
    for (const auto& s : round.actor_series)
      for (const auto& row : s.data)
        for (double v : row) num(v);
    for (const auto& e : round.events) {
      out += "\n" + e.kind + ":";
      for (const auto& [name, value] : e.fields) {
        out += name + "=";
        if (const double* d = std::get_if<double>(&value)) num(*d);
        else if (const long long* i = std::get_if<long long>(&value)) out += std::to_string(*i) + " ";
        else out += std::get<std::string>(value) + " ";
      }
    }
  }
  return out;
}

std::string run_on(int threads, const entente::Scenario& sc, const entente::Params& params) {
  // More threads than cores is allowed here (oversubscription), without TBB's warning.
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  std::string out;
  arena.execute([&] { out = dump(entente::run_model(sc, "exchange", params, 2025)); });
  return out;
}

}  // namespace

TEST(ExchangeParallel, ThreadCountDoesNotChangeResults) {
  const auto sc = synthetic_decide(48, 14, 11);
  for (const entente::Params& p :
       {entente::Params{{"arith", "double"}, {"rounds", "3"}},
        entente::Params{{"arith", "double"}, {"rounds", "2"}, {"variant", "rex"}, {"p", "0.4"}},
        entente::Params{{"arith", "double"}, {"rounds", "2"}, {"variant", "random_rate"}},
        entente::Params{{"arith", "double"}, {"rounds", "2"}, {"ties", "random"}},
        entente::Params{{"arith", "decimal28"}, {"rounds", "1"}}}) {
    const std::string one = run_on(1, sc, p);
    EXPECT_GT(one.size(), 1000u);
    EXPECT_EQ(one, run_on(2, sc, p));
    EXPECT_EQ(one, run_on(4, sc, p));
  }
}

TEST(ExchangeParallel, SeedChangesOnlyTheRandomisedVariants) {
  const auto sc = synthetic_decide(30, 8, 5);
  const entente::Params eg{{"arith", "double"}, {"rounds", "2"}};
  const entente::Params rex{{"arith", "double"}, {"rounds", "2"}, {"variant", "rex"}, {"p", "0.4"}};
  EXPECT_EQ(dump(entente::run_model(sc, "exchange", eg, 1)), dump(entente::run_model(sc, "exchange", eg, 2)));
  EXPECT_NE(dump(entente::run_model(sc, "exchange", rex, 1)), dump(entente::run_model(sc, "exchange", rex, 2)));
}

// Inside `simulate` the model's parallel sections nest in the simulation's: a thread waiting in
// one must not start another draw on its own scenario copy. Draws on 1 and 3 threads agree.
TEST(ExchangeParallel, NestedInSimulateIsDeterministic) {
  auto sc = synthetic_decide(48, 14, 13);
  for (auto& actor : sc.actors)
    for (auto& st : actor.stances) {
      auto& x = st->position;
      x.uncertainty.kind = entente::Uncertainty::Kind::uniform;
      x.uncertainty.low = std::max(0.0, x.value - 10);
      x.uncertainty.high = std::min(100.0, x.value + 10);
    }
  entente::SimulationOptions o;
  o.model = "exchange";
  o.params = {{"arith", "double"}, {"rounds", "2"}, {"variant", "rex"}, {"p", "0.3"}};
  o.seed = 9;
  o.draws = 6;
  o.threads = 1;
  const auto one = entente::simulate(sc, o);
  o.threads = 3;
  const auto three = entente::simulate(sc, o);
  ASSERT_EQ(one.outcomes.size(), 6u);
  ASSERT_EQ(three.outcomes.size(), 6u);
  for (std::size_t d = 0; d < 6; ++d) {
    EXPECT_EQ(one.outcomes[d].values, three.outcomes[d].values) << "draw " << d;
    EXPECT_EQ(one.outcomes[d].rounds, three.outcomes[d].rounds) << "draw " << d;
  }
  EXPECT_NE(one.outcomes[0].values, one.outcomes[1].values);  // the draws differ
}
