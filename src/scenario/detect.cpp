// Format detection: content first (it cannot lie), the file extension only as a hint for files
// whose content is not recognised.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "scenario/formats.hpp"
#include "scenario/import_util.hpp"

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

}  // namespace

Scenario parse_any(std::string_view text, const std::string& name) {
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
  if (c0 == '{' || c0 == '[') return parse_native(text, name);
  if (looks_like_decide(text)) return import_decide(text, name);
  if (looks_like_ktab_csv(text)) return import_ktab_csv(text, name);
  if (looks_like_cases_header(text)) return import_cases_table(text, name);
  // Unrecognised content: a table extension means a table we could not make sense of; anything
  // else is read as the native format (YAML), whose parser says what is wrong.
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt" || ext == ".tab" || ext == ".xml") {
    throw InputError(Diagnostic{
        {name, 1, 1},
        "format",
        "one of: a stakeholder table with a header row naming Actor (or Stakeholder, Name) and Position (or x) "
        "columns; Decide rows tagged #A/#P/#M/#D; KTAB CSV whose first line is 'name, description, actors, "
        "dimensions'; KTAB XML with a <Scenario> root",
        "none of these on the first line",
        "see docs/importers.md"});
  }
  return parse_native(text, name);
}

}  // namespace entente::detail
