// Internal helpers shared by the importers (cases tables, Decide, KTAB).
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "entente/scenario.hpp"
#include "scenario/csv.hpp"

namespace entente::detail {

// Strips spaces, tabs, CR and LF at both ends.
[[nodiscard]] std::string_view trim(std::string_view s);

// A whole field as a finite number: surrounding blanks allowed, a leading '+' allowed,
// nothing else (no "12abc", no nan/inf).
[[nodiscard]] bool parse_number(std::string_view text, double& out);

// "'text'" for diagnostics, shortened when long; "an empty field" for blank text.
[[nodiscard]] std::string show(std::string_view text);

// Scenario ids are [A-Za-z0-9_-]+.
[[nodiscard]] bool valid_id(std::string_view s);
// Lower-case slug: ASCII letters and digits kept, '-' and '_' kept, any other run -> '_'.
// "Labor Party (Corbyn)" -> "labor_party_corbyn". Empty result -> `fallback`.
[[nodiscard]] std::string slug(std::string_view name, std::string_view fallback);

// Hands out unique ids: the second "x" becomes "x_2", then "x_3", ...
class IdAllocator {
 public:
  std::string take(const std::string& base);

 private:
  std::set<std::string> used_;
};

// Location of a CSV field: its first non-blank character (numbers are often padded).
[[nodiscard]] inline SourceLocation at(const std::string& file, const csv::Field& f) {
  int col = f.column;
  if (!f.quoted)
    for (char c : f.text) {
      if (c != ' ' && c != '\t') break;
      ++col;
    }
  return SourceLocation{file, f.line, col};
}

// Byte offset -> line/column (columns counted in UTF-8 code points, like the CSV reader).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  [[nodiscard]] SourceLocation at(const std::string& file, std::size_t offset) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// A quantity with a value and where it was written.
[[nodiscard]] inline Quantity quantity(double value, SourceLocation where) {
  Quantity q;
  q.value = value;
  q.where = std::move(where);
  return q;
}

// Content sniffers used by parse_any (detect.cpp); each looks at the start of the text only.
[[nodiscard]] bool looks_like_cases_header(std::string_view text);  // Actor + Position-like headers
[[nodiscard]] bool looks_like_decide(std::string_view text);        // #A/#P/... rows
[[nodiscard]] bool looks_like_ktab_csv(std::string_view text);      // "name,desc,N,D" first line

}  // namespace entente::detail
