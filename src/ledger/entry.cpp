// Building ledger entries from model results: a scenario version's forecasts and distributions,
// and the DEU data as a resolved ledger.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "entente/backtest.hpp"
#include "entente/ledger.hpp"
#include "entente/version.hpp"
#include "requests/internal.hpp"

namespace entente {
namespace {

// Type-7 quantile of sorted values.
double quantile7(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

LedgerEntry make_ledger_entry(const Scenario& s, const std::vector<Result>& results,
                              const std::vector<const SimulationResult*>& simulations, std::uint64_t seed,
                              std::uint64_t draws) {
  LedgerEntry e;
  e.title = s.title;
  e.file = s.origin;
  e.scenario_hash = detail::scenario_hash(s);
  e.as_of = s.as_of;
  e.seed = seed;
  e.draws = draws;
  e.version = version;
  for (std::size_t i = 0; i < s.issues.size(); ++i) {
    const Issue& is = s.issues[i];
    LedgerIssue li;
    li.id = is.id;
    li.name = is.name;
    li.categorical = is.kind == Issue::Kind::categorical;
    li.min = is.min;
    li.max = is.max;
    li.status_quo = is.status_quo;
    li.options = is.options;
    for (std::size_t a = 0; a < s.actors.size(); ++a) {
      const Stance* st = s.stance(a, i);
      if (!st) continue;
      double v = st->position.value;
      if (li.categorical) {
        if (st->utilities.empty()) continue;
        const auto best = std::max_element(st->utilities.begin(), st->utilities.end(),
                                           [](const Quantity& x, const Quantity& y) { return x.value < y.value; });
        v = static_cast<double>(best - st->utilities.begin());
      }
      li.positions.emplace_back(s.actors[a].id, v);
    }
    e.issues.push_back(std::move(li));
  }
  for (std::size_t m = 0; m < results.size(); ++m) {
    const Result& r = results[m];
    e.models.push_back(r.model);
    for (const auto& [k, v] : r.params.values()) e.params.emplace_back(r.model + "." + k, v);
    const SimulationResult* sim = m < simulations.size() ? simulations[m] : nullptr;
    for (std::size_t i = 0; i < s.issues.size() && i < r.forecasts.size(); ++i) {
      const Forecast& f = r.forecasts[i];
      LedgerForecast lf;
      lf.model = r.model;
      lf.issue = s.issues[i].id;
      lf.categorical = s.issues[i].kind == Issue::Kind::categorical;
      lf.defined = f.defined && std::isfinite(f.value);
      lf.point = f.value;
      if (sim && !sim->outcomes.empty()) {
        if (lf.categorical) {
          std::vector<double> share(s.issues[i].options.size(), 0);
          double n = 0;
          for (const auto& o : sim->outcomes) {
            const double v = i < o.values.size() ? o.values[i] : std::nan("");
            if (!std::isfinite(v) || v < 0 || static_cast<std::size_t>(v) >= share.size()) continue;
            share[static_cast<std::size_t>(v)] += 1;
            n += 1;
          }
          if (n > 0) {
            for (auto& x : share) x /= n;
            lf.probabilities = share;
          }
        } else {
          std::vector<double> values;
          for (const auto& o : sim->outcomes)
            if (i < o.values.size() && std::isfinite(o.values[i])) values.push_back(o.values[i]);
          std::sort(values.begin(), values.end());
          if (!values.empty())
            for (std::size_t k = 0; k < ledger_quantiles; ++k)
              lf.quantiles.push_back(quantile7(values, (static_cast<double>(k) + 0.5) / ledger_quantiles));
        }
      }
      if (lf.categorical && lf.probabilities.empty()) lf.probabilities = f.option_probabilities;
      e.forecasts.push_back(std::move(lf));
    }
  }
  return e;
}

std::vector<DeuLedgerCase> deu_ledger(const std::string& deu_file, const std::string& model, std::size_t limit) {
  BacktestOptions bo;
  bo.model = model;
  std::vector<DeuLedgerCase> out;
  for (auto& c : load_deu(deu_file, bo)) {
    if (limit && out.size() >= limit) break;
    if (c.introduced.empty() || c.final_act.empty()) continue;  // undated: no time in force
    c.scenario.as_of = c.introduced;
    c.scenario.title = fmt::format("DEU {}", c.scenario.issues.front().id);
    const Result r = run_model(c.scenario, model, RunOptions{});
    DeuLedgerCase d;
    d.entry = make_ledger_entry(c.scenario, {r}, {nullptr}, 0, 0);
    d.resolution.title = c.scenario.title;
    d.resolution.date = c.final_act;
    IssueResolution ir;
    ir.issue = c.scenario.issues.front().id;
    ir.resolved = true;
    ir.value = c.outcome;
    ir.date = c.final_act;
    ir.evidence.push_back({"DEU", fmt::format("out = {} (final act {})", c.outcome, c.final_act)});
    d.resolution.issues.push_back(ir);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace entente
