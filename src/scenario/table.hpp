// Internal: a table of cells, the common input of the tabular importers (stakeholder tables, the
// long format, workbooks). Text tables (CSV/TSV) and spreadsheet sheets (XLSX, ODS) both become a
// Table, so one importer reads both and every cell knows where it was written: line and column in
// a text file, sheet and A1 cell in a workbook.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "entente/diagnostics.hpp"

namespace entente::detail {

struct Cell {
  enum class Kind { blank, text, number, boolean, error };
  Kind kind = Kind::blank;
  std::string text;   // as written: a CSV field, a sheet's text, a number's literal, TRUE/FALSE, #N/A
  double number = 0;  // Kind::number (Kind::boolean: 1 or 0)
  int line = 0;       // text: line of the first non-blank character; sheet: the row (1-based)
  int column = 0;     // text: its column in characters; sheet: the column (A = 1)
  [[nodiscard]] bool blank() const;
};

struct TableRow {
  std::vector<Cell> cells;  // text: one per field; sheet: index k = column k+1 (gaps are blank cells)
  int line = 0;             // text: the record's first line; sheet: the row number
  int end_column = 0;       // text: the column just past the last field (where a missing field is)
  [[nodiscard]] bool blank() const;
};

struct Table {
  std::string file;   // as given by the user
  std::string sheet;  // the sheet's name; empty for a text table
  std::vector<TableRow> rows;

  [[nodiscard]] bool spreadsheet() const { return !sheet.empty(); }
  [[nodiscard]] SourceLocation at(const Cell& c) const { return SourceLocation{file, c.line, c.column, sheet}; }
  [[nodiscard]] SourceLocation at(int line, int column) const { return SourceLocation{file, line, column, sheet}; }
  // Where the cell of column index k of a row would be: its own address in a sheet, the end of
  // the record in a text file (a field that is not there).
  [[nodiscard]] SourceLocation missing(const TableRow& row, std::size_t k) const;
  // The header row's description for messages: "line 1" / "row 1 of sheet 'stances'".
  [[nodiscard]] std::string where_text(int line) const;
};

// A cell as a finite number: a number cell, or text that is a plain decimal number (spreadsheets
// often keep numbers as text). Booleans, errors and other text are not numbers.
[[nodiscard]] bool cell_number(const Cell& c, double& out);

// The delimiter of a text table's header line: the most frequent of tab, comma and semicolon
// outside quotes (comma when there is none).
[[nodiscard]] char guess_delimiter(std::string_view text);

// Reads a text table (CSV/TSV; quotes, BOM, any line ends) with the guessed delimiter; problems
// (an unterminated quote) are added to `problems`.
[[nodiscard]] Table read_text_table(std::string_view text, const std::string& file, std::vector<Diagnostic>& problems);

// Only the first non-blank line of a text table, for format detection.
[[nodiscard]] TableRow read_text_header(std::string_view text);

// ---- Headers ---------------------------------------------------------------------------------

// A header as compared against the documented names: trimmed, lower case, '_' and '-' read as
// spaces, runs of blanks as one, and a trailing note in brackets dropped ("Salience (0-100)" ->
// "salience"). `note` receives the bracketed note's content ("0-100"), if any.
[[nodiscard]] std::string normalise_header(std::string_view header, std::string* note = nullptr);

// A range written in a header note or a cell: "0-100", "0 - 20000", "-10 to 10", "0..1", "0–100".
[[nodiscard]] bool parse_range(std::string_view text, double& low, double& high);

// Case-insensitive, blank-collapsed key used to match names (actors, issues, options, sheets).
[[nodiscard]] std::string name_key(std::string_view name);

}  // namespace entente::detail
