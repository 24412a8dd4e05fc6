#include "scenario/columns.hpp"

#include <fmt/format.h>

#include <array>
#include <vector>

#include "scenario/import_util.hpp"
#include "scenario/table.hpp"

namespace entente::detail {

namespace {

struct Names {
  Role role;
  std::vector<std::string_view> names;  // normalised (normalise_header), the first is the canonical one
};

// The accepted names of each column. The first four rows are the historical stakeholder-table
// names (every file of tests/data/cases uses them); the rest were added with the long format.
const std::vector<Names>& names() {
  static const std::vector<Names> n = {
      {Role::actor, {"actor", "actors", "stakeholder", "stakeholders", "name", "actor name", "player", "party"}},
      {Role::capability, {"capability", "capabilities", "resources", "c", "influence", "power", "clout", "weight"}},
      {Role::position, {"position", "x", "pos", "stance"}},
      {Role::salience, {"salience", "s", "importance", "sal"}},
      {Role::issue, {"issue", "issues", "issue name", "dimension", "dimensions", "dim", "topic", "question", "policy"}},
      {Role::issue_capability,
       {"issue capability", "issue power", "issue influence", "issue resources", "capability on issue",
        "power on issue"}},
      {Role::min, {"min", "minimum", "scale min", "scale minimum", "issue min", "min position"}},
      {Role::max, {"max", "maximum", "scale max", "scale maximum", "issue max", "max position"}},
      {Role::status_quo, {"status quo", "sq", "reference point"}},
      {Role::options, {"options", "option list", "choices", "alternatives"}},
      {Role::ranking, {"ranking", "preference order", "preferences", "rank order"}},
      {Role::source, {"source", "sources", "citation"}},
      {Role::quote, {"quote", "quotation", "source quote"}},
      {Role::judgment,
       {"judgment", "judgement", "note", "notes", "comment", "comments", "rationale", "reason", "justification"}},
      {Role::description, {"description", "desc"}},
  };
  return n;
}

const Names* names_of(Role r) {
  for (const auto& n : names())
    if (n.role == r) return &n;
  return nullptr;
}

// "Utility: Istanbul", "Utility Istanbul", "Utility (Istanbul)", "U: Istanbul", "U(Istanbul)".
bool utility_header(std::string_view h, std::string& option) {
  h = trim(h);
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  std::size_t n = 0;
  const std::string_view word = "utility";
  while (n < word.size() && n < h.size() && lower(h[n]) == word[n]) ++n;
  const bool long_form = n == word.size();
  if (!long_form && n != 1) return false;  // "utility" or "u"
  std::string_view rest = h.substr(n);
  const bool spaced = !rest.empty() && (rest.front() == ' ' || rest.front() == '\t');
  rest = trim(rest);
  if (rest.empty()) return false;
  const char sep = rest.front();
  if (sep == ':' || sep == '=') {
    rest = trim(rest.substr(1));
  } else if (sep == '(' || sep == '[') {
    const char close = sep == '(' ? ')' : ']';
    if (rest.back() != close) return false;
    rest = trim(rest.substr(1, rest.size() - 2));
  } else if (!(spaced && long_form)) {
    return false;
  }
  if (rest.empty()) return false;
  option = std::string(rest);
  return true;
}

}  // namespace

ColumnName classify_header(std::string_view header, SheetKind kind) {
  ColumnName out;
  const std::string_view h = trim(header);
  if (!h.empty() && h.front() == '#') {
    out.role = Role::ignored;
    return out;
  }
  if (kind == SheetKind::stances && utility_header(h, out.option)) {
    out.role = Role::utility;
    return out;
  }
  const std::string n = normalise_header(h, &out.note);
  if (kind == SheetKind::issues && (n == "name" || n == "issue id")) {
    out.role = Role::issue;
    return out;
  }
  for (const auto& entry : names())
    for (auto name : entry.names)
      if (n == name) {
        out.role = entry.role;
        return out;
      }
  out.role = Role::unknown;
  return out;
}

std::string role_label(Role role) {
  switch (role) {
    // The historical labels of the stakeholder table's messages.
    case Role::actor: return "Actor (or Stakeholder, Name)";
    case Role::capability: return "Capability (or Resources, c, Influence, Power)";
    case Role::position: return "Position (or x)";
    case Role::salience: return "Salience (or s)";
    case Role::issue: return "Issue (or Dimension, Topic)";
    case Role::utility: return "Utility: OPTION";
    default: break;
  }
  const Names* n = names_of(role);
  if (n == nullptr) return "?";
  std::string first(n->names.front());
  if (!first.empty()) first[0] = static_cast<char>(first[0] - 'a' + 'A');
  return first;
}

std::string known_columns(SheetKind kind) {
  std::vector<Role> roles;
  switch (kind) {
    case SheetKind::stances:
      roles = {Role::actor,  Role::issue,   Role::capability, Role::issue_capability, Role::position,
               Role::salience, Role::min,   Role::max,        Role::status_quo,       Role::options,
               Role::ranking,  Role::source, Role::quote,     Role::judgment};
      break;
    case SheetKind::actors:
      roles = {Role::actor, Role::capability, Role::description, Role::source, Role::quote, Role::judgment};
      break;
    case SheetKind::issues:
      roles = {Role::issue, Role::description, Role::min, Role::max, Role::status_quo, Role::options};
      break;
  }
  std::string out;
  for (Role r : roles) {
    const Names* n = names_of(r);
    if (n == nullptr) continue;
    std::string first(n->names.front());
    first[0] = static_cast<char>(first[0] - 'a' + 'A');
    out += (out.empty() ? "" : ", ") + first;
  }
  if (kind == SheetKind::stances) out += ", Utility: OPTION";
  return out;
}

}  // namespace entente::detail
