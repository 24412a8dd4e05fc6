#include "scenario/table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "scenario/csv.hpp"
#include "scenario/import_util.hpp"

namespace entente::detail {

bool Cell::blank() const { return kind == Kind::blank || trim(text).empty(); }

bool TableRow::blank() const {
  for (const auto& c : cells)
    if (!c.blank()) return false;
  return true;
}

SourceLocation Table::missing(const TableRow& row, std::size_t k) const {
  if (spreadsheet()) return at(row.line, static_cast<int>(k) + 1);
  return at(row.line, row.end_column);
}

std::string Table::where_text(int line) const {
  return spreadsheet() ? fmt::format("row {} of sheet '{}'", line, sheet) : fmt::format("line {}", line);
}

bool cell_number(const Cell& c, double& out) {
  switch (c.kind) {
    case Cell::Kind::number:
      if (!std::isfinite(c.number)) return false;
      out = c.number;
      return true;
    case Cell::Kind::text: return parse_number(c.text, out);
    default: return false;
  }
}

char guess_delimiter(std::string_view text) {
  std::size_t tabs = 0, commas = 0, semis = 0;
  bool in_quotes = false;
  std::size_t i = 0;
  // Skip a BOM and leading blank lines.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size() && (text[i] == '\r' || text[i] == '\n' || text[i] == ' ')) ++i;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    if (c == '\r' || c == '\n') break;
    tabs += c == '\t';
    commas += c == ',';
    semis += c == ';';
  }
  if (tabs >= commas && tabs >= semis && tabs > 0) return '\t';
  if (semis > commas) return ';';
  return ',';
}

namespace {

TableRow text_row(const csv::Row& r, const std::string& file) {
  TableRow row;
  row.line = r.line;
  row.cells.reserve(r.fields.size());
  for (const auto& f : r.fields) {
    Cell c;
    c.text = f.text;
    c.kind = trim(f.text).empty() ? Cell::Kind::blank : Cell::Kind::text;
    const SourceLocation w = at(file, f);  // the first non-blank character
    c.line = w.line;
    c.column = w.column;
    row.cells.push_back(std::move(c));
  }
  if (!r.fields.empty()) {
    const auto& last = r.fields.back();
    row.end_column = last.column + static_cast<int>(last.text.size()) + 1;
  }
  return row;
}

}  // namespace

Table read_text_table(std::string_view text, const std::string& file, std::vector<Diagnostic>& problems) {
  Table t;
  t.file = file;
  const auto rows = csv::read(text, {guess_delimiter(text), '"'}, file, problems);
  t.rows.reserve(rows.size());
  for (const auto& r : rows) t.rows.push_back(text_row(r, file));
  return t;
}

TableRow read_text_header(std::string_view text) {
  std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (start < text.size() && (text[start] == '\r' || text[start] == '\n' || text[start] == ' ')) ++start;
  const auto end = text.find_first_of("\r\n", start);
  const std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  std::vector<Diagnostic> ignore;
  const auto rows = csv::read(line, {guess_delimiter(text), '"'}, "", ignore);
  return rows.empty() ? TableRow{} : text_row(rows.front(), "");
}

std::string normalise_header(std::string_view h, std::string* note) {
  h = trim(h);
  if (const auto p = h.find_first_of("(["); p != std::string_view::npos && p > 0) {
    if (note != nullptr) {
      std::string_view n = h.substr(p + 1);
      if (const auto q = n.find_first_of(")]"); q != std::string_view::npos) n = n.substr(0, q);
      *note = std::string(trim(n));
    }
    h = trim(h.substr(0, p));
  }
  std::string out;
  bool gap = false;
  for (char c : h) {
    if (c == ' ' || c == '\t' || c == '_' || c == '-') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

namespace {
bool number_prefix(std::string_view& s, double& v) {
  s = trim(s);
  std::size_t n = 0;
  if (n < s.size() && (s[n] == '-' || s[n] == '+')) ++n;
  while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.')) ++n;
  if (n < s.size() && (s[n] == 'e' || s[n] == 'E')) {
    std::size_t m = n + 1;
    if (m < s.size() && (s[m] == '-' || s[m] == '+')) ++m;
    if (m < s.size() && s[m] >= '0' && s[m] <= '9') {
      n = m;
      while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    }
  }
  if (!parse_number(s.substr(0, n), v)) return false;
  s.remove_prefix(n);
  return true;
}
}  // namespace

bool parse_range(std::string_view text, double& low, double& high) {
  std::string_view s = text;
  double a = 0, b = 0;
  if (!number_prefix(s, a)) return false;
  s = trim(s);
  for (std::string_view sep : {"\xE2\x80\x93", "\xE2\x80\x94", "..", "to", "-", ":"})  // en dash, em dash
    if (s.substr(0, sep.size()) == sep) {
      s.remove_prefix(sep.size());
      if (!number_prefix(s, b) || !trim(s).empty() || !(a < b)) return false;
      low = a;
      high = b;
      return true;
    }
  return false;
}

std::string name_key(std::string_view name) {
  std::string out;
  bool gap = false;
  for (char c : trim(name)) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      gap = true;
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace entente::detail
