// The presentation layer: every serialisation of a response (terminal table, JSON, CSV, XLSX) is
// made here, from the request layer's responses, with one table renderer and one number policy.
// Front ends call render() and write the bytes; the web server's JSON and the Python module's
// objects are the `--format json` documents, so every front end shows the same fields. Layouts:
// docs/cli.md (and docs/api.md for the server).
#pragma once
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "entente/model.hpp"
#include "entente/numbers.hpp"
#include "entente/requests.hpp"
#include "entente/scenario.hpp"
#include "entente/store.hpp"

namespace entente {

enum class Format { table, json, csv, xlsx };
[[nodiscard]] Format parse_format(std::string_view name);  // InputError naming the field "format"
[[nodiscard]] const char* to_string(Format format) noexcept;
// The format a file name asks for by its extension (.json, .csv, .xlsx, .txt); `fallback` otherwise.
[[nodiscard]] Format format_of_path(std::string_view path, Format fallback);

// ---- The table renderer --------------------------------------------------------------------------
struct Cell {
  enum class Kind { text, number, percent };
  Kind kind = Kind::text;
  std::string text;
  double number = std::numeric_limits<double>::quiet_NaN();
  bool whole = false;  // a count or an index: the terminal shows every digit (3000000, not 3e+06)
  Cell() = default;
  Cell(std::string t) : text(std::move(t)) {}  // NOLINT: text cells read naturally
  Cell(const char* t) : text(t) {}             // NOLINT
  [[nodiscard]] static Cell num(double v) {
    Cell c;
    c.kind = Kind::number;
    c.number = v;
    return c;
  }
  [[nodiscard]] static Cell pct(double p) {
    Cell c;
    c.kind = Kind::percent;
    c.number = p;
    return c;
  }
  [[nodiscard]] static Cell integer(long long v) {
    Cell c = num(static_cast<double>(v));
    c.whole = true;
    return c;
  }
};

struct Table {
  std::string name;  // sheet name (xlsx) and title (terminal, when several tables are shown)
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};
// table: aligned columns (numbers right-aligned, display policy); csv: RFC 4180, full precision;
// json: an array of objects keyed by the header; xlsx: one sheet, numbers as numbers.
[[nodiscard]] std::string render(const Table& table, Format format);
// Several tables: table: one after another with their names; csv: the first; xlsx: one sheet each.
[[nodiscard]] std::string render(const std::vector<Table>& tables, Format format);
[[nodiscard]] std::string csv_escape(const std::string& cell);
// Text from files shown on a terminal: control characters escaped (\x1b, \n ...), never raw.
[[nodiscard]] std::string terminal_safe(std::string_view text);

// ---- Responses -------------------------------------------------------------------------------------
struct RenderOptions {
  bool charts = false;  // JSON: the SVG charts of each issue (the web UI)
};
[[nodiscard]] std::string render(const ForecastResponse& response, Format format, const RenderOptions& options = {});
[[nodiscard]] std::string render(const TraceResponse& response, Format format);
[[nodiscard]] std::string render(const SimulateResponse& response, Format format);
[[nodiscard]] std::string render(const SensitivityResponse& response, Format format);
[[nodiscard]] std::string render(const WhatIfResponse& response, Format format);
[[nodiscard]] std::string render(const CompareResponse& response, Format format);
[[nodiscard]] std::string render(const ModelsResponse& response, Format format);
[[nodiscard]] std::string render(const BacktestResponse& response, Format format);
// The scored issues of a backtest, one row each (`backtest --per-issue FILE`, Python's frames).
[[nodiscard]] Table backtest_issues(const BacktestResponse& response);
[[nodiscard]] std::string render(const ValidateResponse& response, Format format);
// An expert panel's disagreements (not the merged scenario: that is to_yaml/to_json of
// response.panel.scenario). table: the `top` largest spreads, the gaps, the notes in words; json:
// {"experts", "actors", "issues", "spreads", "gaps", "notes", "warnings"} with every spread; csv:
// the spreads, one row per number; xlsx: sheets "spreads" and "gaps".
[[nodiscard]] std::string render(const MergeResponse& response, Format format);
// The deal analysis; JSON keys are a contract for scripts (docs/models/deal.md).
[[nodiscard]] std::string render(const DealResponse& response, Format format);
[[nodiscard]] std::string render(const DealWhatIfResponse& response, Format format);
// The options of every model as Markdown tables (docs/models/options.md is this text).
[[nodiscard]] std::string models_markdown(const ModelsResponse& response);
// Errors: json {"error", "diagnostics": [{"file", "line", "column", "field", "expected", "found",
// "message"}]}; table/csv: one diagnostic per line.
[[nodiscard]] std::string render(const InputError& error, Format format);
// The importers' warnings (Scenario::warnings: an ignored column, a scale taken from the data):
// json: the diagnostics array (with "sheet" for spreadsheet cells); otherwise one
// "file:Sheet!C7: warning: ..." line each. Every JSON document that carries a scenario also has
// them as "warnings"; the CLI prints these lines to standard error.
[[nodiscard]] std::string render_warnings(const std::vector<Diagnostic>& warnings, Format format);
// The run store: the list of runs, and one run (its record, scenario and results).
[[nodiscard]] std::string render(const std::vector<RunRecord>& runs, Format format);
[[nodiscard]] std::string render(const StoredRun& run, Format format);
[[nodiscard]] std::string render(const PruneResult& result, Format format);

// One forecast in words for a person: "89.01, cycles 40 <-> 89.01, period 3", "Istanbul (85%)".
[[nodiscard]] std::string describe_forecast(const Issue& issue, const Forecast& forecast);

// The forecast ledger and the news finder (docs/ledger.md).
[[nodiscard]] std::string render(const LedgerAddResponse& response, Format format);
[[nodiscard]] std::string render(const LedgerListResponse& response, Format format);
[[nodiscard]] std::string render(const LedgerVerifyResponse& response, Format format);
[[nodiscard]] std::string render(const LedgerScoreResponse& response, Format format);
[[nodiscard]] std::string render(const LedgerTimelineResponse& response, Format format);  // json has "charts" (SVG per issue)
[[nodiscard]] std::string timeline_html(const LedgerTimelineResponse& response);          // a self-contained page
[[nodiscard]] std::string render(const NewsResponse& response, Format format);

}  // namespace entente
