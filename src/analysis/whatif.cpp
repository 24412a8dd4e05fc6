// What-if: the smallest change of one actor's lever (position, salience or capability) that
// moves the forecast of an issue to a target. Many forecasts are step functions of one input (a
// median jumps from one actor's position to another's), so a gradient optimiser is the wrong
// tool: we evaluate a grid on each side of the current value, bracket the first point where the
// target is reached or crossed, and bisect that bracket down to ~1e-12 of the lever's range.
// The answer is the nearest reaching point on either side. A crossing by a jump that skips over
// the target does not count (the forecast never equals it); the search goes on past it.
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/internal.hpp"
#include "entente/numbers.hpp"

namespace entente {

namespace {
Diagnostic whatif_error(std::string field, std::string expected, std::string found) {
  return Diagnostic{{}, std::move(field), std::move(expected), std::move(found), {}};
}
}  // namespace

WhatIfResult whatif(const Scenario& scenario, const WhatIfOptions& o) {
  RunOptions run = detail::quiet_run(o.params, o.seed, o.settle);
  run.cancel = o.cancel;
  const PreparedModel prepared(scenario, o.model, run);
  const std::size_t actor = scenario.actor_index(o.actor);
  const std::size_t issue = scenario.issue_index(o.issue);
  const std::size_t lever_issue = o.lever_issue.empty() ? issue : scenario.issue_index(o.lever_issue);
  const Issue& li = scenario.issues[lever_issue];
  const Issue& wi = scenario.issues[issue];

  WhatIfResult out;
  out.lever = o.lever;
  // The lever as an input we can set, with its bounds.
  UncertainInput lever;
  lever.actor = actor;
  lever.issue = lever_issue;
  const Stance* st = scenario.stance(actor, lever_issue);
  if (o.lever == "position") {
    if (li.kind != Issue::Kind::numeric)
      throw InputError(whatif_error("lever", "a numeric issue for the position lever", fmt::format("categorical issue '{}'", li.id)));
    if (!st) throw InputError(whatif_error("actor", fmt::format("an actor with a position on '{}'", li.id), o.actor));
    lever.field = UncertainInput::Field::position;
    lever.low = li.min;
    lever.high = li.max;
  } else if (o.lever == "salience") {
    if (!st) throw InputError(whatif_error("actor", fmt::format("an actor with a position on '{}'", li.id), o.actor));
    lever.field = UncertainInput::Field::salience;
    lever.low = 0;
    lever.high = 1;
  } else if (o.lever == "capability") {
    lever.field = st && st->capability ? UncertainInput::Field::issue_capability : UncertainInput::Field::capability;
    double top = 0;
    for (const auto& a : scenario.actors) top = std::max(top, a.capability.value);
    lever.low = 0;
    lever.high = o.capability_max > 0 ? o.capability_max : 10 * std::max(top, 1.0);
  } else {
    throw InputError(whatif_error("lever", "position, salience or capability", fmt::format("'{}'", o.lever)));
  }
  out.lever_low = lever.low;
  out.lever_high = lever.high;
  out.current = std::clamp(input_value(scenario, lever), lever.low, lever.high);
  const double span = lever.high - lever.low;
  const double scale_span = wi.kind == Issue::Kind::numeric ? wi.max - wi.min : 1.0;
  const double tol = o.tolerance >= 0 ? o.tolerance : 1e-6 * scale_span;
  if (!std::isfinite(o.target)) throw InputError(whatif_error("target", "a finite number", "nan or inf"));

  std::atomic<int> evaluations{0};
  auto f = [&](double x) {
    Scenario s = scenario;
    set_input_value(s, lever, x);
    ++evaluations;
    const double v = detail::forecast_values(prepared.run(s, o.seed))[issue];
    return v;
  };
  auto reached = [&](double v) { return !std::isnan(v) && std::fabs(v - o.target) <= tol; };
  // Side of the target: -1 below, +1 above, 0 exactly on it, 2 undefined (NaN).
  auto side_of = [&](double v) { return std::isnan(v) ? 2 : (v > o.target ? 1 : v < o.target ? -1 : 0); };
  auto crossed = [&](int from, int to) { return from != 2 && to != 2 && (to == 0 || to != from); };

  out.base_forecast = f(out.current);
  if (reached(out.base_forecast)) {
    out.reachable = true;
    out.value = out.current;
    out.forecast = out.base_forecast;
    out.note = "the forecast is already at the target";
    out.evaluations = evaluations.load();
    return out;
  }

  const int grid = std::max(2, o.grid);
  double seen_min = out.base_forecast, seen_max = out.base_forecast;
  struct Candidate {
    double x, v;
  };
  std::optional<Candidate> best;
  std::vector<std::string> jumps;
  for (int dir : {-1, +1}) {
    const double reach = dir < 0 ? out.current - lever.low : lever.high - out.current;
    if (!(reach > 0)) continue;
    std::vector<double> xs(static_cast<std::size_t>(grid)), vs(xs.size());
    for (int k = 0; k < grid; ++k)
      xs[static_cast<std::size_t>(k)] = k + 1 == grid ? (dir < 0 ? lever.low : lever.high)
                                                      : out.current + dir * reach * (k + 1) / grid;
    tbb::parallel_for(std::size_t{0}, xs.size(), [&](std::size_t k) { vs[k] = f(xs[k]); });
    double px = out.current, pv = out.base_forecast;
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const double x = xs[k], v = vs[k];
      if (!std::isnan(v)) {
        seen_min = std::min(seen_min, v);
        seen_max = std::max(seen_max, v);
      }
      if (crossed(side_of(pv), side_of(v))) {
        // Bisect [px, x] for the crossing nearest the current value: the point where the forecast
        // first touches or passes the target. Continuous forecasts meet it there to ~1e-12 of the
        // range; a jump that skips over it is recorded and the walk goes on.
        double a = px, b = x, va = pv, vb = v;
        const int side_a = side_of(pv);
        for (int it = 0; it < 200 && std::fabs(b - a) > 1e-12 * span; ++it) {
          const double m = 0.5 * (a + b);
          if (m == a || m == b) break;
          const double vm = f(m);
          if (crossed(side_a, side_of(vm))) {
            b = m;
            vb = vm;
          } else {
            a = m;
            va = vm;
          }
        }
        const double xb = reached(vb) || !reached(va) ? b : a;
        const double vx = xb == b ? vb : va;
        if (reached(vx)) {
          if (!best || std::fabs(xb - out.current) < std::fabs(best->x - out.current)) best = Candidate{xb, vx};
          break;
        }
        jumps.push_back(fmt::format("jumps from {} to {} at {} = {}", format_number(va), format_number(vb), o.lever,
                                    format_number(b)));
      } else if (reached(v)) {
        // Within the tolerance without crossing (e.g. approaching the target asymptotically).
        if (!best || std::fabs(x - out.current) < std::fabs(best->x - out.current)) best = Candidate{x, v};
        break;
      }
      px = x;
      pv = v;
    }
  }
  out.evaluations = evaluations.load();
  if (best) {
    out.reachable = true;
    out.value = best->x;
    out.change = best->x - out.current;
    out.forecast = best->v;
    if (!jumps.empty()) out.note = "on the other side the forecast " + jumps.front();
  } else {
    out.note = fmt::format("no {} of {} in [{}, {}] gives {} on '{}': the forecast ranges over [{}, {}]", o.lever, o.actor,
                           format_number(lever.low), format_number(lever.high), format_number(o.target), wi.id,
                           format_number(seen_min), format_number(seen_max));
    if (!jumps.empty()) out.note += "; it " + jumps.front();
  }
  return out;
}

}  // namespace entente
