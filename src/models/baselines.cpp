// Static baseline forecasts, one number per numeric issue (docs/models.md, specs: bdm.md §2):
// mean, capability-weighted mean, compromise (c*s-weighted mean), weighted median, and the
// asymmetric Nash bargaining solution.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

#include "entente/model.hpp"
#include "models/issue_data.hpp"

namespace entente {
namespace {

using detail::IssueData;

// Per-thread scratch reused across calls (a simulation runs a baseline once per draw): the issue's
// numbers, weights and index buffers keep their capacity, so a draw allocates nothing here. It holds
// no state between calls: every use clears or overwrites what it reads.
struct Scratch {
  IssueData d;
  std::vector<double> w;
  std::vector<std::size_t> idx, who;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Runs `f` on every numeric issue into `r`; categorical issues and empty issues get an undefined
// forecast. `r` may hold an earlier run's result: every field is reset, its buffers kept.
template <class F>
void per_issue(const Scenario& sc, Result& r, F&& f) {
  r.forecasts.resize(sc.issues.size());
  r.path.clear();
  r.trace.rounds.clear();
  r.diagnostics.clear();
  for (std::size_t i = 0; i < sc.issues.size(); ++i) {
    Forecast& out = r.forecasts[i];
    out.value = 0;
    out.defined = true;
    out.extras.clear();
    out.option_probabilities.clear();
    out.note.clear();
    out.convergence = Convergence{};
    if (sc.issues[i].kind == Issue::Kind::categorical) {
      out.defined = false;
      out.value = std::numeric_limits<double>::quiet_NaN();
      out.note = "categorical issue: this model forecasts numeric issues only";
      continue;
    }
    IssueData& d = scratch().d;
    detail::issue_data_into(sc, i, d);
    if (d.size() == 0) {
      out.defined = false;
      out.value = std::numeric_limits<double>::quiet_NaN();
      out.note = "no actor holds a position";
      continue;
    }
    f(sc.issues[i], d, out);
  }
}

// A static baseline: run_into is the model, run() a fresh Result.
class Baseline : public Model {
 public:
  Result run(const Scenario& sc, const Params& p, std::uint64_t seed, const RunContext& c) const final {
    Result r;
    run_into(sc, p, seed, c, r);
    return r;
  }
};

double weighted_mean(const std::vector<double>& x, const std::vector<double>& w, Forecast& out) {
  double sw = 0, swx = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    sw += w[k];
    swx += w[k] * x[k];
  }
  if (sw > 0) return swx / sw;
  // All weights zero: nobody has clout on this issue; fall back to the plain mean and say so.
  out.note = "all weights are zero: unweighted mean";
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// Lower weighted median: the smallest x_(k) whose cumulative weight reaches W/2. With
// tie=midpoint, when the cumulative weight hits W/2 exactly, the midpoint of x_(k) and x_(k+1).
// `w` is overwritten (a scratch copy of the weights).
double weighted_median(const std::vector<double>& x, std::vector<double>& w, bool midpoint, Forecast& out) {
  double total = std::accumulate(w.begin(), w.end(), 0.0);
  if (!(total > 0)) {
    out.note = "all weights are zero: unweighted median";
    std::fill(w.begin(), w.end(), 1.0);
    total = static_cast<double>(w.size());
  }
  std::vector<std::size_t>& idx = scratch().idx;
  idx.resize(x.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return x[a] < x[b]; });
  // Exact half is a tie; compare with a relative tolerance so that rescaling the weights, which
  // rounds differently, cannot flip the tie rule.
  const double half = total / 2, eps = 1e-12 * total;
  double cum = 0;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    cum += w[idx[k]];
    if (cum >= half - eps) {
      if (midpoint && std::fabs(cum - half) <= eps) {
        // Next distinct position carrying weight.
        for (std::size_t j = k + 1; j < idx.size(); ++j)
          if (x[idx[j]] > x[idx[k]] && w[idx[j]] > 0) return (x[idx[k]] + x[idx[j]]) / 2;
      }
      return x[idx[k]];
    }
  }
  return x[idx.back()];
}

// a[k] * b[k] into the scratch weights.
std::vector<double>& product(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double>& p = scratch().w;
  p.resize(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) p[k] = a[k] * b[k];
  return p;
}
std::vector<double>& copy_of(const std::vector<double>& a) {
  std::vector<double>& p = scratch().w;
  p.assign(a.begin(), a.end());
  return p;
}

ModelInfo base_info(std::string name, std::string title, std::string description) {
  ModelInfo i;
  i.name = std::move(name);
  i.title = std::move(title);
  i.description = std::move(description);
  return i;
}

class MeanModel final : public Baseline {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i = base_info("mean", "unweighted mean of the positions",
                                         "x = sum x_i / n over the actors holding a position.");
    return i;
  }
  void run_into(const Scenario& sc, const Params&, std::uint64_t, const RunContext&, Result& r) const override {
    per_issue(sc, r, [](const Issue&, const IssueData& d, Forecast& out) {
      out.value = std::accumulate(d.x.begin(), d.x.end(), 0.0) / static_cast<double>(d.size());
    });
  }
};

class CapabilityMeanModel final : public Baseline {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i = base_info("capability_mean", "capability-weighted mean",
                                         "x = sum c_i x_i / sum c_i.");
    return i;
  }
  void run_into(const Scenario& sc, const Params&, std::uint64_t, const RunContext&, Result& r) const override {
    per_issue(sc, r, [](const Issue&, const IssueData& d, Forecast& out) { out.value = weighted_mean(d.x, d.c, out); });
  }
};

class CompromiseModel final : public Baseline {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i = base_info(
        "compromise", "compromise model: capability x salience weighted mean",
        "x = sum c_i s_i x_i / sum c_i s_i (Van den Bos 1991; Stokman & Van Oosten 1994; Achen 2006).");
    return i;
  }
  void run_into(const Scenario& sc, const Params&, std::uint64_t, const RunContext&, Result& r) const override {
    per_issue(sc, r, [](const Issue&, const IssueData& d, Forecast& out) {
      out.value = weighted_mean(d.x, product(d.c, d.s), out);
    });
  }
};

class MedianModel final : public Baseline {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i = [] {
      ModelInfo m = base_info("median", "weighted median (BDM's median voter)",
                              "The lower weighted median: the smallest position whose cumulative weight reaches half "
                              "the total, positions sorted ascending. Equals the Condorcet winner among held positions.");
      m.params = {
          {"weight", ParamSpec::Type::choice, "cs", "weights: c*s (capability x salience) or c (capability)", {"cs", "c"}},
          {"tie", ParamSpec::Type::choice, "lower",
           "when the cumulative weight equals half exactly: the lower position, or the midpoint to the next",
           {"lower", "midpoint"}},
      };
      return m;
    }();
    return i;
  }
  void run_into(const Scenario& sc, const Params& p, std::uint64_t, const RunContext&, Result& r) const override {
    const bool cs = p.text("weight") == "cs";
    const bool midpoint = p.text("tie") == "midpoint";
    per_issue(sc, r, [&](const Issue&, const IssueData& d, Forecast& out) {
      out.value = weighted_median(d.x, cs ? product(d.c, d.s) : copy_of(d.c), midpoint, out);
    });
  }
};

// Asymmetric Nash bargaining solution on one dimension:
//   x* = argmax_x sum_i c_i log(u_i(x) - d_i),  u_i(x) = -s_i |x - x_i|^p.
// The objective is concave where defined, so bisection on the (right) derivative finds the
// unique maximiser.
class NashModel final : public Baseline {
 public:
  const ModelInfo& info() const override {
    static const ModelInfo i = [] {
      ModelInfo m = base_info(
          "nbs", "asymmetric Nash bargaining solution",
          "x* = argmax sum_i c_i log(u_i(x) - d_i), u_i(x) = -s_i |x - x_i|^p (p = 2 quadratic, 1 linear), over "
          "[min x_i, max x_i]. Disagreement: uniform d_i = -D, or the status quo d_i = u_i(q).");
      m.params = {
          {"loss", ParamSpec::Type::choice, "quadratic", "utility loss: quadratic (p=2) or linear (p=1)",
           {"quadratic", "linear"}},
          {"disagreement", ParamSpec::Type::choice, "uniform",
           "uniform: d_i = -d for all; status_quo: d_i = u_i(status quo of the issue)", {"uniform", "status_quo"}},
          {"d", ParamSpec::Type::real, "",
           "uniform disagreement level; default: the square of the range of positions (quadratic), the range (linear)",
           {}, 0, 1e308},
      };
      return m;
    }();
    return i;
  }

  void run_into(const Scenario& sc, const Params& prm, std::uint64_t, const RunContext&, Result& r) const override {
    const double p = prm.text("loss") == "quadratic" ? 2.0 : 1.0;
    const bool status_quo = prm.text("disagreement") == "status_quo";
    const bool auto_d = prm.is_auto("d");
    const double d_given = auto_d ? 0.0 : prm.real("d");
    per_issue(sc, r, [&](const Issue& issue, const IssueData& d, Forecast& out) {
      const auto [lo_it, hi_it] = std::minmax_element(d.x.begin(), d.x.end());
      const double lo = *lo_it, hi = *hi_it;
      if (lo == hi) {
        out.value = lo;
        return;
      }
      // Only actors who care (s > 0) and have clout (c > 0) shape the bargain.
      std::vector<std::size_t>& who = scratch().who;
      who.clear();
      for (std::size_t k = 0; k < d.size(); ++k)
        if (d.s[k] > 0 && d.c[k] > 0) who.push_back(k);
      if (who.empty()) {
        out.value = std::accumulate(d.x.begin(), d.x.end(), 0.0) / static_cast<double>(d.size());
        out.note = "no actor has both capability and salience: unweighted mean";
        return;
      }
      if (!status_quo) {
        const double range = hi - lo;
        const double D = auto_d ? (p == 2 ? range * range : range) : d_given;
        if (!(D > 0)) {
          out.defined = false;
          out.value = std::numeric_limits<double>::quiet_NaN();
          out.note = "d must be > 0";
          return;
        }
        // Feasible where s_i |x-x_i|^p < D for all i; shrink [lo, hi] to that set.
        double L = lo, R = hi;
        for (auto k : who) {
          const double reach = std::pow(D / d.s[k], 1.0 / p);
          L = std::max(L, d.x[k] - reach);
          R = std::min(R, d.x[k] + reach);
        }
        if (!(L < R)) {
          out.value = L;
          out.note = "feasible set is a point";
          return;
        }
        out.value = bisect(L, R, [&](double x) {
          double g = 0;
          for (auto k : who) {
            const double dx = x - d.x[k];
            const double loss = d.s[k] * std::pow(std::fabs(dx), p);
            const double slope = p == 2 ? 2 * d.s[k] * dx : d.s[k] * (dx >= 0 ? 1.0 : -1.0);
            g -= d.c[k] * slope / (D - loss);
          }
          return g;
        });
        return;
      }
      if (!issue.status_quo) {
        out.defined = false;
        out.value = std::numeric_limits<double>::quiet_NaN();
        out.note = "disagreement=status_quo needs a status_quo on the issue";
        return;
      }
      const double q = *issue.status_quo;
      // Feasible: |x - x_i| < |q - x_i| for every actor who cares.
      double L = -std::numeric_limits<double>::infinity(), R = std::numeric_limits<double>::infinity();
      for (auto k : who) {
        const double to_q = std::fabs(q - d.x[k]);
        L = std::max(L, d.x[k] - to_q);
        R = std::min(R, d.x[k] + to_q);
      }
      if (!(L < R)) {
        // Actors on both sides of q (or one at q): nothing beats the status quo for everyone.
        out.value = q;
        out.note = "status quo is the only point acceptable to all";
        return;
      }
      out.value = bisect(L, R, [&](double x) {
        double g = 0;
        for (auto k : who) {
          const double dx = x - d.x[k];
          const double gap = d.s[k] * (std::pow(std::fabs(q - d.x[k]), p) - std::pow(std::fabs(dx), p));
          const double slope = p == 2 ? 2 * d.s[k] * dx : d.s[k] * (dx >= 0 ? 1.0 : -1.0);
          g -= d.c[k] * slope / gap;
        }
        return g;
      });
    });
  }

 private:
  // Maximiser of a concave function on (L, R) given its right derivative.
  static double bisect(double L, double R, const std::function<double(double)>& derivative) {
    for (int it = 0; it < 200 && L < R; ++it) {
      const double mid = L + (R - L) / 2;
      if (mid <= L || mid >= R) break;
      if (derivative(mid) > 0) L = mid;
      else R = mid;
    }
    return L + (R - L) / 2;
  }
};

}  // namespace

ENTENTE_REGISTER_MODEL(MeanModel);
ENTENTE_REGISTER_MODEL(CapabilityMeanModel);
ENTENTE_REGISTER_MODEL(CompromiseModel);
ENTENTE_REGISTER_MODEL(MedianModel);
ENTENTE_REGISTER_MODEL(NashModel);

}  // namespace entente
