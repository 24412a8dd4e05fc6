#include "entente/diagnostics.hpp"

#include <fmt/format.h>

#include <cctype>

namespace entente {

namespace {
// Spreadsheet column number -> letters: 1 -> A, 26 -> Z, 27 -> AA.
std::string column_letters(int column) {
  std::string out;
  for (; column > 0; column = (column - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (column - 1) % 26));
  return out;
}
}  // namespace

std::string SourceLocation::to_string() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (!sheet.empty()) {
    // Excel's notation: a sheet name with anything but letters, digits and '_' is quoted.
    bool plain = true;
    for (unsigned char c : sheet)
      if (!(std::isalnum(c) || c == '_' || c >= 0x80)) plain = false;
    std::string quoted;
    for (char c : sheet) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    out += ":" + (plain ? sheet : "'" + quoted + "'");
    if (line > 0) out += "!" + (column > 0 ? column_letters(column) : std::string()) + fmt::format("{}", line);
    return out;
  }
  if (line > 0) {
    out += fmt::format(":{}", line);
    if (column > 0) out += fmt::format(":{}", column);
  }
  return out;
}

std::string Diagnostic::to_string(std::string_view severity) const {
  std::string out = where.to_string();
  out += fmt::format(": {}:", severity);
  if (!field.empty()) out += fmt::format(" field '{}':", field);
  if (!expected.empty()) out += fmt::format(" expected {}", expected);
  if (!found.empty()) out += fmt::format("{} found {}", expected.empty() ? "" : ",", found);
  if (!message.empty()) out += (expected.empty() && found.empty()) ? " " + message : " (" + message + ")";
  return out;
}

namespace {
std::string join(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    if (!s.empty()) s += '\n';
    s += d.to_string();
  }
  return s;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}
InputError::InputError(Diagnostic diagnostic) : InputError(std::vector<Diagnostic>{std::move(diagnostic)}) {}

void DiagnosticSink::add(const SourceLocation& where, std::string field, std::string expected, std::string found,
                         std::string message) {
  items_.push_back(Diagnostic{where, std::move(field), std::move(expected), std::move(found), std::move(message)});
}

void DiagnosticSink::throw_if_any() {
  if (!items_.empty()) throw InputError(std::move(items_));
}

}  // namespace entente
