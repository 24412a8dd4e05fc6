// Baselines against the table of test values in specs/bdm.md §2 (computed independently by the
// spec's author), for all eleven case tables, to 1e-6.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "entente/model.hpp"
#include "entente/scenario.hpp"

namespace {

struct Row {
  const char* file;
  double mean, cmean, csmean, med_cs, med_c, nbsq, nbsq_inf, nbsl;
};

// specs/bdm.md §2, "Test values": NBSq = p 2, D = Δ²; NBSq∞ = D = 100Δ²; NBSl = p 1, D = Δ.
const Row rows[] = {
    {"bdm1994_emission_standards_actors.csv", 6.7, 7.475248, 7.389956, 7, 7, 7.252646, 7.388468, 7.073281},
    {"bdm1997_sultan_actors.csv", 13.658824, 13.626087, 13.619912, 13.9, 13.9, 13.605624, 13.619770, 13.676809},
    {"bdm_china_dmasad_actors.csv", 42.916667, 33.216667, 30.721540, 20, 20, 35.503901, 30.757362, 21.801307},
    {"eum_iranian_election_2013.tsv", 4.875, 5.411429, 5.438337, 5, 5, 5.467437, 5.438647, 5.0},
    {"argentina_eum.tsv", 67.647059, 71.915063, 74.002818, 85, 80, 71.746543, 73.985763, 80.0},
    {"uk_emu_labour.csv", 5.777778, 5.923077, 5.321569, 6, 6, 5.162131, 5.320062, 5.0},
    {"uk_emu_cons.csv", 5.666667, 3.92, 3.109091, 1, 4, 3.190408, 3.109831, 1.209244},
    {"brexit_bayramli.csv", 7.444444, 6.214286, 6.0, 5, 5, 5.824648, 5.998150, 5.509765},
    {"columbus.csv", 45.0, 28.2, 36.724138, 25, 25, 39.667862, 36.748168, 37.764414},
    {"mugabe.csv", 41.9375, 46.402150, 52.707316, 50, 45, 53.578980, 52.717658, 50.0},
    {"greece2015_blog.csv", 86.363636, 85.714286, 82.222222, 100, 100, 78.104769, 82.181670, 80.905179},
};

// The table prints 6 decimals: 1e-6 absolute is its precision (half a unit of the last digit
// plus the rounding of the reference's own bisection).
constexpr double tol = 1e-6;

double forecast(const entente::Scenario& s, const char* model, entente::Params p = {}) {
  return entente::run_model(s, model, p).forecasts.at(0).value;
}

class BaselineTable : public ::testing::TestWithParam<Row> {};

TEST_P(BaselineTable, ReproducesSpecTable) {
  const Row& r = GetParam();
  const auto s = entente::load_scenario(std::string(ENTENTE_TEST_DATA) + "/cases/" + r.file);
  ASSERT_EQ(s.issues.size(), 1u);
  double lo = 1e300, hi = -1e300;
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    lo = std::min(lo, s.stance(a, 0)->position.value);
    hi = std::max(hi, s.stance(a, 0)->position.value);
  }
  const double range = hi - lo;
  EXPECT_NEAR(forecast(s, "mean"), r.mean, tol);
  EXPECT_NEAR(forecast(s, "capability-mean"), r.cmean, tol);
  EXPECT_NEAR(forecast(s, "compromise"), r.csmean, tol);
  EXPECT_NEAR(forecast(s, "median"), r.med_cs, tol);
  EXPECT_NEAR(forecast(s, "median", {{"weight", "c"}}), r.med_c, tol);
  EXPECT_NEAR(forecast(s, "nbs"), r.nbsq, tol);
  EXPECT_NEAR(forecast(s, "nbs", {{"D", std::to_string(100 * range * range)}}), r.nbsq_inf, tol);
  EXPECT_NEAR(forecast(s, "nbs", {{"loss", "linear"}}), r.nbsl, tol);
}

INSTANTIATE_TEST_SUITE_P(AllCases, BaselineTable, ::testing::ValuesIn(rows), [](const auto& info) {
  std::string n = info.param.file;
  n = n.substr(0, n.find('.'));
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});

}  // namespace

namespace {

void expect_same(const entente::Result& a, const entente::Result& b, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.params.values(), b.params.values());
  ASSERT_EQ(a.forecasts.size(), b.forecasts.size());
  for (std::size_t i = 0; i < a.forecasts.size(); ++i) {
    const auto &x = a.forecasts[i], &y = b.forecasts[i];
    // Bit for bit (NaN included): reuse must not change a single result.
    EXPECT_EQ(std::memcmp(&x.value, &y.value, sizeof(double)), 0) << "issue " << i;
    EXPECT_EQ(x.defined, y.defined);
    EXPECT_EQ(x.note, y.note);
    EXPECT_EQ(x.extras, y.extras);
    EXPECT_EQ(x.option_probabilities, y.option_probabilities);
    EXPECT_EQ(x.convergence.state, y.convergence.state);
    EXPECT_EQ(x.convergence.rounds, y.convergence.rounds);
    EXPECT_EQ(x.convergence.summarised, y.convergence.summarised);
  }
  EXPECT_EQ(a.path.size(), b.path.size());
  EXPECT_EQ(a.diagnostics, b.diagnostics);
  EXPECT_EQ(a.trace.rounds.size(), b.trace.rounds.size());
}

}  // namespace

// run_into reuses the Result a simulation thread passes draw after draw: whatever that Result
// held before (another model's forecasts, notes, a path, another scenario's issue count), the
// result must equal a fresh run's.
TEST(RunInto, EqualsAFreshRunWhateverTheResultHeldBefore) {
  const std::string dir = std::string(ENTENTE_TEST_DATA);
  ASSERT_GE(entente::models().size(), 8u);
  const entente::Scenario scenarios[] = {entente::load_scenario(dir + "/scenario/istanbul.yaml"),
                                         entente::load_scenario(dir + "/cases/uk_emu_cons.csv")};
  for (const entente::Model* m : entente::models()) {
    for (const auto& s : scenarios) {
      entente::RunOptions o;
      o.seed = 7;
      const entente::PreparedModel prepared(s, m->info().name, o);
      const entente::Result fresh = prepared.run(s);
      // Every field dirty, by hand, on more issues than either scenario has.
      entente::Result dirty;
      dirty.forecasts.resize(12);
      for (auto& f : dirty.forecasts) {
        f.value = 42;
        f.defined = false;
        f.note = "left over from an earlier run, long enough to live on the heap";
        f.extras = {{"median", 1.0}};
        f.option_probabilities = {0.5, 0.5};
        f.convergence.state = entente::Convergence::State::cycle;
        f.convergence.rounds = 9;
        f.convergence.summarised = true;
      }
      dirty.path = {{1, 2, 3}};
      dirty.diagnostics = {{"rounds", 3}};
      dirty.trace.rounds.resize(2);
      prepared.run_into(s, o.seed, dirty);
      expect_same(fresh, dirty, m->info().name + " after a dirty result");
      for (const char* before : {"bdm", "nbs", "median", "compromise"}) {
        for (const auto& other : scenarios) {
          entente::Result reused = entente::run_model(other, before, entente::RunOptions{});
          prepared.run_into(s, o.seed, reused);
          expect_same(fresh, reused, m->info().name + " after " + before);
        }
      }
    }
  }
}
