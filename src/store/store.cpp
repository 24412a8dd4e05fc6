// SQLite run store, schema version 2 (PRAGMA user_version). Compact: a single run is three rows
// (forecasts as JSON, the path as binary doubles, the trace as JSON), a simulation is binary blocks
// of draws plus its summary as rows. WAL journal. A single run is one transaction; a simulation is
// streamed (a background thread commits a few blocks per short transaction while the draws go on)
// and made visible (runs.complete = 1) by a last one,
// so a writer killed at any moment leaves a consistent file and at most an invisible incomplete
// run, which prune removes once its writer is gone. Version 1 stores (one row per number) are
// migrated on open.
#include "entente/store.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <boost/uuid/detail/sha1.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace entente {

namespace {
using nlohmann::ordered_json;

const char* const schema_sql = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scenarios(
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  origin TEXT NOT NULL,
  content_kind TEXT NOT NULL,
  content TEXT NOT NULL);
CREATE TABLE runs(
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
  note TEXT NOT NULL,
  complete INTEGER NOT NULL DEFAULT 1,
  writer TEXT,
  bytes INTEGER NOT NULL DEFAULT 0);
)SQL";

// Shared by a fresh version 2 store and the migration from version 1.
const char* const v2_tables_sql = R"SQL(
CREATE TABLE blocks(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  part TEXT NOT NULL,
  seq INTEGER NOT NULL,
  first_draw INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY(run_id, part, seq));
CREATE TABLE summaries(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  issue INTEGER NOT NULL,
  stat TEXT NOT NULL,
  value REAL,
  PRIMARY KEY(run_id, issue, stat)) WITHOUT ROWID;
CREATE INDEX runs_complete ON runs(complete, id);
)SQL";

std::string sha1_hex(std::string_view text) {
  boost::uuids::detail::sha1 h;
  h.process_bytes(text.data(), text.size());
  unsigned int d[5];
  h.get_digest(d);
  return fmt::format("{:08x}{:08x}{:08x}{:08x}{:08x}", d[0], d[1], d[2], d[3], d[4]);
}

std::string utc_iso(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, ms);
}
std::string now_utc() { return utc_iso(std::chrono::system_clock::now()); }

// "host:pid" of this process: prune removes an incomplete run only when its writer is gone.
std::string writer_id() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return fmt::format("{}:{}", host, ::getpid());
}
bool writer_alive(const std::string& writer) {
  const auto colon = writer.rfind(':');
  if (colon == std::string::npos) return false;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  if (writer.substr(0, colon) != host) return true;  // another machine: cannot tell, keep it
  const long pid = std::strtol(writer.c_str() + colon + 1, nullptr, 10);
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

ordered_json jnum(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }
double num_of(const nlohmann::json& v) { return v.is_number() ? v.get<double>() : std::nan(""); }

ordered_json params_json(const Params& p) {
  ordered_json j = ordered_json::object();
  for (const auto& [k, v] : p.values()) j[k] = v;
  return j;
}

// ---- Binary encoding (little-endian IEEE 754 doubles, as x86-64 and arm64 store them) ----------

struct Bytes {
  std::string b;
  template <class T>
  void put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    b.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void put_doubles(const double* p, std::size_t n) {
    if (n) b.append(reinterpret_cast<const char*>(p), n * sizeof(double));
  }
};
struct Reader {
  const char* p;
  const char* end;
  template <class T>
  T get() {
    T v{};
    if (static_cast<std::size_t>(end - p) < sizeof v) throw std::runtime_error("store: a truncated block");
    std::memcpy(&v, p, sizeof v);
    p += sizeof v;
    return v;
  }
  // Throws unless `count` items of `size` bytes remain (so a corrupt count cannot size a vector
  // beyond the block); returns `count`.
  template <class T>
  T need(T count, std::size_t size) {
    if (static_cast<std::uint64_t>(count) > static_cast<std::uint64_t>(end - p) / size)
      throw std::runtime_error("store: a truncated block");
    return count;
  }
  void get_doubles(double* out, std::size_t n) {
    if (n == 0) return;  // `out` may be an empty vector's null data()
    if (static_cast<std::size_t>(end - p) < n * sizeof(double)) throw std::runtime_error("store: a truncated block");
    std::memcpy(out, p, n * sizeof(double));
    p += n * sizeof(double);
  }
};

// Draw blocks come in two layouts; both are read.
// Version 1, per draw (any mix of shapes): u64 draw, u32 issues, the values, one convergence byte
// per issue, per issue u16 option count + doubles, u32 series, per series u32 rounds, u32 width,
// rounds x width doubles.
// Version 2, by column, for consecutive draws of one shape (what a simulation writes): the shape
// once, one convergence byte per issue when every draw agrees, then each issue's values for all the
// draws. A compromise draw on 8 issues takes 64 bytes instead of 104.
constexpr std::uint8_t per_draw_version = 1, by_column_version = 2;

// Appends one draw's version-1 encoding to `out`: its size is computed first and the bytes are
// copied into one resize, not appended number by number (this runs on the simulation's serial path).
void append_draw(std::string& out, const DrawOutcome& o) {
  const std::size_t n = o.values.size();
  std::size_t size = 8 + 4 + n * 8 + n + n * 2 + 4;
  for (std::size_t i = 0; i < n && i < o.probabilities.size(); ++i) size += o.probabilities[i].size() * 8;
  for (const auto& series : o.rounds) size += 8 + series.size() * (series.empty() ? 0 : series.front().size()) * 8;
  const std::size_t at = out.size();
  out.resize(at + size);
  char* p = out.data() + at;
  auto put = [&p](auto v) {
    std::memcpy(p, &v, sizeof v);
    p += sizeof v;
  };
  auto put_doubles = [&p](const double* d, std::size_t k) {
    if (k == 0) return;  // `d` may be an empty vector's null data()
    std::memcpy(p, d, k * sizeof(double));
    p += k * sizeof(double);
  };
  put(static_cast<std::uint64_t>(o.draw));
  put(static_cast<std::uint32_t>(n));
  put_doubles(o.values.data(), n);
  for (std::size_t i = 0; i < n; ++i) put(static_cast<std::uint8_t>(i < o.convergence.size() ? o.convergence[i] : 0));
  for (std::size_t i = 0; i < n; ++i) {
    const auto* v = i < o.probabilities.size() ? &o.probabilities[i] : nullptr;
    const std::size_t k = v ? v->size() : 0;
    put(static_cast<std::uint16_t>(k));
    if (k) put_doubles(v->data(), k);
  }
  put(static_cast<std::uint32_t>(o.rounds.size()));
  for (const auto& series : o.rounds) {
    const std::size_t width = series.empty() ? 0 : series.front().size();
    put(static_cast<std::uint32_t>(series.size()));
    put(static_cast<std::uint32_t>(width));
    for (const auto& row : series) {
      if (row.size() >= width) {
        put_doubles(row.data(), width);
      } else {
        put_doubles(row.data(), row.size());
        for (std::size_t i = row.size(); i < width; ++i) put(std::nan(""));
      }
    }
  }
}

// Width of series `s` if every draw's rows have the same length (0 if there are no rows), or
// nullopt.
std::optional<std::size_t> series_width(const DrawOutcome* d, std::size_t count, std::size_t s) {
  std::optional<std::size_t> width;
  for (std::size_t j = 0; j < count; ++j)
    for (const auto& row : d[j].rounds[s]) {
      if (!width) width = row.size();
      if (row.size() != *width) return std::nullopt;
    }
  return width.value_or(0);
}

// The series widths of `d[0..count)` if they can be written by column (consecutive draws, the
// same issues, options per issue, series and series widths), else nullopt.
std::optional<std::vector<std::size_t>> column_widths(const DrawOutcome* d, std::size_t count) {
  const std::size_t n = d[0].values.size(), series = d[0].rounds.size();
  if (n > std::numeric_limits<std::uint32_t>::max() || count > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  for (std::size_t j = 0; j < count; ++j) {
    const DrawOutcome& o = d[j];
    if (o.draw != d[0].draw + j || o.values.size() != n || o.convergence.size() != n || o.probabilities.size() != n ||
        o.rounds.size() != series)
      return std::nullopt;
    for (std::size_t i = 0; i < n; ++i)
      if (o.probabilities[i].size() != d[0].probabilities[i].size() || o.probabilities[i].size() > 0xffff) return std::nullopt;
    for (const auto& rows : o.rounds)
      if (rows.size() > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  }
  std::vector<std::size_t> widths(series);
  for (std::size_t s = 0; s < series; ++s) {
    const auto w = series_width(d, count, s);
    if (!w) return std::nullopt;
    widths[s] = *w;
  }
  return widths;
}

// Version 2: u8 version, u32 draws, u64 first draw, u32 issues, per issue u16 option count; per
// issue u8 0 and the convergence byte all draws share, or u8 1 and one byte per draw; per issue
// the draws' values; per issue with options the draws' probabilities (draw by draw); u32 series,
// per series u32 width, u32 rounds per draw, then the draws' rows.
void encode_by_column(std::string& out, const DrawOutcome* d, std::size_t count, const std::vector<std::size_t>& widths) {
  const std::size_t n = d[0].values.size(), series = widths.size();
  std::vector<char> same(n, 1);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 1; j < count && same[i]; ++j) same[i] = d[j].convergence[i] == d[0].convergence[i];
  std::size_t size = 1 + 4 + 8 + 4 + n * 2 + 4;
  for (std::size_t i = 0; i < n; ++i) size += 1 + (same[i] ? 1 : count) + count * 8 * (1 + d[0].probabilities[i].size());
  for (std::size_t s = 0; s < series; ++s) {
    size += 4 + count * 4;
    for (std::size_t j = 0; j < count; ++j) size += d[j].rounds[s].size() * widths[s] * 8;
  }
  out.resize(size);
  char* p = out.data();
  auto put = [&p](auto v) {
    std::memcpy(p, &v, sizeof v);
    p += sizeof v;
  };
  put(by_column_version);
  put(static_cast<std::uint32_t>(count));
  put(static_cast<std::uint64_t>(d[0].draw));
  put(static_cast<std::uint32_t>(n));
  for (std::size_t i = 0; i < n; ++i) put(static_cast<std::uint16_t>(d[0].probabilities[i].size()));
  for (std::size_t i = 0; i < n; ++i) {
    put(static_cast<std::uint8_t>(same[i] ? 0 : 1));
    if (same[i]) {
      put(d[0].convergence[i]);
    } else {
      for (std::size_t j = 0; j < count; ++j) put(d[j].convergence[i]);
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < count; ++j) put(d[j].values[i]);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = d[0].probabilities[i].size();
    if (k == 0) continue;
    for (std::size_t j = 0; j < count; ++j) {
      std::memcpy(p, d[j].probabilities[i].data(), k * 8);
      p += k * 8;
    }
  }
  put(static_cast<std::uint32_t>(series));
  for (std::size_t s = 0; s < series; ++s) {
    put(static_cast<std::uint32_t>(widths[s]));
    for (std::size_t j = 0; j < count; ++j) put(static_cast<std::uint32_t>(d[j].rounds[s].size()));
    for (std::size_t j = 0; j < count; ++j)
      for (const auto& row : d[j].rounds[s]) {
        if (widths[s] == 0) continue;
        std::memcpy(p, row.data(), widths[s] * 8);
        p += widths[s] * 8;
      }
  }
}

// One block of `count` (> 0) draws into `out` (its capacity reused): by column when they share a
// shape, else draw by draw.
void encode_block(std::string& out, const DrawOutcome* d, std::size_t count) {
  if (count > 0)
    if (const auto widths = column_widths(d, count)) {
      encode_by_column(out, d, count, *widths);
      return;
    }
  out.clear();
  out.push_back(static_cast<char>(per_draw_version));
  const auto n = static_cast<std::uint32_t>(count);
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  for (std::size_t j = 0; j < count; ++j) append_draw(out, d[j]);
}

std::string encode_draws(const DrawOutcome* draws, std::size_t count) {
  std::string out;
  encode_block(out, draws, count);
  return out;
}

void decode_per_draw(Reader& r, std::vector<DrawOutcome>& out) {
  const auto count = r.get<std::uint32_t>();
  for (std::uint32_t d = 0; d < count; ++d) {
    DrawOutcome o;
    o.draw = r.get<std::uint64_t>();
    const auto n = r.get<std::uint32_t>();
    r.need(n, 8);
    o.values.resize(n);
    r.get_doubles(o.values.data(), n);
    o.convergence.resize(n);
    for (auto& c : o.convergence) c = r.get<std::uint8_t>();
    o.probabilities.resize(n);
    for (auto& p : o.probabilities) {
      p.resize(r.need(r.get<std::uint16_t>(), 8));
      r.get_doubles(p.data(), p.size());
    }
    o.rounds.resize(r.need(r.get<std::uint32_t>(), 8));
    for (auto& series : o.rounds) {
      const auto rounds = r.get<std::uint32_t>();
      const auto width = r.get<std::uint32_t>();
      // Rows of width 0 take no bytes: their number is bounded by the bytes left all the same, so
      // a corrupt count cannot make billions of empty rows.
      r.need(rounds, 1);
      r.need(static_cast<std::uint64_t>(rounds) * width, 8);
      series.resize(rounds);  // (not assign(rounds, vector(width)): a corrupt width with 0 rounds
      for (auto& row : series) {  // would still build that one vector)
        row.resize(width);
        r.get_doubles(row.data(), width);
      }
    }
    out.push_back(std::move(o));
  }
}

void decode_by_column(Reader& r, std::vector<DrawOutcome>& out) {
  const auto count = r.get<std::uint32_t>();
  const auto first = r.get<std::uint64_t>();
  const auto n = r.get<std::uint32_t>();
  // Before sizing anything on a corrupt count (the second bounds blocks of no issues, which no
  // scenario has, so that a corrupt count cannot make billions of empty draws either).
  r.need(static_cast<std::uint64_t>(count) * n, 8);
  r.need(count, 1);
  std::vector<std::uint16_t> options(r.need(n, 2));
  std::uint64_t per_draw = n;  // doubles per draw: the values and the option probabilities
  for (auto& k : options) per_draw += k = r.get<std::uint16_t>();
  if (per_draw) r.need(count, 8 * per_draw);
  const std::size_t base = out.size();
  out.resize(base + count);
  DrawOutcome* d = out.data() + base;
  for (std::uint32_t j = 0; j < count; ++j) {
    d[j].draw = first + j;
    d[j].values.resize(n);
    d[j].convergence.resize(n);
    d[j].probabilities.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) d[j].probabilities[i].resize(options[i]);
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    if (r.get<std::uint8_t>() == 0) {
      const auto c = r.get<std::uint8_t>();
      for (std::uint32_t j = 0; j < count; ++j) d[j].convergence[i] = c;
    } else {
      for (std::uint32_t j = 0; j < count; ++j) d[j].convergence[i] = r.get<std::uint8_t>();
    }
  }
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t j = 0; j < count; ++j) d[j].values[i] = r.get<double>();
  for (std::uint32_t i = 0; i < n; ++i)
    if (options[i])
      for (std::uint32_t j = 0; j < count; ++j) r.get_doubles(d[j].probabilities[i].data(), options[i]);
  const auto series = r.need(r.get<std::uint32_t>(), 4);
  r.need(static_cast<std::uint64_t>(series) * count, 4);  // each draw's row count in each series
  for (std::uint32_t j = 0; j < count; ++j) d[j].rounds.resize(series);
  for (std::uint32_t s = 0; s < series; ++s) {
    const auto width = r.get<std::uint32_t>();
    std::vector<std::uint32_t> rows(count);
    for (auto& k : rows) k = r.get<std::uint32_t>();
    for (std::uint32_t j = 0; j < count; ++j) {
      r.need(rows[j], 1);  // rows of width 0 too (see decode_per_draw)
      r.need(static_cast<std::uint64_t>(rows[j]) * width, 8);
      d[j].rounds[s].resize(rows[j]);  // (as decode_per_draw)
      for (auto& row : d[j].rounds[s]) {
        row.resize(width);
        r.get_doubles(row.data(), width);
      }
    }
  }
}

void decode_draws(const char* data, std::size_t size, std::vector<DrawOutcome>& out) {
  Reader r{data, data + size};
  const auto version = r.get<std::uint8_t>();
  if (version == per_draw_version)
    decode_per_draw(r, out);
  else if (version == by_column_version)
    decode_by_column(r, out);
  else
    throw std::runtime_error(fmt::format("store: a block of an unknown version ({})", version));
}

// The path [issue][round]: u32 issues, per issue u32 rounds + doubles.
std::string encode_path(const std::vector<std::vector<double>>& path) {
  Bytes out;
  out.put<std::uint32_t>(static_cast<std::uint32_t>(path.size()));
  for (const auto& p : path) {
    out.put<std::uint32_t>(static_cast<std::uint32_t>(p.size()));
    out.put_doubles(p.data(), p.size());
  }
  return std::move(out.b);
}
std::vector<std::vector<double>> decode_path(const std::string& data) {
  Reader r{data.data(), data.data() + data.size()};
  std::vector<std::vector<double>> path(r.need(r.get<std::uint32_t>(), 4));  // (as the draw blocks: no
  for (auto& p : path) {                                                     // sizing from a corrupt count)
    p.resize(r.need(r.get<std::uint32_t>(), 8));
    r.get_doubles(p.data(), p.size());
  }
  return path;
}

// ---- JSON parts of a single run ---------------------------------------------------------------

ordered_json forecast_entry(const Forecast& f) {
  ordered_json j;
  j["value"] = f.defined ? jnum(f.value) : ordered_json(nullptr);
  j["defined"] = f.defined;
  if (!f.extras.empty()) {
    ordered_json ex = ordered_json::array();
    for (const auto& [k, v] : f.extras) ex.push_back(ordered_json::array({k, jnum(v)}));
    j["extras"] = ex;
  }
  if (!f.option_probabilities.empty()) {
    ordered_json p = ordered_json::array();
    for (double x : f.option_probabilities) p.push_back(jnum(x));
    j["option_probabilities"] = p;
  }
  if (!f.note.empty()) j["note"] = f.note;
  const Convergence& c = f.convergence;
  if (c.state != Convergence::State::not_applicable || c.rounds)
    j["convergence"] = {{"state", static_cast<int>(c.state)}, {"rounds", c.rounds},     {"period", c.period},
                        {"low", jnum(c.low)},                 {"high", jnum(c.high)},   {"cycle_mean", jnum(c.cycle_mean)},
                        {"last", jnum(c.last)},               {"last_change", jnum(c.last_change)},
                        {"summarised", c.summarised}};
  return j;
}
Forecast forecast_from(const nlohmann::json& j) {
  Forecast f;
  f.defined = j.value("defined", true);
  f.value = f.defined ? num_of(j["value"]) : std::nan("");
  if (j.contains("extras"))
    for (const auto& e : j["extras"]) f.extras.emplace_back(e[0].get<std::string>(), num_of(e[1]));
  if (j.contains("option_probabilities"))
    for (const auto& x : j["option_probabilities"]) f.option_probabilities.push_back(num_of(x));
  if (j.contains("note")) f.note = j["note"].get<std::string>();
  if (j.contains("convergence")) {
    const auto& c = j["convergence"];
    f.convergence.state = static_cast<Convergence::State>(c.value("state", 0));
    f.convergence.rounds = c.value("rounds", 0);
    f.convergence.period = c.value("period", 0);
    f.convergence.low = num_of(c["low"]);
    f.convergence.high = num_of(c["high"]);
    f.convergence.cycle_mean = num_of(c["cycle_mean"]);
    f.convergence.last = num_of(c["last"]);
    f.convergence.last_change = num_of(c["last_change"]);
    f.convergence.summarised = c.value("summarised", false);
  }
  return f;
}

ordered_json result_json(const Result& r) {
  ordered_json fc = ordered_json::array();
  for (const auto& f : r.forecasts) fc.push_back(forecast_entry(f));
  ordered_json diag = ordered_json::array();
  for (const auto& [k, v] : r.diagnostics) diag.push_back(ordered_json::array({k, jnum(v)}));
  return ordered_json{{"forecasts", fc}, {"diagnostics", diag}};
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
      jr["actor_series"].push_back({{"name", s.name}, {"column", s.column}, {"data", data}, {"per_round", s.per_round}});
    }
    jr["issue_series"] = ordered_json::array();
    for (const auto& s : r.issue_series) {
      ordered_json data = ordered_json::array();
      for (double x : s.data) data.push_back(jnum(x));
      jr["issue_series"].push_back({{"name", s.name}, {"data", data}, {"on_scale", s.on_scale}});
    }
    jr["events"] = ordered_json::array();
    for (const auto& e : r.events) {
      // [name, value] pairs keep the field order; a double is written with a type tag so that 3.0
      // is read back as a double, not as the integer 3.
      ordered_json f = ordered_json::array();
      for (const auto& [k, v] : e.fields) {
        if (const auto* d = std::get_if<double>(&v)) f.push_back(ordered_json::array({k, "d", jnum(*d)}));
        else if (const auto* i = std::get_if<long long>(&v)) f.push_back(ordered_json::array({k, "i", *i}));
        else f.push_back(ordered_json::array({k, "s", std::get<std::string>(v)}));
      }
      jr["events"].push_back({{"kind", e.kind}, {"fields", f}});
    }
    rounds.push_back(jr);
  }
  return ordered_json{{"rounds", rounds}};
}

Trace trace_from(const nlohmann::json& j) {
  Trace t;
  for (const auto& jr : j.at("rounds")) {
    Round r;
    r.index = jr.value("index", 0);
    for (const auto& s : jr.at("actor_series")) {
      ActorSeries a;
      a.name = s.value("name", "");
      a.column = s.value("column", "");
      a.per_round = s.value("per_round", false);
      for (const auto& row : s.at("data")) {
        auto& out = a.data.emplace_back();
        for (const auto& x : row) out.push_back(num_of(x));
      }
      r.actor_series.push_back(std::move(a));
    }
    for (const auto& s : jr.at("issue_series")) {
      IssueSeries is;
      is.name = s.value("name", "");
      is.on_scale = s.value("on_scale", true);
      for (const auto& x : s.at("data")) is.data.push_back(num_of(x));
      r.issue_series.push_back(std::move(is));
    }
    for (const auto& je : jr.at("events")) {
      Event e;
      e.kind = je.value("kind", "");
      const auto& fields = je.at("fields");
      if (fields.is_object()) {  // version 1: {name: value}
        for (const auto& [k, v] : fields.items()) {
          if (v.is_string()) e.fields.emplace_back(k, v.get<std::string>());
          else if (v.is_number_integer()) e.fields.emplace_back(k, v.get<long long>());
          else e.fields.emplace_back(k, num_of(v));
        }
      } else {
        for (const auto& f : fields) {
          const std::string tag = f[1].get<std::string>();
          if (tag == "s") e.fields.emplace_back(f[0].get<std::string>(), f[2].get<std::string>());
          else if (tag == "i") e.fields.emplace_back(f[0].get<std::string>(), f[2].get<long long>());
          else e.fields.emplace_back(f[0].get<std::string>(), num_of(f[2]));
        }
      }
      r.events.push_back(std::move(e));
    }
    t.rounds.push_back(std::move(r));
  }
  return t;
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
  Stmt& bind_blob(int i, std::string_view v) {
    return check(sqlite3_bind_blob64(s_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_TRANSIENT));
  }
  Stmt& bind_blob_static(int i, std::string_view v) {
    return check(sqlite3_bind_blob64(s_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_STATIC));
  }
  Stmt& bind_null(int i) { return check(sqlite3_bind_null(s_, i)); }
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(fmt::format("store: {}", sqlite3_errmsg(db_)));
  }
  void run_and_reset() {
    try {
      step();
    } catch (...) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
      throw;
    }
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
  std::string blob(int c) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, c));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string{};
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

// Runs a statement that may meet another writer: the busy timeout waits for it, and if SQLite
// still answers BUSY (e.g. while another process recovers the WAL), retry with backoff for up to
// ten minutes. A finished run is never lost to "database is locked" while another entente writes.
void exec_waiting(sqlite3* db, const char* sql) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  auto pause = std::chrono::milliseconds(5);
  for (;;) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return;
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) throw std::runtime_error("store: " + msg);
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("store: " + msg + " (waited 10 minutes)");
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(500));
  }
}

InputError store_error(const std::string& path, std::string found) {
  return InputError(Diagnostic{{path, 0, 0}, "--store", "a writable entente run store (SQLite)", std::move(found), {}});
}

int user_version(sqlite3* db) {
  Stmt q(db, "PRAGMA user_version");
  return q.step() ? static_cast<int>(q.i64(0)) : 0;
}
bool has_table(sqlite3* db, const char* name) {
  Stmt q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, std::string_view(name));
  return q.step();
}
}  // namespace

// Test hooks, read when a store is opened (never set in normal use):
//   ENTENTE_STORE_BUSY_TIMEOUT_MS  SQLite's busy timeout (default 60 s), so that a test can show the
//                                  retries of exec_waiting() without waiting a minute;
//   ENTENTE_TEST_STORE_HOLD_MS     every write that makes a run visible holds the write lock this
//                                  long after it began, having said so on stderr (a deterministic
//                                  moment for a second writer or a Ctrl-C).
static int env_ms(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long ms = std::strtol(v, &end, 10);
  return (*end == '\0' && ms >= 0 && ms <= 3600000) ? static_cast<int>(ms) : fallback;
}

struct Store::Impl {
  std::string path;
  sqlite3* db = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  int hold_ms = 0;  // ENTENTE_TEST_STORE_HOLD_MS

  // Async-signal-safe output, so that the line is out before a test's signal can arrive.
  static void test_say(const char* line) {
    const ssize_t n = ::write(2, line, std::strlen(line));
    (void)n;
  }
  void test_hold() const {
    if (hold_ms <= 0) return;
    test_say("entente-test: store write holds the lock\n");
    // Sleep the whole time even if a signal interrupts the sleep.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(hold_ms);
    while (std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Impl() {
    ins_block.reset();
    add_bytes.reset();
    if (db) sqlite3_close_v2(db);
  }

  [[nodiscard]] bool cancelled() const { return cancel && cancel->load(); }

  // A transaction that rolls back unless committed (exceptions leave nothing behind). commit()
  // checks the cancellation flag last: raised before the commit, nothing is written.
  struct Transaction {
    Impl& impl;
    bool done = false;
    explicit Transaction(Impl& i) : impl(i) { exec_waiting(impl.db, "BEGIN IMMEDIATE"); }
    void commit() {
      if (impl.cancelled()) throw StoreWriteCancelled();
      exec_waiting(impl.db, "COMMIT");
      done = true;
    }
    ~Transaction() {
      if (!done) sqlite3_exec(impl.db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  };

  std::int64_t scenario_id(const Scenario& s, std::string* kept_as = nullptr) {
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
    if (kept_as) *kept_as = kind;
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
                          std::string_view note, bool complete = true) {
    Stmt ins(db,
             "INSERT INTO runs(kind, created, scenario_id, model, params, seed, first_draw, draws, draws_requested, partial,"
             " seconds, issues, series, document, note, complete, writer, bytes) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, kind).bind(2, now_utc()).bind(3, scenario).bind(4, model).bind(5, params_json(params).dump());
    ins.bind(6, std::to_string(seed)).bind(7, static_cast<std::int64_t>(first_draw)).bind(8, static_cast<std::int64_t>(draws));
    ins.bind(9, static_cast<std::int64_t>(requested)).bind(10, std::int64_t{partial ? 1 : 0}).bind(11, seconds);
    ins.bind(12, ordered_json(issues).dump()).bind(13, ordered_json(series).dump());
    if (document) ins.bind(14, *document);
    else ins.bind_null(14);
    ins.bind(15, note).bind(16, std::int64_t{complete ? 1 : 0});
    if (complete) ins.bind_null(17);
    else ins.bind(17, writer_id());
    ins.bind(18, static_cast<std::int64_t>(document ? document->size() : 0));
    ins.step();
    return sqlite3_last_insert_rowid(db);
  }

  // Prepared once per connection and reused (a simulation inserts hundreds of blocks).
  std::unique_ptr<Stmt> ins_block, add_bytes;
  void insert_block(std::int64_t run, std::string_view part, std::int64_t seq, std::uint64_t first_draw, std::uint64_t count,
                    std::string_view data) {
    if (!ins_block) ins_block = std::make_unique<Stmt>(db, "INSERT INTO blocks(run_id, part, seq, first_draw, count, data) VALUES(?,?,?,?,?,?)");
    if (!add_bytes) add_bytes = std::make_unique<Stmt>(db, "UPDATE runs SET bytes = bytes + ? WHERE id = ?");
    ins_block->bind(1, run).bind(2, part).bind(3, seq).bind(4, static_cast<std::int64_t>(first_draw));
    // SQLITE_STATIC: `data` outlives the step (the statement is reset before returning).
    ins_block->bind_blob_static(6, data).bind(5, static_cast<std::int64_t>(count));
    ins_block->run_and_reset();
    add_bytes->bind(1, static_cast<std::int64_t>(data.size())).bind(2, run);
    add_bytes->run_and_reset();
  }

  // A simulation kept as DrawStorage::recompute: its ranges, digest and settle rule (else nullopt).
  std::optional<StoredRun::Recompute> recompute_of(std::int64_t run, Settle* settle) const {
    Stmt q(db, "SELECT data FROM blocks WHERE run_id = ? AND part = 'recompute'");
    q.bind(1, run);
    if (!q.step()) return std::nullopt;
    const std::string data = q.blob(0);
    auto bad = [&](const std::string& found) {
      return InputError(Diagnostic{{path, 0, 0}, fmt::format("run {}: how to compute its draws", run),
                                   "{\"version\": 1, \"settle\", \"ranges\": [[first, count]...], \"digest\"}", found, {}});
    };
    const auto j = nlohmann::json::parse(data, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw bad("not a JSON object");
    StoredRun::Recompute r;
    try {
      if (j.at("version").get<int>() != 1) throw bad(fmt::format("version {}", j.at("version").dump()));
      const auto rule = j.at("settle").get<std::string>();
      if (settle) *settle = parse_settle(rule);
      r.ranges = j.at("ranges").get<std::vector<std::pair<std::uint64_t, std::uint64_t>>>();
      r.digest = j.at("digest").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
      throw bad(e.what());
    }
    return r;
  }

  void insert_summary(std::int64_t run, const SimulationSummary& s) {
    Stmt ins(db, "INSERT OR REPLACE INTO summaries(run_id, issue, stat, value) VALUES(?,?,?,?)");
    for (std::size_t i = 0; i < s.issues.size(); ++i) {
      const IssueSummary& is = s.issues[i];
      auto row = [&](const std::string& stat, double v) {
        ins.bind(1, run).bind(2, static_cast<std::int64_t>(i)).bind(3, stat).bind(4, v);
        ins.run_and_reset();
      };
      const Distribution& d = is.forecast;
      row("n", static_cast<double>(d.n));
      if (d.n) {
        row("mean", d.mean);
        row("sd", d.sd);
        row("q05", d.q05);
        row("q25", d.q25);
        row("q50", d.q50);
        row("q75", d.q75);
        row("q95", d.q95);
      }
      if (is.dynamic) {
        row("settled", is.settled);
        row("cycling", is.cycling);
        row("drifting", is.drifting);
      }
      for (std::size_t k = 0; k < is.options.size() && k < is.option_share.size(); ++k) row("share:" + is.options[k], is.option_share[k]);
      for (std::size_t k = 0; k < is.options.size() && k < is.option_probability.size(); ++k)
        row("probability:" + is.options[k], is.option_probability[k]);
    }
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

  void create_v2() {
    exec(db, schema_sql);
    exec(db, v2_tables_sql);
    Stmt ins(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?), ('application', 'entente')");
    ins.bind(1, std::to_string(schema_version));
    ins.step();
    exec(db, fmt::format("PRAGMA user_version = {}", schema_version).c_str());
  }

  // Version 1 kept one row per number (forecasts, round_values) and traces as JSON. Each run is
  // rewritten in the version 2 form, the old tables dropped; in one transaction (the caller's).
  void migrate_from_v1() {
    exec(db,
         "ALTER TABLE runs ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;"
         "ALTER TABLE runs ADD COLUMN writer TEXT;"
         "ALTER TABLE runs ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;");
    exec(db, v2_tables_sql);
    std::vector<std::pair<std::int64_t, std::string>> runs;
    {
      Stmt q(db, "SELECT id, kind FROM runs ORDER BY id");
      while (q.step()) runs.emplace_back(q.i64(0), q.text(1));
    }
    for (const auto& [id, kind] : runs) {
      std::vector<std::string> issues, series;
      {
        Stmt q(db, "SELECT issues, series, length(document) FROM runs WHERE id = ?");
        q.bind(1, id);
        q.step();
        issues = nlohmann::json::parse(q.text(0)).get<std::vector<std::string>>();
        series = nlohmann::json::parse(q.text(1)).get<std::vector<std::string>>();
      }
      if (kind == "simulation") {
        std::vector<DrawOutcome> outcomes;
        std::map<std::int64_t, std::size_t> index;
        auto outcome = [&](std::int64_t draw) -> DrawOutcome& {
          auto [it, fresh] = index.emplace(draw, outcomes.size());
          if (fresh) {
            auto& o = outcomes.emplace_back();
            o.draw = static_cast<std::uint64_t>(draw);
            o.values.assign(issues.size(), std::nan(""));
            o.probabilities.assign(issues.size(), {});
            o.rounds.assign(series.size(), {});
          }
          return outcomes[it->second];
        };
        {
          Stmt q(db, "SELECT draw, issue, value, extras FROM forecasts WHERE run_id = ? ORDER BY draw, issue");
          q.bind(1, id);
          while (q.step()) {
            auto& o = outcome(q.i64(0));
            const auto i = static_cast<std::size_t>(q.i64(1));
            if (i >= o.values.size()) continue;
            o.values[i] = q.real(2);
            if (!q.is_null(3)) {
              const auto ex = nlohmann::json::parse(q.text(3));
              if (ex.contains("option_probabilities"))
                for (const auto& x : ex["option_probabilities"]) o.probabilities[i].push_back(num_of(x));
            }
          }
        }
        {
          Stmt q(db, "SELECT draw, series, round, issue, value FROM round_values WHERE run_id = ? ORDER BY draw, series, round, issue");
          q.bind(1, id);
          while (q.step()) {
            auto& o = outcome(q.i64(0));
            const auto k = static_cast<std::size_t>(q.i64(1));
            const auto r = static_cast<std::size_t>(q.i64(2));
            const auto i = static_cast<std::size_t>(q.i64(3));
            if (k >= o.rounds.size() || i >= issues.size()) continue;
            auto& s = o.rounds[k];
            while (s.size() <= r) s.emplace_back(issues.size(), std::nan(""));
            s[r][i] = q.real(4);
          }
        }
        std::sort(outcomes.begin(), outcomes.end(), [](const auto& a, const auto& b) { return a.draw < b.draw; });
        for (std::size_t b = 0, seq = 0; b < outcomes.size(); b += 1024, ++seq) {
          const std::size_t n = std::min<std::size_t>(1024, outcomes.size() - b);
          insert_block(id, "draws", static_cast<std::int64_t>(seq), outcomes[b].draw, n, encode_draws(&outcomes[b], n));
        }
      } else {
        Result r;
        r.forecasts.resize(issues.size());
        bool any = false;
        Stmt q(db, "SELECT issue, value, extras FROM forecasts WHERE run_id = ? AND draw = 0 ORDER BY issue");
        q.bind(1, id);
        while (q.step()) {
          any = true;
          const auto i = static_cast<std::size_t>(q.i64(0));
          if (i >= r.forecasts.size()) continue;
          Forecast& f = r.forecasts[i];
          f.defined = !q.is_null(1);
          f.value = q.real(1);
          if (q.is_null(2)) continue;
          const auto ex = nlohmann::json::parse(q.text(2));
          for (const auto& [k, v] : ex.items()) {
            if (k == "option_probabilities") {
              for (const auto& x : v) f.option_probabilities.push_back(num_of(x));
            } else if (k == "note") {
              f.note = v.get<std::string>();
            } else if (v.is_number()) {
              f.extras.emplace_back(k, v.get<double>());
            }
          }
        }
        if (any) insert_block(id, "result", 0, 0, 1, result_json(r).dump());
        Stmt t(db, "SELECT trace FROM traces WHERE run_id = ?");
        t.bind(1, id);
        if (t.step()) insert_block(id, "trace", 0, 0, 1, t.text(0));
      }
    }
    exec(db,
         "DROP TABLE forecasts; DROP TABLE round_values; DROP TABLE traces;"
         "UPDATE meta SET value = '2' WHERE key = 'schema_version';");
    exec(db, fmt::format("PRAGMA user_version = {}", schema_version).c_str());
  }

  void remove_run(std::int64_t id) {
    Stmt del(db, "DELETE FROM runs WHERE id = ?");
    del.bind(1, id);
    del.step();
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
  // Another entente process may be writing (a block takes milliseconds, a migration longer).
  sqlite3_busy_timeout(impl_->db, env_ms("ENTENTE_STORE_BUSY_TIMEOUT_MS", 60000));
  impl_->hold_ms = env_ms("ENTENTE_TEST_STORE_HOLD_MS", 0);
  sqlite3* db = impl_->db;
  bool migrated = false;
  try {
    {
      // A new file: pages freed by prune go back to the file system (must precede the first table).
      // (64 KB pages were tried for the draw blocks: 4 KB pages cost less CPU here.)
      Stmt q(db, "SELECT count(*) FROM sqlite_master");
      if (q.step() && q.i64(0) == 0) exec(db, "PRAGMA auto_vacuum = INCREMENTAL");
    }
    exec_waiting(db, "PRAGMA journal_mode=WAL");
    // NORMAL is durable against a killed process in WAL mode (only a power cut can lose the last
    // commits, never consistency), and much faster than FULL.
    exec(db, "PRAGMA synchronous=NORMAL");
    exec(db, "PRAGMA foreign_keys=ON");
    if (user_version(db) != schema_version) {
      Impl::Transaction t(*impl_);
      const int version = user_version(db);  // again, inside the lock: another process may have migrated
      if (version > schema_version)
        throw store_error(path, fmt::format("a store of schema version {} (this entente reads up to {}): a newer entente wrote it",
                                            version, schema_version));
      if (version == 0) {
        if (has_table(db, "meta")) {
          std::string old = "?";
          {
            Stmt v(db, "SELECT value FROM meta WHERE key = 'schema_version'");  // finished before the DROPs
            if (v.step()) old = v.text(0);
          }
          if (old != "1") throw store_error(path, fmt::format("an entente store of unknown schema version '{}'", old));
          impl_->migrate_from_v1();
          migrated = true;
        } else {
          bool empty = true;
          {
            Stmt q(db, "SELECT count(*) FROM sqlite_master");
            empty = q.step() && q.i64(0) == 0;
          }
          if (!empty) throw store_error(path, "an SQLite file that is not an entente run store");
          impl_->create_v2();
        }
      }
      t.commit();
    }
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const InputError*>(&e)) throw;
    throw store_error(path, e.what());  // e.g. "file is not a database"
  }
  if (migrated) {
    // Give the old tables' pages back and switch to incremental vacuum for later prunes. Best
    // effort: another process may be reading.
    sqlite3_exec(db, "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;", nullptr, nullptr, nullptr);
  }
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
const std::string& Store::path() const { return impl_->path; }
void Store::set_cancel(const std::atomic<bool>* cancel) noexcept { impl_->cancel = cancel; }

std::int64_t Store::save_result(const Scenario& scenario, const Result& result, std::string_view kind, double seconds,
                                std::string_view note) {
  Impl::Transaction t(*impl_);
  std::vector<std::string> issues;
  for (const auto& is : scenario.issues) issues.push_back(is.id);
  std::vector<std::string> series;
  if (!result.trace.empty())
    for (const auto& s : result.trace.rounds.front().issue_series) series.push_back(s.name);
  const std::int64_t id = impl_->insert_run(impl_->scenario_id(scenario), kind, result.model, result.params, result.seed, 0, 1, 1,
                                            false, seconds, issues, series, std::nullopt, note);
  impl_->test_hold();
  impl_->insert_block(id, "result", 0, 0, 1, result_json(result).dump());
  if (!result.path.empty()) impl_->insert_block(id, "path", 0, 0, 1, encode_path(result.path));
  // Whatever the caller recorded (trace: what it printed); forecasts record nothing.
  if (!result.trace.empty()) impl_->insert_block(id, "trace", 0, 0, 1, trace_json(result.trace).dump());
  t.commit();
  return id;
}

std::unique_ptr<Store::SimulationWriter> Store::begin_simulation(const Scenario& scenario, const SimulationResult& header,
                                                                 std::string_view note, DrawStorage storage) {
  Impl::Transaction t(*impl_);
  std::string kept_as;
  const std::int64_t scenario_row = impl_->scenario_id(scenario, &kept_as);
  // Draws can be computed again only from a scenario kept as data.
  const bool recompute = storage == DrawStorage::recompute && kept_as == "json";
  const std::int64_t id = impl_->insert_run(scenario_row, "simulation", header.model, header.params, header.seed,
                                            header.first_draw, 0, header.draws_requested, true, 0, header.issue_ids,
                                            header.round_series, std::nullopt, note, false);
  t.commit();
  if (impl_->hold_ms > 0) Impl::test_say("entente-test: draws streaming to the store\n");
  return std::unique_ptr<SimulationWriter>(new SimulationWriter(*this, id, recompute, header.settle));
}

Store::SimulationWriter::~SimulationWriter() {
  if (!done_) abandon();
}

void Store::SimulationWriter::add(const DrawOutcome* draws, std::size_t count) {
  if (recompute_) {
    for (std::size_t k = 0; k < count; ++k) {
      digest_.add(draws[k]);
      if (!ranges_.empty() && ranges_.back().first + ranges_.back().second == draws[k].draw) ++ranges_.back().second;
      else ranges_.emplace_back(draws[k].draw, 1);
    }
    written_ += count;
    return;
  }
  // Each call's draws become blocks of up to 1024 at once (a simulation hands over 1024 or more
  // consecutive draws of one shape, so its blocks are written by column).
  for (std::size_t k = 0; k < count;) {
    const std::size_t m = std::min<std::size_t>(1024, count - k);
    std::string data;
    if (!spare_.empty()) {
      data = std::move(spare_.back());
      spare_.pop_back();
    }
    encode_block(data, draws + k, m);
    sealed_bytes_ += data.size();
    sealed_.push_back(Block{seq_++, draws[k].draw, m, std::move(data)});
    sealed_draws_ += m;
    k += m;
  }
  flush(false);
}

void Store::SimulationWriter::wait() {
  if (!inflight_.valid()) return;
  const std::uint64_t n = inflight_draws_;
  inflight_draws_ = 0;
  auto blocks = std::move(inflight_blocks_);
  inflight_.get();  // rethrows the writer's error
  written_ += n;
  if (blocks)
    for (Block& b : *blocks) spare_.push_back(std::move(b.data));
}

void Store::SimulationWriter::flush(bool all) {
  // Several blocks per transaction (fewer commits); at most one transaction in flight. While it
  // is still in SQLite (a checkpoint's fsyncs take ~20 ms), blocks queue here instead of stalling
  // the simulation's caller thread, up to 64 MB: memory stays bounded whatever the draws.
  if (sealed_.empty() || (!all && sealed_.size() < 8 && sealed_bytes_ < (4u << 20))) return;
  if (!all && inflight_.valid() && sealed_bytes_ < (64u << 20) &&
      inflight_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return;
  wait();
  auto blocks = std::make_shared<std::vector<Block>>(std::move(sealed_));
  inflight_blocks_ = blocks;
  sealed_.clear();
  sealed_bytes_ = 0;
  inflight_draws_ = sealed_draws_;
  sealed_draws_ = 0;
  Impl* impl = store_->impl_.get();
  const std::int64_t id = id_;
  inflight_ = std::async(std::launch::async, [impl, id, blocks] {
    // Blocks are not checked against the cancellation flag: only finish() decides.
    exec_waiting(impl->db, "BEGIN IMMEDIATE");
    try {
      for (const Block& b : *blocks)
        impl->insert_block(id, "draws", static_cast<std::int64_t>(b.seq), b.first_draw, b.count, b.data);
      exec_waiting(impl->db, "COMMIT");
    } catch (...) {
      sqlite3_exec(impl->db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  });
}

std::int64_t Store::SimulationWriter::finish(const SimulationResult& header, const SimulationSummary* summary) {
  try {
    if (store_->impl_->cancelled()) throw StoreWriteCancelled();
    flush(true);
    wait();
    Impl::Transaction t(*store_->impl_);
    store_->impl_->test_hold();
    Stmt up(store_->impl_->db,
            "UPDATE runs SET draws = ?, partial = ?, seconds = ?, complete = 1, writer = NULL, created = ? WHERE id = ?");
    up.bind(1, static_cast<std::int64_t>(written_)).bind(2, std::int64_t{header.partial ? 1 : 0}).bind(3, header.seconds);
    up.bind(4, now_utc()).bind(5, id_);
    up.step();
    if (recompute_) {
      ordered_json j{{"version", 1}, {"settle", settle_ == Settle::mean_of_cycle ? "mean_of_cycle" : "last"},
                     {"ranges", ranges_}, {"digest", digest_.hex()}};
      store_->impl_->insert_block(id_, "recompute", 0, ranges_.empty() ? 0 : ranges_.front().first, written_, j.dump());
    }
    if (summary) store_->impl_->insert_summary(id_, *summary);
    t.commit();
  } catch (...) {
    abandon();
    throw;
  }
  done_ = true;
  return id_;
}

void Store::SimulationWriter::abandon() noexcept {
  done_ = true;
  try {
    wait();  // the background writer must be done with the connection
  } catch (...) {
  }
  sealed_.clear();
  try {
    const std::atomic<bool>* keep = store_->impl_->cancel;
    store_->impl_->cancel = nullptr;  // the removal itself must not be cancelled
    {
      Impl::Transaction t(*store_->impl_);
      store_->impl_->remove_run(id_);
      t.commit();
    }
    store_->impl_->cancel = keep;
  } catch (...) {
    // Left incomplete (invisible); prune removes it once this process is gone.
  }
}

std::int64_t Store::save_simulation(const Scenario& scenario, const SimulationResult& result, std::string_view note,
                                    const SimulationSummary* summary, DrawStorage storage) {
  auto writer = begin_simulation(scenario, result, note, storage);
  for (std::size_t b = 0; b < result.outcomes.size(); b += 1024)
    writer->add(result.outcomes.data() + b, std::min<std::size_t>(1024, result.outcomes.size() - b));
  return writer->finish(result, summary);
}

std::int64_t Store::save_document(const Scenario& scenario, std::string_view kind, std::string_view model, const Params& params,
                                  std::uint64_t seed, std::string_view json, double seconds, std::string_view note) {
  Impl::Transaction t(*impl_);
  std::vector<std::string> issues;
  for (const auto& is : scenario.issues) issues.push_back(is.id);
  const std::int64_t id = impl_->insert_run(impl_->scenario_id(scenario), kind, model, params, seed, 0, 0, 0, false, seconds,
                                            issues, {}, json, note);
  impl_->test_hold();
  t.commit();
  return id;
}

std::vector<RunRecord> Store::list(std::size_t limit) const {
  std::string sql = std::string(run_columns) + " WHERE r.complete = 1 ORDER BY r.id DESC";
  if (limit) sql += fmt::format(" LIMIT {}", limit);
  Stmt q(impl_->db, sql.c_str());
  std::vector<RunRecord> out;
  while (q.step()) out.push_back(impl_->record(q));
  return out;
}

std::optional<RunRecord> Store::find(std::int64_t id) const {
  const std::string sql = std::string(run_columns) + " WHERE r.id = ? AND r.complete = 1";
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

// This function is part of the stored format ("version": 1 of a `recompute` block): changing it
// needs a new version, with this one kept to check the runs saved under version 1.
void DrawDigest::add(const DrawOutcome& d) noexcept {
  // Per draw, each 64-bit word (the fields' sizes too) xor its position's constant, times one odd
  // constant, summed: independent multiplies, not a chain (the chain cost a compromise simulation
  // 6% of its CPU). A change of one word always changes the sum (an odd constant is invertible
  // modulo 2^64), and a word moved to another position changes it too. Then one strong mix per
  // draw folds the sum, in draw order, into two lanes.
  constexpr std::uint64_t step = 0x9e3779b97f4a7c15ULL, k = 0xff51afd7ed558ccdULL;
  std::uint64_t acc = 0, pos = step;
  auto word = [&](std::uint64_t w) {
    acc += (w ^ pos) * k;
    pos += step;
  };
  auto doubles = [&](const std::vector<double>& v) {
    word(v.size());
    for (double x : v) {
      std::uint64_t u;
      std::memcpy(&u, &x, sizeof u);
      word(u);
    }
  };
  word(d.draw);
  doubles(d.values);
  word(d.convergence.size());
  for (std::size_t i = 0; i < d.convergence.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, d.convergence.data() + i, std::min<std::size_t>(8, d.convergence.size() - i));
    word(w);
  }
  word(d.probabilities.size());
  for (const auto& p : d.probabilities) doubles(p);
  word(d.rounds.size());
  for (const auto& series : d.rounds) {
    word(series.size());
    for (const auto& row : series) doubles(row);
  }
  a_ = (a_ ^ acc) * 0xc4ceb9fe1a85ec53ULL;
  a_ ^= a_ >> 29;
  b_ = (b_ + acc) * 0xc2b2ae3d27d4eb4fULL;
  b_ = (b_ << 31) | (b_ >> 33);
  ++n_;
}

std::string DrawDigest::hex() const {
  auto mix = [](std::uint64_t z) {  // splitmix64's finaliser
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return fmt::format("{:016x}{:016x}", mix(a_ ^ n_), mix(b_ + 0x9e3779b97f4a7c15ULL * n_));
}

SimulationResult Store::load_simulation(std::int64_t run_id) const { return load_simulation(run_id, nullptr); }

SimulationResult Store::load_simulation(std::int64_t run_id, std::optional<StoredRun::Recompute>* recompute) const {
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
  auto how = impl_->recompute_of(run_id, &out.settle);
  if (recompute) *recompute = std::move(how);
  Stmt q(impl_->db, "SELECT data FROM blocks WHERE run_id = ? AND part = 'draws' ORDER BY seq");
  q.bind(1, run_id);
  while (q.step()) {
    const std::string data = q.blob(0);
    decode_draws(data.data(), data.size(), out.outcomes);
  }
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
    out.simulation = load_simulation(run_id, &out.recompute);
    Stmt q(impl_->db, "SELECT issue, stat, value FROM summaries WHERE run_id = ? ORDER BY issue");
    q.bind(1, run_id);
    while (q.step()) out.summary.push_back({static_cast<std::size_t>(q.i64(0)), q.text(1), q.real(2)});
    return out;
  }
  if (!out.document.empty()) return out;
  Result r;
  r.model = rec->model;
  const auto params = nlohmann::json::parse(rec->params);
  for (const auto& [k, v] : params.items()) r.params.set(k, v.is_string() ? v.get<std::string>() : v.dump());
  r.seed = rec->seed;
  Stmt q(impl_->db, "SELECT part, data FROM blocks WHERE run_id = ? ORDER BY part, seq");
  q.bind(1, run_id);
  while (q.step()) {
    const std::string part = q.text(0);
    const std::string data = q.blob(1);
    if (part == "result") {
      const auto j = nlohmann::json::parse(data);
      for (const auto& f : j.at("forecasts")) r.forecasts.push_back(forecast_from(f));
      for (const auto& d : j.at("diagnostics")) r.diagnostics.emplace_back(d[0].get<std::string>(), num_of(d[1]));
    } else if (part == "path") {
      r.path = decode_path(data);
    } else if (part == "trace") {
      r.trace = trace_from(nlohmann::json::parse(data));
    }
  }
  if (r.forecasts.size() < out.issues.size()) {
    Forecast undefined;
    undefined.defined = false;
    undefined.value = std::nan("");
    r.forecasts.resize(out.issues.size(), undefined);
  }
  out.result = std::move(r);
  return out;
}

PruneResult Store::prune(const PrunePolicy& policy) {
  sqlite3* db = impl_->db;
  PruneResult out;
  out.bytes_before = file_bytes();
  const std::atomic<bool>* keep_cancel = impl_->cancel;
  impl_->cancel = nullptr;  // pruning happens after a run is safely saved
  {
    Impl::Transaction t(*impl_);
    {
      std::vector<std::pair<std::int64_t, std::string>> incomplete;
      Stmt q(db, "SELECT id, writer FROM runs WHERE complete = 0");
      while (q.step()) incomplete.emplace_back(q.i64(0), q.text(1));
      for (const auto& [id, writer] : incomplete)
        if (!writer_alive(writer)) {
          impl_->remove_run(id);
          ++out.abandoned;
        }
    }
    auto removed = [&] { return static_cast<std::size_t>(sqlite3_changes(db)); };
    if (policy.older_than_days >= 0) {
      const auto cutoff = std::chrono::system_clock::now() -
                          std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              std::chrono::duration<double, std::ratio<86400>>(policy.older_than_days));
      Stmt del(db, "DELETE FROM runs WHERE complete = 1 AND created < ?");
      del.bind(1, utc_iso(cutoff));
      del.step();
      out.removed += removed();
    }
    if (policy.keep > 0) {
      Stmt del(db,
               "DELETE FROM runs WHERE complete = 1 AND id NOT IN"
               " (SELECT id FROM runs WHERE complete = 1 ORDER BY id DESC LIMIT ?)");
      del.bind(1, static_cast<std::int64_t>(policy.keep));
      del.step();
      out.removed += removed();
    }
    if (policy.max_bytes > 0) {
      // The newest runs whose data (blocks, documents) fit in the limit stay; the file also holds
      // the scenarios and indexes, so the limit is on the data, which is nearly all of the file.
      std::vector<std::int64_t> drop;
      std::uint64_t total = 0;
      Stmt q(db, "SELECT id, bytes FROM runs WHERE complete = 1 ORDER BY id DESC");
      while (q.step()) {
        total += static_cast<std::uint64_t>(q.i64(1));
        if (total > policy.max_bytes) drop.push_back(q.i64(0));
      }
      for (auto id : drop) impl_->remove_run(id);
      out.removed += drop.size();
    }
    if (out.removed || out.abandoned)
      exec(db, "DELETE FROM scenarios WHERE id NOT IN (SELECT scenario_id FROM runs)");
    t.commit();
  }
  impl_->cancel = keep_cancel;
  if (out.removed || out.abandoned) {
    // Best effort: return the freed pages to the file system and fold the WAL back in.
    sqlite3_exec(db, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);", nullptr, nullptr, nullptr);
  }
  out.bytes_after = file_bytes();
  return out;
}

std::uint64_t Store::file_bytes() const {
  std::error_code ec;
  std::uint64_t n = 0;
  for (const auto& p : {impl_->path, impl_->path + "-wal"}) {
    const auto s = std::filesystem::file_size(p, ec);
    if (!ec) n += s;
  }
  return n;
}

bool Store::integrity_ok(std::string* message) const {
  Stmt q(impl_->db, "PRAGMA integrity_check");
  std::string all;
  while (q.step()) all += (all.empty() ? "" : "; ") + q.text(0);
  if (message) *message = all;
  return all == "ok";
}

}  // namespace entente
