#include "entente/edit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace entente {

namespace {
Diagnostic edit_error(const SourceLocation& origin, std::string field, std::string expected, std::string found) {
  return Diagnostic{origin, std::move(field), std::move(expected), std::move(found), {}};
}

// The edited number is the analyst's: what the file said about it no longer applies.
void mark(Quantity& q, double value, const SourceLocation& origin, std::string_view label) {
  const std::string was = q.edit.empty() ? fmt::format("{}", q.value) : q.edit;
  q.value = value;
  q.uncertainty = {};
  q.where = origin;
  q.edit = label.empty() ? "edited" : std::string(label);
  q.evidence = Evidence{};
  q.evidence.judgment = fmt::format("what-if by the analyst ({}); the file's value was {}", q.edit, was);
}

// An unknown id in an edit is the edit's error: point at it, not at the scenario file.
template <class F>
std::size_t lookup(F&& find, const SourceLocation& origin, const std::string& path) {
  try {
    return find();
  } catch (const InputError& e) {
    std::vector<Diagnostic> out;
    for (auto d : e.diagnostics()) {
      d.where = origin;
      d.field = path + " (" + d.field + ")";
      out.push_back(std::move(d));
    }
    throw InputError(std::move(out));
  }
}
}  // namespace

Scenario drop_actor(const Scenario& scenario, std::string_view actor_id, const SourceLocation& origin) {
  const std::size_t a = lookup([&] { return scenario.actor_index(actor_id); }, origin, fmt::format("drop {}", actor_id));
  Scenario s = scenario;
  s.actors.erase(s.actors.begin() + static_cast<std::ptrdiff_t>(a));
  validate(s);
  return s;
}

Scenario set_value(const Scenario& scenario, std::string_view actor_id, std::string_view issue_id,
                   std::string_view field, double value, const SourceLocation& origin, std::string_view label) {
  const std::string path = issue_id.empty() ? fmt::format("{}.{}", actor_id, field)
                                            : fmt::format("{}.{}.{}", actor_id, issue_id, field);
  if (!std::isfinite(value)) throw InputError(edit_error(origin, path, "a finite number", "nan or inf"));
  Scenario s = scenario;
  const std::size_t a = lookup([&] { return s.actor_index(actor_id); }, origin, path);
  auto& actor = s.actors[a];
  if (field == "capability" && issue_id.empty()) {
    mark(actor.capability, value, origin, label);
  } else {
    const std::size_t i = lookup([&] { return s.issue_index(issue_id); }, origin, path);
    auto& st = actor.stances[i];
    if (field == "position") {
      if (s.issues[i].kind != Issue::Kind::numeric)
        throw InputError(edit_error(origin, path, "a numeric issue", fmt::format("categorical issue '{}'", issue_id)));
      if (!st) {
        st.emplace();
        mark(st->salience, 1.0, origin, label);
      }
      mark(st->position, value, origin, label);
    } else if (field == "salience") {
      if (!st) throw InputError(edit_error(origin, path, "an actor with a position on the issue", "no position"));
      // Salience is given on the file's scale (salience_scale 1 or 100) and kept in 0-1.
      const double scale = s.salience_scale > 0 ? s.salience_scale : 1.0;
      if (!(value >= 0 && value <= scale))
        throw InputError(edit_error(origin, path, fmt::format("a salience in [0, {}] (the file's salience_scale)", scale),
                                    fmt::format("{}", value)));
      mark(st->salience, value / scale, origin, label);
    } else if (field == "capability") {
      if (!st) throw InputError(edit_error(origin, path, "an actor with a position on the issue", "no position"));
      st->capability = Quantity{};
      mark(*st->capability, value, origin, label);
    } else if (field.rfind("utility:", 0) == 0) {
      // A categorical stance's utility of one option ("utility:Geneva"), in [0, 1].
      const Issue& is = s.issues[i];
      const std::string_view option = field.substr(8);
      const auto it = std::find(is.options.begin(), is.options.end(), option);
      if (is.kind != Issue::Kind::categorical || it == is.options.end())
        throw InputError(edit_error(origin, path, "utility:OPTION with an option of a categorical issue", fmt::format("'{}'", field)));
      if (!st) throw InputError(edit_error(origin, path, "an actor with a stance on the issue", "no stance"));
      if (!(value >= 0 && value <= 1)) throw InputError(edit_error(origin, path, "a utility in [0, 1]", fmt::format("{}", value)));
      const auto o = static_cast<std::size_t>(it - is.options.begin());
      if (st->utilities.size() < is.options.size()) st->utilities.resize(is.options.size());
      mark(st->utilities[o], value, origin, label);
    } else {
      throw InputError(edit_error(origin, path, "a field position, salience, capability or utility:OPTION", fmt::format("'{}'", field)));
    }
  }
  validate(s);
  return s;
}

Assignment parse_assignment(std::string_view assignment, const SourceLocation& origin) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos)
    throw InputError(edit_error(origin, "set", "ACTOR.ISSUE.FIELD=VALUE or ACTOR.capability=VALUE",
                                fmt::format("'{}'", assignment)));
  const std::string_view lhs = assignment.substr(0, eq);
  const std::string_view rhs = assignment.substr(eq + 1);
  double v = 0;
  auto [p, ec] = std::from_chars(rhs.data(), rhs.data() + rhs.size(), v);
  if (ec != std::errc() || p != rhs.data() + rhs.size() || rhs.empty())
    throw InputError(edit_error(origin, std::string(lhs), "a number", fmt::format("'{}'", rhs)));
  // The field is the last dotted part; the actor is the first. Issue ids may not contain dots.
  const auto last = lhs.rfind('.');
  const auto first = lhs.find('.');
  if (first == std::string_view::npos)
    throw InputError(edit_error(origin, "set", "ACTOR.ISSUE.FIELD=VALUE", fmt::format("'{}'", assignment)));
  Assignment out;
  out.actor = lhs.substr(0, first);
  out.field = lhs.substr(last + 1);
  out.issue = first == last ? std::string{} : std::string(lhs.substr(first + 1, last - first - 1));
  out.value = v;
  return out;
}

Scenario apply_assignment(const Scenario& scenario, std::string_view assignment, const SourceLocation& origin) {
  const Assignment a = parse_assignment(assignment, origin);
  return set_value(scenario, a.actor, a.issue, a.field, a.value, origin, fmt::format("set {}", assignment));
}

}  // namespace entente
