#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sstream>
#include <atomic>
#include <optional>
#include <random>

#include "entente/analysis.hpp"

#include "entente/output.hpp"
#include "entente/requests.hpp"
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
  // A large run: the same outcomes repeated under new draw indices (long enough to be killed in).
  SimulationResult big = small;
  big.outcomes.clear();
  for (std::uint64_t k = 0; k < 100000; ++k) {
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
  // Killed before its commit, the big run leaves no trace; killed after it (the child was already
  // closing the store: a fast machine), the run is there and complete. Never a part of it.
  ASSERT_LE(runs.size(), 2u);
  if (runs.size() == 2) {
    EXPECT_EQ(store.load_simulation(runs.front().id).outcomes.size(), big.outcomes.size());
  } else {
    EXPECT_TRUE(killed_mid_write);
  }
  // And the store still takes new runs.
  EXPECT_GT(store.save_simulation(rich_scenario(), small), 0);
}

// ---- Schema version 2: compact store, streaming, migration, prune, concurrency, cancellation ----

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
const std::string data_dir = std::string(ENTENTE_TEST_DATA) + "/store/";
}  // namespace

// A store written by main before the compact store (tests/data/store/SOURCES.md) opens, is
// migrated to version 2, and loads the same runs as the old entente exported.
TEST(Store, MigratesAVersion1Store) {
  TempDir dir;
  const auto path = dir.file("v1.sqlite");
  fs::copy_file(data_dir + "v1.sqlite", path);
  {
    Store store(path);
    std::string msg;
    EXPECT_TRUE(store.integrity_ok(&msg)) << msg;
    const auto runs = store.list();
    ASSERT_EQ(runs.size(), 6u);
    for (int id = 1; id <= 6; ++id) {
      const auto old = nlohmann::json::parse(read_file(data_dir + "v1-run" + std::to_string(id) + ".json"));
      const auto now = nlohmann::json::parse(render(store.load(id), Format::json));
      EXPECT_EQ(now["run"]["kind"], old["run"]["kind"]) << id;
      EXPECT_EQ(now["run"]["model"], old["run"]["model"]) << id;
      EXPECT_EQ(now["run"]["params"], old["run"]["params"]) << id;
      EXPECT_EQ(now["run"]["seed"], old["run"]["seed"]) << id;
      EXPECT_EQ(now["run"]["draws"], old["run"]["draws"]) << id;
      EXPECT_EQ(now["scenario"], old["scenario"]) << id;  // content, hash, origin
      if (old.contains("forecasts")) {
        EXPECT_EQ(now["forecasts"], old["forecasts"]) << id;
      }
      if (old.contains("draws")) {
        ASSERT_EQ(now["draws"].size(), old["draws"].size()) << id;
        for (std::size_t k = 0; k < old["draws"].size(); ++k) {
          EXPECT_EQ(now["draws"][k]["draw"], old["draws"][k]["draw"]);
          EXPECT_EQ(now["draws"][k]["values"], old["draws"][k]["values"]);
        }
      }
      if (old.contains("document")) {
        EXPECT_EQ(now["document"], old["document"]) << id;
      }
    }
    // The bdm simulation's per-round values: every row the old CSV export had is still there.
    const std::string csv = render(store.load(5), Format::csv);
    std::istringstream old_csv(read_file(data_dir + "v1-run5.csv"));
    std::string line;
    std::size_t rows = 0;
    while (std::getline(old_csv, line)) {
      EXPECT_NE(csv.find(line + "\n"), std::string::npos) << line;
      ++rows;
    }
    EXPECT_EQ(rows, 121u);
    // The migrated store takes new runs.
    EXPECT_EQ(store.save_simulation(rich_scenario(), simulation(3)), 7);
  }
  Store again(path);  // already version 2: opens without migrating
  EXPECT_EQ(again.list().size(), 7u);
}

// Hand-made draws that exercise every field of a draw block: NaN values, convergence that varies
// on one issue and not on another, option probabilities, per-round rows of varying length.
std::vector<DrawOutcome> hand_draws(std::size_t count, std::uint64_t first, std::size_t options) {
  std::vector<DrawOutcome> out(count);
  for (std::size_t j = 0; j < count; ++j) {
    DrawOutcome& o = out[j];
    o.draw = first + j;
    o.values = {0.1 * static_cast<double>(j), j % 5 == 0 ? std::nan("") : -1e300, 2.0};
    o.convergence = {1, static_cast<std::uint8_t>(j % 4), 0};
    o.probabilities = {{}, {}, std::vector<double>(options, 1.0 / static_cast<double>(options ? options : 1))};
    if (options) o.probabilities[2][0] = static_cast<double>(j) / 1e6;
    o.rounds = {std::vector<std::vector<double>>(1 + j % 3, std::vector<double>{static_cast<double>(j), std::nan(""), 3.5})};
  }
  return out;
}
void expect_same_draws(const std::vector<DrawOutcome>& a, const std::vector<DrawOutcome>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].draw, b[k].draw);
    ASSERT_EQ(a[k].values.size(), b[k].values.size());
    for (std::size_t i = 0; i < a[k].values.size(); ++i) EXPECT_TRUE(same_bits(a[k].values[i], b[k].values[i])) << k;
    EXPECT_EQ(a[k].convergence, b[k].convergence) << k;
    EXPECT_EQ(a[k].probabilities, b[k].probabilities) << k;
    ASSERT_EQ(a[k].rounds.size(), b[k].rounds.size());
    for (std::size_t s = 0; s < a[k].rounds.size(); ++s) {
      ASSERT_EQ(a[k].rounds[s].size(), b[k].rounds[s].size()) << k;
      for (std::size_t r = 0; r < a[k].rounds[s].size(); ++r)
        for (std::size_t i = 0; i < a[k].rounds[s][r].size(); ++i)
          EXPECT_TRUE(same_bits(a[k].rounds[s][r][i], b[k].rounds[s][r][i])) << k;
    }
  }
}
std::string block_versions(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string out;
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT unicode(substr(data, 1, 1)) FROM blocks WHERE part = 'draws' ORDER BY run_id, seq", -1, &q, nullptr);
  while (sqlite3_step(q) == SQLITE_ROW) out += std::to_string(sqlite3_column_int(q, 0));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

// Draws of one shape are written by column (version 2), a mixture draw by draw (version 1); both
// read back bit for bit, through the streaming writer as through save_simulation.
TEST(Store, DrawBlocksByColumnAndByDrawRoundTrip) {
  TempDir dir;
  const auto path = dir.file("runs.sqlite");
  Store store(path);
  const Scenario s = rich_scenario();
  SimulationResult header = simulation(1);
  header.outcomes.clear();
  // 2500 draws of one shape: blocks of 1024, 1024, 452.
  auto uniform = hand_draws(2500, 7, 4);
  header.draws_requested = uniform.size();
  header.first_draw = 7;
  auto writer = store.begin_simulation(s, header);
  writer->add(uniform.data(), 1000);  // a block of 1000, then 1024 and 476
  writer->add(uniform.data() + 1000, 1500);
  const auto a = writer->finish(header);
  expect_same_draws(store.load_simulation(a).outcomes, uniform);
  // Mixed shapes: a draw with another option count, and a gap in the draw indices.
  auto mixed = hand_draws(40, 0, 3);
  mixed[17].probabilities[2].push_back(0.25);
  auto gap = hand_draws(30, 0, 2);
  gap[12].draw = 100;
  SimulationResult m = header;
  m.outcomes = mixed;
  m.draws_requested = mixed.size();
  m.first_draw = 0;
  const auto b = store.save_simulation(s, m);
  expect_same_draws(store.load_simulation(b).outcomes, mixed);
  m.outcomes = gap;
  m.draws_requested = gap.size();
  const auto c = store.save_simulation(s, m);
  expect_same_draws(store.load_simulation(c).outcomes, gap);
  EXPECT_EQ(block_versions(path), "222" "1" "1");
  // Stored by column, a draw on these three issues takes fewer bytes than draw by draw.
  auto bytes_per_draw = [&](std::int64_t run) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT sum(length(data)) * 1.0 / sum(count) FROM blocks WHERE part = 'draws' AND run_id = ?", -1, &q,
                       nullptr);
    sqlite3_bind_int64(q, 1, run);
    const double v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : 0;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
  };
  EXPECT_LT(bytes_per_draw(a), bytes_per_draw(b));
}

// A store of schema version 2 whose draw blocks are of version 1, written by the entente before
// the columnar blocks (tests/data/store/SOURCES.md): it loads and exports as that entente exported.
TEST(Store, ReadsDrawBlocksOfVersion1) {
  TempDir dir;
  const auto path = dir.file("v2-blocks1.sqlite");
  fs::copy_file(data_dir + "v2-blocks1.sqlite", path);
  EXPECT_EQ(block_versions(path), "111");
  Store store(path);
  for (int id = 1; id <= 2; ++id) {
    const auto old = nlohmann::json::parse(read_file(data_dir + "v2-blocks1-run" + std::to_string(id) + ".json"));
    const auto now = nlohmann::json::parse(render(store.load(id), Format::json));
    EXPECT_EQ(now["draws"], old["draws"]) << id;
    EXPECT_EQ(now["summary"], old["summary"]) << id;
    EXPECT_EQ(now["run"]["model"], old["run"]["model"]) << id;
  }
}

// Damaged draw blocks of either version are an error naming the problem, never a crash or a
// vector sized from a corrupt count.
TEST(Store, DamagedDrawBlocksAreErrors) {
  TempDir dir;
  int k = 0;
  for (const char* damage : {"substr(data, 1, 40)",                                   // truncated
                             "substr(data, 1, 1) || x'ffffffff' || substr(data, 6)",  // a huge count
                             "x'09' || substr(data, 2)",                              // an unknown version
                             "x'01' || substr(data, 2)"}) {                           // read as the other layout
    const auto path = dir.file("runs" + std::to_string(k++) + ".sqlite");
    std::int64_t id = 0;
    {
      Store store(path);
      SimulationResult m = simulation(1);
      m.outcomes = hand_draws(50, 0, 2);
      m.draws_requested = 50;
      id = store.save_simulation(rich_scenario(), m);
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, (std::string("UPDATE blocks SET data = ") + damage + " WHERE part = 'draws'").c_str(), nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    Store store(path);
    try {
      (void)store.load_simulation(id);
      ADD_FAILURE() << damage << ": loaded";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("block"), std::string::npos) << damage << ": " << e.what();
    }
  }
}

// Any damage to a draw block, not only the four kinds above: 600 random byte changes, truncations
// and insertions of both layouts (by column and draw by draw). Each load either gives draws or
// throws an error; it never crashes, reads out of bounds (the ASan build runs this) or allocates
// from a corrupt count.
TEST(Store, RandomlyDamagedDrawBlocksLoadOrFailCleanly) {
  TempDir dir;
  const auto path = dir.file("runs.sqlite");
  std::vector<std::pair<std::int64_t, std::string>> runs;  // run, its draw block as written
  {
    Store store(path);
    SimulationResult uniform = simulation(1);
    uniform.outcomes = hand_draws(40, 0, 3);  // one shape: a block by column
    uniform.draws_requested = 40;
    SimulationResult mixed = uniform;
    mixed.outcomes[5].probabilities[1].push_back(0.5);  // shapes differ: draw by draw
    for (const auto& m : {uniform, mixed}) runs.emplace_back(store.save_simulation(rich_scenario(), m), std::string{});
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto block = [&](std::int64_t run) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT data FROM blocks WHERE part = 'draws' AND run_id = ?", -1, &q, nullptr);
    sqlite3_bind_int64(q, 1, run);
    std::string out;
    if (sqlite3_step(q) == SQLITE_ROW)
      out.assign(static_cast<const char*>(sqlite3_column_blob(q, 0)), static_cast<std::size_t>(sqlite3_column_bytes(q, 0)));
    sqlite3_finalize(q);
    return out;
  };
  auto put = [&](std::int64_t run, const std::string& data) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "UPDATE blocks SET data = ? WHERE part = 'draws' AND run_id = ?", -1, &q, nullptr);
    sqlite3_bind_blob(q, 1, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, run);
    ASSERT_EQ(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
  };
  for (auto& [run, data] : runs) {
    data = block(run);
    ASSERT_GT(data.size(), 16u);
  }
  EXPECT_NE(runs[0].second[0], runs[1].second[0]);  // the two layouts (their version bytes differ)
  std::mt19937 rng(20261206);
  std::size_t loaded = 0, failed = 0;
  Store store(path);
  for (int n = 0; n < 600; ++n) {
    const auto& [run, original] = runs[static_cast<std::size_t>(n) % runs.size()];
    std::string d = original;
    auto at = [&](std::size_t size) { return std::uniform_int_distribution<std::size_t>(0, size - 1)(rng); };
    switch (n % 4) {
      case 0:  // a few bytes changed anywhere
        for (int k = 0; k < 1 + n % 3; ++k) d[at(d.size())] = static_cast<char>(rng());
        break;
      case 1:  // a byte of the header (version, counts) changed
        d[at(std::min<std::size_t>(d.size(), 24))] = static_cast<char>(rng());
        break;
      case 2:  // truncated
        d.resize(at(d.size()));
        break;
      case 3:  // bytes inserted
        d.insert(at(d.size()), std::string(1 + at(9), static_cast<char>(rng())));
        break;
    }
    put(run, d);
    try {
      const auto sim = store.load_simulation(run);
      EXPECT_LE(sim.outcomes.size(), d.size());  // never more draws than the bytes could hold
      ++loaded;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("block"), std::string::npos) << e.what();
      ++failed;
    }
  }
  sqlite3_close(db);
  EXPECT_GT(failed, 100u);  // the damage was seen, not just read past
  EXPECT_EQ(loaded + failed, 600u);
}

TEST(Store, NewerSchemaIsAnInputError) {
  TempDir dir;
  const auto path = dir.file("runs.sqlite");
  { Store store(path); }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  EXPECT_THROW(Store{path}, InputError);
}

// A single run keeps its forecasts (with convergence and extras), the forecast path and whatever
// trace was recorded, events included with their field types.
TEST(Store, PathTraceAndEventsRoundTrip) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  const Scenario s = rich_scenario();
  Result r = run_model(s, "test_rounds", {}, 3);
  ASSERT_FALSE(r.path.empty());
  r.forecasts[0].extras = {{"median", 1.5}, {"mean", std::nan("")}};
  r.forecasts[1].convergence.state = Convergence::State::cycle;
  r.forecasts[1].convergence.period = 2;
  r.forecasts[1].convergence.low = 0.25;
  r.forecasts[2].defined = false;
  r.forecasts[2].note = "no actor";
  r.diagnostics = {{"rounds", 5}};
  r.trace.rounds[1].events.push_back(Event{"offer", {{"from", std::string("a")}, {"round", 1LL}, {"gain", 3.0}}});
  const auto id = store.save_result(s, r, "trace");
  const StoredRun run = store.load(id);
  ASSERT_TRUE(run.result);
  const Result& b = *run.result;
  ASSERT_EQ(b.path.size(), r.path.size());
  for (std::size_t i = 0; i < r.path.size(); ++i) {
    ASSERT_EQ(b.path[i].size(), r.path[i].size());
    for (std::size_t k = 0; k < r.path[i].size(); ++k) EXPECT_TRUE(same_bits(b.path[i][k], r.path[i][k]));
  }
  EXPECT_EQ(b.forecasts[0].extras.size(), 2u);
  EXPECT_EQ(b.forecasts[0].extras[0].first, "median");
  EXPECT_TRUE(std::isnan(b.forecasts[0].extras[1].second));
  EXPECT_EQ(b.forecasts[1].convergence.state, Convergence::State::cycle);
  EXPECT_EQ(b.forecasts[1].convergence.period, 2);
  EXPECT_FALSE(b.forecasts[2].defined);
  EXPECT_EQ(b.forecasts[2].note, "no actor");
  EXPECT_EQ(b.diagnostics, r.diagnostics);
  ASSERT_EQ(b.trace.rounds.size(), r.trace.rounds.size());
  for (std::size_t k = 0; k < r.trace.rounds.size(); ++k) {
    EXPECT_EQ(b.trace.rounds[k].index, r.trace.rounds[k].index);
    ASSERT_EQ(b.trace.rounds[k].issue_series.size(), r.trace.rounds[k].issue_series.size());
    EXPECT_EQ(b.trace.rounds[k].issue_series[0].name, "mean");
    for (std::size_t i = 0; i < r.trace.rounds[k].issue_series[0].data.size(); ++i)
      EXPECT_TRUE(same_bits(b.trace.rounds[k].issue_series[0].data[i], r.trace.rounds[k].issue_series[0].data[i]));
    ASSERT_EQ(b.trace.rounds[k].actor_series.size(), 1u);
    const auto &xa = r.trace.rounds[k].actor_series[0].data, &xb = b.trace.rounds[k].actor_series[0].data;
    ASSERT_EQ(xa.size(), xb.size());
    for (std::size_t i = 0; i < xa.size(); ++i)
      for (std::size_t a = 0; a < xa[i].size(); ++a) EXPECT_TRUE(same_bits(xa[i][a], xb[i][a]) || (std::isnan(xa[i][a]) && std::isnan(xb[i][a])));
  }
  const auto& ev = b.trace.rounds[1].events;
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<std::string>(ev[0].fields[0].second), "a");
  EXPECT_EQ(std::get<long long>(ev[0].fields[1].second), 1);
  EXPECT_EQ(std::get<double>(ev[0].fields[2].second), 3.0);  // a double stays a double

  // `runs show ID -f json|csv` show them.
  const auto j = nlohmann::json::parse(render(run, Format::json));
  ASSERT_TRUE(j.contains("path"));
  EXPECT_EQ(j["path"][s.issues[0].id].size(), r.path[0].size());
  ASSERT_TRUE(j.contains("trace"));
  EXPECT_EQ(j["trace"]["rounds"].size(), r.trace.rounds.size());
  EXPECT_EQ(j["trace"]["rounds"][1]["events"][0]["from"], "a");
  const std::string csv = render(run, Format::csv);
  EXPECT_NE(csv.find("0," + s.issues[0].id + ",path,0,"), std::string::npos);
  EXPECT_NE(csv.find("0," + s.issues[0].id + ",mean,5,"), std::string::npos);
}

// Streaming draws (keep_outcomes = false, a running summary) gives the same bits as keeping them
// all and summarising afterwards, on 1 and 3 threads; the store gets every draw in order.
TEST(Store, StreamedSimulationMatchesTheWholeOneBitForBit) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  const Scenario s = rich_scenario();
  SimulationOptions o;
  o.model = "test_rounds";
  o.seed = 9;
  o.draws = 2500;  // three blocks
  o.threads = 1;
  const SimulationResult whole = simulate(s, o);
  const SimulationSummary expected = summarize(s, whole);
  for (unsigned threads : {1u, 3u}) {
    SimulationOptions so = o;
    so.threads = threads;
    so.keep_outcomes = false;
    std::optional<SummaryAccumulator> acc;
    std::unique_ptr<Store::SimulationWriter> writer;
    std::uint64_t next = 0;
    so.on_block = [&](const SimulationResult& header, std::vector<DrawOutcome>& block) {
      if (!acc) acc.emplace(s, header.round_series);
      if (!writer) writer = store.begin_simulation(s, header);
      for (const auto& d : block) {
        EXPECT_EQ(d.draw, next++);
        acc->add(d);
      }
      writer->add(block.data(), block.size());
    };
    const SimulationResult streamed = simulate(s, so);
    EXPECT_TRUE(streamed.outcomes.empty());
    EXPECT_EQ(streamed.draws_completed(), 2500u);
    EXPECT_FALSE(streamed.partial);
    const SimulationSummary got = std::move(*acc).finish(streamed);
    ASSERT_EQ(got.issues.size(), expected.issues.size());
    for (std::size_t i = 0; i < got.issues.size(); ++i) {
      const auto &a = got.issues[i].forecast, &b = expected.issues[i].forecast;
      EXPECT_TRUE(same_bits(a.mean, b.mean) && same_bits(a.sd, b.sd) && same_bits(a.q05, b.q05) && same_bits(a.q50, b.q50) &&
                  same_bits(a.q95, b.q95));
      EXPECT_EQ(got.issues[i].bin_counts, expected.issues[i].bin_counts);
      EXPECT_EQ(got.issues[i].settled, expected.issues[i].settled);
    }
    ASSERT_EQ(got.rounds.size(), expected.rounds.size());
    for (std::size_t i = 0; i < got.rounds[0].issues.size(); ++i)
      for (std::size_t r = 0; r < got.rounds[0].issues[i].size(); ++r)
        EXPECT_TRUE(same_bits(got.rounds[0].issues[i][r].q50, expected.rounds[0].issues[i][r].q50));
    const auto id = writer->finish(streamed, &got);
    const StoredRun run = store.load(id);
    ASSERT_TRUE(run.simulation);
    ASSERT_EQ(run.simulation->outcomes.size(), whole.outcomes.size());
    for (std::size_t k = 0; k < whole.outcomes.size(); ++k) {
      EXPECT_EQ(run.simulation->outcomes[k].draw, whole.outcomes[k].draw);
      EXPECT_EQ(run.simulation->outcomes[k].rounds, whole.outcomes[k].rounds);
      EXPECT_EQ(run.simulation->outcomes[k].convergence, whole.outcomes[k].convergence);
    }
    // The summary is kept as rows.
    bool found = false;
    for (const auto& row : run.summary)
      if (row.issue == 0 && row.stat == "q50") found = same_bits(row.value, expected.issues[0].forecast.q50);
    EXPECT_TRUE(found);
  }
}

TEST(Store, PruneByCountAgeAndSize) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  const Scenario s = rich_scenario();
  for (int k = 0; k < 10; ++k) (void)store.save_simulation(s, simulation(200));
  EXPECT_EQ(store.list().size(), 10u);
  PrunePolicy keep;
  keep.keep = 6;
  auto r = store.prune(keep);
  EXPECT_EQ(r.removed, 4u);
  auto runs = store.list();
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs.back().id, 5);  // the newest stay
  // Each run of 200 draws is the same size: a limit of 2.5 runs' data keeps the newest two.
  std::uint64_t one = 0;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("runs.sqlite").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT bytes FROM runs WHERE id = 10", -1, &q, nullptr);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    one = static_cast<std::uint64_t>(sqlite3_column_int64(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
  }
  EXPECT_GT(one, 200u * 8);
  PrunePolicy size;
  size.max_bytes = one * 5 / 2;
  r = store.prune(size);
  EXPECT_EQ(r.removed, 4u);
  runs = store.list();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs.front().id, 10);
  EXPECT_LE(r.bytes_after, r.bytes_before);
  PrunePolicy age;
  age.older_than_days = 1;  // both were made just now
  EXPECT_EQ(store.prune(age).removed, 0u);
  age.older_than_days = 0;
  EXPECT_EQ(store.prune(age).removed, 2u);
  EXPECT_TRUE(store.list().empty());
  std::string msg;
  EXPECT_TRUE(store.integrity_ok(&msg)) << msg;
}

// Two processes write 25 runs each at the same time: none is lost to "database is locked".
TEST(Store, ConcurrentWritersWaitForEachOther) {
  TempDir dir;
  const auto path = dir.file("runs.sqlite");
  { Store store(path); }
  const auto sim = simulation(300);
  std::vector<pid_t> children;
  for (int c = 0; c < 2; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int rc = 0;
      try {
        Store store(path);
        for (int k = 0; k < 25; ++k) {
          (void)store.save_simulation(rich_scenario(), sim);
          (void)store.save_result(rich_scenario(), run_model(rich_scenario(), "test_rounds", {}, 1));
        }
      } catch (...) {
        rc = 1;
      }
      ::_exit(rc);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  Store store(path);
  EXPECT_EQ(store.list().size(), 100u);
  for (const auto& r : store.list())
    if (r.kind == "simulation") {
      EXPECT_EQ(store.load_simulation(r.id).outcomes.size(), 300u);
    }
}

// The cancellation rule: a flag raised during a write rolls it back (StoreWriteCancelled, nothing
// left); raised after the commit, the run is kept.
TEST(Store, CancelledWriteRollsBackAndSaysSo) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  const Scenario s = rich_scenario();
  std::atomic<bool> cancel{false};
  store.set_cancel(&cancel);
  const auto kept = store.save_result(s, run_model(s, "test_rounds"));
  cancel = true;  // after the commit: the run stays
  EXPECT_TRUE(store.find(kept).has_value());
  EXPECT_THROW((void)store.save_result(s, run_model(s, "test_rounds")), StoreWriteCancelled);
  cancel = false;
  const auto sim = simulation(3000);
  auto writer = store.begin_simulation(s, sim);
  writer->add(sim.outcomes.data(), 2048);  // two blocks committed, the run still invisible
  EXPECT_EQ(store.list().size(), 1u);
  cancel = true;
  EXPECT_THROW((void)writer->finish(sim), StoreWriteCancelled);
  EXPECT_EQ(store.list().size(), 1u);
  cancel = false;
  writer.reset();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("runs.sqlite").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM blocks WHERE part = 'draws')", -1, &q, nullptr);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(q, 0), 1);  // the rolled-back simulation left no row
    EXPECT_EQ(sqlite3_column_int(q, 1), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
  }
  // A writer dropped without finish() removes what it wrote as well.
  {
    auto w = store.begin_simulation(s, sim);
    w->add(sim.outcomes.data(), 1500);
  }
  EXPECT_EQ(store.list().size(), 1u);
  EXPECT_EQ(store.prune(PrunePolicy{}).abandoned, 0u);
}

// ---- Draws kept as their inputs and a digest (DrawStorage::recompute) ---------------------------

namespace {
DrawOutcome sample_draw(std::mt19937_64& g) {
  std::uniform_real_distribution<double> u(-5, 5);
  DrawOutcome d;
  d.draw = g() % 1000;
  d.values = {u(g), u(g), std::nan("")};
  d.convergence = {0, 1, 2};
  d.probabilities = {{}, {}, {0.25, 0.75}};
  d.rounds = {{{u(g), u(g), u(g)}, {u(g), u(g), u(g)}}};
  return d;
}

std::string digest_of(const std::vector<DrawOutcome>& draws) {
  DrawDigest d;
  for (const auto& o : draws) d.add(o);
  return d.hex();
}

SimulateResponse simulate_into(const std::string& store, const ScenarioSource& scenario, const std::string& model,
                               std::optional<DrawStorage> storage, std::uint64_t draws = 300, Settle settle = Settle::last) {
  SimulateRequest req;
  req.scenario = scenario;
  req.models.models = {model};
  req.models.seed = 11;
  req.models.settle = settle;
  req.draws = draws;
  req.first_draw = 7;
  req.threads = 2;
  req.keep_draws = true;
  req.store.save = true;
  req.store.path = store;
  req.draw_storage = storage;
  return simulate(req);
}

std::int64_t blocks_of(const std::string& store, std::int64_t run, const char* part) {
  sqlite3* db = nullptr;
  sqlite3_open(store.c_str(), &db);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM blocks WHERE run_id = ? AND part = ?", -1, &q, nullptr);
  sqlite3_bind_int64(q, 1, run);
  sqlite3_bind_text(q, 2, part, -1, SQLITE_TRANSIENT);
  sqlite3_step(q);
  const auto n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}
}  // namespace

namespace {
// The rich scenario as text: read like a file, so its stored JSON reads back the same.
ScenarioSource rich_as_text() {
  ScenarioSource rich;
  rich.text = to_json(rich_scenario());
  rich.name = "rich.json";
  return rich;
}

// The message of the InputError that loading the run throws ("" and a failure if none).
std::string load_error(const std::string& store, std::int64_t id) {
  LoadRunRequest lr;
  lr.store = store;
  lr.id = id;
  try {
    (void)load_run(lr);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected InputError";
  return {};
}
}  // namespace

TEST(DrawDigest, ChangesWithAnyFieldAndNotOtherwise) {
  std::mt19937_64 g(3);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<DrawOutcome> draws{sample_draw(g), sample_draw(g)};
    const std::string base = digest_of(draws);
    EXPECT_EQ(base.size(), 32u);
    EXPECT_EQ(digest_of(draws), base);
    std::vector<std::function<void(DrawOutcome&)>> changes = {
        [](DrawOutcome& d) { ++d.draw; },
        [](DrawOutcome& d) { d.values[0] = std::nextafter(d.values[0], 1e9); },
        [](DrawOutcome& d) { d.values[2] = -std::nan(""); },  // another NaN, other bits
        [](DrawOutcome& d) { d.convergence[1] = 0; },
        [](DrawOutcome& d) { d.probabilities[2][0] = 0.3; },
        [](DrawOutcome& d) { d.probabilities[1].push_back(0); },
        [](DrawOutcome& d) { d.rounds[0][1][2] += 1e-12; },
        [](DrawOutcome& d) { d.rounds[0].pop_back(); },
        [](DrawOutcome& d) { d.values.pop_back(); },
    };
    for (std::size_t c = 0; c < changes.size(); ++c) {
      auto changed = draws;
      changes[c](changed[trial % 2]);
      EXPECT_NE(digest_of(changed), base) << "change " << c;
    }
    auto swapped = draws;
    std::swap(swapped[0], swapped[1]);
    if (swapped[0].draw != swapped[1].draw || swapped[0].values != swapped[1].values) {
      EXPECT_NE(digest_of(swapped), base);
    }
  }
}

TEST(Store, RecomputeKeepsTheDigestAndRangesNotTheDraws) {
  TempDir dir;
  Store store(dir.file("runs.sqlite"));
  auto sim = simulation(50);
  // A cancelled run can hand over finished draws with gaps: 0..2, then 5, 6.
  std::vector<DrawOutcome> kept{sim.outcomes[0], sim.outcomes[1], sim.outcomes[2], sim.outcomes[5], sim.outcomes[6]};
  auto writer = store.begin_simulation(rich_scenario(), sim, {}, DrawStorage::recompute);
  writer->add(kept.data(), 3);
  writer->add(kept.data() + 3, 2);
  sim.partial = true;
  const auto id = writer->finish(sim);
  EXPECT_EQ(blocks_of(dir.file("runs.sqlite"), id, "draws"), 0);
  const StoredRun run = store.load(id);
  ASSERT_TRUE(run.recompute);
  using R = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
  EXPECT_EQ(run.recompute->ranges, (R{{0, 3}, {5, 2}}));
  EXPECT_EQ(run.recompute->digest, digest_of(kept));
  EXPECT_EQ(run.record.draws, 5u);
  ASSERT_TRUE(run.simulation);
  EXPECT_TRUE(run.simulation->outcomes.empty());
  EXPECT_LT(run.record.draws, 1000u);
  // The default keeps blocks and no recompute part.
  const auto blocks_id = store.save_simulation(rich_scenario(), simulation(50));
  EXPECT_FALSE(store.load(blocks_id).recompute);
  EXPECT_EQ(store.load(blocks_id).simulation->outcomes.size(), 50u);
}

TEST(LoadRun, RecomputedDrawsAreTheDrawsOfTheRun) {
  TempDir dir;
  const std::string path = dir.file("runs.sqlite");
  const ScenarioSource rich = rich_as_text();
  ScenarioSource istanbul;
  istanbul.path = "scenarios/istanbul-2025.yaml";  // (tests run in the source directory)
  // With what-ifs: the stored scenario is the edited one.
  istanbul.edits.push_back(Edit::drop_actor("vatican"));
  istanbul.edits.push_back(Edit::parse_set("russia.regions.salience=0.55"));
  // Models without rounds recompute by default; a model with rounds (and its settle rule) when asked.
  struct Case {
    const ScenarioSource* scenario;
    std::string model;
    std::optional<DrawStorage> storage;
    Settle settle;
  };
  const std::vector<Case> cases = {{&rich, "test_wmean", std::nullopt, Settle::last},
                                   {&istanbul, "compromise", std::nullopt, Settle::last},
                                   {&istanbul, "median", std::nullopt, Settle::last},
                                   {&rich, "test_rounds", DrawStorage::recompute, Settle::last},
                                   {&istanbul, "bdm", DrawStorage::recompute, Settle::mean_of_cycle}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.model);
    const std::uint64_t draws = c.model == "bdm" ? 40 : 1500;
    const SimulateResponse rsp = simulate_into(path, *c.scenario, c.model, c.storage, draws, c.settle);
    ASSERT_TRUE(rsp.provenance.store_warning.empty()) << rsp.provenance.store_warning;
    const std::int64_t id = rsp.provenance.run_id;
    ASSERT_GT(id, 0);
    EXPECT_EQ(blocks_of(path, id, "draws"), 0);
    EXPECT_EQ(blocks_of(path, id, "recompute"), 1);
    LoadRunRequest lr;
    lr.store = path;
    lr.id = id;
    lr.threads = 1;  // other threads than the run's: the same draws
    const StoredRun run = load_run(lr);
    ASSERT_TRUE(run.simulation);
    expect_same_draws(run.simulation->outcomes, rsp.draws.front().outcomes);
    // The same run stored as blocks exports the same document, apart from the run's own record.
    const SimulateResponse kept = simulate_into(path, *c.scenario, c.model, DrawStorage::blocks, draws, c.settle);
    EXPECT_GT(blocks_of(path, kept.provenance.run_id, "draws"), 0);
    lr.id = kept.provenance.run_id;
    auto a = nlohmann::json::parse(render(run, Format::json));
    auto b = nlohmann::json::parse(render(load_run(lr), Format::json));
    EXPECT_EQ(a.at("draws_storage").at("kind"), "recompute");
    EXPECT_EQ(b.at("draws_storage").at("kind"), "blocks");
    for (auto* j : {&a, &b}) {
      j->erase("run");
      j->erase("draws_storage");
    }
    EXPECT_EQ(a, b);
  }
}

TEST(LoadRun, EveryScenarioFormatReadsBackTheSameDraws) {
  // The stored scenario (the native JSON of what was read) must give the same draws for every
  // format entente reads, or the default for models without rounds would lose them.
  TempDir dir;
  const std::string path = dir.file("runs.sqlite");
  std::vector<std::string> files = {"scenarios/istanbul-2025.yaml"};
  for (const char* sub : {"scenario", "import", "decide", "ktab"})
    for (const auto& e : fs::directory_iterator(std::string(ENTENTE_TEST_DATA) + "/" + sub))
      if (e.is_regular_file() && e.path().extension() != ".md" && e.path().extension() != ".xsd") files.push_back(e.path().string());
  int read = 0;
  for (const auto& file : files) {
    ScenarioSource src;
    src.path = file;
    try {
      (void)resolve_scenario(src);
    } catch (const std::exception&) {
      continue;  // files with deliberate errors, panels (not scenarios)
    }
    SCOPED_TRACE(file);
    ++read;
    const SimulateResponse rsp = simulate_into(path, src, "compromise", std::nullopt, 200);
    ASSERT_GT(rsp.provenance.run_id, 0) << rsp.provenance.store_warning;
    EXPECT_EQ(blocks_of(path, rsp.provenance.run_id, "draws"), 0);
    LoadRunRequest lr;
    lr.store = path;
    lr.id = rsp.provenance.run_id;
    expect_same_draws(load_run(lr).simulation->outcomes, rsp.draws.front().outcomes);
  }
  EXPECT_GE(read, 15);
}

TEST(LoadRun, AScenarioGivenInMemoryKeepsItsDrawsByDefault) {
  // Its native JSON may not read back exactly (e.g. fields a file reader would have set): only
  // an explicit --store-draws no recomputes it.
  TempDir dir;
  const std::string path = dir.file("runs.sqlite");
  ScenarioSource rich;
  rich.scenario = std::make_shared<Scenario>(rich_scenario());
  const auto rsp = simulate_into(path, rich, "test_wmean", std::nullopt);
  EXPECT_GT(blocks_of(path, rsp.provenance.run_id, "draws"), 0);
  EXPECT_EQ(blocks_of(path, rsp.provenance.run_id, "recompute"), 0);
}

TEST(LoadRun, DrawsThatNoLongerMatchTheDigestAreAnError) {
  TempDir dir;
  const std::string path = dir.file("runs.sqlite");
  const auto id = simulate_into(path, rich_as_text(), "test_wmean", std::nullopt).provenance.run_id;
  // As if another entente computed other draws: the stored seed no longer gives them.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, fmt::format("UPDATE runs SET seed = '12' WHERE id = {}", id).c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::string error = load_error(path, id);
  EXPECT_NE(error.find("digest"), std::string::npos) << error;
  EXPECT_NE(error.find(fmt::format("run {} draws", id)), std::string::npos) << error;
}

TEST(LoadRun, DamagedRangesAreAnErrorNotAComputation) {
  TempDir dir;
  const std::string path = dir.file("runs.sqlite");
  const auto id = simulate_into(path, rich_as_text(), "test_wmean", std::nullopt).provenance.run_id;  // draws 7..306
  const std::string digest = [&] {
    LoadRunRequest lr;
    lr.store = path;
    lr.id = id;
    return load_run(lr).recompute->digest;
  }();
  // Beyond the draws asked for (a billion: must not be computed), overlapping, too few, empty.
  for (const std::string ranges : {"[[7, 1000000000]]", "[[7, 200], [100, 100]]", "[[7, 299]]", "[[7, 300], [400, 0]]",
                                   "[[0, 300]]"}) {
    SCOPED_TRACE(ranges);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string data = fmt::format(R"({{"version": 1, "settle": "last", "ranges": {}, "digest": "{}"}})", ranges, digest);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "UPDATE blocks SET data = ? WHERE run_id = ? AND part = 'recompute'", -1, &q, nullptr);
    sqlite3_bind_text(q, 1, data.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, id);
    ASSERT_EQ(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    sqlite3_close(db);
    const std::string error = load_error(path, id);
    EXPECT_NE(error.find("ranges of draws"), std::string::npos) << error;
  }
}
