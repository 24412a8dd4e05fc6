// Runs what a report shows. The simulation and sensitivity sections come from the analysis
// library (include/entente/analysis.hpp) when it is part of the build; this file is the only place
// that calls it, so the report itself only sees plain data (ForecastDraws, Tornado).
#include <fmt/format.h>

#include <cmath>

#include "entente/report.hpp"

#if __has_include("entente/analysis.hpp")
#include "entente/analysis.hpp"
#define ENTENTE_REPORT_ANALYSIS 1
#endif

namespace entente {

namespace {
#ifdef ENTENTE_REPORT_ANALYSIS
void add_analyses(const Scenario& scenario, const ReportRequest& request, ReportInputs& in) {
  if (uncertain_inputs(scenario).empty()) {
    in.simulation_note = "No number of the scenario has an uncertainty, so there is nothing to simulate.";
    in.sensitivity_note = "No number of the scenario has an uncertainty, so there is no sensitivity to show.";
    return;
  }
  for (std::size_t k = 0; k < request.models.size(); ++k) {
    const Params params = k < request.params.size() ? request.params[k] : Params{};
    if (request.draws > 0) {
      SimulationOptions o;
      o.model = request.models[k];
      o.params = params;
      o.seed = request.seed;
      o.draws = static_cast<std::uint64_t>(request.draws);
      const SimulationResult sim = simulate(scenario, o);
      ForecastDraws d;
      d.model = in.results[k].model;
      d.values.resize(scenario.issues.size());
      for (const auto& outcome : sim.outcomes)
        for (std::size_t i = 0; i < outcome.values.size() && i < d.values.size(); ++i)
          d.values[i].push_back(outcome.values[i]);
      in.draws.push_back(std::move(d));
    }
    SensitivityOptions so;
    so.model = request.models[k];
    so.params = params;
    so.seed = request.seed;
    so.drop_actors = false;  // the tornado shows inputs moving over their ranges only
    const SensitivityResult sens = sensitivity(scenario, so);
    for (std::size_t i = 0; i < sens.base.size() && i < scenario.issues.size(); ++i) {
      if (!std::isfinite(sens.base[i])) continue;
      Tornado t;
      t.model = in.results[k].model;
      t.issue = i;
      t.base = sens.base[i];
      for (const auto& e : sens.entries) {
        if (e.kind != SensitivityEntry::Kind::input || i >= e.at_low.size() || i >= e.at_high.size()) continue;
        t.bars.push_back(TornadoBar{e.label, e.low, e.high, e.at_low[i], e.at_high[i]});
      }
      in.tornadoes.push_back(std::move(t));
    }
  }
  if (request.draws <= 0) in.simulation_note = "Simulation was not asked for (--draws 0).";
}
#endif
}  // namespace

ReportInputs prepare_report(const Scenario& scenario, const ReportRequest& request) {
  ReportInputs in;
  in.command = request.command;
  for (std::size_t k = 0; k < request.models.size(); ++k)
    in.results.push_back(run_model(scenario, request.models[k], k < request.params.size() ? request.params[k] : Params{},
                                   request.seed));
#ifdef ENTENTE_REPORT_ANALYSIS
  add_analyses(scenario, request, in);
#else
  in.simulation_note = "Simulation is not available in this build of entente.";
  in.sensitivity_note = "Sensitivity analysis is not available in this build of entente.";
#endif
  return in;
}

}  // namespace entente
