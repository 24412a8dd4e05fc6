// What-if edits: drop an actor, or set one number. Each returns a new, validated scenario.
#pragma once
#include <string>
#include <string_view>

#include "entente/scenario.hpp"

namespace entente {

[[nodiscard]] Scenario drop_actor(const Scenario& scenario, std::string_view actor_id);

// field: "position", "salience" (0-1) or "capability". For capability, issue may be empty
// (the actor's general capability). Throws InputError for unknown ids or out-of-range values.
[[nodiscard]] Scenario set_value(const Scenario& scenario, std::string_view actor_id, std::string_view issue_id,
                                 std::string_view field, double value);

// Parses and applies "ACTOR.ISSUE.FIELD=V" or "ACTOR.capability=V".
[[nodiscard]] Scenario apply_assignment(const Scenario& scenario, std::string_view assignment);

}  // namespace entente
