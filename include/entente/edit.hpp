// What-if edits: drop an actor, or set one number. Each returns a new, validated scenario.
#pragma once
#include <string>
#include <string_view>

#include "entente/scenario.hpp"

namespace entente {

[[nodiscard]] Scenario drop_actor(const Scenario& scenario, std::string_view actor_id,
                                  const SourceLocation& origin = {"<what-if>", 0, 0});

// field: "position", "salience" (on the scenario's salience_scale) or "capability". For capability,
// issue may be empty (the actor's general capability). The edited number is the analyst's now:
// its evidence becomes a judgment naming the edit (`label`), its uncertainty is dropped, its
// `edit` is set and its location becomes `origin`, so a validation error points at the edit, not
// at a line of the file. Throws InputError for unknown ids or out-of-range values.
[[nodiscard]] Scenario set_value(const Scenario& scenario, std::string_view actor_id, std::string_view issue_id,
                                 std::string_view field, double value, const SourceLocation& origin = {"<what-if>", 0, 0},
                                 std::string_view label = {});

// Parses and applies "ACTOR.ISSUE.FIELD=V" or "ACTOR.capability=V".
[[nodiscard]] Scenario apply_assignment(const Scenario& scenario, std::string_view assignment,
                                        const SourceLocation& origin = {"<what-if>", 0, 0});

// The parts of "ACTOR.ISSUE.FIELD=V" / "ACTOR.capability=V"; InputError at `origin` if malformed.
struct Assignment {
  std::string actor, issue, field;
  double value = 0;
};
[[nodiscard]] Assignment parse_assignment(std::string_view assignment, const SourceLocation& origin = {"<what-if>", 0, 0});

}  // namespace entente
