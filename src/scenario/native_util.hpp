// Internal helpers shared by the native parser, the validator and the writers.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "entente/scenario.hpp"

namespace entente::detail {

// Every invariant of a built Scenario, reported into `sink` (validate() throws them).
void check_scenario(const Scenario& scenario, DiagnosticSink& sink);

// Field paths: "actors.<id>" when the id is known, "actors[<index>]" otherwise.
[[nodiscard]] std::string entry_path(std::string_view list, std::string_view id, std::size_t index);

// The closest candidate by edit distance, or "" if none is plausibly a typo of `word`.
[[nodiscard]] std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// Issue ids: [A-Za-z0-9_-]+ (they appear in --set ACTOR.ISSUE.FIELD=V and in file names).
[[nodiscard]] bool valid_issue_id(std::string_view id);

}  // namespace entente::detail
