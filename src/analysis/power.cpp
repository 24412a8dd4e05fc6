// Shapley-Shubik and Banzhaf indices by generating functions (include/entente/power.hpp).
//
// C[k][w] = number of coalitions of the body with k members and total weight w: the coefficient
// of x^k y^w in prod_i (1 + x y^{w_i}). Removing member i divides by (1 + x y^{w_i}):
//   C_{-i}[k][w] = C[k][w] - C_{-i}[k-1][w - w_i]   (k ascending),
// exact in unsigned 64-bit arithmetic (wrap-around cancels; every true count is below 2^62).
// With the body's coalition S of the others (k members, weight w) and a subset M of the players
// outside the body, player i swings when S+M loses and S+M+i wins; Banzhaf counts such (S, M),
// Shapley-Shubik weighs each by s!(N-s-1)!/N!, s = k + |M| (Shapley & Shubik 1954; Banzhaf 1965;
// Brams & Affuso 1976 and Bilbao et al. 2000 for generating functions).
#include "entente/power.hpp"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <limits>

namespace entente {

namespace {

Diagnostic game_error(std::string field, std::string expected, std::string found) {
  return Diagnostic{{"<voting game>", 0, 0}, std::move(field), std::move(expected), std::move(found), {}};
}

}  // namespace

PowerIndices power_indices(const VotingGame& g) {
  const int n = static_cast<int>(g.weights.size());
  const int extras = g.veto_players + (g.setter ? 1 : 0);
  const int total_players = n + extras;
  if (g.veto_players < 0) throw InputError(game_error("veto_players", "a number >= 0", fmt::format("{}", g.veto_players)));
  if (total_players > 62 || extras > 16)
    throw InputError(game_error("players", "at most 62 players, 16 outside the body", fmt::format("{}", total_players)));
  std::int64_t total = 0;
  for (std::size_t i = 0; i < g.weights.size(); ++i) {
    if (g.weights[i] < 0) throw InputError(game_error(fmt::format("weights[{}]", i), "a weight >= 0", fmt::format("{}", g.weights[i])));
    if (g.weights[i] > std::numeric_limits<std::int64_t>::max() / 64 - total)
      throw InputError(game_error("weights", "a total weight below 1e17", "more"));
    total += g.weights[i];
  }
  if (g.quota <= 0) throw InputError(game_error("quota", "a quota > 0", fmt::format("{}", g.quota)));
  if (g.quota > total && g.members_suffice <= 0)
    throw InputError(game_error("quota", fmt::format("a quota <= the total weight {}", total), fmt::format("{}", g.quota)));
  const auto rows = static_cast<std::size_t>(n + 1), cols = static_cast<std::size_t>(total + 1);
  if (static_cast<double>(rows) * static_cast<double>(cols) > 5e7)
    throw InputError(game_error("weights", "total weight x members <= 5e7 (scale the weights down)",
                                fmt::format("{} x {}", total, n + 1)));

  // All coalitions of the body by (size, weight).
  std::vector<std::uint64_t> c(rows * cols, 0);
  auto at = [cols](std::vector<std::uint64_t>& t, std::size_t k, std::size_t w) -> std::uint64_t& { return t[k * cols + w]; };
  at(c, 0, 0) = 1;
  std::int64_t reach = 0;
  for (int i = 0; i < n; ++i) {
    const auto wi = static_cast<std::size_t>(g.weights[static_cast<std::size_t>(i)]);
    reach += g.weights[static_cast<std::size_t>(i)];
    for (std::size_t k = static_cast<std::size_t>(i) + 1; k >= 1; --k)
      for (std::size_t w = static_cast<std::size_t>(reach); w + 1 >= wi + 1; --w) {
        at(c, k, w) += at(c, k - 1, w - wi);
        if (w == 0) break;
      }
  }

  const unsigned veto_mask = (1u << g.veto_players) - 1u;
  const unsigned setter_bit = g.setter ? (1u << g.veto_players) : 0u;
  auto wins = [&](int k, std::int64_t w, unsigned mask) {
    const bool body = (w >= g.quota && k >= g.min_members) || (g.members_suffice > 0 && k >= g.members_suffice);
    if (!body) return false;
    if ((mask & veto_mask) != veto_mask) return false;
    if (g.setter && !(mask & setter_bit) && k != n) return false;
    return true;
  };
  // s!(N-s-1)!/N! for coalitions of s players before the pivot.
  std::vector<double> ss_weight(static_cast<std::size_t>(total_players));
  for (int s = 0; s < total_players; ++s)
    ss_weight[static_cast<std::size_t>(s)] =
        std::exp(std::lgamma(s + 1.0) + std::lgamma(static_cast<double>(total_players - s)) - std::lgamma(total_players + 1.0));

  PowerIndices out;
  out.shapley_shubik.assign(static_cast<std::size_t>(total_players), 0.0);
  out.banzhaf.assign(static_cast<std::size_t>(total_players), 0.0);
  out.swings.assign(static_cast<std::size_t>(total_players), 0);
  const unsigned masks = 1u << extras;

  std::vector<std::uint64_t> without(rows * cols, 0);
  for (int i = 0; i < n; ++i) {
    const auto wi = static_cast<std::size_t>(g.weights[static_cast<std::size_t>(i)]);
    for (std::size_t k = 0; k < rows; ++k)
      for (std::size_t w = 0; w < cols; ++w) {
        std::uint64_t v = at(c, k, w);
        if (k >= 1 && w >= wi) v -= at(without, k - 1, w - wi);
        at(without, k, w) = v;
      }
    double ss = 0;
    std::uint64_t swings = 0;
    for (std::size_t k = 0; k + 1 < rows; ++k)
      for (std::size_t w = 0; w < cols; ++w) {
        const std::uint64_t cnt = at(without, k, w);
        if (cnt == 0) continue;
        const auto kk = static_cast<int>(k);
        const auto ww = static_cast<std::int64_t>(w);
        for (unsigned m = 0; m < masks; ++m)
          if (!wins(kk, ww, m) && wins(kk + 1, ww + static_cast<std::int64_t>(wi), m)) {
            swings += cnt;
            ss += static_cast<double>(cnt) * ss_weight[k + static_cast<std::size_t>(std::popcount(m))];
          }
      }
    out.shapley_shubik[static_cast<std::size_t>(i)] = ss;
    out.swings[static_cast<std::size_t>(i)] = swings;
  }
  for (int j = 0; j < extras; ++j) {
    const unsigned bit = 1u << j;
    double ss = 0;
    std::uint64_t swings = 0;
    for (std::size_t k = 0; k < rows; ++k)
      for (std::size_t w = 0; w < cols; ++w) {
        const std::uint64_t cnt = at(c, k, w);
        if (cnt == 0) continue;
        for (unsigned m = 0; m < masks; ++m) {
          if (m & bit) continue;
          const auto kk = static_cast<int>(k);
          const auto ww = static_cast<std::int64_t>(w);
          if (!wins(kk, ww, m) && wins(kk, ww, m | bit)) {
            swings += cnt;
            ss += static_cast<double>(cnt) * ss_weight[k + static_cast<std::size_t>(std::popcount(m))];
          }
        }
      }
    out.shapley_shubik[static_cast<std::size_t>(n + j)] = ss;
    out.swings[static_cast<std::size_t>(n + j)] = swings;
  }
  double all = 0;
  for (auto s : out.swings) all += static_cast<double>(s);
  for (std::size_t p = 0; p < out.swings.size(); ++p)
    out.banzhaf[p] = all > 0 ? static_cast<double>(out.swings[p]) / all : 0.0;
  return out;
}

std::vector<ActorPower> power_indices(const DecisionRule& rule) {
  VotingGame g;
  for (std::size_t v = 0; v < rule.voters.size(); ++v) {
    const double w = rule.voters[v].weight;
    if (!(w >= 0) || std::fabs(w - std::round(w)) > 1e-9 || w > 1e15)
      throw InputError(Diagnostic{rule.where, fmt::format("decision_rule.voters[{}].weight", v),
                                  "a whole number >= 0 (power indices count coalitions by weight)", fmt::format("{}", w), {}});
    g.weights.push_back(static_cast<std::int64_t>(std::llround(w)));
  }
  g.quota = static_cast<std::int64_t>(std::ceil(rule.quota - 1e-9));
  g.min_members = rule.min_voters;
  g.members_suffice = rule.voters_suffice;
  std::vector<std::string> ids;
  for (const auto& v : rule.voters) ids.push_back(v.actor);
  for (const auto& v : rule.veto_players) {
    ids.push_back(v);
    ++g.veto_players;
  }
  if (!rule.agenda_setter.empty() && rule.unanimous_amendment) {
    g.setter = true;
    ids.push_back(rule.agenda_setter);
  }
  const PowerIndices p = power_indices(g);
  std::vector<ActorPower> out;
  for (std::size_t k = 0; k < ids.size(); ++k) out.push_back({ids[k], p.shapley_shubik[k], p.banzhaf[k]});
  return out;
}

}  // namespace entente
