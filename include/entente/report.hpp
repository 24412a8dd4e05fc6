// The HTML report and its charts. The report is one self-contained file (inline CSS and SVG, no
// script, no network) that shows a scenario, its sources and evidence, and the forecasts of
// several models with their charts. The charts are public: the web UI shows the same ones.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "entente/model.hpp"
#include "entente/params.hpp"
#include "entente/requests.hpp"
#include "entente/scenario.hpp"

namespace entente {

// The forecasts of one model over simulation draws of the scenario's uncertain numbers.
struct ForecastDraws {
  std::string model;
  std::vector<std::vector<double>> values;  // [issue][draw]; categorical issues: option indices
  std::vector<double> settled;              // [issue] share of draws whose forecast settled (dynamic models)
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
  std::string command;               // the command that makes this report again (shown in the footer)
  Provenance provenance;             // seed, what-ifs
  // Will there be a deal? (docs/models/deal.md; empty when the scenario has no veto players):
  // the analysis with the models' forecasts checked (and P(deal) over the draws when simulated),
  // and, when no deal is possible, what it would take per veto player.
  std::vector<DealResult> deal;       // 0 or 1 entries
  std::vector<DealWhatIfResult> deal_whatifs;
};

// What a report shows: the models, and how many simulation draws per model.
struct ReportRequest {
  ScenarioSource scenario;
  ModelSelection models;  // default: every model
  int draws = 1000;       // simulation draws per model (0 = no simulation)
  std::string command;    // how to make it again; empty: built from the request
};
struct ReportResponse {
  Scenario scenario;
  ReportInputs inputs;
};
// Runs the models, the simulation and the sensitivity analysis a report shows.
[[nodiscard]] ReportResponse report(const ReportRequest& request);

// The whole report as one HTML document. Every scenario text is escaped.
[[nodiscard]] std::string write_report(const Scenario& scenario, const ReportInputs& inputs);
[[nodiscard]] inline std::string write_report(const ReportResponse& r) { return write_report(r.scenario, r.inputs); }

namespace charts {
// The issue's scale with its labelled points, each actor's position (circle area ~ capability x
// salience) and each model's forecast as a marked line. Categorical issues: utilities and the
// models' option probabilities.
[[nodiscard]] std::string issue_chart(const Scenario& scenario, std::size_t issue, const std::vector<Result>& results);
// Positions over rounds (one line per actor) with the issue series on the scale (median, mean...)
// in bold. Empty string if the result has no trace with positions for this issue.
[[nodiscard]] std::string trajectory_chart(const Scenario& scenario, std::size_t issue, const Result& result);
// Histogram of a forecast's values over simulation draws; marks the point forecast if defined.
// Categorical issues: the share of draws forecasting each option.
[[nodiscard]] std::string histogram_chart(const Issue& issue, const std::vector<double>& values, double point,
                                          bool has_point);
// Tornado: the forecast's swing as each input goes from low to high, largest first.
[[nodiscard]] std::string tornado_chart(const Issue& issue, const Tornado& tornado);
}  // namespace charts

// The ledger's timeline of one issue: each model's forecast and 5-95% band across the dated
// versions, the resolution as a dashed line (entente/ledger.hpp).
namespace charts {
[[nodiscard]] std::string timeline_chart(const Timeline& timeline, const std::string& issue);
}  // namespace charts

}  // namespace entente
