#include "entente/diagnostics.hpp"

#include <fmt/format.h>

namespace entente {

std::string Diagnostic::to_string() const {
  std::string out = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    out += fmt::format(":{}", where.line);
    if (where.column > 0) out += fmt::format(":{}", where.column);
  }
  out += ": error:";
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
