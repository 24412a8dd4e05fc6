// Format detection: content first (it cannot lie), the file extension only as a hint for files
// whose content is not recognised.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "scenario/formats.hpp"
#include "scenario/import_util.hpp"
#include "scenario/workbook.hpp"

namespace entente::detail {

namespace {

std::string lower_extension(const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  for (auto& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext;
}

// The first non-blank character after a byte-order mark.
char first_char(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  return '\0';
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

// Tables saved by spreadsheets on Windows are often Windows-1252, not UTF-8: such text is
// converted (one character per byte, so columns stay those an editor shows).
std::string cp1252_to_utf8(std::string_view s) {
  static const char16_t high[32] = {0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
                                    0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    const char32_t c = b >= 0x80 && b < 0xA0 ? high[b - 0x80] : b;
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

SourceLocation place_of(const std::string& name, std::string_view text, std::size_t at) {
  const std::string_view before = text.substr(0, at);
  const auto line = std::count(before.begin(), before.end(), '\n') + 1;
  const auto nl = before.rfind('\n');
  const std::size_t column = nl == std::string_view::npos ? at + 1 : at - nl;
  return SourceLocation{name, static_cast<int>(line), static_cast<int>(column)};
}

// Nesting of [ and { outside quoted strings, by a scan without recursion (the parsers recurse).
void check_nesting(std::string_view text, const std::string& name) {
  std::size_t depth = 0;
  char quote = 0;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (escaped) escaped = false;
      else if (c == '\\' && quote == '"') escaped = true;
      else if (c == quote) quote = 0;
    } else if (c == '"') {
      quote = c;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting)
        throw InputError(Diagnostic{place_of(name, text, i), "", fmt::format("nesting of at most {} levels", kMaxNesting),
                                    fmt::format("more than {} nested [ or {{", kMaxNesting), {}});
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) len = 2;
    else if (b == 0xE0) len = 3, lo = 0xA0;
    else if (b == 0xED) len = 3, hi = 0x9F;  // no surrogates
    else if (b >= 0xE1 && b <= 0xEF) len = 3;
    else if (b == 0xF0) len = 4, lo = 0x90;
    else if (b == 0xF4) len = 4, hi = 0x8F;  // nothing above U+10FFFF
    else if (b >= 0xF1 && b <= 0xF3) len = 4;
    else return i;
    if (i + len > s.size()) return i;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 < lo || b1 > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

Scenario parse_any(std::string_view original, const std::string& name) {
  if (original.size() > kMaxScenarioBytes)
    throw InputError(Diagnostic{{name, 0, 0}, "", fmt::format("a scenario of at most {} MiB", kMaxScenarioBytes >> 20),
                                fmt::format("{} bytes", original.size()), {}});
  // Spreadsheets are binary: recognised by their magic bytes before any text handling.
  if (looks_like_zip(original)) return import_spreadsheet(original, name);
  if (looks_like_ole(original))
    throw InputError(Diagnostic{{name, 0, 0}, "format", "an XLSX or ODS workbook, or a CSV table",
                                "an Excel 97-2003 (.xls) file or a password-protected workbook",
                                "save it as .xlsx, .ods or .csv without a password"});
  // Native YAML/JSON must be UTF-8 (its parser says so); tables and XML may come in Windows-1252.
  std::string converted;
  std::string_view text = original;
  const char c_first = first_char(original);
  if (c_first != '{' && c_first != '[' && !valid_utf8(original)) {
    converted = cp1252_to_utf8(original);
    text = converted;
  }
  const std::string ext = lower_extension(name);
  const char c0 = first_char(text);
  if (c0 == '\0')
    throw InputError(Diagnostic{{name, 1, 1}, "", "a scenario (YAML, JSON, a stakeholder table, Decide or KTAB data)",
                                "an empty file", {}});
  if (c0 == '<') {
    if (text.find("<Scenario") != std::string_view::npos) return import_ktab_xml(text, name);
    throw InputError(Diagnostic{{name, 1, 1}, "", "KTAB SMP XML (a <Scenario> root element)",
                                "XML without <Scenario>", "the only XML format entente reads is KTAB's"});
  }
  // Native text must be UTF-8 (it is stored and written as such: JSON output refused invalid bytes).
  auto native = [&] {
    if (const auto at = invalid_utf8_at(original); at != std::string_view::npos)
      throw InputError(Diagnostic{place_of(name, original, at), "", "UTF-8 text",
                                  fmt::format("the byte 0x{:02X}, which is not UTF-8 here", static_cast<unsigned char>(original[at])),
                                  "save the file as UTF-8"});
    check_nesting(original, name);
    return parse_native(original, name);
  };
  if (c0 == '{' || c0 == '[') return native();
  if (looks_like_decide(text)) return import_decide(text, name);
  if (looks_like_ktab_csv(text)) return import_ktab_csv(text, name);
  if (looks_like_cases_header(text)) return import_cases_table(text, name);
  // Unrecognised content: a table extension means a table we could not make sense of; anything
  // else is read as the native format (YAML), whose parser says what is wrong.
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt" || ext == ".tab" || ext == ".xml" || ext == ".xlsx" ||
      ext == ".ods") {
    throw InputError(Diagnostic{
        {name, 1, 1},
        "format",
        "one of: a table with a header row naming Actor (or Stakeholder, Name) and Issue (or Dimension, Topic) "
        "columns (one row per actor and issue) or Actor and Position (or x) columns (a one-issue table); Decide "
        "rows tagged #A/#P/#M/#D; KTAB CSV whose first line is 'name, description, actors, dimensions'; KTAB XML "
        "with a <Scenario> root; an XLSX or ODS workbook",
        "none of these on the first line",
        "see docs/importers.md"});
  }
  return native();
}

}  // namespace entente::detail
