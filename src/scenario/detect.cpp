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

}  // namespace

Scenario parse_any(std::string_view original, const std::string& name) {
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
  if (c0 == '{' || c0 == '[') return parse_native(original, name);
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
  return parse_native(original, name);
}

}  // namespace entente::detail
