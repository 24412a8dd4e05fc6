// Internal: the parsers behind load_scenario. Each returns an unvalidated Scenario or throws
// InputError with every problem it found (file, line, column, field, expected, found).
#pragma once
#include <string>
#include <string_view>

#include "entente/scenario.hpp"
#include "scenario/table.hpp"

namespace entente::detail {

// Native format: YAML, or the same structure as JSON (src/scenario/native.cpp).
Scenario parse_native(std::string_view text, const std::string& name);
// One-issue stakeholder tables (CSV/TSV with Actor/Capability/Position/Salience-like headers) and
// the long format (one row per actor and issue: an Issue column too), src/scenario/import_table.cpp.
Scenario import_cases_table(std::string_view text, const std::string& name);
// Either layout from a Table (a text table or one sheet); `format_suffix` "csv", "xlsx" or "ods"
// gives Scenario::format "cases-csv", "long-xlsx", ...
Scenario import_table(const Table& table, const std::string& format_suffix);
// A workbook of actors, issues and stances sheets (the first two optional).
Scenario import_workbook_layout(const Table* actors, const Table* issues, const Table& stances,
                                const std::string& name, const std::string& container,
                                std::vector<Diagnostic> warnings);
// XLSX and ODS files (zip containers), src/scenario/workbook.cpp: one sheet of either table
// layout, or the workbook layout.
Scenario import_spreadsheet(std::string_view bytes, const std::string& name);

enum class TableLayout { none, one_issue, long_format };
// The layout a header row names: Actor and Issue columns = long; Actor and Position = one issue.
TableLayout table_layout(const TableRow& header);
TableLayout text_table_layout(std::string_view text);
// Decide (#A/#P/#M/#D/#O rows, ';' or tab separated).
Scenario import_decide(std::string_view text, const std::string& name);
// KTAB SMP CSV and XML layouts (multi-dimensional).
Scenario import_ktab_csv(std::string_view text, const std::string& name);
Scenario import_ktab_xml(std::string_view text, const std::string& name);

// Guesses the format from the content (and the name's extension) and dispatches.
Scenario parse_any(std::string_view text, const std::string& name);

// Bounds on what any scenario input may hold (docs/limits.md), checked before memory grows with
// it: bytes and nesting before parsing, counts right after.
inline constexpr std::size_t kMaxScenarioBytes = 16u << 20;
inline constexpr std::size_t kMaxNesting = 64;  // [ and { levels in JSON or flow-style YAML
inline constexpr std::size_t kMaxActors = 10000, kMaxIssues = 1000, kMaxSources = 100000;
// Offset of the first byte that is not part of well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF), or npos.
std::size_t invalid_utf8_at(std::string_view s);

}  // namespace entente::detail
