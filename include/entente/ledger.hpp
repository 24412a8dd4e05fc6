// The forecast ledger: sealed, dated forecasts of a negotiation as it unfolds, their resolution and
// their scores. An entry is a forecast of one scenario version (its content hash and as_of) by some
// models, with the simulated distribution of each issue; entries are appended to a table of the run
// store's SQLite file and chained by SHA-256 (each entry's hash covers its content and the previous
// hash), so an edited or deleted entry is detected by verify(). A resolution (YAML) says what
// happened; score() compares every entry, and baselines, with it, each counted for the time it was
// in force. Layout, formulas and a worked example: docs/ledger.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entente/analysis.hpp"
#include "entente/model.hpp"
#include "entente/scenario.hpp"

namespace entente {

// ---- Entries ---------------------------------------------------------------------------------------

// Number of quantiles kept per numeric issue: levels (k - 0.5) / K, k = 1..K, of the simulated
// draws. The sample CRPS of these K equally weighted atoms is exact (crps_sample), so the stored
// entry alone is enough to score it, whatever number of draws produced it.
inline constexpr std::size_t ledger_quantiles = 100;

// One model's forecast of one issue, as sealed in an entry.
struct LedgerForecast {
  std::string model;
  std::string issue;
  bool categorical = false;
  bool defined = true;
  double point = 0;                    // numeric: on the issue's scale; categorical: option index
  std::vector<double> quantiles;       // numeric: ledger_quantiles values (empty without draws)
  std::vector<double> probabilities;   // categorical: per option (the model's, else the draws' shares)
};

// What the scenario version said about an issue, kept for the baselines.
struct LedgerIssue {
  std::string id, name;
  bool categorical = false;
  double min = 0, max = 100;
  std::optional<double> status_quo;
  std::vector<std::string> options;
  // Each actor's own position (numeric) or most preferred option index (categorical).
  std::vector<std::pair<std::string, double>> positions;
};

struct LedgerEntry {
  std::int64_t seq = 0;        // 1, 2, ... in order of addition
  std::string created;         // UTC, ISO 8601, when it was sealed
  std::string title, file, scenario_hash, as_of;
  std::vector<std::string> models;
  std::vector<std::pair<std::string, std::string>> params;  // "MODEL.KEY" -> value, as resolved
  std::uint64_t seed = 0;
  std::uint64_t draws = 0;     // simulated draws behind the quantiles (0: point forecasts only)
  std::string version;         // entente's
  std::vector<LedgerIssue> issues;
  std::vector<LedgerForecast> forecasts;  // [model][issue], models in order
  // P(deal): filled by the deal analysis once it exists (it lives on another branch); null until then.
  std::optional<double> p_deal;
  std::string prev_hash, hash;  // SHA-256, hex; prev_hash of the first entry is 64 zeros
};

// An entry for a scenario version from its model results (one per model) and, per model, its
// simulation (nullptr: point forecasts only). Quantiles: type-7 quantiles of the defined draws at
// levels (k - 0.5) / ledger_quantiles. Categorical probabilities: the draws' option shares, else the
// model's own probabilities, else all on the point forecast. Not sealed yet (Ledger::append does).
[[nodiscard]] LedgerEntry make_ledger_entry(const Scenario& scenario, const std::vector<Result>& results,
                                            const std::vector<const SimulationResult*>& simulations,
                                            std::uint64_t seed, std::uint64_t draws);

// The canonical text of an entry (JSON, sorted keys, no seq/hash fields): what the hash covers.
[[nodiscard]] std::string ledger_content(const LedgerEntry& entry);
[[nodiscard]] LedgerEntry ledger_entry_from_content(std::string_view content);
// SHA-256(prev_hash + "\n" + content), hex.
[[nodiscard]] std::string ledger_hash(std::string_view prev_hash, std::string_view content);
[[nodiscard]] std::string sha256_hex(std::string_view data);

// The ledger table inside a run-store file (its own table, created if missing).
class Ledger {
 public:
  explicit Ledger(const std::string& path);  // InputError if the file cannot be opened
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;
  // Seals the entry: sets seq, created (when empty), prev_hash and hash; appends it in one transaction.
  LedgerEntry append(LedgerEntry entry);
  // Every entry, in order. Content that does not parse is an InputError naming the row.
  [[nodiscard]] std::vector<LedgerEntry> entries() const;
  struct Row {
    std::int64_t seq = 0;
    std::string content, prev_hash, hash;
  };
  [[nodiscard]] std::vector<Row> rows() const;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  void* db_ = nullptr;  // sqlite3*
};

struct LedgerProblem {
  std::int64_t seq = 0;
  std::string message;
};
struct LedgerVerification {
  bool intact = true;
  std::size_t entries = 0;
  std::string head;  // hash of the last entry (record it elsewhere to detect truncation)
  std::vector<LedgerProblem> problems;
};
// Recomputes every hash and link. `expect_head`: the head recorded earlier (detects removal of the
// last entries, which a chain alone cannot show).
[[nodiscard]] LedgerVerification verify(const std::vector<Ledger::Row>& rows, std::string_view expect_head = {});

// ---- Resolutions -------------------------------------------------------------------------------

struct ResolutionEvidence {
  std::string source, quote;
};
struct IssueResolution {
  std::string issue;
  bool resolved = false;  // false: no agreement on it by `date` (scored only by "deal by date")
  double value = 0;       // numeric: on the issue's scale; categorical: option index (set on scoring)
  std::string option;     // categorical: the option that happened
  std::string date;       // when it was settled (YYYY-MM-DD)
  std::vector<ResolutionEvidence> evidence;
  SourceLocation where;
};
struct Resolution {
  std::string title;  // the ledger entries it resolves: those whose scenario title is this (empty: all)
  std::string date;   // the scoring window ends here (the last version is in force until it)
  std::vector<IssueResolution> issues;
  // "Deal by date": whether an agreement was reached by `deal_by`.
  std::string deal_by;
  std::optional<bool> deal;
  std::vector<ResolutionEvidence> deal_evidence;
  std::string origin;
};
[[nodiscard]] Resolution load_resolution(const std::string& path);
[[nodiscard]] Resolution parse_resolution(std::string_view text, const std::string& name);

// ---- Scores ------------------------------------------------------------------------------------------

// Sample CRPS of an ensemble (equally weighted atoms) against outcome y:
//   CRPS = (1/K) sum_i |x_i - y| - (1/(2K^2)) sum_i sum_j |x_i - x_j|
// computed in O(K log K) through the sorted form (2/K^2) sum_i (x_(i) - y)(K 1{y < x_(i)} - i + 1/2).
[[nodiscard]] double crps_sample(std::vector<double> atoms, double y);
// Brier score of a categorical forecast: sum over options of (p_o - 1{o = outcome})^2 (0 to 2).
[[nodiscard]] double brier(const std::vector<double>& probabilities, std::size_t outcome);
// Days between two ISO dates (b - a).
[[nodiscard]] long days_between(std::string_view a, std::string_view b);

struct ScoreRow {
  std::int64_t seq = 0;
  std::string as_of;
  double days = 0;     // time in force (until the next version's as_of, or the resolution date)
  double weight = 0;   // days / total days of the series (0 for versions superseded the same day)
  std::string forecaster;  // a model, or a baseline: "status_quo", "previous:MODEL", "actor:ID"
  std::string issue;
  double forecast = 0;  // point (categorical: option index)
  double outcome = 0;
  std::optional<double> abs_error, crps, brier;
};
struct ScoreSummary {
  std::string forecaster, issue;  // issue "deal" for deal by date
  std::size_t versions = 0;
  std::optional<double> abs_error, crps, brier;  // time-weighted means
};
struct LedgerScores {
  std::string title, resolution_date;
  std::vector<ScoreRow> rows;
  std::vector<ScoreSummary> summary;  // per forecaster and issue, time-weighted
  std::vector<std::string> notes;     // e.g. entries skipped (dated after the resolution)
};
// Scores the entries that the resolution concerns against it.
[[nodiscard]] LedgerScores score(const std::vector<LedgerEntry>& entries, const Resolution& resolution);

// ---- Timeline -----------------------------------------------------------------------------------------

struct TimelinePoint {
  std::int64_t seq = 0;
  std::string as_of, model, issue;
  double point = 0;
  std::optional<double> low, high;  // 5% and 95% of the stored quantiles
  std::optional<double> p_deal;
};
struct Timeline {
  std::string title;
  std::vector<LedgerIssue> issues;  // of the latest entry
  std::vector<TimelinePoint> points;
  std::optional<Resolution> resolution;
};
[[nodiscard]] Timeline timeline(const std::vector<LedgerEntry>& entries, const std::string& title,
                                const std::optional<Resolution>& resolution);

// ---- The DEU data as a resolved ledger ------------------------------------------------------------

// Each DEU issue with an outcome: one entry dated at the proposal's introduction, forecasting the
// issue by `model` on its expert positions (no draws: point forecasts), and its resolution at the
// final act. Titles are "DEU <proposal> <issue>". `limit` > 0 keeps only the first issues.
struct DeuLedgerCase {
  LedgerEntry entry;
  Resolution resolution;
};
[[nodiscard]] std::vector<DeuLedgerCase> deu_ledger(const std::string& deu_file, const std::string& model,
                                                    std::size_t limit);

}  // namespace entente
