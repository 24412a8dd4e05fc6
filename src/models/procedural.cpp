// The procedural model of no change (docs/models/procedural.md): on one dimension, a change from
// the status quo q passes when the voting body's yes-voters win and every veto player agrees; the
// agenda setter proposes the point of that win set nearest its own position (Romer & Rosenthal
// 1978; Steunenberg 1994; Tsebelis & Garrett 2000); with a unanimous-amendment rule the body pulls
// a proposal beyond its own members back to the nearest member. If nothing beats q: no change.
// P(no change) is the share of draws in which q survives when every position is perturbed by
// normal noise (expert-coded positions are uncertain).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "entente/model.hpp"
#include "entente/random.hpp"
#include "models/issue_data.hpp"

namespace entente {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One issue's procedure with the positions resolved: voters (weight, position or none), veto
// players (position or none), the setter's index among the issue's actors (or none).
struct Procedure {
  std::vector<double> weight;
  std::vector<std::optional<std::size_t>> voter;  // index into IssueData, or none (no position)
  std::vector<std::optional<std::size_t>> veto;
  std::optional<std::size_t> setter;
  double quota = 0;
  int min_voters = 0, voters_suffice = 0;
  bool amend = false;
  bool default_rule = false;  // no decision rule on the issue: a simple majority of the actors
};

struct Settings {
  bool absent_support = true;
  bool use_setter = true;
};

struct Outcome {
  double value = 0;        // where the issue ends (q when nothing passes)
  double location = 0;     // where it goes if it moves
  bool no_change = false;  // only meaningful with a status quo
};

class Solver {
 public:
  Solver(const Procedure& p, const Settings& s, double lo, double hi) : p_(p), s_(s), lo_(lo), hi_(hi) {}

  // x: the positions of the issue's actors (IssueData order); c, sal: capability and salience.
  Outcome solve(const std::vector<double>& x, const std::vector<double>& c, const std::vector<double>& sal,
                std::optional<double> q) const {
    // A = the smallest position a right move must not pass the midpoint of, B likewise leftwards:
    // a move from q to y > q passes iff (q + y) / 2 < A, i.e. y < 2A - q; y < q passes iff y > 2B - q.
    const double a = pivot(x, +1), b = pivot(x, -1);
    double A = a, B = b;
    for (const auto& v : p_.veto) {
      if (v) {
        A = std::min(A, x[*v]);
        B = std::max(B, x[*v]);
      } else if (!s_.absent_support) {  // an absent veto player who opposes every change
        A = -kInf;
        B = kInf;
      }
    }
    const double target = aim(x, c, sal);
    const double core_lo = std::min(A, B), core_hi = std::max(A, B);
    Outcome o;
    // Without a status quo: the point of the core [min(A,B), max(A,B)] nearest the target.
    const double c_lo = std::max(core_lo, lo_), c_hi = std::min(core_hi, hi_);
    const double free_location = c_lo <= c_hi ? std::clamp(target, c_lo, c_hi) : std::clamp(target, lo_, hi_);
    if (!q) {
      o.value = o.location = free_location;
      return o;
    }
    const double sq = *q;
    double y = sq;
    if (target > sq && sq < A) y = std::min({target, 2 * A - sq, hi_});
    else if (target < sq && sq > B) y = std::max({target, 2 * B - sq, lo_});
    if (p_.amend && p_.setter && s_.use_setter && y != sq) {
      // The body amends unanimously a proposal beyond all its members back to the nearest member.
      double m = kInf, M = -kInf;
      for (const auto& v : p_.voter)
        if (v) {
          m = std::min(m, x[*v]);
          M = std::max(M, x[*v]);
        }
      if (M >= m) y = y > sq ? std::max(sq, std::min(y, M)) : std::min(sq, std::max(y, m));
    }
    o.value = y;
    o.no_change = std::fabs(y - sq) <= 1e-9 * (hi_ - lo_);
    o.location = o.no_change ? free_location : y;
    return o;
  }

 private:
  bool wins(double w, int k) const {
    return (w >= p_.quota * (1 - 1e-12) && k >= p_.min_voters) || (p_.voters_suffice > 0 && k >= p_.voters_suffice);
  }

  // dir = +1: the largest position p such that the voters at or above p (with absent supporters)
  // win; -1: the smallest p such that those at or below p win. +-inf if absent supporters alone
  // win; -+inf if nobody can (no move in that direction).
  double pivot(const std::vector<double>& x, int dir) const {
    double w = 0;
    int k = 0;
    std::vector<std::pair<double, double>> pos;  // (position, weight)
    for (std::size_t v = 0; v < p_.voter.size(); ++v) {
      if (p_.voter[v]) pos.emplace_back(x[*p_.voter[v]], p_.weight[v]);
      else if (s_.absent_support) {
        w += p_.weight[v];
        ++k;
      }
    }
    if (wins(w, k)) return dir > 0 ? kInf : -kInf;
    std::sort(pos.begin(), pos.end(), [dir](const auto& l, const auto& r) { return dir > 0 ? l.first > r.first : l.first < r.first; });
    for (std::size_t j = 0; j < pos.size();) {
      const double here = pos[j].first;
      for (; j < pos.size() && pos[j].first == here; ++j) {
        w += pos[j].second;
        ++k;
      }
      if (wins(w, k)) return here;
    }
    return dir > 0 ? -kInf : kInf;
  }

  // The setter's position, or (no setter, or location=compromise) the c*s-weighted mean.
  double aim(const std::vector<double>& x, const std::vector<double>& c, const std::vector<double>& sal) const {
    if (s_.use_setter && p_.setter) return x[*p_.setter];
    double sw = 0, swx = 0;
    for (std::size_t k = 0; k < x.size(); ++k) {
      sw += c[k] * sal[k];
      swx += c[k] * sal[k] * x[k];
    }
    if (sw > 0) return swx / sw;
    return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  }

  const Procedure& p_;
  const Settings& s_;
  double lo_, hi_;
};

Procedure resolve(const Scenario& sc, std::size_t issue, const detail::IssueData& d) {
  Procedure p;
  auto index_of = [&](const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t k = 0; k < d.size(); ++k)
      if (sc.actors[d.actor[k]].id == id) return k;
    return std::nullopt;
  };
  const auto& rule = sc.issues[issue].decision_rule;
  if (!rule) {
    // No rule: the actors holding a position vote with their capabilities, a majority of the total wins.
    p.default_rule = true;
    double total = 0;
    for (std::size_t k = 0; k < d.size(); ++k) {
      p.weight.push_back(d.c[k]);
      p.voter.emplace_back(k);
      total += d.c[k];
    }
    p.quota = total > 0 ? total / 2 * (1 + 1e-9) : 0;
    if (!(total > 0)) {  // nobody has capability: one actor, one vote
      std::fill(p.weight.begin(), p.weight.end(), 1.0);
      p.quota = static_cast<double>(d.size()) / 2 * (1 + 1e-9);
    }
    return p;
  }
  for (const auto& v : rule->voters) {
    p.weight.push_back(v.weight);
    p.voter.push_back(index_of(v.actor));
  }
  for (const auto& v : rule->veto_players) p.veto.push_back(index_of(v));
  if (!rule->agenda_setter.empty()) p.setter = index_of(rule->agenda_setter);
  p.quota = rule->quota;
  p.min_voters = rule->min_voters;
  p.voters_suffice = rule->voters_suffice;
  p.amend = rule->unanimous_amendment;
  return p;
}

class ProceduralModel final : public Model {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i = [] {
      ModelInfo m;
      m.name = "procedural";
      m.title = "procedural model: veto players, win sets and the agenda setter (P(no change) and the location)";
      m.description =
          "On each numeric issue with a decision rule (voters with weights and a quota, veto players, an agenda "
          "setter; without one, a majority of the actors' capabilities): a move from the status quo q to y passes "
          "when the yes-voters (those nearer y than q) reach the quota and every veto player is nearer y. The setter "
          "proposes the passing point nearest its position (no setter, or location=compromise: the c*s-weighted "
          "mean); with unanimous_amendment the body pulls a proposal beyond all its members back to the nearest "
          "one. Nothing passes: no change. value = the outcome at the stated positions (q under gridlock); extras "
          "p_no_change (share of draws with positions perturbed by normal noise that end at q), location (where "
          "the issue goes if it moves) and gridlock (1 if nothing passes at the stated positions). Steunenberg "
          "1994; Tsebelis & Garrett 2000; docs/models/procedural.md.";
      m.stochastic = true;
      m.params = {
          {"noise", ParamSpec::Type::real, "0.1",
           "standard deviation of the normal noise on every position, as a share of the issue's scale", {}, 0, 10},
          {"draws", ParamSpec::Type::integer, "500", "noisy draws for P(no change) (unused when noise = 0)", {}, 1, 1000000},
          {"absent", ParamSpec::Type::choice, "support",
           "voters and veto players of the rule without a position: support every change, or oppose every change",
           {"support", "oppose"}},
          {"location", ParamSpec::Type::choice, "setter",
           "the proposal aims at the agenda setter's position (if the rule names one with a position) or at the "
           "compromise (c*s-weighted mean)",
           {"setter", "compromise"}},
      };
      return m;
    }();
    return i;
  }

  Result run(const Scenario& sc, const Params& prm, std::uint64_t seed, const RunContext& context) const override {
    const double noise = prm.real("noise");
    const auto draws = static_cast<int>(prm.integer("draws"));
    Settings set;
    set.absent_support = prm.text("absent") == "support";
    set.use_setter = prm.text("location") == "setter";
    Result r;
    r.forecasts.resize(sc.issues.size());
    for (std::size_t i = 0; i < sc.issues.size(); ++i) {
      Forecast& out = r.forecasts[i];
      const Issue& is = sc.issues[i];
      if (is.kind == Issue::Kind::categorical) {
        out.defined = false;
        out.value = kNaN;
        out.note = "categorical issue: this model forecasts numeric issues only";
        continue;
      }
      const detail::IssueData d = detail::issue_data(sc, i);
      if (d.size() == 0) {
        out.defined = false;
        out.value = kNaN;
        out.note = "no actor holds a position";
        continue;
      }
      const Procedure proc = resolve(sc, i, d);
      const Solver solver(proc, set, is.min, is.max);
      const Outcome base = solver.solve(d.x, d.c, d.s, is.status_quo);
      out.value = base.value;
      if (proc.default_rule) out.note = "no decision rule: a majority of the actors' capabilities decides";
      if (!is.status_quo) {
        out.extras = {{"location", base.location}};
        out.note += std::string(out.note.empty() ? "" : "; ") + "no status quo: no P(no change)";
        continue;
      }
      double p = base.no_change ? 1.0 : 0.0;
      if (noise > 0) {
        Rng rng(seed, i);
        const double sd = noise * (is.max - is.min);
        std::vector<double> x(d.size());
        int stuck = 0;
        for (int k = 0; k < draws; ++k) {
          if (k % 64 == 0) context.check_cancel();
          for (std::size_t a = 0; a < d.size(); ++a) x[a] = std::clamp(d.x[a] + sd * rng.normal(), is.min, is.max);
          stuck += solver.solve(x, d.c, d.s, is.status_quo).no_change ? 1 : 0;
        }
        p = static_cast<double>(stuck) / draws;
      }
      out.extras = {{"p_no_change", p}, {"location", base.location}, {"gridlock", base.no_change ? 1.0 : 0.0}};
    }
    return r;
  }
};

}  // namespace

ENTENTE_REGISTER_MODEL(ProceduralModel);
}  // namespace entente
