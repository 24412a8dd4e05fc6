// Probabilistic Condorcet elections (KTAB's Model::coalitions, vProb, condPCE, markovUniformPCE,
// markovIncentivePCE, scalarPCE). Loop and summation orders follow KTAB (smp-algorithm.md 4.4-4.7)
// so that `smp` reproduces KTAB's trajectories to the last printed digit.
#include "entente/pce.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <stdexcept>
#include <string>

#include "entente/params.hpp"
#include "models/pce_kernel.hpp"

namespace entente::pce {

VotingRule parse_voting_rule(std::string_view name) {
  const std::string n = spelling_key(name);  // KTAB's spelling or entente's snake_case
  if (n == "binary") return VotingRule::Binary;
  if (n == "propbin") return VotingRule::PropBin;
  if (n == "prop" || n == "proportional") return VotingRule::Prop;
  if (n == "propcbc") return VotingRule::PropCbc;
  if (n == "cubic") return VotingRule::Cubic;
  if (n == "asymprosp") return VotingRule::ASymProsp;
  throw std::invalid_argument("unknown voting_rule '" + std::string(name) + "'");
}
VictoryModel parse_victory_model(std::string_view name) {
  const std::string n = spelling_key(name);
  if (n == "linear") return VictoryModel::Linear;
  if (n == "square") return VictoryModel::Square;
  if (n == "quartic") return VictoryModel::Quartic;
  if (n == "octic") return VictoryModel::Octic;
  if (n == "binary") return VictoryModel::Binary;
  throw std::invalid_argument("unknown victory_prob_model '" + std::string(name) + "'");
}
PceModel parse_pce_model(std::string_view name) {
  const std::string n = spelling_key(name);
  if (n == "conditional") return PceModel::Conditional;
  if (n == "markovincentive") return PceModel::MarkovIncentive;
  if (n == "markovuniform") return PceModel::MarkovUniform;
  throw std::invalid_argument("unknown pce_model '" + std::string(name) + "'");
}

double vote(VotingRule rule, double w, double ua, double ub) noexcept {
  return detail::dispatch_rule(rule, [&]<VotingRule R>() { return detail::vote_t<R>(w, ua, ub); });
}

std::pair<double, double> victory_probability(VictoryModel model, double s1, double s2) noexcept {
  return detail::victory_t(model, s1, s2);
}

namespace {
// Rows of C are built a block at a time with the voters in the middle loop: each C[i][j] still
// accumulates voters in ascending order (KTAB's order), while the innermost loop over j runs
// along contiguous memory and vectorises.
template <VotingRule R>
void coalitions_impl(const double* u, std::size_t m, std::size_t n, const double* w, double* c) {
  constexpr std::size_t block = 16;
  std::vector<double> pos(block * m), neg(block * m);
  for (std::size_t i0 = 0; i0 < m; i0 += block) {
    const std::size_t i1 = std::min(m, i0 + block);
    std::fill(pos.begin(), pos.end(), 1e-8);
    std::fill(neg.begin(), neg.end(), 1e-8);
    for (std::size_t a = 0; a < n; ++a) {
      const double* ua = u + a * m;
      const double wa = w[a];
      for (std::size_t i = i0; i < i1; ++i) {
        const double ui = ua[i];  // the higher-index option comes first (matters for ASymProsp)
        double* p = pos.data() + (i - i0) * m;
        double* q = neg.data() + (i - i0) * m;
        for (std::size_t j = 0; j < i; ++j) {
          const double v = detail::vote_t<R>(wa, ui, ua[j]);
          p[j] += v > 0.0 ? v : 0.0;
          q[j] += v < 0.0 ? -v : 0.0;
        }
      }
    }
    for (std::size_t i = i0; i < i1; ++i) {
      const double* p = pos.data() + (i - i0) * m;
      const double* q = neg.data() + (i - i0) * m;
      for (std::size_t j = 0; j < i; ++j) {
        c[i * m + j] = p[j];
        c[j * m + i] = q[j];
      }
      c[i * m + i] = 1e-8;
    }
  }
}

std::vector<double> conditional(std::span<const double> v, std::size_t m) {
  std::vector<double> p(m);
  double highest = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    double prod = 1.0;
    for (std::size_t j = 0; j < m; ++j) prod = prod * v[i * m + j];
    p[i] = prod;
    highest = std::max(highest, prod);
  }
  if (highest < 1e-280) {
    // Even the likeliest option's product (nearly) underflowed (many options): redo it in
    // logarithms. KTAB returns NaN or garbage here. Products that underflow while the largest
    // does not are below 1e-28 of it and are left at KTAB's value (0).
    std::vector<double> lg(m);
    double top = -DBL_MAX;
    for (std::size_t i = 0; i < m; ++i) {
      double s = 0.0;
      for (std::size_t j = 0; j < m; ++j) s += std::log(std::max(v[i * m + j], DBL_MIN));
      lg[i] = s;
      top = std::max(top, s);
    }
    for (std::size_t i = 0; i < m; ++i) p[i] = std::exp(lg[i] - top);
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < m; ++i) sum = sum + p[i];
  for (std::size_t i = 0; i < m; ++i) p[i] = p[i] / sum;
  return p;
}

// KTAB has no cap inside its Markov loops (it throws after converging in >= 1000 steps); we stop
// after this many and keep the last iterate, so a run can never hang.
constexpr int markov_cap = 10000;

std::vector<double> markov_uniform(std::span<const double> v, std::size_t m) {
  const double md = static_cast<double>(m);
  std::vector<double> p(m, 1.0 / md), q(m);
  double change = 1.0;
  for (int iter = 0; change > 1e-6 && iter < markov_cap; ++iter) {
    change = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
      double s = 0.0;
      for (std::size_t j = 0; j < m; ++j) s = s + v[i * m + j] * (p[i] + p[j]);
      q[i] = s / md;
      change = std::max(change, std::fabs(q[i] - p[i]));
    }
    for (std::size_t i = 0; i < m; ++i) p[i] = (p[i] + q[i]) / 2.0;
  }
  return p;
}

std::vector<double> markov_incentive(std::span<const double> v, std::span<const double> c, std::size_t m) {
  // Q[i][j] = I[i][j] / sum_k I[k][j], I = C .* V (+1e-10 on the diagonal).
  std::vector<double> inc(m * m), colsum(m, 0.0), q(m * m);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) inc[i * m + j] = c[i * m + j] * v[i * m + j] + (i == j ? 1e-10 : 0.0);
  for (std::size_t k = 0; k < m; ++k)
    for (std::size_t j = 0; j < m; ++j) colsum[j] = colsum[j] + inc[k * m + j];
  // Stored transposed (qt[j][i] = Q[i][j]... we need Q[j][i] and Q[i][j] for row i): keep both.
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) q[i * m + j] = inc[i * m + j] / colsum[j];
  std::vector<double> qt(m * m);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) qt[i * m + j] = q[j * m + i];
  const double md = static_cast<double>(m);
  std::vector<double> p(m, 1.0 / md), nx(m);
  double change = 1.0;
  for (int iter = 0; change > 1e-8 && iter < markov_cap; ++iter) {
    change = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
      // T[i][j] = p_i * Q[j][i];  q_i = sum_j V[i][j] * (T[i][j] + T[j][i])
      double s = 0.0;
      const double pi = p[i];
      for (std::size_t j = 0; j < m; ++j) s = s + v[i * m + j] * (pi * qt[i * m + j] + p[j] * q[i * m + j]);
      nx[i] = s;
      change = std::max(change, std::fabs(nx[i] - pi));
    }
    for (std::size_t i = 0; i < m; ++i) p[i] = (p[i] + nx[i]) / 2.0;
  }
  return p;
}
}  // namespace

std::vector<double> coalitions(std::span<const double> utilities, std::size_t options, std::span<const double> weights,
                               VotingRule rule) {
  const std::size_t n = weights.size();
  if (utilities.size() != n * options) throw std::logic_error("pce::coalitions: utilities size != voters x options");
  std::vector<double> c(options * options);
  if (options == 0) return c;
  detail::dispatch_rule(rule, [&]<VotingRule R>() {
    coalitions_impl<R>(utilities.data(), options, n, weights.data(), c.data());
  });
  return c;
}

std::vector<double> victory_matrix(std::span<const double> c, std::size_t m, VictoryModel model) {
  std::vector<double> v(m * m);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto [pij, pji] = detail::victory_t(model, c[i * m + j], c[j * m + i]);
      v[i * m + j] = pij;
      v[j * m + i] = pji;
    }
    v[i * m + i] = 0.5;
  }
  return v;
}

std::vector<double> distribution(std::span<const double> v, std::span<const double> c, std::size_t m, PceModel model) {
  if (m == 0) return {};
  switch (model) {
    case PceModel::Conditional: return conditional(v, m);
    case PceModel::MarkovUniform: return markov_uniform(v, m);
    case PceModel::MarkovIncentive: break;
  }
  return markov_incentive(v, c, m);
}

std::vector<double> condorcet(std::span<const double> utilities, std::size_t options, std::span<const double> weights,
                              const Options& o) {
  const auto c = coalitions(utilities, options, weights, o.voting);
  const auto v = victory_matrix(c, options, o.victory);
  return distribution(v, c, options, o.model);
}

std::vector<double> condorcet(const std::vector<std::vector<double>>& utilities, const std::vector<double>& weights,
                              const Options& o) {
  if (utilities.size() != weights.size()) throw std::invalid_argument("pce::condorcet: one utility row per weight");
  const std::size_t m = utilities.empty() ? 0 : utilities.front().size();
  std::vector<double> flat;
  flat.reserve(utilities.size() * m);
  for (const auto& row : utilities) {
    if (row.size() != m) throw std::invalid_argument("pce::condorcet: rows of different lengths");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  if (m == 0) return {};
  return condorcet(flat, m, weights, o);
}

}  // namespace entente::pce
