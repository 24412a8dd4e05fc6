#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "entente/output.hpp"
#include "entente/store.hpp"
#include "support/test_models.hpp"

using entente::testing::NoisyRounds;
using entente::testing::WeightedMean;
ENTENTE_REGISTER_MODEL(WeightedMean);
ENTENTE_REGISTER_MODEL(NoisyRounds);

using namespace entente;
using namespace entente::testing;
namespace fs = std::filesystem;

namespace {
// A fresh directory per test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "entente-store-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

SimulationResult simulation(std::uint64_t draws, const std::string& model = "test_rounds") {
  SimulationOptions o;
  o.model = model;
  o.seed = 5;
  o.draws = draws;
  o.threads = 1;
  return simulate(rich_scenario(), o);
}
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

TEST(Store, SimulationRoundTripIsExact) {
  TempDir dir;
  Store store(dir.file("sub/dir/runs.sqlite"));  // creates the directories
  const auto sim = simulation(50);
  const auto id = store.save_simulation(rich_scenario(), sim);
  const auto back = store.load_simulation(id);
  EXPECT_EQ(back.model, sim.model);
  EXPECT_EQ(back.seed, sim.seed);
  EXPECT_EQ(back.params.values(), sim.params.values());
  EXPECT_EQ(back.issue_ids, sim.issue_ids);
  EXPECT_EQ(back.round_series, sim.round_series);
  ASSERT_EQ(back.outcomes.size(), sim.outcomes.size());
  for (std::size_t k = 0; k < sim.outcomes.size(); ++k) {
    const auto &a = sim.outcomes[k], &b = back.outcomes[k];
    EXPECT_EQ(a.draw, b.draw);
    for (std::size_t i = 0; i < a.values.size(); ++i) EXPECT_TRUE(same_bits(a.values[i], b.values[i]));
    EXPECT_EQ(a.rounds, b.rounds);
  }
  const auto rec = store.find(id);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->kind, "simulation");
  EXPECT_EQ(rec->draws, 50u);
  EXPECT_FALSE(rec->partial);
  EXPECT_EQ(store.list().size(), 1u);
  std::string msg;
  EXPECT_TRUE(store.integrity_ok(&msg)) << msg;
}

TEST(Store, CategoricalProbabilitiesRoundTrip) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  const auto sim = simulation(10, "test_wmean");
  const auto back = store.load_simulation(store.save_simulation(rich_scenario(), sim));
  for (std::size_t k = 0; k < sim.outcomes.size(); ++k) EXPECT_EQ(back.outcomes[k].probabilities, sim.outcomes[k].probabilities);
}

TEST(Store, ResultWithTraceAndExports) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  const Scenario s = rich_scenario();
  const Result r = run_model(s, "test_rounds", {}, 3);
  const auto id = store.save_result(s, r, "trace", 0.5, "a note");
  EXPECT_EQ(store.find(id)->kind, "trace");
  // The store returns data; the presentation layer lays it out.
  const StoredRun run = store.load(id);
  ASSERT_TRUE(run.result.has_value());
  ASSERT_EQ(run.result->forecasts.size(), 3u);
  EXPECT_DOUBLE_EQ(run.result->forecasts[0].value, r.forecasts[0].value);
  const auto j = nlohmann::json::parse(render(run, Format::json));
  EXPECT_EQ(j["run"]["model"], "test_rounds");
  EXPECT_EQ(j["run"]["params"]["rounds"], "5");
  EXPECT_EQ(j["run"]["note"], "a note");
  EXPECT_EQ(j["forecasts"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["forecasts"][s.issues[0].id]["value"].get<double>(), r.forecasts[0].value);
  EXPECT_FALSE(j["scenario"]["hash"].get<std::string>().empty());

  const std::string csv = render(run, Format::csv);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "draw,issue,series,round,value");
  EXPECT_NE(csv.find("0,regions,forecast,,"), std::string::npos);
  EXPECT_FALSE(entente::testing::shows_nan(csv));
  EXPECT_NE(render(run, Format::table).find("run 1: trace of model test_rounds"), std::string::npos);
  EXPECT_THROW((void)store.load(999), InputError);
}

TEST(Store, DocumentsAndTheSameScenarioStoredOnce) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  const Scenario s = rich_scenario();
  const auto a = store.save_document(s, "sensitivity", "test_wmean", {}, 0, R"({"x": 1})");
  const auto b = store.save_result(s, run_model(s, "test_wmean"));
  EXPECT_EQ(store.find(a)->scenario_hash, store.find(b)->scenario_hash);
  const auto j = nlohmann::json::parse(render(store.load(a), Format::json));
  EXPECT_EQ(j["document"]["x"], 1);
  const auto runs = store.list();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, b);  // newest first
  EXPECT_EQ(store.list(1).size(), 1u);
}

TEST(Store, ReopeningKeepsRuns) {
  TempDir dir;
  std::int64_t id = 0;
  {
    Store store(dir.file("runs.sqlite"));
    id = store.save_simulation(rich_scenario(), simulation(5));
  }
  Store again(dir.file("runs.sqlite"));
  EXPECT_EQ(again.load_simulation(id).outcomes.size(), 5u);
}

TEST(Store, NotAStoreIsAnInputError) {
  TempDir dir;
  const auto path = dir.file("garbage.sqlite");
  std::ofstream(path) << "this is not a database, just some text that is long enough to have a header......";
  EXPECT_THROW(Store{path}, InputError);
  EXPECT_THROW(Store{dir.file("no/such/\0dir")}, InputError);
}

TEST(Store, DefaultPathFollowsTheEnvironment) {
  const char* old = std::getenv("ENTENTE_STORE");
  const std::string saved = old ? old : "";
  ::setenv("ENTENTE_STORE", "/tmp/x/runs.sqlite", 1);
  EXPECT_EQ(Store::default_path(), "/tmp/x/runs.sqlite");
  ::unsetenv("ENTENTE_STORE");
  ::setenv("XDG_DATA_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(Store::default_path(), "/tmp/xdg/entente/runs.sqlite");
  ::unsetenv("XDG_DATA_HOME");
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(Store::default_path(), "/home/someone/.local/share/entente/runs.sqlite");
  if (old) ::setenv("ENTENTE_STORE", saved.c_str(), 1);
}

// A child process writes one complete run, then starts a large one and is killed (SIGKILL) in
// the middle of it. The store must pass integrity_check, hold the complete run intact and no
// trace of the interrupted one.
TEST(Store, KilledWriterLeavesAConsistentStore) {
  TempDir dir;
  const auto path = dir.file("runs.sqlite");
  const auto small = simulation(20);
  // A large run: the same outcomes repeated under new draw indices (~600k rows).
  SimulationResult big = small;
  big.outcomes.clear();
  for (std::uint64_t k = 0; k < 20000; ++k) {
    auto o = small.outcomes[k % small.outcomes.size()];
    o.draw = k;
    big.outcomes.push_back(std::move(o));
  }
  big.draws_requested = big.outcomes.size();

  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    try {
      Store store(path);
      store.save_simulation(rich_scenario(), small);
      const char c = 'x';
      if (::write(ready[1], &c, 1) != 1) ::_exit(3);
      store.save_simulation(rich_scenario(), big);  // killed somewhere in here
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(0);
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  ::usleep(50000);  // let the big transaction get going
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  const bool killed_mid_write = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;

  Store store(path);
  std::string msg;
  EXPECT_TRUE(store.integrity_ok(&msg)) << msg;
  const auto runs = store.list();
  ASSERT_GE(runs.size(), 1u);
  const auto first = store.load_simulation(runs.back().id);
  ASSERT_EQ(first.outcomes.size(), small.outcomes.size());
  for (std::size_t k = 0; k < small.outcomes.size(); ++k) EXPECT_EQ(first.outcomes[k].values, small.outcomes[k].values);
  if (killed_mid_write) {
    EXPECT_EQ(runs.size(), 1u) << "the interrupted run must leave no trace";
  } else {
    // The child finished before the kill (a very fast machine): then the big run is complete.
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(store.load_simulation(runs.front().id).outcomes.size(), big.outcomes.size());
  }
  // And the store still takes new runs.
  EXPECT_GT(store.save_simulation(rich_scenario(), small), 0);
}
