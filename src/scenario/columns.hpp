// Internal: the columns the tabular importers read, with the header names each accepts
// (docs/importers.md lists them). One table for the one-issue stakeholder table, the long format
// and the sheets of a workbook, so a synonym means the same everywhere.
#pragma once
#include <string>
#include <string_view>

namespace entente::detail {

enum class Role {
  actor,             // actor name
  issue,             // issue name (long format, workbooks)
  capability,        // the actor's capability (the same on all its rows)
  issue_capability,  // per-issue capability (Stance::capability)
  position,          // a number, or on a categorical issue the name of the preferred option
  salience,
  min,
  max,  // the issue's scale
  status_quo,
  options,      // a categorical issue's options, in one cell
  ranking,      // a categorical stance as options best first, in one cell
  utility,      // "Utility: OPTION": utility of one option
  source,       // evidence: a source's name
  quote,        // evidence: the source's words
  judgment,     // evidence: the analyst's reason
  description,  // actors and issues sheets
  ignored,      // a header starting with '#': ignored on purpose
  unknown,
};
inline constexpr int role_count = static_cast<int>(Role::unknown) + 1;

// Which table a header belongs to: the issues sheet reads "Name" as the issue's name.
enum class SheetKind { stances, actors, issues };

struct ColumnName {
  Role role = Role::unknown;
  std::string note;    // the bracketed note of the header, e.g. "0-100" in "Salience (0-100)"
  std::string option;  // Role::utility: the option's name as written
};

// Classifies one header cell.
[[nodiscard]] ColumnName classify_header(std::string_view header, SheetKind kind);

// "Salience (or s, Importance, Sal)" for messages.
[[nodiscard]] std::string role_label(Role role);
// Every column a table of this kind reads, for the unknown-column warning.
[[nodiscard]] std::string known_columns(SheetKind kind);

}  // namespace entente::detail
