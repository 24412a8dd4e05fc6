// The report request: runs what a report shows (models, simulation, sensitivity), as plain data.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "entente/report.hpp"
#include "requests/internal.hpp"

namespace entente {

namespace {
// The command that makes the same report again (every option that changes it).
std::string reproduce(const ReportRequest& r, const std::vector<std::string>& names, const Provenance& p) {
  std::string c = "entente report " + (r.scenario.path.empty() ? std::string("FILE") : r.scenario.path);
  for (const auto& e : r.scenario.edits)
    c += e.kind == Edit::Kind::drop ? " --drop " + e.actor : " --set " + e.label().substr(4);
  for (const auto& n : names) c += " -m " + n;
  for (const auto& kv : r.models.params) c += " -p " + kv;
  c += fmt::format(" --seed {} --draws {}", p.seed, r.draws);
  if (r.models.settle == Settle::mean_of_cycle) c += " --settle mean-of-cycle";
  return c;
}
}  // namespace

ReportResponse report(const ReportRequest& request) {
  ReportResponse out;
  std::vector<std::string> every;
  for (const auto* m : models()) every.push_back(m->info().name);
  const auto names = detail::models_or(request.models, every, "report on");
  const auto params = route_params(names, request.models.params);
  out.scenario = resolve_scenario(request.scenario);
  ReportInputs& in = out.inputs;
  in.provenance = detail::provenance(request.scenario, out.scenario, request.models);
  in.command = request.command.empty() ? reproduce(request, names, in.provenance) : request.command;
  for (std::size_t k = 0; k < names.size(); ++k) {
    RunOptions o = detail::run_options(params[k], in.provenance);
    o.record.rounds = true;  // the trajectory charts
    o.cancel = request.models.cancel;
    in.results.push_back(run_model(out.scenario, names[k], o));
  }
  const Scenario& scenario = out.scenario;
  if (const auto players = veto_players(scenario); !players.empty()) {
    DealOptions d;
    d.models = names;
    d.params = params;
    d.seed = in.provenance.seed;
    d.settle = in.provenance.settle;
    d.draws = uncertain_inputs(scenario).empty() ? 0 : static_cast<std::uint64_t>(std::max(0, request.draws));
    in.deal.push_back(analyse_deal(scenario, d));
    if (!in.deal.front().possible)
      for (const auto& v : players) {
        DealWhatIfOptions w;
        w.actor = v.id;
        in.deal_whatifs.push_back(deal_whatif(scenario, w));
      }
  }
  if (uncertain_inputs(scenario).empty()) {
    in.simulation_note = "No number of the scenario has an uncertainty, so there is nothing to simulate.";
    in.sensitivity_note = "No number of the scenario has an uncertainty, so there is no sensitivity to show.";
    return out;
  }
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (request.draws > 0) {
      SimulationOptions so;
      so.model = names[k];
      so.params = params[k];
      so.seed = in.provenance.seed;
      so.settle = in.provenance.settle;
      so.draws = static_cast<std::uint64_t>(request.draws);
      so.cancel = request.models.cancel;
      const SimulationResult sim = simulate(scenario, so);
      const SimulationSummary sum = summarize(scenario, sim);
      ForecastDraws d;
      d.model = in.results[k].model;
      d.values.resize(scenario.issues.size());
      for (const auto& outcome : sim.outcomes)
        for (std::size_t i = 0; i < outcome.values.size() && i < d.values.size(); ++i) d.values[i].push_back(outcome.values[i]);
      for (const auto& is : sum.issues) d.settled.push_back(is.dynamic ? is.settled : 1.0);
      in.draws.push_back(std::move(d));
    }
    SensitivityOptions so;
    so.model = names[k];
    so.params = params[k];
    so.seed = in.provenance.seed;
    so.settle = in.provenance.settle;
    so.drop_actors = false;  // the tornado shows inputs moving over their ranges only
    so.cancel = request.models.cancel;
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
  if (request.draws <= 0) in.simulation_note = "Simulation was not asked for (0 draws).";
  return out;
}

}  // namespace entente
