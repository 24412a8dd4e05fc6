#include "entente/edit.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace entente {

namespace {
Diagnostic edit_error(std::string field, std::string expected, std::string found) {
  return Diagnostic{{"<what-if>", 0, 0}, std::move(field), std::move(expected), std::move(found), {}};
}
}  // namespace

Scenario drop_actor(const Scenario& scenario, std::string_view actor_id) {
  const std::size_t a = scenario.actor_index(actor_id);
  Scenario s = scenario;
  s.actors.erase(s.actors.begin() + static_cast<std::ptrdiff_t>(a));
  validate(s);
  return s;
}

Scenario set_value(const Scenario& scenario, std::string_view actor_id, std::string_view issue_id,
                   std::string_view field, double value) {
  if (!std::isfinite(value)) throw InputError(edit_error(std::string(field), "a finite number", "nan or inf"));
  Scenario s = scenario;
  const std::size_t a = s.actor_index(actor_id);
  auto& actor = s.actors[a];
  if (field == "capability" && issue_id.empty()) {
    actor.capability.value = value;
    actor.capability.uncertainty = {};
  } else {
    const std::size_t i = s.issue_index(issue_id);
    auto& st = actor.stances[i];
    if (field == "position") {
      if (s.issues[i].kind != Issue::Kind::numeric)
        throw InputError(edit_error("position", "a numeric issue", fmt::format("categorical issue '{}'", issue_id)));
      if (!st) {
        st.emplace();
        st->salience.value = 1.0;
      }
      st->position.value = value;
      st->position.uncertainty = {};
    } else if (field == "salience") {
      if (!st)
        throw InputError(edit_error(fmt::format("{}.{}.salience", actor_id, issue_id), "an actor with a position on the issue",
                                    "no position"));
      st->salience.value = value;
      st->salience.uncertainty = {};
    } else if (field == "capability") {
      if (!st)
        throw InputError(edit_error(fmt::format("{}.{}.capability", actor_id, issue_id), "an actor with a position on the issue",
                                    "no position"));
      st->capability = Quantity{};
      st->capability->value = value;
    } else {
      throw InputError(edit_error("what-if field", "position, salience or capability", fmt::format("'{}'", field)));
    }
  }
  validate(s);
  return s;
}

Scenario apply_assignment(const Scenario& scenario, std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos)
    throw InputError(edit_error("--set", "ACTOR.ISSUE.FIELD=VALUE or ACTOR.capability=VALUE",
                                fmt::format("'{}'", assignment)));
  const std::string_view lhs = assignment.substr(0, eq);
  const std::string_view rhs = assignment.substr(eq + 1);
  double v = 0;
  auto [p, ec] = std::from_chars(rhs.data(), rhs.data() + rhs.size(), v);
  if (ec != std::errc() || p != rhs.data() + rhs.size() || rhs.empty())
    throw InputError(edit_error(fmt::format("--set {}", lhs), "a number", fmt::format("'{}'", rhs)));
  // The field is the last dotted part; the actor is the first. Issue ids may not contain dots.
  const auto last = lhs.rfind('.');
  const auto first = lhs.find('.');
  if (first == std::string_view::npos)
    throw InputError(edit_error("--set", "ACTOR.ISSUE.FIELD=VALUE", fmt::format("'{}'", assignment)));
  const std::string_view actor = lhs.substr(0, first);
  const std::string_view field = lhs.substr(last + 1);
  const std::string_view issue = first == last ? std::string_view{} : lhs.substr(first + 1, last - first - 1);
  return set_value(scenario, actor, issue, field, v);
}

}  // namespace entente
