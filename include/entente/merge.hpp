// Expert panels: several experts' estimates of the same actors and issues merged into one
// scenario whose numbers are the panel's central estimates and whose uncertainty is the experts'
// spread, each expert's value kept as evidence, and the disagreements listed. The request is
// MergeRequest (entente/requests.hpp), its rendering render(MergeResponse) (entente/output.hpp),
// the command `entente merge`; the rule is documented in docs/importers.md ("Expert panels").
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "entente/scenario.hpp"

namespace entente {

struct Expert {
  std::string name;   // how the panel names the expert (the CLI: the file's name without extension)
  std::string file;   // where the estimates came from (kept as the expert's source)
  Scenario scenario;  // the expert's estimates, loaded and validated
};

// One merged number and how far apart the experts were on it.
struct PanelSpread {
  std::string field;     // "actors.iran.capability", "actors.iran.issues.centrifuges.position", ...
  std::string actor;     // actor id
  std::string issue;     // issue id; empty for an actor's capability
  std::string quantity;  // "capability", "position", "salience", "issue capability", "utility of OPTION"
  std::vector<std::pair<std::string, double>> values;  // expert -> value, in the panel's units
  double low = 0, centre = 0, high = 0;                 // the experts' lowest, median, highest value
  double relative = 0;  // (high - low) / the number's range: the issue's scale for positions, 1 for
                        // saliences and utilities, the highest value for capabilities
};

// An actor, issue or stance that only some experts gave.
struct PanelGap {
  std::string what;  // "actor", "issue" or "stance"
  std::string actor, issue;
  std::vector<std::string> have, lack;  // expert names
};

struct PanelResult {
  std::vector<std::pair<std::string, std::string>> experts;  // name, file
  Scenario scenario;                // validated
  std::vector<PanelSpread> spreads;  // every number two or more experts gave, largest `relative` first
  std::vector<PanelGap> gaps;
  std::vector<std::string> notes;   // e.g. scales taken from different data ranges, rescaled capabilities
};

// Merges two or more experts. The rule: the centre of each number is the median of the experts
// who gave it; its uncertainty is triangular from their lowest to their highest value with the
// mode at the median (none when they agree), widened to cover each expert's own stated
// uncertainty; capabilities (ratios) are first put on the first expert's units; issues must have
// one scale and the same options in every file. Throws InputError (naming experts and files) when
// the experts cannot be merged: fewer than two, an issue numeric for one and categorical for
// another, different options, different declared scales.
[[nodiscard]] PanelResult merge_experts(const std::vector<Expert>& experts);

}  // namespace entente
