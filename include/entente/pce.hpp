// Probabilistic Condorcet elections (PCE) over discrete options, as in KTAB (Wise, KAPSARC):
// every voter votes on every pair of options in proportion to its weight and utility difference,
// the pairwise coalition strengths give pairwise victory probabilities, and a PCE model turns
// those into one probability per option. Used by the `smp` model and for categorical issues.
// The definitions (and their floating-point evaluation order) follow KTAB, see
// docs/models/smp.md and the spec smp-algorithm.md sections 4.3-4.7.
#pragma once
#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace entente::pce {

// How a voter's utility difference becomes a vote (KTAB's VotingRule).
enum class VotingRule { Binary, PropBin, Prop, PropCbc, Cubic, ASymProsp };
// How two coalition strengths become a pair of victory probabilities (KTAB's VictoryProbModel).
enum class VictoryModel { Linear, Square, Quartic, Octic, Binary };
// How the pairwise victory matrix becomes a distribution over options (KTAB's PCEModel).
enum class PceModel { Conditional, MarkovIncentive, MarkovUniform };

struct Options {
  VotingRule voting = VotingRule::Prop;
  VictoryModel victory = VictoryModel::Linear;
  PceModel model = PceModel::Conditional;
};

// KTAB's names ("Prop", "Linear", "Conditional", ...; also the XML schema's "Proportional").
// Throw std::invalid_argument for an unknown name (model parameters are checked before this).
[[nodiscard]] VotingRule parse_voting_rule(std::string_view name);
[[nodiscard]] VictoryModel parse_victory_model(std::string_view name);
[[nodiscard]] PceModel parse_pce_model(std::string_view name);

// Support of a voter with weight w (>= 0) for option a over option b, given its utilities.
[[nodiscard]] double vote(VotingRule rule, double w, double ua, double ub) noexcept;

// Victory probabilities (P(1 beats 2), P(2 beats 1)) from coalition strengths s1, s2 > 0.
[[nodiscard]] std::pair<double, double> victory_probability(VictoryModel model, double s1, double s2) noexcept;

// Coalition matrix C (options x options, row-major): C[i][j] = 1e-8 + the sum of the positive
// votes for i over j. `utilities` is voters x options, row-major; `weights` has one per voter.
[[nodiscard]] std::vector<double> coalitions(std::span<const double> utilities, std::size_t options,
                                             std::span<const double> weights, VotingRule rule);
// Pairwise victory matrix V from C (V[i][i] = 0.5).
[[nodiscard]] std::vector<double> victory_matrix(std::span<const double> coalition, std::size_t options,
                                                 VictoryModel model);
// Distribution over options from V (and C, which MarkovIncentive needs). Never NaN: the
// Conditional product falls back to logarithms when it underflows, and the Markov iterations
// stop after 10000 steps (KTAB throws after 1000 and may loop forever).
[[nodiscard]] std::vector<double> distribution(std::span<const double> victory, std::span<const double> coalition,
                                               std::size_t options, PceModel model);

// The whole chain (KTAB's scalarPCE): probability that each option wins.
// `utilities` is voters x options, row-major (utilities[voter * options + option]).
[[nodiscard]] std::vector<double> condorcet(std::span<const double> utilities, std::size_t options,
                                            std::span<const double> weights, const Options& options_ = {});
// Same with utilities as one row per voter.
[[nodiscard]] std::vector<double> condorcet(const std::vector<std::vector<double>>& utilities,
                                            const std::vector<double>& weights, const Options& options = {});

}  // namespace entente::pce
