// Internal: the deal analysis as linear programmes (docs/models/deal.md). A Problem is the
// scenario reduced to what acceptance needs; a Solver answers the questions of the analysis on one
// Problem with one GLPK problem object, re-solved from its last basis as bounds change.
#pragma once
#include <cstddef>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "entente/scenario.hpp"

struct glp_prob;

namespace entente::detail::deal {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr double inf = std::numeric_limits<double>::infinity();

struct IssueData {
  bool categorical = false;
  double min = 0, max = 1, span = 1;
  std::size_t options = 0;
  // Tie-breaks: numeric, the unweighted mean of the positions of the veto players who veto the
  // issue, normalised to [0, 1] (0.5 if none does); categorical, the options by decreasing sum of
  // those players' utilities (stable: as listed on ties, or if none vetoes the issue).
  double reference = 0.5;
  std::vector<std::size_t> preference;
};

struct Player {
  std::size_t actor = 0;
  std::vector<char> vetoes;            // [issue]
  std::vector<double> s;               // [issue] salience on the issues it vetoes, else 0
  std::vector<double> p;               // [issue] numeric: position in scale units
  std::vector<double> q;               // [issue] numeric: position normalised to [0, 1]
  std::vector<std::vector<double>> u;  // [issue][option] categorical utilities
  double base = 0;                     // no_deal_cost - U_i(d_i) (>= 0): the margin at its ideal package
};

struct Problem {
  std::vector<IssueData> issues;
  std::vector<Player> players;
  std::vector<std::size_t> numeric, categorical;  // issue indices of each kind
};

// Throws InputError if a vetoed numeric issue has neither no_deal nor status_quo (validate()
// reports it for files; this guards scenarios built in code).
[[nodiscard]] Problem prepare(const Scenario& scenario);

// U_i(x) and the margin m_i(x) = base_i + U_i(x), x in scale units / option indices.
[[nodiscard]] double utility(const Problem& pb, const Player& pl, const std::vector<double>& x);
[[nodiscard]] inline double margin(const Problem& pb, const Player& pl, const std::vector<double>& x) {
  return pl.base + utility(pb, pl, x);
}

// The questions of the analysis over packages x (numeric issues in [min, max], categorical issues
// one option each), with some issues fixed and some players' vetoes switched off.
class Solver {
 public:
  // `relief`: a player whose acceptance may be bought by a non-negative relief (deal_whatif).
  Solver(const Problem& pb, double tolerance, std::size_t max_enumerated,
         std::optional<std::size_t> relief = std::nullopt);
  ~Solver();
  Solver(const Solver&) = delete;
  Solver& operator=(const Solver&) = delete;

  // Holds issues at values (scale units / option index); NaN = free. Size = issues.
  void fix(const std::vector<double>& values);
  void set_active(std::size_t player, bool active);
  [[nodiscard]] bool mip() const noexcept { return mip_; }
  [[nodiscard]] std::size_t combinations() const noexcept { return combinations_; }

  // The largest smallest margin over the packages (+inf with no active player).
  [[nodiscard]] double maximin_value();
  // Is some package acceptable to every active player (margins >= -tolerance)? Stops at the first.
  [[nodiscard]] bool feasible();
  // A package attaining `t_star` (from maximin_value), made unique by the tie-breaks.
  [[nodiscard]] std::vector<double> maximin_package(double t_star);
  // The acceptable package nearest to `base` (NaN entries free) and its distance; nullopt if none.
  [[nodiscard]] std::optional<std::pair<std::vector<double>, double>> nearest(const std::vector<double>& base);
  // A numeric issue's [min, max] over the acceptable packages (nullopt if none); a categorical
  // issue's options that occur in some acceptable package.
  [[nodiscard]] std::optional<std::pair<double, double>> range(std::size_t issue);
  [[nodiscard]] std::vector<std::size_t> options_in_range(std::size_t issue);
  // The smallest relief that makes some package acceptable; nullopt if none does.
  [[nodiscard]] std::optional<double> min_relief();

 private:
  struct Cat {
    std::size_t issue;
    std::vector<std::size_t> allowed;  // in preference order
  };
  int col_y(std::size_t k) const { return y_col_[k]; }
  int col_z(std::size_t k, std::size_t o) const { return z_col_[k] + static_cast<int>(o); }
  void build();
  void set_objective(const std::vector<std::pair<int, double>>& coefs, bool maximise, double constant = 0);
  // Solves the current LP (all z fixed) or MIP; returns the objective value or nullopt if infeasible.
  std::optional<double> solve_lp();
  std::optional<double> solve_mip();
  std::vector<Cat> categorical_choices() const;
  void fix_combination(const std::vector<Cat>& cats, const std::vector<std::size_t>& pick);
  void release_combination(const std::vector<Cat>& cats);
  // Optimises the current objective over the categorical choices; fixes the z columns at the
  // preferred optimal combination (first in preference order within `slack`) and returns the value.
  // `bound(pick)` bounds the objective of a combination from the good side (pruning), or nullopt.
  template <class Bound>
  std::optional<double> optimise(bool maximise, Bound bound, bool first_feasible = false);
  std::size_t product(const std::vector<Cat>& cats) const;
  std::vector<std::size_t> decode(const std::vector<Cat>& cats, std::size_t idx) const;
  // An upper bound of t for a combination: the smallest over active players (but the relief
  // player) of base minus the categorical and held numeric losses; exact when no numeric issue is free.
  double upper_bound(const std::vector<Cat>& cats, const std::vector<std::size_t>& pick) const;
  bool numeric_free() const;
  std::optional<std::vector<std::size_t>> closed_form(double& value);
  void set_t_low(std::optional<double> low);
  std::vector<double> read_package() const;
  // Fixes the free numeric issues one by one at their value closest to the G-row references.
  void refine_numeric(const std::vector<char>& free_issue);
  bool unique_optimum() const;
  void set_reference(std::size_t k, double ref01);
  void set_distance_row(const std::vector<double>& base, double upper);
  void reset();

  const Problem& pb_;
  double tol_;
  std::size_t max_enumerated_;
  std::optional<std::size_t> relief_;
  glp_prob* lp_ = nullptr;
  bool mip_ = false;
  std::size_t combinations_ = 1;
  std::vector<int> y_col_, z_col_, g_col_, player_row_, g_row_plus_, g_row_minus_;
  int t_col_ = 0, relief_col_ = 0, d_row_ = 0;
  std::vector<double> fixed_;
  std::vector<char> active_;
  std::vector<std::optional<std::size_t>> preferred_;
  std::optional<double> t_low_;  // lower bound of t (acceptance), nullopt = free  // [issue] an option tried first (nearest: the base's)
};

}  // namespace entente::detail::deal
