// `entente forecast` in every format; the web server's /api/forecast and Python's forecast() are
// this JSON. Adding a field to a forecast is a change here.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "entente/report.hpp"
#include "output/internal.hpp"

namespace entente {

namespace {

using out::json;

json models_json(const ForecastResponse& rsp) {
  json runs = json::array();
  for (std::size_t m = 0; m < rsp.results.size(); ++m) {
    const Result& r = rsp.results[m];
    json diag = json::object();
    for (const auto& [k, v] : r.diagnostics) diag[k] = out::jnum(v);
    runs.push_back(json{{"name", r.model},
                        {"params", out::params_json(r.params)},
                        {"seed", r.seed},
                        {"diagnostics", diag},
                        {"rounds", r.path.empty() ? 0 : static_cast<int>(r.path.front().size()) - 1}});
    // Is the forecast acceptable to every veto player (docs/models/deal.md)? Only with veto players.
    if (m < rsp.deals.size()) runs.back()["deal"] = out::deal_check_json(rsp.deals[m], rsp.veto_players);
  }
  return runs;
}

json forecast_document(const ForecastResponse& rsp, const RenderOptions& options) {
  const Scenario& sc = rsp.scenario;
  json j;
  j["scenario"] = out::scenario_json(sc, rsp.provenance);
  j["warnings"] = out::warnings_json(sc);
  j["provenance"] = out::provenance_json(rsp.provenance);
  j["models"] = models_json(rsp);
  json issues = json::array();
  for (std::size_t i = 0; i < sc.issues.size(); ++i) {
    const Issue& is = sc.issues[i];
    json ij;
    ij["id"] = is.id;
    ij["name"] = is.name;
    ij["kind"] = is.kind == Issue::Kind::categorical ? "categorical" : "numeric";
    if (is.kind == Issue::Kind::categorical) ij["options"] = is.options;
    else ij["scale"] = {{"min", is.min}, {"max", is.max}};
    json fs = json::object();
    for (const auto& r : rsp.results)
      if (i < r.forecasts.size()) fs[r.model] = out::forecast_json(is, r.forecasts[i]);
    ij["forecasts"] = fs;
    if (!rsp.deals.empty()) {
      // Per model: the values of this issue acceptable to every veto player, the other issues held
      // at the model's forecast, and whether the forecast lies in it.
      json dj = json::object();
      for (std::size_t m = 0; m < rsp.deals.size() && m < rsp.results.size(); ++m) {
        const DealModel& d = rsp.deals[m];
        if (i >= d.zones.size()) continue;
        const DealZone& z = d.zones[i];
        const double v = i < d.package.size() ? d.package[i] : std::nan("");
        bool in = false;
        if (std::isfinite(v) && v >= 0 && z.categorical)
          in = std::find(z.options.begin(), z.options.end(), static_cast<std::size_t>(v)) != z.options.end();
        else if (std::isfinite(v) && !z.categorical)
          in = z.interval && v >= z.interval->first - 1e-9 && v <= z.interval->second + 1e-9;
        dj[rsp.results[m].model] = {{"zone", out::deal_zone_json(is, z)}, {"in_zone", in}};
      }
      ij["deal"] = dj;
    }
    if (options.charts) {
      ij["chart"] = charts::issue_chart(sc, i, rsp.results);
      json traj = json::object();
      for (const auto& r : rsp.results)
        if (auto svg = charts::trajectory_chart(sc, i, r); !svg.empty()) traj[r.model] = svg;
      ij["trajectories"] = traj;
    }
    issues.push_back(std::move(ij));
  }
  j["issues"] = issues;
  return j;
}

// Long form: one row per (issue, model), every figure a column.
Table forecast_table(const ForecastResponse& rsp) {
  const Scenario& sc = rsp.scenario;
  Table t;
  t.name = "forecasts";
  t.header = {"issue", "model", "value", "defined", "in_words", "settled", "convergence", "period", "cycle_low",
              "cycle_high", "cycle_mean"};
  std::vector<std::string> extras;
  for (const auto& r : rsp.results)
    for (const auto& f : r.forecasts)
      for (const auto& [k, v] : f.extras)
        if (std::find(extras.begin(), extras.end(), k) == extras.end()) extras.push_back(k);
  for (const auto& e : extras) t.header.push_back(e);
  t.header.push_back("note");
  const bool deal = !rsp.deals.empty();
  if (deal) {
    // The model's whole forecast checked against the veto players (the same on every issue's row).
    t.header.push_back("deal_acceptable");
    t.header.push_back("deal_blockers");
  }
  for (std::size_t i = 0; i < sc.issues.size(); ++i) {
    const Issue& is = sc.issues[i];
    for (const auto& r : rsp.results) {
      if (i >= r.forecasts.size()) continue;
      const Forecast& f = r.forecasts[i];
      const bool ok = f.defined && std::isfinite(f.value);
      const Convergence& c = f.convergence;
      const bool cycle = c.state == Convergence::State::cycle;
      std::vector<Cell> row{is.id,
                            r.model,
                            ok ? Cell::num(f.value) : Cell{},
                            ok ? "true" : "false",
                            !ok ? Cell{}
                                : is.kind == Issue::Kind::categorical ? Cell{describe_forecast(is, f)}
                                                                      : Cell{describe_position(is, f.value)},
                            c.settled() ? "true" : "false",
                            c.state == Convergence::State::not_applicable ? Cell{} : Cell{to_string(c.state)},
                            cycle ? Cell::integer(c.period) : Cell{},
                            cycle ? Cell::num(c.low) : Cell{},
                            cycle ? Cell::num(c.high) : Cell{},
                            cycle ? Cell::num(c.cycle_mean) : Cell{}};
      for (const auto& e : extras) {
        const double* v = f.extra(e);
        row.push_back(v ? Cell::num(*v) : Cell{});
      }
      row.push_back(f.note);
      if (deal) {
        const std::size_t m = static_cast<std::size_t>(&r - rsp.results.data());
        const DealModel* d = m < rsp.deals.size() ? &rsp.deals[m] : nullptr;
        row.push_back(d ? Cell{d->acceptable ? "true" : "false"} : Cell{});
        row.push_back(d ? Cell{fmt::format("{}", fmt::join(d->blockers, ";"))} : Cell{});
      }
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

// For people: one row per issue, one column per model, then the first model's forecasts in words
// and a note on every forecast that has not settled.
std::string forecast_text(const ForecastResponse& rsp) {
  const Scenario& sc = rsp.scenario;
  std::string s = out::heading(sc, rsp.provenance);
  Table t;
  t.header = {"issue"};
  for (const auto& r : rsp.results) t.header.push_back(r.model);
  for (std::size_t i = 0; i < sc.issues.size(); ++i) {
    std::vector<Cell> row{sc.issues[i].id};
    for (const auto& r : rsp.results)
      row.push_back(i < r.forecasts.size() ? describe_forecast(sc.issues[i], r.forecasts[i]) : "-");
    t.rows.push_back(std::move(row));
  }
  if (!rsp.deals.empty()) {
    // Whether the whole forecast (every issue) is acceptable to every veto player.
    std::vector<Cell> row{"deal?"};
    for (std::size_t m = 0; m < rsp.results.size(); ++m)
      row.push_back(m < rsp.deals.size() ? out::deal_words(rsp.deals[m]) : "-");
    t.rows.push_back(std::move(row));
  }
  s += render(t, Format::table);
  if (!rsp.deals.empty()) {
    std::string players;
    for (const auto& v : rsp.veto_players) players += (players.empty() ? "" : ", ") + terminal_safe(v.id);
    s += fmt::format("deal?: is the forecast acceptable to every veto player ({})? `entente deal` says what would be.\n",
                     players);
  }
  if (!rsp.results.empty()) {
    const Result& first = rsp.results.front();
    s += fmt::format("\nIn words ({}):\n", first.model);
    for (std::size_t i = 0; i < sc.issues.size(); ++i) {
      const Issue& is = sc.issues[i];
      // The first model's forecast, or for issues it leaves undefined the first model that has one.
      const Result* by = &first;
      for (const auto& r : rsp.results)
        if (i < r.forecasts.size() && !by->forecasts.at(i).defined && r.forecasts[i].defined) by = &r;
      const Forecast& f = by->forecasts.at(i);
      std::string words;
      if (!f.defined) words = f.note.empty() ? "no forecast" : f.note;
      else if (is.kind == Issue::Kind::categorical) words = describe_forecast(is, f);
      else {
        // An issue without labelled points has no words for its value: the number alone.
        const std::string position = describe_position(is, f.value);
        words = position.empty() ? display_number(f.value) : fmt::format("{}: {}", display_number(f.value), position);
      }
      if (!f.convergence.settled()) words += " (not settled: see below)";
      if (by != &first) words += fmt::format(" [{}]", by->model);
      s += fmt::format("  {} ({}): {}\n", terminal_safe(out::issue_label(is)), terminal_safe(is.id), terminal_safe(words));
    }
  }
  std::string notes;
  for (const auto& r : rsp.results)
    for (std::size_t i = 0; i < r.forecasts.size() && i < sc.issues.size(); ++i) {
      const Convergence& c = r.forecasts[i].convergence;
      if (c.settled()) continue;
      if (c.state == Convergence::State::cycle)
        notes += fmt::format(
            "  {} on {}: cycles with period {} between {} and {} (round {} shown{}); the cycle's mean is {}{}\n", r.model,
            sc.issues[i].id, c.period, display_number(c.low), display_number(c.high), c.rounds,
            c.summarised ? " as the mean" : "", display_number(c.cycle_mean),
            c.summarised ? "" : " (--settle mean-of-cycle shows it)");
      else
        notes += fmt::format("  {} on {}: still moving after {} rounds (last change {}, {} to {} in the last rounds)\n",
                             r.model, sc.issues[i].id, c.rounds, display_number(c.last_change), display_number(c.low),
                             display_number(c.high));
    }
  if (!notes.empty()) s += "\nNot settled (a forecast of where the talks are at that round, not where they settle):\n" + notes;
  bool seeded = false;
  for (const auto& r : rsp.results) seeded = seeded || find_model(r.model).info().stochastic;
  if (const std::string f = out::footer(rsp.provenance, seeded); !f.empty()) s += "\n" + f;
  return s;
}

}  // namespace

std::string render(const ForecastResponse& rsp, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::json: return out::dump(forecast_document(rsp, options));
    case Format::csv: return render(forecast_table(rsp), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{forecast_table(rsp)}, Format::xlsx);
    case Format::table: return forecast_text(rsp);
  }
  return {};
}

}  // namespace entente
