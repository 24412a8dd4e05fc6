// Internal: a small RFC-4180-style CSV reader used by the importers. A state machine (no string
// splitting), so quoted delimiters, escaped quotes ("" inside quotes) and line breaks inside
// quotes work, and every field knows the line and column where it starts.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "entente/diagnostics.hpp"

namespace entente::csv {

struct Field {
  std::string text;     // unquoted, unescaped content (not trimmed)
  int line = 0;         // 1-based line of the field's first character (the opening quote if quoted)
  int column = 0;       // 1-based column, counted in characters (UTF-8 code points)
  bool quoted = false;  // the field was enclosed in quotes
};

struct Row {
  std::vector<Field> fields;
  int line = 0;  // line where the record starts
  // True when every field is empty or blank (an empty line reads as one empty field).
  [[nodiscard]] bool blank() const;
};

struct Options {
  char delimiter = ',';
  char quote = '"';  // '\0' = no quoting
};

// Reads every record. Any of CR, LF and CRLF ends a record (outside quotes); a UTF-8 byte-order
// mark at the start is skipped. A quote opens a quoted field only as the field's first character;
// text after a closing quote is appended to the field (as Python's csv module does). An
// unterminated quote is reported in `problems` (the field then runs to the end of the input).
// `file` is used for the diagnostics' locations.
std::vector<Row> read(std::string_view text, const Options& options, const std::string& file,
                      std::vector<Diagnostic>& problems);

// Convenience: throws InputError if there is any problem.
std::vector<Row> read(std::string_view text, const Options& options, const std::string& file);

}  // namespace entente::csv
