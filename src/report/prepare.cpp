// Runs what a report shows. The simulation and sensitivity sections come from the analysis
// library (include/entente/analysis.hpp) when it is part of the build; this file is the only place
// that calls it, so the report itself only sees plain data (ForecastDraws, Tornado).
#include <fmt/format.h>

#include "entente/report.hpp"

namespace entente {

ReportInputs prepare_report(const Scenario& scenario, const ReportRequest& request) {
  ReportInputs in;
  in.command = request.command;
  for (std::size_t k = 0; k < request.models.size(); ++k)
    in.results.push_back(run_model(scenario, request.models[k], k < request.params.size() ? request.params[k] : Params{},
                                   request.seed));
  // The analysis library (simulation over the uncertainty ranges, one-at-a-time sensitivity) has not
  // landed in this build yet.
  in.simulation_note = "Simulation is not available in this build of entente.";
  in.sensitivity_note = "Sensitivity analysis is not available in this build of entente.";
  return in;
}

}  // namespace entente
