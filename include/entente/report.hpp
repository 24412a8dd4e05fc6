// The HTML report: one self-contained file (inline CSS and SVG, no script, no network) that shows a
// scenario, its sources and evidence, and the forecasts of several models with their charts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "entente/model.hpp"
#include "entente/params.hpp"
#include "entente/scenario.hpp"

namespace entente {

// The forecasts of one model over simulation draws of the scenario's uncertain numbers.
struct ForecastDraws {
  std::string model;
  std::vector<std::vector<double>> values;  // [issue][draw]; an issue may have no values
};

// One input of a sensitivity analysis: the forecast when the input is at its low / high value.
struct TornadoBar {
  std::string input;  // e.g. "russia.regions.salience"
  double low_input = 0, high_input = 0;
  double low = 0, high = 0;  // the forecast with the input at low_input / high_input
};
struct Tornado {
  std::string model;
  std::size_t issue = 0;
  double base = 0;               // the forecast with every input at its value
  std::vector<TornadoBar> bars;  // any order; drawn sorted by swing
};

struct ReportInputs {
  std::vector<Result> results;       // one per model, in the order to show
  std::vector<ForecastDraws> draws;  // simulation (empty: the section says why)
  std::vector<Tornado> tornadoes;    // sensitivity (empty: the section says why)
  std::string simulation_note;       // shown when draws is empty
  std::string sensitivity_note;      // shown when tornadoes is empty
  std::string command;               // how the report was made (shown in the footer)
};

// What to compute for a report: the models to run and the size of the simulation.
struct ReportRequest {
  std::vector<std::string> models;
  std::vector<Params> params;  // per model (same order; missing = defaults)
  std::uint64_t seed = 0;
  int draws = 1000;            // simulation draws per model (0 = no simulation)
  std::string command;
};
// Runs the models, and the simulation and sensitivity analyses when the library has them.
[[nodiscard]] ReportInputs prepare_report(const Scenario& scenario, const ReportRequest& request);

// The whole report as one HTML document. Every scenario text is escaped.
[[nodiscard]] std::string write_report(const Scenario& scenario, const ReportInputs& inputs);

}  // namespace entente
