// A priori voting power: the Shapley-Shubik and (normalised) Banzhaf indices of a weighted voting
// body, with optional veto players and an agenda setter whom the body can overrule only
// unanimously. Computed exactly by generating functions over integer weights: the number of
// coalitions of each size and weight, one member removed at a time by polynomial division (exact
// in 64-bit integers up to 62 members). Equations and sources: docs/models/procedural.md.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "entente/scenario.hpp"

namespace entente {

struct VotingGame {
  std::vector<std::int64_t> weights;  // the members of the body (weights >= 0)
  // The body says yes when its yes-members have total weight >= quota and number >= min_members,
  // or (if members_suffice > 0) number >= members_suffice whatever their weight (the EU's rule
  // that a blocking minority needs at least four members).
  std::int64_t quota = 0;
  int min_members = 0;
  int members_suffice = 0;
  // Players outside the body, after the members in the index vectors:
  int veto_players = 0;  // each must be in every winning coalition (e.g. a second chamber)
  bool setter = false;   // one more: winning needs the body's yes and (the setter, or every member)
};

struct PowerIndices {
  std::vector<double> shapley_shubik;   // members, then veto players, then the setter; sums to 1
  std::vector<double> banzhaf;          // normalised (sums to 1 unless nobody ever swings)
  std::vector<std::uint64_t> swings;    // raw Banzhaf counts: coalitions the player turns from losing to winning
};

// Throws InputError if the game is malformed (negative weight, quota <= 0 or above the total,
// more than 62 players, or weights too large to tabulate: total weight x members above 5e7).
[[nodiscard]] PowerIndices power_indices(const VotingGame& game);

// The game of a decision rule (scenario.hpp): its voters (weights must be whole numbers), its veto
// players, and its agenda setter when the voters may amend the setter's proposal unanimously (a
// setter whose proposal can be changed by the body's ordinary majority holds no vote of its own).
// Returns (actor id, Shapley-Shubik, Banzhaf) for every voter, veto player and setter.
struct ActorPower {
  std::string actor;
  double shapley_shubik = 0, banzhaf = 0;
};
[[nodiscard]] std::vector<ActorPower> power_indices(const DecisionRule& rule);

}  // namespace entente
