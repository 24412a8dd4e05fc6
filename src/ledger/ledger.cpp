// The ledger's entries, their canonical text and hash chain, and its table in the run store.
// The table is append-only by convention and tamper-evident by construction: each row's hash is
// SHA-256(previous hash + "\n" + content), so editing or deleting a row breaks the chain at that row.
#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "entente/diagnostics.hpp"
#include "entente/ledger.hpp"
#include "entente/store.hpp"

namespace entente {

// ---- SHA-256 (FIPS 180-4) ----------------------------------------------------------------------------
std::string sha256_hex(std::string_view data) {
  static constexpr std::array<std::uint32_t, 64> k = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
      0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
      0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
      0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
      0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
      0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string msg(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56) msg.push_back('\0');
  for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const unsigned char*>(msg.data() + off + 4 * i);
      w[i] = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    }
    for (std::size_t i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, hh] = h;
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const std::uint32_t ch = (e & f) ^ (~e & g);
      const std::uint32_t t1 = hh + s1 + ch + k[i] + w[i];
      const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const std::uint32_t t2 = s0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  std::string out;
  for (auto x : h) out += fmt::format("{:08x}", x);
  return out;
}

std::string ledger_hash(std::string_view prev_hash, std::string_view content) {
  std::string text(prev_hash);
  text += '\n';
  text += content;
  return sha256_hex(text);
}

// ---- Canonical text ----------------------------------------------------------------------------------
namespace {
using nlohmann::json;

// NaN is not JSON: undefined numbers are null.
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double number_of(const json& j) { return j.is_null() ? std::nan("") : j.get<double>(); }

json issue_json(const LedgerIssue& is) {
  json j = {{"id", is.id}, {"name", is.name}, {"categorical", is.categorical}, {"min", is.min}, {"max", is.max}};
  j["status_quo"] = is.status_quo ? json(*is.status_quo) : json(nullptr);
  j["options"] = is.options;
  json pos = json::array();
  for (const auto& [a, v] : is.positions) pos.push_back({{"actor", a}, {"value", number(v)}});
  j["positions"] = pos;
  return j;
}
LedgerIssue issue_of(const json& j) {
  LedgerIssue is;
  is.id = j.at("id").get<std::string>();
  is.name = j.at("name").get<std::string>();
  is.categorical = j.at("categorical").get<bool>();
  is.min = j.at("min").get<double>();
  is.max = j.at("max").get<double>();
  if (!j.at("status_quo").is_null()) is.status_quo = j.at("status_quo").get<double>();
  is.options = j.at("options").get<std::vector<std::string>>();
  for (const auto& p : j.at("positions")) is.positions.emplace_back(p.at("actor").get<std::string>(), number_of(p.at("value")));
  return is;
}
json forecast_json(const LedgerForecast& f) {
  json q = json::array(), p = json::array();
  for (double v : f.quantiles) q.push_back(number(v));
  for (double v : f.probabilities) p.push_back(number(v));
  return {{"model", f.model}, {"issue", f.issue}, {"categorical", f.categorical}, {"defined", f.defined},
          {"point", number(f.point)}, {"quantiles", q}, {"probabilities", p}};
}
LedgerForecast forecast_of(const json& j) {
  LedgerForecast f;
  f.model = j.at("model").get<std::string>();
  f.issue = j.at("issue").get<std::string>();
  f.categorical = j.at("categorical").get<bool>();
  f.defined = j.at("defined").get<bool>();
  f.point = number_of(j.at("point"));
  for (const auto& v : j.at("quantiles")) f.quantiles.push_back(number_of(v));
  for (const auto& v : j.at("probabilities")) f.probabilities.push_back(number_of(v));
  return f;
}
}  // namespace

std::string ledger_content(const LedgerEntry& e) {
  json j;
  j["ledger"] = 1;
  j["created"] = e.created;
  j["title"] = e.title;
  j["file"] = e.file;
  j["scenario_hash"] = e.scenario_hash;
  j["as_of"] = e.as_of;
  j["models"] = e.models;
  json params = json::object();
  for (const auto& [k, v] : e.params) params[k] = v;
  j["params"] = params;
  j["seed"] = e.seed;
  j["draws"] = e.draws;
  j["version"] = e.version;
  json issues = json::array(), forecasts = json::array();
  for (const auto& is : e.issues) issues.push_back(issue_json(is));
  for (const auto& f : e.forecasts) forecasts.push_back(forecast_json(f));
  j["issues"] = issues;
  j["forecasts"] = forecasts;
  j["p_deal"] = e.p_deal ? json(*e.p_deal) : json(nullptr);
  return j.dump();  // object keys sorted (nlohmann's std::map): one text per entry
}

LedgerEntry ledger_entry_from_content(std::string_view content) {
  const json j = json::parse(content);  // json::exception on malformed text; callers name the row
  LedgerEntry e;
  e.created = j.at("created").get<std::string>();
  e.title = j.at("title").get<std::string>();
  e.file = j.at("file").get<std::string>();
  e.scenario_hash = j.at("scenario_hash").get<std::string>();
  e.as_of = j.at("as_of").get<std::string>();
  e.models = j.at("models").get<std::vector<std::string>>();
  for (const auto& [k, v] : j.at("params").items()) e.params.emplace_back(k, v.get<std::string>());
  e.seed = j.at("seed").get<std::uint64_t>();
  e.draws = j.at("draws").get<std::uint64_t>();
  e.version = j.at("version").get<std::string>();
  for (const auto& is : j.at("issues")) e.issues.push_back(issue_of(is));
  for (const auto& f : j.at("forecasts")) e.forecasts.push_back(forecast_of(f));
  if (!j.at("p_deal").is_null()) e.p_deal = j.at("p_deal").get<double>();
  return e;
}

// ---- The table ---------------------------------------------------------------------------------------
namespace {
constexpr const char* ledger_schema = R"sql(
CREATE TABLE IF NOT EXISTS ledger (
  seq INTEGER PRIMARY KEY,
  content TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
)sql";
const std::string genesis(64, '0');

sqlite3* db_of(void* p) { return static_cast<sqlite3*>(p); }

InputError ledger_error(const std::string& path, const std::string& what) {
  return InputError(Diagnostic{{path, 0, 0}, "store", "an entente run store with a ledger", what, {}});
}

void exec(sqlite3* db, const char* sql, const std::string& path) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "error";
    sqlite3_free(err);
    throw ledger_error(path, msg);
  }
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

Ledger::Ledger(const std::string& path) : path_(path) {
  { Store store(path); }  // creates the file and the run store's schema, or says it is not a store
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    throw ledger_error(path, msg);
  }
  db_ = db;
  sqlite3_busy_timeout(db, 10000);
  exec(db, ledger_schema, path_);
}

Ledger::~Ledger() { sqlite3_close(db_of(db_)); }

std::vector<Ledger::Row> Ledger::rows() const {
  std::vector<Row> out;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_of(db_), "SELECT seq, content, prev_hash, hash FROM ledger ORDER BY seq", -1, &st, nullptr) !=
      SQLITE_OK)
    throw ledger_error(path_, sqlite3_errmsg(db_of(db_)));
  auto text = [&](int c) {
    const auto* p = sqlite3_column_text(st, c);
    return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
  };
  while (sqlite3_step(st) == SQLITE_ROW) out.push_back(Row{sqlite3_column_int64(st, 0), text(1), text(2), text(3)});
  sqlite3_finalize(st);
  return out;
}

std::vector<LedgerEntry> Ledger::entries() const {
  std::vector<LedgerEntry> out;
  for (const auto& r : rows()) {
    try {
      LedgerEntry e = ledger_entry_from_content(r.content);
      e.seq = r.seq;
      e.prev_hash = r.prev_hash;
      e.hash = r.hash;
      out.push_back(std::move(e));
    } catch (const nlohmann::json::exception& x) {
      throw InputError(Diagnostic{{path_, 0, 0}, fmt::format("ledger[{}].content", r.seq), "a ledger entry (JSON)",
                                  x.what(), "run `entente ledger verify`"});
    }
  }
  return out;
}

LedgerEntry Ledger::append(LedgerEntry entry) {
  sqlite3* db = db_of(db_);
  exec(db, "BEGIN IMMEDIATE", path_);  // the head read and the insert as one step against other writers
  try {
    std::int64_t seq = 1;
    std::string prev = genesis;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1", -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW) {
      seq = sqlite3_column_int64(st, 0) + 1;
      prev = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (entry.created.empty()) entry.created = utc_now();
    entry.seq = seq;
    entry.prev_hash = prev;
    const std::string content = ledger_content(entry);
    entry.hash = ledger_hash(prev, content);
    sqlite3_prepare_v2(db, "INSERT INTO ledger(seq, content, prev_hash, hash) VALUES(?,?,?,?)", -1, &st, nullptr);
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, content.c_str(), static_cast<int>(content.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, prev.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, entry.hash.c_str(), -1, SQLITE_TRANSIENT);
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw ledger_error(path_, sqlite3_errmsg(db));
    exec(db, "COMMIT", path_);
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return entry;
}

LedgerVerification verify(const std::vector<Ledger::Row>& rows, std::string_view expect_head) {
  LedgerVerification v;
  v.entries = rows.size();
  std::string prev = genesis;
  std::int64_t expect_seq = 1;
  for (const auto& r : rows) {
    if (r.seq != expect_seq)
      v.problems.push_back({r.seq, fmt::format("entry {} missing (found {} after {})", expect_seq, r.seq, expect_seq - 1)});
    if (r.prev_hash != prev)
      v.problems.push_back({r.seq, "its link to the previous entry is broken (an entry before it was edited or removed)"});
    if (ledger_hash(r.prev_hash, r.content) != r.hash)
      v.problems.push_back({r.seq, "its content does not match its hash (edited)"});
    try {
      (void)ledger_entry_from_content(r.content);
    } catch (const nlohmann::json::exception&) {
      v.problems.push_back({r.seq, "its content is not a ledger entry"});
    }
    prev = r.hash;
    expect_seq = r.seq + 1;
  }
  v.head = rows.empty() ? std::string() : rows.back().hash;
  if (!expect_head.empty() && expect_head != v.head)
    v.problems.push_back({rows.empty() ? 0 : rows.back().seq,
                          fmt::format("the head is {}, not the recorded {} (entries removed or replaced)",
                                      v.head.empty() ? "empty" : v.head.substr(0, 16), expect_head.substr(0, 16))});
  v.intact = v.problems.empty();
  return v;
}

}  // namespace entente
