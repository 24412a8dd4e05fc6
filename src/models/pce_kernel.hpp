// Internal: inlinable kernels of the probabilistic Condorcet election (KTAB's Model::vote and
// Model::vProb), templated on the rule so the hot loops of `smp` vectorise. Expressions are
// written in KTAB's evaluation order (spec smp-algorithm.md 4.3, 4.5): changing them changes bits.
#pragma once
#include <algorithm>
#include <utility>

#include "entente/pce.hpp"

namespace entente::pce::detail {

// Support of a voter of weight w for option a over b (KTAB Model::vote; weight checks omitted:
// a zero weight simply gives a zero vote).
template <VotingRule R>
inline double vote_t(double w, double ua, double ub) noexcept {
  const double d = ua - ub;
  if constexpr (R == VotingRule::Prop) {
    return w * d;
  } else if constexpr (R == VotingRule::Binary) {
    const double b = std::max(-1.0, std::min(1.0, d / 1e-8));
    return w * b;
  } else if constexpr (R == VotingRule::PropBin) {
    const double b = std::max(-1.0, std::min(1.0, d / 1e-8));
    return w * ((1.0 - 0.2) * d + 0.2 * b);
  } else if constexpr (R == VotingRule::PropCbc) {
    return w * ((1.0 - 0.5) * d + 0.5 * (d * d * d));
  } else if constexpr (R == VotingRule::Cubic) {
    return w * (d * d * d);
  } else {  // ASymProsp: losses count fully, gains two thirds (both computed: branch-free select)
    const double loss = w * d;
    const double gain = ((2.0 * w) * d) / 3.0;
    return d < 0.0 ? loss : (d > 0.0 ? gain : 0.0);
  }
}

inline std::pair<double, double> victory_t(VictoryModel m, double s1, double s2) noexcept {
  double x1 = s1, x2 = s2;
  switch (m) {
    case VictoryModel::Linear: break;
    case VictoryModel::Square:
      x1 = s1 * s1;
      x2 = s2 * s2;
      break;
    case VictoryModel::Quartic:
      x1 = s1 * s1 * s1 * s1;
      x2 = s2 * s2 * s2 * s2;
      break;
    case VictoryModel::Octic: {
      const double q1 = s1 * s1 * s1 * s1;
      const double q2 = s2 * s2 * s2 * s2;
      x1 = q1 * q1;
      x2 = q2 * q2;
      break;
    }
    case VictoryModel::Binary: {
      const double th = 1.1;
      if (s1 >= th * s2) {
        x1 = 1.0;
        x2 = 1e-6;
      } else if (s2 >= th * s1) {
        x1 = 1e-6;
        x2 = 1.0;
      } else {
        const double r = s1 / (s1 + s2);
        const double p = (r * (th + 1.0) - 1.0) / (th - 1.0);
        x1 = p;
        x2 = 1.0 - p;
      }
      break;
    }
  }
  const double t = x1 + x2;
  return {x1 / t, x2 / t};
}

// Calls f(std::integral_constant-like tag) with the rule as a compile-time constant.
template <class F>
inline decltype(auto) dispatch_rule(VotingRule r, F&& f) {
  switch (r) {
    case VotingRule::Binary: return f.template operator()<VotingRule::Binary>();
    case VotingRule::PropBin: return f.template operator()<VotingRule::PropBin>();
    case VotingRule::Prop: return f.template operator()<VotingRule::Prop>();
    case VotingRule::PropCbc: return f.template operator()<VotingRule::PropCbc>();
    case VotingRule::Cubic: return f.template operator()<VotingRule::Cubic>();
    case VotingRule::ASymProsp: break;
  }
  return f.template operator()<VotingRule::ASymProsp>();
}

}  // namespace entente::pce::detail
