// SQLite run store. One transaction per run (BEGIN IMMEDIATE ... COMMIT) in WAL mode: readers
// never see half a run, and a writer killed mid-run leaves only an uncommitted WAL tail that
// SQLite discards on the next open.
#include "entente/store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <boost/uuid/detail/sha1.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace entente {

namespace {
using nlohmann::ordered_json;
constexpr int schema_version = 1;

const char* const schema_sql = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios(
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  origin TEXT NOT NULL,
  content_kind TEXT NOT NULL,
  content TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  created TEXT NOT NULL,
  scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
  model TEXT NOT NULL,
  params TEXT NOT NULL,
  seed TEXT NOT NULL,
  first_draw INTEGER NOT NULL,
  draws INTEGER NOT NULL,
  draws_requested INTEGER NOT NULL,
  partial INTEGER NOT NULL,
  seconds REAL NOT NULL,
  issues TEXT NOT NULL,
  series TEXT NOT NULL,
  document TEXT,
  note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS forecasts(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  draw INTEGER NOT NULL,
  issue INTEGER NOT NULL,
  value REAL,
  extras TEXT,
  PRIMARY KEY(run_id, draw, issue)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS round_values(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  draw INTEGER NOT NULL,
  series INTEGER NOT NULL,
  round INTEGER NOT NULL,
  issue INTEGER NOT NULL,
  value REAL,
  PRIMARY KEY(run_id, draw, series, round, issue)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS traces(
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  trace TEXT NOT NULL);
)SQL";

std::string sha1_hex(std::string_view text) {
  boost::uuids::detail::sha1 h;
  h.process_bytes(text.data(), text.size());
  unsigned int d[5];
  h.get_digest(d);
  return fmt::format("{:08x}{:08x}{:08x}{:08x}{:08x}", d[0], d[1], d[2], d[3], d[4]);
}

std::string now_utc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, ms);
}

ordered_json jnum(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

ordered_json params_json(const Params& p) {
  ordered_json j = ordered_json::object();
  for (const auto& [k, v] : p.values()) j[k] = v;
  return j;
}

ordered_json trace_json(const Trace& t) {
  ordered_json rounds = ordered_json::array();
  for (const auto& r : t.rounds) {
    ordered_json jr{{"index", r.index}};
    jr["actor_series"] = ordered_json::array();
    for (const auto& s : r.actor_series) {
      ordered_json data = ordered_json::array();
      for (const auto& row : s.data) {
        ordered_json jrow = ordered_json::array();
        for (double x : row) jrow.push_back(jnum(x));
        data.push_back(jrow);
      }
      jr["actor_series"].push_back({{"name", s.name}, {"column", s.column}, {"data", data}});
    }
    jr["issue_series"] = ordered_json::array();
    for (const auto& s : r.issue_series) {
      ordered_json data = ordered_json::array();
      for (double x : s.data) data.push_back(jnum(x));
      jr["issue_series"].push_back({{"name", s.name}, {"data", data}});
    }
    jr["events"] = ordered_json::array();
    for (const auto& e : r.events) {
      ordered_json f = ordered_json::object();
      for (const auto& [k, v] : e.fields)
        std::visit(
            [&](const auto& x) {
              if constexpr (std::is_same_v<std::decay_t<decltype(x)>, double>)
                f[k] = jnum(x);
              else
                f[k] = x;
            },
            v);
      jr["events"].push_back({{"kind", e.kind}, {"fields", f}});
    }
    rounds.push_back(jr);
  }
  return ordered_json{{"rounds", rounds}};
}

// RAII prepared statement.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("store: {} in: {}", sqlite3_errmsg(db), sql));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind(int i, double v) { return check(std::isfinite(v) ? sqlite3_bind_double(s_, i, v) : sqlite3_bind_null(s_, i)); }
  Stmt& bind(int i, std::string_view v) {
    // An empty string_view may have a null data(), which SQLite would store as NULL.
    return check(sqlite3_bind_text(s_, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& bind_null(int i) { return check(sqlite3_bind_null(s_, i)); }
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(fmt::format("store: {}", sqlite3_errmsg(db_)));
  }
  void run_and_reset() {
    step();
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  double real(int c) const {
    return sqlite3_column_type(s_, c) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(s_, c);
  }
  bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string{};
  }

 private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK) throw std::runtime_error(fmt::format("store: {}", sqlite3_errmsg(db_)));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("store: " + msg);
  }
}

InputError store_error(const std::string& path, std::string found) {
  return InputError(Diagnostic{{path, 0, 0}, "--store", "a writable entente run store (SQLite)", std::move(found), {}});
}
}  // namespace

struct Store::Impl {
  std::string path;
  sqlite3* db = nullptr;
  ~Impl() {
    if (db) sqlite3_close_v2(db);
  }

  // A transaction that rolls back unless committed (exceptions leave nothing behind).
  struct Transaction {
    sqlite3* db;
    bool done = false;
    explicit Transaction(sqlite3* d) : db(d) { exec(db, "BEGIN IMMEDIATE"); }
    void commit() {
      exec(db, "COMMIT");
      done = true;
    }
    ~Transaction() {
      if (!done) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  };

  std::int64_t scenario_id(const Scenario& s) {
    // An empty scenario stands for its origin file (e.g. the DEU table a backtest reads).
    const bool file_only = s.actors.empty() && s.issues.empty();
    std::string content = file_only ? std::string{} : to_json(s);
    std::string kind = "json";
    if (content.empty() && !s.origin.empty()) {
      // Until a canonical writer exists for every format, keep the file text itself.
      std::ifstream in(s.origin, std::ios::binary);
      if (in) {
        std::ostringstream ss;
        ss << in.rdbuf();
        content = ss.str();
        kind = "file";
      }
    }
    if (content.empty()) kind = "none";
    const std::string hash = sha1_hex(kind + '\n' + s.origin + '\n' + content);
    {
      Stmt q(db, "SELECT id FROM scenarios WHERE hash = ?");
      q.bind(1, hash);
      if (q.step()) return q.i64(0);
    }
    Stmt ins(db, "INSERT INTO scenarios(hash, title, origin, content_kind, content) VALUES(?,?,?,?,?)");
    ins.bind(1, hash).bind(2, s.title).bind(3, s.origin).bind(4, kind).bind(5, content);
    ins.step();
    return sqlite3_last_insert_rowid(db);
  }

  std::int64_t insert_run(std::int64_t scenario, std::string_view kind, std::string_view model, const Params& params,
                          std::uint64_t seed, std::uint64_t first_draw, std::uint64_t draws, std::uint64_t requested,
                          bool partial, double seconds, const std::vector<std::string>& issues,
                          const std::vector<std::string>& series, std::optional<std::string_view> document,
                          std::string_view note) {
    Stmt ins(db,
             "INSERT INTO runs(kind, created, scenario_id, model, params, seed, first_draw, draws, draws_requested, partial,"
             " seconds, issues, series, document, note) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, kind).bind(2, now_utc()).bind(3, scenario).bind(4, model).bind(5, params_json(params).dump());
    ins.bind(6, std::to_string(seed)).bind(7, static_cast<std::int64_t>(first_draw)).bind(8, static_cast<std::int64_t>(draws));
    ins.bind(9, static_cast<std::int64_t>(requested)).bind(10, std::int64_t{partial ? 1 : 0}).bind(11, seconds);
    ins.bind(12, ordered_json(issues).dump()).bind(13, ordered_json(series).dump());
    if (document) ins.bind(14, *document);
    else ins.bind_null(14);
    ins.bind(15, note);
    ins.step();
    return sqlite3_last_insert_rowid(db);
  }

  RunRecord record(const Stmt& q) const {
    RunRecord r;
    r.id = q.i64(0);
    r.kind = q.text(1);
    r.created = q.text(2);
    r.model = q.text(3);
    r.params = q.text(4);
    r.seed = std::strtoull(q.text(5).c_str(), nullptr, 10);
    r.first_draw = static_cast<std::uint64_t>(q.i64(6));
    r.draws = static_cast<std::uint64_t>(q.i64(7));
    r.draws_requested = static_cast<std::uint64_t>(q.i64(8));
    r.partial = q.i64(9) != 0;
    r.seconds = q.real(10);
    r.scenario_hash = q.text(11);
    r.scenario_title = q.text(12);
    r.note = q.text(13);
    return r;
  }
};

static const char* const run_columns =
    "SELECT r.id, r.kind, r.created, r.model, r.params, r.seed, r.first_draw, r.draws, r.draws_requested, r.partial,"
    " r.seconds, s.hash, s.title, r.note FROM runs r JOIN scenarios s ON s.id = r.scenario_id";

std::string Store::default_path() {
  if (const char* e = std::getenv("ENTENTE_STORE"); e && *e) return e;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return (std::filesystem::path(x) / "entente" / "runs.sqlite").string();
  const char* home = std::getenv("HOME");
  return (std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "entente" / "runs.sqlite").string();
}

Store::Store(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (sqlite3_open_v2(path.c_str(), &impl_->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string msg = impl_->db ? sqlite3_errmsg(impl_->db) : "cannot open";
    throw store_error(path, msg);
  }
  sqlite3_busy_timeout(impl_->db, 300000);  // another entente process may be writing: one large run takes tens of seconds (issue 18)
  try {
    exec(impl_->db, "PRAGMA journal_mode=WAL");
    // NORMAL is durable against a killed process in WAL mode (only a power cut can lose the last
    // commits, never consistency), and much faster than FULL.
    exec(impl_->db, "PRAGMA synchronous=NORMAL");
    exec(impl_->db, "PRAGMA foreign_keys=ON");
    Impl::Transaction t(impl_->db);
    exec(impl_->db, schema_sql);
    Stmt v(impl_->db, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (v.step()) {
      if (std::atoi(v.text(0).c_str()) != schema_version)
        throw store_error(path, fmt::format("schema version {} (this entente reads {})", v.text(0), schema_version));
    } else {
      Stmt ins(impl_->db, "INSERT INTO meta(key, value) VALUES('schema_version', ?), ('application', 'entente')");
      ins.bind(1, std::to_string(schema_version));
      ins.step();
    }
    t.commit();
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const InputError*>(&e)) throw;
    throw store_error(path, e.what());  // e.g. "file is not a database"
  }
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
const std::string& Store::path() const { return impl_->path; }

std::int64_t Store::save_result(const Scenario& scenario, const Result& result, std::string_view kind, double seconds,
                                std::string_view note) {
  sqlite3* db = impl_->db;
  Impl::Transaction t(db);
  std::vector<std::string> issues;
  for (const auto& is : scenario.issues) issues.push_back(is.id);
  std::vector<std::string> series;
  if (!result.trace.empty())
    for (const auto& s : result.trace.rounds.front().issue_series) series.push_back(s.name);
  const std::int64_t id = impl_->insert_run(impl_->scenario_id(scenario), kind, result.model, result.params, result.seed, 0, 1, 1,
                                            false, seconds, issues, series, std::nullopt, note);
  {
    Stmt ins(db, "INSERT INTO forecasts(run_id, draw, issue, value, extras) VALUES(?,0,?,?,?)");
    for (std::size_t i = 0; i < result.forecasts.size(); ++i) {
      const auto& f = result.forecasts[i];
      ordered_json ex = ordered_json::object();
      for (const auto& [k, v] : f.extras) ex[k] = jnum(v);
      if (!f.option_probabilities.empty()) {
        ordered_json p = ordered_json::array();
        for (double x : f.option_probabilities) p.push_back(jnum(x));
        ex["option_probabilities"] = p;
      }
      if (!f.note.empty()) ex["note"] = f.note;
      ins.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, f.defined ? f.value : std::nan(""));
      if (ex.empty()) ins.bind_null(4);
      else ins.bind(4, ex.dump());
      ins.run_and_reset();
    }
  }
  if (!result.trace.empty()) {
    Stmt ins(db, "INSERT INTO round_values(run_id, draw, series, round, issue, value) VALUES(?,0,?,?,?,?)");
    for (std::size_t r = 0; r < result.trace.rounds.size(); ++r)
      for (std::size_t k = 0; k < series.size(); ++k)
        if (const auto* s = result.trace.rounds[r].issues(series[k]))
          for (std::size_t i = 0; i < s->data.size(); ++i) {
            ins.bind(1, id).bind(2, static_cast<std::int64_t>(k)).bind(3, static_cast<std::int64_t>(r));
            ins.bind(4, static_cast<std::int64_t>(i)).bind(5, s->data[i]);
            ins.run_and_reset();
          }
    Stmt tr(db, "INSERT INTO traces(run_id, trace) VALUES(?,?)");
    tr.bind(1, id).bind(2, trace_json(result.trace).dump());
    tr.step();
  }
  t.commit();
  return id;
}

std::int64_t Store::save_simulation(const Scenario& scenario, const SimulationResult& result, std::string_view note) {
  sqlite3* db = impl_->db;
  Impl::Transaction t(db);
  const std::int64_t id = impl_->insert_run(impl_->scenario_id(scenario), "simulation", result.model, result.params, result.seed,
                                            result.first_draw, result.outcomes.size(), result.draws_requested, result.partial,
                                            result.seconds, result.issue_ids, result.round_series, std::nullopt, note);
  Stmt fc(db, "INSERT INTO forecasts(run_id, draw, issue, value, extras) VALUES(?,?,?,?,?)");
  Stmt rv(db, "INSERT INTO round_values(run_id, draw, series, round, issue, value) VALUES(?,?,?,?,?,?)");
  for (const auto& o : result.outcomes) {
    const auto draw = static_cast<std::int64_t>(o.draw);
    for (std::size_t i = 0; i < o.values.size(); ++i) {
      fc.bind(1, id).bind(2, draw).bind(3, static_cast<std::int64_t>(i)).bind(4, o.values[i]);
      if (i < o.probabilities.size() && !o.probabilities[i].empty()) {
        ordered_json p = ordered_json::array();
        for (double x : o.probabilities[i]) p.push_back(jnum(x));
        fc.bind(5, ordered_json{{"option_probabilities", p}}.dump());
      } else {
        fc.bind_null(5);
      }
      fc.run_and_reset();
    }
    for (std::size_t k = 0; k < o.rounds.size(); ++k)
      for (std::size_t r = 0; r < o.rounds[k].size(); ++r)
        for (std::size_t i = 0; i < o.rounds[k][r].size(); ++i) {
          rv.bind(1, id).bind(2, draw).bind(3, static_cast<std::int64_t>(k)).bind(4, static_cast<std::int64_t>(r));
          rv.bind(5, static_cast<std::int64_t>(i)).bind(6, o.rounds[k][r][i]);
          rv.run_and_reset();
        }
  }
  t.commit();
  return id;
}

std::int64_t Store::save_document(const Scenario& scenario, std::string_view kind, std::string_view model, const Params& params,
                                  std::uint64_t seed, std::string_view json, double seconds, std::string_view note) {
  Impl::Transaction t(impl_->db);
  std::vector<std::string> issues;
  for (const auto& is : scenario.issues) issues.push_back(is.id);
  const std::int64_t id = impl_->insert_run(impl_->scenario_id(scenario), kind, model, params, seed, 0, 0, 0, false, seconds,
                                            issues, {}, json, note);
  t.commit();
  return id;
}

std::vector<RunRecord> Store::list(std::size_t limit) const {
  std::string sql = std::string(run_columns) + " ORDER BY r.id DESC";
  if (limit) sql += fmt::format(" LIMIT {}", limit);
  Stmt q(impl_->db, sql.c_str());
  std::vector<RunRecord> out;
  while (q.step()) out.push_back(impl_->record(q));
  return out;
}

std::optional<RunRecord> Store::find(std::int64_t id) const {
  const std::string sql = std::string(run_columns) + " WHERE r.id = ?";
  Stmt q(impl_->db, sql.c_str());
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return impl_->record(q);
}

std::string Store::scenario_content(std::int64_t run_id) const {
  Stmt q(impl_->db, "SELECT s.content FROM runs r JOIN scenarios s ON s.id = r.scenario_id WHERE r.id = ?");
  q.bind(1, run_id);
  return q.step() ? q.text(0) : std::string{};
}

SimulationResult Store::load_simulation(std::int64_t run_id) const {
  const auto rec = find(run_id);
  if (!rec) throw InputError(Diagnostic{{impl_->path, 0, 0}, "run id", "a run in the store", std::to_string(run_id), {}});
  SimulationResult out;
  out.model = rec->model;
  const auto params = nlohmann::json::parse(rec->params);  // named: items() must not outlive it
  for (const auto& [k, v] : params.items()) out.params.set(k, v.is_string() ? v.get<std::string>() : v.dump());
  out.seed = rec->seed;
  out.first_draw = rec->first_draw;
  out.draws_requested = rec->draws_requested;
  out.partial = rec->partial;
  out.seconds = rec->seconds;
  {
    Stmt q(impl_->db, "SELECT issues, series FROM runs WHERE id = ?");
    q.bind(1, run_id);
    q.step();
    out.issue_ids = nlohmann::json::parse(q.text(0)).get<std::vector<std::string>>();
    out.round_series = nlohmann::json::parse(q.text(1)).get<std::vector<std::string>>();
  }
  std::map<std::int64_t, std::size_t> index;
  auto outcome = [&](std::int64_t draw) -> DrawOutcome& {
    auto [it, fresh] = index.emplace(draw, out.outcomes.size());
    if (fresh) {
      out.outcomes.emplace_back();
      out.outcomes.back().draw = static_cast<std::uint64_t>(draw);
      out.outcomes.back().values.assign(out.issue_ids.size(), std::nan(""));
      out.outcomes.back().probabilities.assign(out.issue_ids.size(), {});
      out.outcomes.back().rounds.assign(out.round_series.size(), {});
    }
    return out.outcomes[it->second];
  };
  {
    Stmt q(impl_->db, "SELECT draw, issue, value, extras FROM forecasts WHERE run_id = ? ORDER BY draw, issue");
    q.bind(1, run_id);
    while (q.step()) {
      auto& o = outcome(q.i64(0));
      const auto i = static_cast<std::size_t>(q.i64(1));
      if (i >= o.values.size()) continue;
      o.values[i] = q.real(2);
      if (!q.is_null(3)) {
        const auto ex = nlohmann::json::parse(q.text(3));
        if (ex.contains("option_probabilities"))
          for (const auto& x : ex["option_probabilities"]) o.probabilities[i].push_back(x.is_null() ? std::nan("") : x.get<double>());
      }
    }
  }
  {
    Stmt q(impl_->db, "SELECT draw, series, round, issue, value FROM round_values WHERE run_id = ? ORDER BY draw, series, round, issue");
    q.bind(1, run_id);
    while (q.step()) {
      auto& o = outcome(q.i64(0));
      const auto k = static_cast<std::size_t>(q.i64(1));
      const auto r = static_cast<std::size_t>(q.i64(2));
      const auto i = static_cast<std::size_t>(q.i64(3));
      if (k >= o.rounds.size() || i >= out.issue_ids.size()) continue;
      auto& s = o.rounds[k];
      while (s.size() <= r) s.emplace_back(out.issue_ids.size(), std::nan(""));
      s[r][i] = q.real(4);
    }
  }
  std::sort(out.outcomes.begin(), out.outcomes.end(), [](const auto& a, const auto& b) { return a.draw < b.draw; });
  return out;
}

StoredRun Store::load(std::int64_t run_id) const {
  const auto rec = find(run_id);
  if (!rec) throw InputError(Diagnostic{{impl_->path, 0, 0}, "run id", "a run in the store (see `entente runs list`)",
                                        std::to_string(run_id), {}});
  StoredRun out;
  out.record = *rec;
  {
    Stmt q(impl_->db, "SELECT issues, document FROM runs WHERE id = ?");
    q.bind(1, run_id);
    q.step();
    out.issues = nlohmann::json::parse(q.text(0)).get<std::vector<std::string>>();
    if (!q.is_null(1)) out.document = q.text(1);
  }
  {
    Stmt q(impl_->db, "SELECT s.origin, s.content_kind, s.content FROM runs r JOIN scenarios s ON s.id = r.scenario_id WHERE r.id = ?");
    q.bind(1, run_id);
    if (q.step()) {
      out.scenario_origin = q.text(0);
      out.scenario_kind = q.text(1);
      out.scenario_content = q.text(2);
    }
  }
  if (rec->kind == "simulation") {
    out.simulation = load_simulation(run_id);
    return out;
  }
  if (!out.document.empty()) return out;
  Result r;
  r.model = rec->model;
  const auto params = nlohmann::json::parse(rec->params);
  for (const auto& [k, v] : params.items()) r.params.set(k, v.is_string() ? v.get<std::string>() : v.dump());
  r.seed = rec->seed;
  r.forecasts.resize(out.issues.size());
  Stmt q(impl_->db, "SELECT issue, value, extras FROM forecasts WHERE run_id = ? AND draw = 0 ORDER BY issue");
  q.bind(1, run_id);
  while (q.step()) {
    const auto i = static_cast<std::size_t>(q.i64(0));
    if (i >= r.forecasts.size()) continue;
    Forecast& f = r.forecasts[i];
    f.defined = !q.is_null(1);
    f.value = q.is_null(1) ? std::nan("") : q.real(1);
    if (q.is_null(2)) continue;
    const auto ex = nlohmann::json::parse(q.text(2));
    for (const auto& [k, v] : ex.items()) {
      if (k == "option_probabilities") {
        for (const auto& x : v) f.option_probabilities.push_back(x.is_null() ? std::nan("") : x.get<double>());
      } else if (k == "note") {
        f.note = v.get<std::string>();
      } else if (v.is_number()) {
        f.extras.emplace_back(k, v.get<double>());
      }
    }
  }
  out.result = std::move(r);
  return out;
}

bool Store::integrity_ok(std::string* message) const {
  Stmt q(impl_->db, "PRAGMA integrity_check");
  std::string all;
  while (q.step()) all += (all.empty() ? "" : "; ") + q.text(0);
  if (message) *message = all;
  return all == "ok";
}

}  // namespace entente
