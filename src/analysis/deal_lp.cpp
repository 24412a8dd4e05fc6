// The deal analysis as linear programmes, solved with GLPK (docs/models/deal.md).
//
// Variables, numeric issues normalised to y_k = (x_k - min_k) / span_k in [0, 1]:
//   y_k        the package on numeric issue k
//   t          the smallest margin (maximin), or held >= -tolerance (acceptance)
//   e_ik >= 0  |y_k - q_ik| for veto player i on numeric issue k (two rows each)
//   z_ko       option o chosen on categorical issue k (sum_o z_ko = 1)
//   g_k >= 0   |y_k - r_k| for a reference r_k (nearest package, tie-breaks)
//   relief     bought acceptance of one player (what-if on its no-deal cost)
// Player rows: sum_k s_ik e_ik + sum_ko s_ik (1 - u_iko) z_ko + t - relief <= base_i, i.e.
// t <= m_i(x) (+ relief). Since e only appears on the small side, any feasible e is >= |y - q| and
// the feasible packages are exactly those with m_i(x) >= t.
// Categorical choices are enumerated (z fixed, one LP each, pruned by a bound) when there are at
// most max_enumerated combinations, else solved as a MIP. Ties are broken by a fixed preference
// order and issue by issue (see IssueData), so the package returned does not depend on the vertex
// the simplex happens to stop at.
#include "analysis/deal_lp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "analysis/glpk_api.hpp"

namespace entente::detail::deal {

namespace {
// How far a later stage may give up an earlier stage's optimum (relative): enough to absorb
// rounding between re-solves, small enough that the package moves by no more than rounding.
constexpr double kLock = 1e-12;
}  // namespace

Problem prepare(const Scenario& s) {
  Problem pb;
  const std::size_t n = s.issues.size();
  pb.issues.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const Issue& is = s.issues[k];
    IssueData& d = pb.issues[k];
    d.categorical = is.kind == Issue::Kind::categorical;
    if (d.categorical) {
      d.options = is.options.size();
      pb.categorical.push_back(k);
    } else {
      d.min = is.min;
      d.max = is.max;
      d.span = is.max - is.min;
      pb.numeric.push_back(k);
    }
  }
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    const Actor& ac = s.actors[a];
    if (!ac.veto) continue;
    Player pl;
    pl.actor = a;
    pl.vetoes.assign(n, 0);
    pl.s.assign(n, 0);
    pl.p.assign(n, nan);
    pl.q.assign(n, nan);
    pl.u.assign(n, {});
    for (std::size_t k = 0; k < n && k < ac.stances.size(); ++k) {
      if (!ac.stances[k]) continue;
      bool vetoed = ac.veto->all;
      for (const auto& id : ac.veto->issues) vetoed = vetoed || id == s.issues[k].id;
      if (!vetoed) continue;
      const Stance& st = *ac.stances[k];
      const IssueData& d = pb.issues[k];
      pl.vetoes[k] = 1;
      pl.s[k] = st.salience.value;
      if (d.categorical) {
        pl.u[k].assign(d.options, 0.0);
        for (std::size_t o = 0; o < d.options && o < st.utilities.size(); ++o) pl.u[k][o] = st.utilities[o].value;
      } else {
        pl.p[k] = st.position.value;
        pl.q[k] = (st.position.value - d.min) / d.span;
      }
    }
    // base_i = cost_i - U_i(d_i): the margin of the player's ideal package.
    double base = ac.no_deal_cost ? ac.no_deal_cost->value : 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      if (!pl.vetoes[k]) continue;
      const Stance& st = *ac.stances[k];
      const IssueData& d = pb.issues[k];
      if (d.categorical) {
        double ud = 0;  // no option agreed: utility 0
        if (st.no_deal) {
          const double o = st.no_deal->value;
          if (o >= 0 && o < static_cast<double>(d.options)) ud = pl.u[k][static_cast<std::size_t>(o)];
        }
        base += pl.s[k] * (1 - ud);
      } else {
        std::optional<double> dk = st.no_deal ? std::optional<double>(st.no_deal->value) : s.issues[k].status_quo;
        if (!dk) {
          Diagnostic diag;
          diag.where = SourceLocation{s.origin, 0, 0};
          diag.field = fmt::format("actors.{}.issues.{}.no_deal", ac.id, s.issues[k].id);
          diag.expected = "a no_deal point (the actor is a veto player and the issue has no status_quo)";
          diag.found = "nothing";
          throw InputError(std::move(diag));
        }
        base += pl.s[k] * std::fabs(*dk - pl.p[k]) / d.span;
      }
    }
    pl.base = base;
    pb.players.push_back(std::move(pl));
  }
  // Tie-break references, from the veto players of each issue only (so actors without a veto
  // change nothing); an issue nobody vetoes is free: the scale's midpoint, the options as listed.
  for (std::size_t k = 0; k < n; ++k) {
    IssueData& d = pb.issues[k];
    std::vector<std::size_t> who;
    for (const auto& pl : pb.players)
      if (pl.vetoes[k]) who.push_back(pl.actor);
    if (d.categorical) {
      std::vector<double> score(d.options, 0.0);
      for (auto a : who) {
        const Stance& st = *s.actors[a].stances[k];
        for (std::size_t o = 0; o < d.options && o < st.utilities.size(); ++o) score[o] += st.utilities[o].value;
      }
      d.preference.resize(d.options);
      std::iota(d.preference.begin(), d.preference.end(), std::size_t{0});
      std::stable_sort(d.preference.begin(), d.preference.end(),
                       [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    } else if (!who.empty()) {
      double sum = 0;
      for (auto a : who) sum += (s.actors[a].stances[k]->position.value - d.min) / d.span;
      d.reference = std::clamp(sum / static_cast<double>(who.size()), 0.0, 1.0);
    }
  }
  return pb;
}

double utility(const Problem& pb, const Player& pl, const std::vector<double>& x) {
  double u = 0;
  for (std::size_t k = 0; k < pb.issues.size(); ++k) {
    if (!pl.vetoes[k] || pl.s[k] == 0) continue;
    const IssueData& d = pb.issues[k];
    if (d.categorical) {
      const double o = x[k];
      const double uo = o >= 0 && o < static_cast<double>(d.options) ? pl.u[k][static_cast<std::size_t>(o)] : 0.0;
      u -= pl.s[k] * (1 - uo);
    } else {
      u -= pl.s[k] * std::fabs(x[k] - pl.p[k]) / d.span;
    }
  }
  return u;
}

// ---- Solver ---------------------------------------------------------------------------------------

Solver::Solver(const Problem& pb, double tolerance, std::size_t max_enumerated, std::optional<std::size_t> relief)
    : pb_(pb), tol_(tolerance), max_enumerated_(std::max<std::size_t>(1, max_enumerated)), relief_(relief) {
  fixed_.assign(pb_.issues.size(), nan);
  active_.assign(pb_.players.size(), 1);
  preferred_.assign(pb_.issues.size(), std::nullopt);
  for (auto k : pb_.categorical) {
    const std::size_t o = pb_.issues[k].options;
    combinations_ = combinations_ > max_enumerated_ ? combinations_ : combinations_ * std::max<std::size_t>(1, o);
  }
  mip_ = combinations_ > max_enumerated_;
  build();
}

Solver::~Solver() {
  if (lp_) detail::glpk().glp_delete_prob(lp_);
}

void Solver::build() {
  detail::glpk().glp_term_out(GLP_OFF);
  lp_ = detail::glpk().glp_create_prob();
  const std::size_t n = pb_.issues.size();
  y_col_.assign(n, 0);
  z_col_.assign(n, 0);
  g_col_.assign(n, 0);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  auto entry = [&](int row, int col, double v) {
    ia.push_back(row);
    ja.push_back(col);
    ar.push_back(v);
  };
  auto add_col = [&](int type, double lo, double hi) {
    const int c = detail::glpk().glp_add_cols(lp_, 1);
    detail::glpk().glp_set_col_bnds(lp_, c, type, lo, hi);
    return c;
  };
  auto add_row = [&](int type, double lo, double hi) {
    const int r = detail::glpk().glp_add_rows(lp_, 1);
    detail::glpk().glp_set_row_bnds(lp_, r, type, lo, hi);
    return r;
  };
  for (auto k : pb_.numeric) y_col_[k] = add_col(GLP_DB, 0, 1);
  t_col_ = add_col(GLP_FR, 0, 0);
  if (relief_) relief_col_ = add_col(GLP_LO, 0, 0);
  for (auto k : pb_.numeric) g_col_[k] = add_col(GLP_LO, 0, 0);
  for (auto k : pb_.categorical) {
    z_col_[k] = detail::glpk().glp_add_cols(lp_, static_cast<int>(pb_.issues[k].options));
    for (std::size_t o = 0; o < pb_.issues[k].options; ++o) {
      const int c = col_z(k, o);
      if (mip_) detail::glpk().glp_set_col_kind(lp_, c, GLP_BV);
      detail::glpk().glp_set_col_bnds(lp_, c, GLP_DB, 0, 1);
    }
  }
  player_row_.assign(pb_.players.size(), 0);
  for (std::size_t i = 0; i < pb_.players.size(); ++i) {
    const Player& pl = pb_.players[i];
    const int r = add_row(GLP_UP, 0, pl.base);
    player_row_[i] = r;
    entry(r, t_col_, 1.0);
    if (relief_ && *relief_ == i) entry(r, relief_col_, -1.0);
    for (std::size_t k = 0; k < n; ++k) {
      if (!pl.vetoes[k] || pl.s[k] == 0) continue;
      if (pb_.issues[k].categorical) {
        for (std::size_t o = 0; o < pb_.issues[k].options; ++o) {
          const double c = pl.s[k] * (1 - pl.u[k][o]);
          if (c != 0) entry(r, col_z(k, o), c);
        }
      } else {
        const int e = add_col(GLP_LO, 0, 0);
        entry(r, e, pl.s[k]);
        const int plus = add_row(GLP_LO, -pl.q[k], 0);  // e - y >= -q
        entry(plus, e, 1.0);
        entry(plus, y_col_[k], -1.0);
        const int minus = add_row(GLP_LO, pl.q[k], 0);  // e + y >= q
        entry(minus, e, 1.0);
        entry(minus, y_col_[k], 1.0);
      }
    }
  }
  g_row_plus_.assign(n, 0);
  g_row_minus_.assign(n, 0);
  for (auto k : pb_.numeric) {
    const double r = pb_.issues[k].reference;
    g_row_plus_[k] = add_row(GLP_LO, -r, 0);  // g - y >= -r
    entry(g_row_plus_[k], g_col_[k], 1.0);
    entry(g_row_plus_[k], y_col_[k], -1.0);
    g_row_minus_[k] = add_row(GLP_LO, r, 0);  // g + y >= r
    entry(g_row_minus_[k], g_col_[k], 1.0);
    entry(g_row_minus_[k], y_col_[k], 1.0);
  }
  d_row_ = add_row(GLP_FR, 0, 0);  // the distance: coefficients set by set_distance_row
  for (auto k : pb_.categorical) {
    const int r = add_row(GLP_FX, 1, 1);  // one option
    for (std::size_t o = 0; o < pb_.issues[k].options; ++o) entry(r, col_z(k, o), 1.0);
  }
  detail::glpk().glp_load_matrix(lp_, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
  detail::glpk().glp_std_basis(lp_);
}

void Solver::fix(const std::vector<double>& values) {
  fixed_ = values;
  fixed_.resize(pb_.issues.size(), nan);
  for (auto k : pb_.numeric) {
    const IssueData& d = pb_.issues[k];
    if (std::isnan(fixed_[k]))
      detail::glpk().glp_set_col_bnds(lp_, col_y(k), GLP_DB, 0, 1);
    else
      detail::glpk().glp_set_col_bnds(lp_, col_y(k), GLP_FX, (fixed_[k] - d.min) / d.span, 0);
  }
}

void Solver::set_active(std::size_t player, bool active) {
  active_[player] = active ? 1 : 0;
  const double base = pb_.players[player].base;
  detail::glpk().glp_set_row_bnds(lp_, player_row_[player], active ? GLP_UP : GLP_FR, 0, base);
}

void Solver::set_t_low(std::optional<double> low) {
  t_low_ = low;
  if (low)
    detail::glpk().glp_set_col_bnds(lp_, t_col_, GLP_LO, *low, 0);
  else
    detail::glpk().glp_set_col_bnds(lp_, t_col_, GLP_FR, 0, 0);
}

void Solver::set_objective(const std::vector<std::pair<int, double>>& coefs, bool maximise, double constant) {
  const int cols = detail::glpk().glp_get_num_cols(lp_);
  for (int c = 1; c <= cols; ++c) detail::glpk().glp_set_obj_coef(lp_, c, 0.0);
  for (const auto& [c, v] : coefs) detail::glpk().glp_set_obj_coef(lp_, c, detail::glpk().glp_get_obj_coef(lp_, c) + v);
  detail::glpk().glp_set_obj_coef(lp_, 0, constant);
  detail::glpk().glp_set_obj_dir(lp_, maximise ? GLP_MAX : GLP_MIN);
}

std::optional<double> Solver::solve_lp() {
  glp_smcp parm;
  detail::glpk().glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.meth = GLP_DUALP;
  int rc = detail::glpk().glp_simplex(lp_, &parm);
  if (rc != 0) {  // a basis gone bad after many bound changes: start again from the standard one
    detail::glpk().glp_std_basis(lp_);
    rc = detail::glpk().glp_simplex(lp_, &parm);
  }
  if (rc != 0) throw std::runtime_error(fmt::format("deal analysis: GLPK simplex failed (code {})", rc));
  switch (detail::glpk().glp_get_status(lp_)) {
    case GLP_OPT: return detail::glpk().glp_get_obj_val(lp_);
    case GLP_NOFEAS: return std::nullopt;
    case GLP_UNBND: return detail::glpk().glp_get_obj_dir(lp_) == GLP_MAX ? inf : -inf;
    default: break;
  }
  throw std::runtime_error(fmt::format("deal analysis: GLPK simplex ended with status {}", detail::glpk().glp_get_status(lp_)));
}

std::optional<double> Solver::solve_mip() {
  glp_iocp parm;
  detail::glpk().glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  const int rc = detail::glpk().glp_intopt(lp_, &parm);
  if (rc == GLP_ENOPFS) return std::nullopt;
  if (rc == GLP_ENODFS) return detail::glpk().glp_get_obj_dir(lp_) == GLP_MAX ? inf : -inf;
  if (rc != 0) throw std::runtime_error(fmt::format("deal analysis: GLPK MIP failed (code {})", rc));
  switch (detail::glpk().glp_mip_status(lp_)) {
    case GLP_OPT:
    case GLP_FEAS: return detail::glpk().glp_mip_obj_val(lp_);
    case GLP_NOFEAS: return std::nullopt;
    default: break;
  }
  throw std::runtime_error(fmt::format("deal analysis: GLPK MIP ended with status {}", detail::glpk().glp_mip_status(lp_)));
}

std::vector<Solver::Cat> Solver::categorical_choices() const {
  std::vector<Cat> cats;
  for (auto k : pb_.categorical) {
    Cat c{k, {}};
    if (!std::isnan(fixed_[k])) {
      c.allowed.push_back(static_cast<std::size_t>(fixed_[k]));
    } else {
      bool matters = false;  // does the choice change any active player's margin?
      for (std::size_t i = 0; i < pb_.players.size(); ++i)
        matters = matters || (active_[i] && pb_.players[i].vetoes[k] && pb_.players[i].s[k] != 0);
      const auto& pref = pb_.issues[k].preference;
      if (matters) {
        c.allowed = pref;
        if (preferred_[k]) {  // tried first
          const auto it = std::find(c.allowed.begin(), c.allowed.end(), *preferred_[k]);
          if (it != c.allowed.end()) std::rotate(c.allowed.begin(), it, it + 1);
        }
      } else {
        c.allowed.push_back(preferred_[k] ? *preferred_[k] : pref.front());
      }
    }
    cats.push_back(std::move(c));
  }
  return cats;
}

std::size_t Solver::product(const std::vector<Cat>& cats) const {
  std::size_t p = 1;
  for (const auto& c : cats) p = p > max_enumerated_ ? p : p * c.allowed.size();
  return p;
}

std::vector<std::size_t> Solver::decode(const std::vector<Cat>& cats, std::size_t idx) const {
  // Mixed radix, the first categorical issue slowest: lexicographic over the preference orders.
  std::vector<std::size_t> pick(cats.size(), 0);
  for (std::size_t c = cats.size(); c-- > 0;) {
    pick[c] = cats[c].allowed[idx % cats[c].allowed.size()];
    idx /= cats[c].allowed.size();
  }
  return pick;
}

double Solver::upper_bound(const std::vector<Cat>& cats, const std::vector<std::size_t>& pick) const {
  double b = inf;
  for (std::size_t i = 0; i < pb_.players.size(); ++i) {
    if (!active_[i] || (relief_ && *relief_ == i)) continue;
    const Player& pl = pb_.players[i];
    double v = pl.base;
    for (std::size_t c = 0; c < cats.size(); ++c) {
      const std::size_t k = cats[c].issue;
      if (pl.vetoes[k]) v -= pl.s[k] * (1 - pl.u[k][pick[c]]);
    }
    for (auto k : pb_.numeric)
      if (pl.vetoes[k] && !std::isnan(fixed_[k])) v -= pl.s[k] * std::fabs(fixed_[k] - pl.p[k]) / pb_.issues[k].span;
    b = std::min(b, v);
  }
  return b;
}

bool Solver::numeric_free() const {
  return std::any_of(pb_.numeric.begin(), pb_.numeric.end(), [&](std::size_t k) { return std::isnan(fixed_[k]); });
}

void Solver::fix_combination(const std::vector<Cat>& cats, const std::vector<std::size_t>& pick) {
  for (std::size_t c = 0; c < cats.size(); ++c) {
    const std::size_t k = cats[c].issue;
    for (std::size_t o = 0; o < pb_.issues[k].options; ++o)
      detail::glpk().glp_set_col_bnds(lp_, col_z(k, o), GLP_FX, o == pick[c] ? 1.0 : 0.0, 0);
  }
}

void Solver::release_combination(const std::vector<Cat>& cats) {
  for (const auto& c : cats) {
    const std::size_t k = c.issue;
    for (std::size_t o = 0; o < pb_.issues[k].options; ++o) {
      const bool allowed = std::find(c.allowed.begin(), c.allowed.end(), o) != c.allowed.end();
      if (allowed && c.allowed.size() > 1)
        detail::glpk().glp_set_col_bnds(lp_, col_z(k, o), GLP_DB, 0, 1);
      else
        detail::glpk().glp_set_col_bnds(lp_, col_z(k, o), GLP_FX, allowed ? 1.0 : 0.0, 0);
    }
  }
}

namespace {
constexpr double kTie = 1e-9;  // relative: objective values this close are ties
bool within(double v, double best) { return std::fabs(v - best) <= kTie * (1 + std::fabs(best)); }
}  // namespace

template <class Bound>
std::optional<double> Solver::optimise(bool maximise, Bound bound, bool first_feasible) {
  const std::vector<Cat> cats = categorical_choices();
  const std::size_t count = product(cats);
  auto better = [&](double a, double b) { return maximise ? a > b : a < b; };

  if (count <= max_enumerated_) {
    // Combinations in order of their bound (best first, stable in preference order), so the
    // search stops at the first one whose bound cannot reach the best value found. Combinations
    // in which some player's categorical losses alone exceed what t allows are skipped.
    struct Entry {
      std::size_t idx;
      double key;  // bound on the objective (+-inf: none)
    };
    std::vector<Entry> order;
    order.reserve(count);
    for (std::size_t idx = 0; idx < count; ++idx) {
      const auto pick = decode(cats, idx);
      if (t_low_ && upper_bound(cats, pick) < *t_low_ - kTie * (1 + std::fabs(*t_low_))) continue;
      const std::optional<double> b = bound(cats, pick);
      order.push_back({idx, b ? *b : (maximise ? inf : -inf)});
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](const Entry& a, const Entry& b) { return maximise ? a.key > b.key : a.key < b.key; });
    std::vector<std::optional<double>> value(count);
    std::optional<double> best;
    std::size_t last = count;
    // Dual bounds: the optimal basis of a solved combination stays dual feasible when the fixed
    // values of the z columns change, so value(c) <= value(c0) + sum of reduced costs times the
    // change (>= when minimising). Each solved combination bounds all the others.
    struct Solved {
      double value;
      std::vector<std::size_t> pick;
      std::vector<std::vector<double>> reduced;  // [cat][option]
    };
    std::vector<Solved> solved;
    auto dual_bound = [&](const std::vector<std::size_t>& pick) {
      double b = maximise ? inf : -inf;
      for (const auto& sv : solved) {
        double v = sv.value;
        for (std::size_t c = 0; c < cats.size(); ++c) v += sv.reduced[c][pick[c]] - sv.reduced[c][sv.pick[c]];
        b = maximise ? std::min(b, v) : std::max(b, v);
      }
      return b;
    };
    for (const auto& e : order) {
      if (best && std::isfinite(e.key) && better(*best, e.key) && !within(e.key, *best)) break;
      const auto pick = decode(cats, e.idx);
      if (best && !solved.empty()) {
        const double db = dual_bound(pick);
        if (better(*best, db) && !within(db, *best)) continue;
      }
      fix_combination(cats, pick);
      value[e.idx] = solve_lp();
      last = e.idx;
      if (value[e.idx] && (!best || better(*value[e.idx], *best))) best = value[e.idx];
      if (first_feasible && best) return best;
      if (value[e.idx] && std::isfinite(*value[e.idx]) && cats.size() > 0) {
        Solved sv{*value[e.idx], pick, {}};
        for (const auto& c : cats) {
          std::vector<double> d(pb_.issues[c.issue].options, 0.0);
          for (auto o : c.allowed) d[o] = detail::glpk().glp_get_col_dual(lp_, col_z(c.issue, o));
          sv.reduced.push_back(std::move(d));
        }
        solved.push_back(std::move(sv));
      }
    }
    if (!best) return std::nullopt;
    for (std::size_t idx = 0; idx < count; ++idx) {
      if (!value[idx] || !within(*value[idx], *best)) continue;
      if (idx != last) {
        fix_combination(cats, decode(cats, idx));
        if (!solve_lp()) return std::nullopt;  // cannot happen: it was feasible a moment ago
      }
      return best;
    }
    return best;
  }

  // MIP: the optimum, then each categorical issue in turn fixed at the first option (preference
  // order) with which the optimum is still attainable within the MIP's tolerance.
  release_combination(cats);
  const std::optional<double> best = solve_mip();
  if (!best || std::isinf(*best) || first_feasible) return best;
  std::vector<std::size_t> fallback(cats.size(), 0);
  for (std::size_t c = 0; c < cats.size(); ++c) {
    double top = -1;
    for (auto o : cats[c].allowed) {
      const double z = detail::glpk().glp_mip_col_val(lp_, col_z(cats[c].issue, o));
      if (z > top + 0.5) {
        top = z;
        fallback[c] = o;
      }
    }
  }
  // Lock the objective near its optimum with a temporary row.
  const int cols = detail::glpk().glp_get_num_cols(lp_);
  std::vector<int> ind{0};
  std::vector<double> val{0.0};
  for (int c = 1; c <= cols; ++c)
    if (const double v = detail::glpk().glp_get_obj_coef(lp_, c); v != 0) {
      ind.push_back(c);
      val.push_back(v);
    }
  const double lock_slack = 1e-7 * (1 + std::fabs(*best));
  const double target = *best - detail::glpk().glp_get_obj_coef(lp_, 0);
  const int lock = detail::glpk().glp_add_rows(lp_, 1);
  detail::glpk().glp_set_mat_row(lp_, lock, static_cast<int>(ind.size() - 1), ind.data(), val.data());
  if (maximise)
    detail::glpk().glp_set_row_bnds(lp_, lock, GLP_LO, target - lock_slack, 0);
  else
    detail::glpk().glp_set_row_bnds(lp_, lock, GLP_UP, 0, target + lock_slack);
  std::vector<std::size_t> chosen(cats.size(), 0);
  for (std::size_t c = 0; c < cats.size(); ++c) {
    bool found = false;
    for (auto o : cats[c].allowed) {
      release_combination({Cat{cats[c].issue, {o}}});
      if (solve_mip()) {
        chosen[c] = o;
        found = true;
        break;
      }
    }
    if (!found) {
      chosen[c] = fallback[c];
      release_combination({Cat{cats[c].issue, {fallback[c]}}});
    }
  }
  const int rows[2] = {0, lock};
  detail::glpk().glp_del_rows(lp_, 1, rows);
  detail::glpk().glp_std_basis(lp_);
  fix_combination(cats, chosen);
  if (!solve_lp()) return std::nullopt;
  return best;
}

std::vector<double> Solver::read_package() const {
  std::vector<double> x(pb_.issues.size(), nan);
  for (auto k : pb_.numeric) {
    const IssueData& d = pb_.issues[k];
    x[k] = !std::isnan(fixed_[k]) ? fixed_[k]
                                  : std::clamp(d.min + d.span * detail::glpk().glp_get_col_prim(lp_, col_y(k)), d.min, d.max);
  }
  for (auto k : pb_.categorical) {
    if (!std::isnan(fixed_[k])) {
      x[k] = fixed_[k];
      continue;
    }
    for (std::size_t o = 0; o < pb_.issues[k].options; ++o)
      if (detail::glpk().glp_get_col_prim(lp_, col_z(k, o)) > 0.5) x[k] = static_cast<double>(o);
  }
  return x;
}

void Solver::set_reference(std::size_t k, double ref01) {
  detail::glpk().glp_set_row_bnds(lp_, g_row_plus_[k], GLP_LO, -ref01, 0);
  detail::glpk().glp_set_row_bnds(lp_, g_row_minus_[k], GLP_LO, ref01, 0);
}

void Solver::set_distance_row(const std::vector<double>& base, double upper) {
  std::vector<int> ind{0};
  std::vector<double> val{0.0};
  for (auto k : pb_.numeric)
    if (!std::isnan(base[k]) && std::isnan(fixed_[k])) {
      ind.push_back(g_col_[k]);
      val.push_back(1.0);
    }
  for (auto k : pb_.categorical)
    if (!std::isnan(base[k]) && std::isnan(fixed_[k]))
      for (std::size_t o = 0; o < pb_.issues[k].options; ++o)
        if (static_cast<double>(o) != base[k]) {
          ind.push_back(col_z(k, o));
          val.push_back(1.0);
        }
  detail::glpk().glp_set_mat_row(lp_, d_row_, static_cast<int>(ind.size() - 1), ind.data(), val.data());
  if (std::isinf(upper))
    detail::glpk().glp_set_row_bnds(lp_, d_row_, GLP_FR, 0, 0);
  else
    detail::glpk().glp_set_row_bnds(lp_, d_row_, GLP_UP, 0, upper);
}

bool Solver::unique_optimum() const {
  // No nonbasic variable (column or row) with a zero reduced cost: no other optimal vertex.
  const int cols = detail::glpk().glp_get_num_cols(lp_), rows = detail::glpk().glp_get_num_rows(lp_);
  for (int j = 1; j <= cols; ++j)
    if (detail::glpk().glp_get_col_stat(lp_, j) != GLP_BS && detail::glpk().glp_get_col_type(lp_, j) != GLP_FX &&
        std::fabs(detail::glpk().glp_get_col_dual(lp_, j)) < 1e-9)
      return false;
  for (int i = 1; i <= rows; ++i)
    if (detail::glpk().glp_get_row_stat(lp_, i) != GLP_BS && detail::glpk().glp_get_row_type(lp_, i) != GLP_FX &&
        std::fabs(detail::glpk().glp_get_row_dual(lp_, i)) < 1e-9)
      return false;
  return true;
}

void Solver::refine_numeric(const std::vector<char>& free_issue) {
  if (unique_optimum()) return;  // the current solution is the only optimal one
  for (auto k : pb_.numeric) {
    if (!free_issue[k] || !std::isnan(fixed_[k])) continue;
    set_objective({{g_col_[k], 1.0}}, false);
    if (!solve_lp()) break;  // cannot happen: the previous stage's solution is feasible
    detail::glpk().glp_set_col_bnds(lp_, col_y(k), GLP_FX, detail::glpk().glp_get_col_prim(lp_, col_y(k)), 0);
  }
}

void Solver::reset() {
  set_t_low(std::nullopt);
  if (relief_) detail::glpk().glp_set_col_bnds(lp_, relief_col_, GLP_LO, 0, 0);
  detail::glpk().glp_set_row_bnds(lp_, d_row_, GLP_FR, 0, 0);
  for (auto k : pb_.numeric) set_reference(k, pb_.issues[k].reference);
  fix(fixed_);
  preferred_.assign(pb_.issues.size(), std::nullopt);
}

std::optional<std::vector<std::size_t>> Solver::closed_form(double& value) {
  // Every numeric issue held: a combination's smallest margin is its upper bound, exactly.
  const std::vector<Cat> cats = categorical_choices();
  const std::size_t count = product(cats);
  if (count > max_enumerated_) return std::nullopt;
  std::optional<double> best;
  std::vector<double> v(count);
  for (std::size_t idx = 0; idx < count; ++idx) {
    v[idx] = upper_bound(cats, decode(cats, idx));
    if (!best || v[idx] > *best) best = v[idx];
  }
  for (std::size_t idx = 0; idx < count; ++idx)
    if (within(v[idx], *best)) {
      value = *best;
      return decode(cats, idx);
    }
  return std::nullopt;
}

namespace {
bool any_active(const std::vector<char>& active) {
  return std::any_of(active.begin(), active.end(), [](char a) { return a != 0; });
}
auto no_bound = [](const auto&, const auto&) { return std::optional<double>{}; };
}  // namespace

double Solver::maximin_value() {
  if (!any_active(active_)) return inf;
  if (!numeric_free()) {
    double v = 0;
    if (closed_form(v)) return v;
  }
  set_objective({{t_col_, 1.0}}, true);
  auto bound = [&](const std::vector<Cat>& cats, const std::vector<std::size_t>& pick) -> std::optional<double> {
    return upper_bound(cats, pick);
  };
  const std::optional<double> v = optimise(true, bound);
  reset();
  return v ? *v : -inf;  // always feasible with t free
}

bool Solver::feasible() {
  if (!any_active(active_)) return true;
  if (!numeric_free()) {
    double v = 0;
    if (closed_form(v)) return v >= -tol_;
  }
  set_t_low(-tol_);
  set_objective({}, false);
  const bool ok = optimise(false, no_bound, true).has_value();
  reset();
  return ok;
}

std::vector<double> Solver::maximin_package(double t_star) {
  if (!numeric_free()) {
    double v = 0;
    const std::vector<Cat> cats = categorical_choices();
    if (auto pick = closed_form(v)) {
      std::vector<double> x = fixed_;
      for (std::size_t c = 0; c < cats.size(); ++c) x[cats[c].issue] = static_cast<double>((*pick)[c]);
      return x;
    }
  }
  std::vector<char> free_issue(pb_.issues.size(), 0);
  std::vector<double> ref(pb_.issues.size(), nan);
  for (std::size_t k = 0; k < pb_.issues.size(); ++k) free_issue[k] = std::isnan(fixed_[k]) ? 1 : 0;
  for (auto k : pb_.numeric)
    if (free_issue[k]) ref[k] = pb_.issues[k].min + pb_.issues[k].span * pb_.issues[k].reference;
  if (std::isfinite(t_star)) set_t_low(t_star - kLock * (1 + std::fabs(t_star)));
  // Stage 2: nearest the references (numeric only; categorical ties go by preference order).
  set_distance_row(ref, inf);
  std::vector<std::pair<int, double>> obj;
  for (auto k : pb_.numeric)
    if (free_issue[k]) obj.emplace_back(g_col_[k], 1.0);
  set_objective(obj, false);
  std::optional<double> g = optimise(false, no_bound);
  if (!g) {  // the lock was a hair too tight: use the stage-1 optimum as it stands
    set_t_low(std::nullopt);
    set_objective({{t_col_, 1.0}}, true);
    (void)optimise(true, no_bound);
    auto x = read_package();
    reset();
    return x;
  }
  set_distance_row(ref, *g + kLock * (1 + *g));
  // Stage 3: issue by issue, so the package is unique.
  refine_numeric(free_issue);
  auto x = read_package();
  reset();
  return x;
}

std::optional<std::pair<std::vector<double>, double>> Solver::nearest(const std::vector<double>& base) {
  set_t_low(0.0);
  preferred_.assign(pb_.issues.size(), std::nullopt);
  for (auto k : pb_.categorical)
    if (!std::isnan(base[k])) preferred_[k] = static_cast<std::size_t>(base[k]);
  std::vector<char> free_issue(pb_.issues.size(), 0);
  for (auto k : pb_.numeric) {
    free_issue[k] = std::isnan(fixed_[k]) ? 1 : 0;
    const IssueData& d = pb_.issues[k];
    set_reference(k, std::isnan(base[k]) ? d.reference : (base[k] - d.min) / d.span);
  }
  set_distance_row(base, inf);
  std::vector<std::pair<int, double>> obj;
  const int row_len = detail::glpk().glp_get_mat_row(lp_, d_row_, nullptr, nullptr);
  std::vector<int> ind(static_cast<std::size_t>(row_len) + 1);
  std::vector<double> val(static_cast<std::size_t>(row_len) + 1);
  detail::glpk().glp_get_mat_row(lp_, d_row_, ind.data(), val.data());
  for (int j = 1; j <= row_len; ++j) obj.emplace_back(ind[static_cast<std::size_t>(j)], val[static_cast<std::size_t>(j)]);
  set_objective(obj, false);
  // A lower bound of a combination's distance: its categorical changes.
  auto bound = [&](const std::vector<Cat>& cats, const std::vector<std::size_t>& pick) -> std::optional<double> {
    double changes = 0;
    for (std::size_t c = 0; c < cats.size(); ++c) {
      const std::size_t k = cats[c].issue;
      if (!std::isnan(base[k]) && std::isnan(fixed_[k]) && static_cast<double>(pick[c]) != base[k]) changes += 1;
    }
    return changes;
  };
  std::optional<double> dist = optimise(false, bound);
  if (!dist) {  // margins of exactly zero, up to rounding: accept within the tolerance
    set_t_low(-tol_);
    dist = optimise(false, bound);
  }
  if (!dist) {
    reset();
    return std::nullopt;
  }
  set_distance_row(base, *dist + kLock * (1 + *dist));
  refine_numeric(free_issue);
  auto x = read_package();
  reset();
  double d = 0;
  for (std::size_t k = 0; k < pb_.issues.size(); ++k) {
    if (std::isnan(base[k])) continue;
    d += pb_.issues[k].categorical ? (x[k] != base[k] ? 1.0 : 0.0) : std::fabs(x[k] - base[k]) / pb_.issues[k].span;
  }
  return std::make_pair(std::move(x), d);
}

std::optional<std::pair<double, double>> Solver::range(std::size_t k) {
  const IssueData& d = pb_.issues[k];
  set_t_low(0.0);
  set_objective({{col_y(k), 1.0}}, false);
  std::optional<double> lo = optimise(false, no_bound);
  if (!lo) {  // margins of exactly zero, up to rounding: accept within the tolerance
    set_t_low(-tol_);
    lo = optimise(false, no_bound);
  }
  std::optional<double> hi;
  if (lo) {
    set_objective({{col_y(k), 1.0}}, true);
    hi = optimise(true, no_bound);
  }
  reset();
  if (!lo || !hi) return std::nullopt;
  return std::make_pair(std::clamp(d.min + d.span * *lo, d.min, d.max), std::clamp(d.min + d.span * *hi, d.min, d.max));
}

std::vector<std::size_t> Solver::options_in_range(std::size_t k) {
  std::vector<std::size_t> out;
  const std::vector<double> saved = fixed_;
  for (std::size_t o = 0; o < pb_.issues[k].options; ++o) {
    if (!std::isnan(saved[k]) && saved[k] != static_cast<double>(o)) continue;
    std::vector<double> f = saved;
    f[k] = static_cast<double>(o);
    fix(f);
    if (feasible()) out.push_back(o);
  }
  fix(saved);
  return out;
}

std::optional<double> Solver::min_relief() {
  if (!relief_) return std::nullopt;
  set_t_low(0.0);
  set_objective({{relief_col_, 1.0}}, false);
  const std::optional<double> v = optimise(false, no_bound);
  reset();
  return v;
}

}  // namespace entente::detail::deal
