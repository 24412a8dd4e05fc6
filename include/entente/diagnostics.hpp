// Errors are values at the boundary: parsers and validators collect Diagnostics and throw
// one InputError carrying all of them; front ends turn it into exit code 2.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace entente {

struct SourceLocation {
  std::string file;   // path as given by the user ("<string>" for in-memory input)
  int line = 0;       // 1-based; 0 = unknown. In a spreadsheet: the row
  int column = 0;     // 1-based; 0 = unknown. In a spreadsheet: the column (A = 1)
  std::string sheet;  // spreadsheet input (XLSX, ODS): the sheet's name; empty for text files

  SourceLocation() = default;
  // Not an aggregate, so that {file, line, column} keeps working without naming the sheet.
  SourceLocation(std::string file_, int line_ = 0, int column_ = 0, std::string sheet_ = {})
      : file(std::move(file_)), line(line_), column(column_), sheet(std::move(sheet_)) {}

  // "file:line:column", or "file:Sheet1!C7" for a spreadsheet cell ("file:'My sheet'!C7").
  [[nodiscard]] std::string to_string() const;
};

struct Diagnostic {
  SourceLocation where;
  std::string field;     // dotted path of the offending field, e.g. "actors[2].issues.nato.salience"
  std::string expected;  // what was expected, e.g. "a number in [0, 1]"
  std::string found;     // what was found, e.g. "1.7"
  std::string message;   // optional free text when expected/found do not say it all

  // "file:line:col: error: field 'x': expected E, found F (message)"
  [[nodiscard]] std::string to_string() const { return to_string("error"); }
  // The same with another severity, e.g. "warning" for the importers' Scenario::warnings.
  [[nodiscard]] std::string to_string(std::string_view severity) const;
};

// Thrown for bad user input (files, parameters, command-line values). Never for engine bugs.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  explicit InputError(Diagnostic diagnostic);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Thrown when a valid input is too large for a model to run on this machine (memory, index
// limits); the message says how large and what it would need. The CLI exits with code 2.
class ResourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Collects diagnostics during one pass; throw_if_any() raises them together.
class DiagnosticSink {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void add(const SourceLocation& where, std::string field, std::string expected, std::string found,
           std::string message = {});
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] const std::vector<Diagnostic>& items() const noexcept { return items_; }
  void throw_if_any();

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace entente
