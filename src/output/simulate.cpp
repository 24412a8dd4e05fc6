// `entente simulate`: per model and issue, the distribution of the forecast over the draws.
// Numeric issues: quantiles and a histogram; categorical issues: the share of draws forecasting
// each option and the model's mean option probabilities (never a mean of option numbers);
// dynamic models: the share of draws whose forecast settled.
#include <fmt/format.h>

#include <algorithm>

#include "output/internal.hpp"

namespace entente {

namespace {

using out::json;

json dist_json(const Distribution& d) {
  json j;
  j["n"] = d.n;
  const bool any = d.n > 0;
  j["mean"] = any ? out::jnum(d.mean) : nullptr;
  j["sd"] = any ? out::jnum(d.sd) : nullptr;
  j["quantiles"] = {{"5", any ? out::jnum(d.q05) : nullptr},  {"25", any ? out::jnum(d.q25) : nullptr},
                    {"50", any ? out::jnum(d.q50) : nullptr}, {"75", any ? out::jnum(d.q75) : nullptr},
                    {"95", any ? out::jnum(d.q95) : nullptr}};
  return j;
}

json summary_json(const SimulationSummary& s) {
  json j;
  j["model"] = s.model;
  j["params"] = out::params_json(s.params);
  j["seed"] = s.seed;
  j["settle"] = out::settle_name(s.settle);
  j["draws_requested"] = s.draws_requested;
  j["draws_completed"] = s.draws_completed;
  j["partial"] = s.partial;
  j["uncertain_inputs"] = s.uncertain_inputs;
  j["seconds"] = out::jnum(s.seconds);
  j["issues"] = json::array();
  for (const auto& is : s.issues) {
    json ji;
    ji["id"] = is.id;
    ji["name"] = is.name;
    ji["kind"] = is.categorical ? "categorical" : "numeric";
    ji["draws"] = is.forecast.n;  // draws with a forecast
    if (!is.categorical) {
      ji["forecast"] = dist_json(is.forecast);
      json h;
      h["edges"] = json::array();
      for (double e : is.bin_edges) h["edges"].push_back(out::jnum(e));
      h["counts"] = is.bin_counts;
      ji["histogram"] = h;
    } else {
      ji["options"] = json::array();
      for (std::size_t k = 0; k < is.options.size(); ++k) {
        json o{{"option", is.options[k]}, {"share", out::jnum(is.option_share[k])}};
        o["mean_probability"] = k < is.option_probability.size() ? out::jnum(is.option_probability[k]) : nullptr;
        ji["options"].push_back(o);
      }
    }
    if (is.dynamic)
      ji["convergence"] = {{"settled", out::jnum(is.settled)}, {"cycle", out::jnum(is.cycling)}, {"drift", out::jnum(is.drifting)}};
    j["issues"].push_back(ji);
  }
  j["rounds"] = json::array();
  for (const auto& rs : s.rounds) {
    json jr;
    jr["series"] = rs.series;
    jr["draws"] = rs.draws;  // behind the per-round distributions (the first ones, if capped)
    jr["capped"] = rs.capped;
    jr["issues"] = json::array();
    for (std::size_t i = 0; i < rs.issues.size() && i < s.issues.size(); ++i) {
      if (s.issues[i].categorical) continue;  // no per-round forecast of a categorical issue
      json ji;
      ji["id"] = s.issues[i].id;
      ji["rounds"] = json::array();
      for (std::size_t r = 0; r < rs.issues[i].size(); ++r) {
        json row{{"round", r}};
        const json d = dist_json(rs.issues[i][r]);  // named: items() of a temporary dangles
        for (const auto& [k, v] : d.items()) row[k] = v;
        ji["rounds"].push_back(row);
      }
      jr["issues"].push_back(ji);
    }
    j["rounds"].push_back(jr);
  }
  return j;
}

std::vector<Cell> dist_cells(const Distribution& d) {
  if (!d.n) return {Cell::integer(0), {}, {}, {}, {}, {}, {}, {}};
  return {Cell::integer(static_cast<long long>(d.n)), Cell::num(d.mean), Cell::num(d.sd), Cell::num(d.q05),
          Cell::num(d.q25),  Cell::num(d.q50),  Cell::num(d.q75), Cell::num(d.q95)};
}

// Long form for CSV and spreadsheets: one row per figure.
Table long_table(const SimulateResponse& rsp) {
  Table t;
  t.name = "simulation";
  t.header = {"model", "section", "issue", "key", "n", "mean", "sd", "q05", "q25", "q50", "q75", "q95", "count", "share",
              "mean_probability", "settled"};
  for (const auto& s : rsp.summaries) {
    for (const auto& is : s.issues) {
      const Cell settled = is.dynamic ? Cell::num(is.settled) : Cell{};
      if (!is.categorical) {
        std::vector<Cell> r{s.model, "forecast", is.id, ""};
        for (auto& c : dist_cells(is.forecast)) r.push_back(c);
        r.insert(r.end(), {Cell{}, Cell{}, Cell{}, settled});
        t.rows.push_back(r);
        for (std::size_t b = 0; b < is.bin_counts.size(); ++b)
          t.rows.push_back({s.model, "histogram", is.id,
                            fmt::format("[{},{}{}", format_number(is.bin_edges[b]), format_number(is.bin_edges[b + 1]),
                                        b + 1 == is.bin_counts.size() ? "]" : ")"),
                            {}, {}, {}, {}, {}, {}, {}, {}, Cell::integer(static_cast<long long>(is.bin_counts[b])), {}, {}, {}});
      }
      for (std::size_t k = 0; k < is.options.size(); ++k)
        t.rows.push_back({s.model, "option", is.id, is.options[k], Cell::integer(static_cast<long long>(is.forecast.n)), {}, {},
                          {}, {}, {}, {}, {}, {}, Cell::num(is.option_share[k]),
                          k < is.option_probability.size() ? Cell::num(is.option_probability[k]) : Cell{}, settled});
    }
    for (const auto& rs : s.rounds)
      for (std::size_t i = 0; i < rs.issues.size() && i < s.issues.size(); ++i) {
        if (s.issues[i].categorical) continue;
        for (std::size_t r = 0; r < rs.issues[i].size(); ++r) {
          std::vector<Cell> row{s.model, "round:" + rs.series, s.issues[i].id, Cell::integer(static_cast<long long>(r))};
          for (auto& c : dist_cells(rs.issues[i][r])) row.push_back(c);
          row.insert(row.end(), {Cell{}, Cell{}, Cell{}, Cell{}});
          t.rows.push_back(row);
        }
      }
  }
  return t;
}

std::string bar(std::size_t count, std::size_t max, int width) {
  if (!max) return {};
  const auto n = static_cast<std::size_t>(std::lround(static_cast<double>(count) / static_cast<double>(max) * width));
  return std::string(n, '#');
}

std::string summary_text(const SimulationSummary& s) {
  std::string out = fmt::format("Simulation: model {}, {} of {} draws{}, seed {}, {} uncertain inputs\n\n", s.model,
                                s.draws_completed, s.draws_requested, s.partial ? " (PARTIAL: interrupted)" : "", s.seed,
                                s.uncertain_inputs);
  Table t;
  t.header = {"issue", "n", "mean", "sd", "5%", "25%", "50%", "75%", "95%"};
  bool dynamic = false;
  for (const auto& is : s.issues) dynamic = dynamic || is.dynamic;
  if (dynamic) t.header.push_back("settled");
  for (const auto& is : s.issues) {
    if (is.categorical || !is.forecast.n) continue;
    std::vector<Cell> r{is.id};
    for (auto& c : dist_cells(is.forecast)) r.push_back(c);
    if (dynamic) r.push_back(is.dynamic ? Cell::pct(is.settled) : Cell{"-"});
    t.rows.push_back(std::move(r));
  }
  if (!t.rows.empty()) out += render(t, Format::table);
  Table c;
  c.header = {"issue", "option", "share of draws", "mean probability"};
  for (const auto& is : s.issues) {
    if (!is.categorical || !is.forecast.n) continue;
    for (std::size_t k = 0; k < is.options.size(); ++k)
      c.rows.push_back({k == 0 ? is.id : "", is.options[k], Cell::pct(is.option_share[k]),
                        k < is.option_probability.size() ? Cell::pct(is.option_probability[k]) : Cell{"-"}});
  }
  if (!c.rows.empty()) out += (t.rows.empty() ? "" : "\n") + render(c, Format::table);
  std::vector<std::string> none;
  for (const auto& is : s.issues)
    if (!is.forecast.n) none.push_back(is.id);
  if (!none.empty()) {
    std::string ids;
    for (const auto& x : none) ids += (ids.empty() ? "" : ", ") + x;
    out += fmt::format("\nno forecast by {} on: {}\n", s.model, ids);
  }
  for (const auto& rs : s.rounds)
    if (rs.capped) {
      out += fmt::format("\nper-round distributions ({}): the first {} draws (their per-round values reached the 128 MB cap)\n",
                         rs.series, rs.draws);
      break;
    }
  for (const auto& is : s.issues) {
    if (is.categorical || !is.forecast.n) continue;
    out += fmt::format("\n{}{}\n", is.id, is.name.empty() ? "" : " (" + terminal_safe(is.name) + ")");
    std::size_t max = 0;
    for (auto n : is.bin_counts) max = std::max(max, n);
    Table h;
    h.header = {"bin", "count", ""};
    for (std::size_t b = 0; b < is.bin_counts.size(); ++b)
      h.rows.push_back({fmt::format("[{}, {}{}", display_number(is.bin_edges[b]), display_number(is.bin_edges[b + 1]),
                                    b + 1 == is.bin_counts.size() ? "]" : ")"),
                        Cell::integer(static_cast<long long>(is.bin_counts[b])), bar(is.bin_counts[b], max, 40)});
    out += render(h, Format::table);
    if (is.dynamic && is.settled < 1)
      out += fmt::format("not settled in {} of the draws ({} cycle, {} still moving)\n", display_percent(1 - is.settled),
                         display_percent(is.cycling), display_percent(is.drifting));
  }
  return out;
}

// For spreadsheets: one sheet per kind of table (the long form's sections), numbers as numbers.
std::vector<Table> sheets(const SimulateResponse& rsp) {
  Table fc{"forecast", {"model", "issue", "n", "mean", "sd", "q05", "q25", "q50", "q75", "q95", "settled"}, {}};
  Table hist{"histogram", {"model", "issue", "bin", "low", "high", "count"}, {}};
  Table opts{"options", {"model", "issue", "option", "n", "share", "mean_probability", "settled"}, {}};
  Table rounds{"rounds", {"model", "series", "issue", "round", "n", "mean", "sd", "q05", "q25", "q50", "q75", "q95"}, {}};
  for (const auto& s : rsp.summaries) {
    for (const auto& is : s.issues) {
      const Cell settled = is.dynamic ? Cell::num(is.settled) : Cell{};
      if (!is.categorical) {
        std::vector<Cell> r{s.model, is.id};
        for (auto& c : dist_cells(is.forecast)) r.push_back(c);
        r.push_back(settled);
        fc.rows.push_back(std::move(r));
        for (std::size_t b = 0; b < is.bin_counts.size(); ++b)
          hist.rows.push_back({s.model, is.id, Cell::integer(static_cast<long long>(b + 1)), Cell::num(is.bin_edges[b]),
                               Cell::num(is.bin_edges[b + 1]), Cell::integer(static_cast<long long>(is.bin_counts[b]))});
      }
      for (std::size_t k = 0; k < is.options.size(); ++k)
        opts.rows.push_back({s.model, is.id, is.options[k], Cell::integer(static_cast<long long>(is.forecast.n)),
                             Cell::num(is.option_share[k]),
                             k < is.option_probability.size() ? Cell::num(is.option_probability[k]) : Cell{}, settled});
    }
    for (const auto& rs : s.rounds)
      for (std::size_t i = 0; i < rs.issues.size() && i < s.issues.size(); ++i) {
        if (s.issues[i].categorical) continue;
        for (std::size_t r = 0; r < rs.issues[i].size(); ++r) {
          std::vector<Cell> row{s.model, rs.series, s.issues[i].id, Cell::integer(static_cast<long long>(r))};
          for (auto& c : dist_cells(rs.issues[i][r])) row.push_back(c);
          rounds.rows.push_back(std::move(row));
        }
      }
  }
  std::vector<Table> out{std::move(fc), std::move(hist)};
  if (!opts.rows.empty()) out.push_back(std::move(opts));
  if (!rounds.rows.empty()) out.push_back(std::move(rounds));
  return out;
}

}  // namespace

std::string render(const SimulateResponse& rsp, Format format) {
  switch (format) {
    case Format::json: {
      json j;
      if (rsp.summaries.size() == 1) j = summary_json(rsp.summaries.front());
      j["scenario"] = out::scenario_json(rsp.scenario, rsp.provenance);
      j["warnings"] = out::warnings_json(rsp.scenario);
      j["provenance"] = out::provenance_json(rsp.provenance);
      if (rsp.summaries.size() != 1) {
        j["simulations"] = json::array();
        for (const auto& s : rsp.summaries) j["simulations"].push_back(summary_json(s));
      }
      return out::dump(j);
    }
    case Format::csv: return render(long_table(rsp), Format::csv);
    case Format::xlsx: return render(sheets(rsp), Format::xlsx);
    case Format::table: {
      std::string s = out::heading(rsp.scenario, rsp.provenance);
      for (std::size_t k = 0; k < rsp.summaries.size(); ++k) s += (k ? "\n" : "") + summary_text(rsp.summaries[k]);
      if (rsp.provenance.settle == Settle::mean_of_cycle) s += "\n" + out::footer(rsp.provenance, false);
      return s;
    }
  }
  return {};
}

}  // namespace entente
