// `entente runs list | show | export`: the run store's records and stored runs. The store returns
// data (RunRecord, StoredRun); this is where they become text.
#include <fmt/format.h>

#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;

Table list_table(const std::vector<RunRecord>& runs) {
  Table t;
  t.name = "runs";
  t.header = {"id", "kind", "created", "model", "seed", "draws", "partial", "seconds", "scenario", "scenario_hash", "note"};
  for (const auto& r : runs)
    t.rows.push_back({Cell::integer(r.id), r.kind, r.created, r.model, std::to_string(r.seed),
                      Cell::integer(static_cast<long long>(r.draws)), r.partial ? "true" : "false", Cell::num(r.seconds),
                      r.scenario_title, r.scenario_hash, r.note});
  return t;
}

json record_json(const RunRecord& r) {
  json params = json::parse(r.params.empty() ? "{}" : r.params, nullptr, false);
  if (params.is_discarded()) params = json::object();
  return json{{"id", r.id},
              {"kind", r.kind},
              {"created", r.created},
              {"model", r.model},
              {"params", params},
              {"seed", r.seed},
              {"first_draw", r.first_draw},
              {"draws", r.draws},
              {"draws_requested", r.draws_requested},
              {"partial", r.partial},
              {"seconds", out::jnum(r.seconds)},
              {"scenario", r.scenario_title},
              {"scenario_hash", r.scenario_hash},
              {"note", r.note}};  // the what-ifs of the run, or the caller's note
}

// Long form of a stored run: one row per stored number.
Table values_table(const StoredRun& run) {
  Table t;
  t.name = "values";
  t.header = {"draw", "issue", "series", "round", "value"};
  auto issue = [&](std::size_t i) { return i < run.issues.size() ? run.issues[i] : std::to_string(i); };
  if (run.result) {
    const Result& r = *run.result;
    for (std::size_t i = 0; i < r.forecasts.size(); ++i) {
      const auto& f = r.forecasts[i];
      t.rows.push_back({Cell::integer(0), issue(i), "forecast", Cell{}, f.defined ? Cell::num(f.value) : Cell{}});
    }
    // The forecast after each round (dynamic models), then the per-issue series of a kept trace.
    for (std::size_t i = 0; i < r.path.size(); ++i)
      for (std::size_t k = 0; k < r.path[i].size(); ++k)
        t.rows.push_back({Cell::integer(0), issue(i), "path", Cell::integer(static_cast<long long>(k)), Cell::num(r.path[i][k])});
    for (const auto& round : r.trace.rounds)
      for (const auto& series : round.issue_series)
        for (std::size_t i = 0; i < series.data.size(); ++i)
          t.rows.push_back({Cell::integer(0), issue(i), series.name, Cell::integer(round.index), Cell::num(series.data[i])});
  }
  if (run.simulation) {
    const auto& sim = *run.simulation;
    for (const auto& o : sim.outcomes)
      for (std::size_t i = 0; i < o.values.size(); ++i)
        t.rows.push_back({Cell::integer(static_cast<long long>(o.draw)), issue(i), "forecast", Cell{}, Cell::num(o.values[i])});
    for (const auto& o : sim.outcomes)
      for (std::size_t k = 0; k < o.rounds.size(); ++k)
        for (std::size_t r = 0; r < o.rounds[k].size(); ++r)
          for (std::size_t i = 0; i < o.rounds[k][r].size(); ++i)
            t.rows.push_back({Cell::integer(static_cast<long long>(o.draw)), issue(i),
                              k < sim.round_series.size() ? sim.round_series[k] : std::to_string(k),
                              Cell::integer(static_cast<long long>(r)), Cell::num(o.rounds[k][r][i])});
  }
  return t;
}

json run_json(const StoredRun& run) {
  json j{{"run", record_json(run.record)}};
  j["run"]["issues"] = run.issues;
  j["scenario"] = {{"hash", run.record.scenario_hash},
                   {"title", run.record.scenario_title},
                   {"origin", run.scenario_origin},
                   {"content_kind", run.scenario_kind},
                   {"content", run.scenario_content}};
  if (run.result) {
    json fc = json::object();
    for (std::size_t i = 0; i < run.result->forecasts.size() && i < run.issues.size(); ++i) {
      Issue is;  // the stored run keeps ids only: forecasts are shown without scale words
      is.id = run.issues[i];
      if (!run.result->forecasts[i].option_probabilities.empty()) is.kind = Issue::Kind::categorical;
      json f = out::forecast_json(is, run.result->forecasts[i]);
      f.erase("option");
      fc[is.id] = std::move(f);
    }
    j["forecasts"] = fc;
    const Result& r = *run.result;
    if (!r.path.empty()) {
      json path = json::object();  // the forecast after each round, per issue
      for (std::size_t i = 0; i < r.path.size() && i < run.issues.size(); ++i) {
        json v = json::array();
        for (double x : r.path[i]) v.push_back(out::jnum(x));
        path[run.issues[i]] = v;
      }
      j["path"] = path;
    }
    if (!r.diagnostics.empty()) {
      json d = json::object();
      for (const auto& [k, v] : r.diagnostics) d[k] = out::jnum(v);
      j["diagnostics"] = d;
    }
    if (!r.trace.empty()) {
      // As `entente trace -f json` lays out rounds: issue series [issue], actor series [issue][actor].
      json rounds = json::array();
      for (const auto& round : r.trace.rounds) {
        json rj;
        rj["round"] = round.index;
        for (const auto& series : round.issue_series) {
          json v = json::array();
          for (double x : series.data) v.push_back(out::jnum(x));
          rj[series.name] = v;
        }
        for (const auto& series : round.actor_series) {
          json m = json::array();
          for (const auto& row : series.data) {
            json v = json::array();
            for (double x : row) v.push_back(out::jnum(x));
            m.push_back(v);
          }
          rj[series.name] = m;
        }
        if (!round.events.empty()) {
          json ev = json::array();
          for (const auto& e : round.events) {
            json ej;
            ej["kind"] = e.kind;
            for (const auto& [k, v] : e.fields) {
              if (const auto* d = std::get_if<double>(&v)) ej[k] = out::jnum(*d);
              else if (const auto* n = std::get_if<long long>(&v)) ej[k] = *n;
              else ej[k] = std::get<std::string>(v);
            }
            ev.push_back(ej);
          }
          rj["events"] = ev;
        }
        rounds.push_back(rj);
      }
      j["trace"] = json{{"rounds", rounds}};
    }
  }
  if (run.simulation) {
    json draws = json::array();
    for (const auto& o : run.simulation->outcomes) {
      json v = json::array();
      for (double x : o.values) v.push_back(out::jnum(x));
      json d{{"draw", o.draw}, {"values", v}};
      if (!o.rounds.empty()) {
        json rounds = json::object();  // series name -> [round][issue]
        for (std::size_t k = 0; k < o.rounds.size(); ++k) {
          json m = json::array();
          for (const auto& row : o.rounds[k]) {
            json rv = json::array();
            for (double x : row) rv.push_back(out::jnum(x));
            m.push_back(rv);
          }
          rounds[k < run.simulation->round_series.size() ? run.simulation->round_series[k] : std::to_string(k)] = m;
        }
        d["rounds"] = rounds;
      }
      draws.push_back(std::move(d));
    }
    j["draws"] = draws;
    // How the store kept them: every draw, or the inputs and a digest (computed again, checked).
    j["draws_storage"] = run.recompute ? json{{"kind", "recompute"}, {"digest", run.recompute->digest}} : json{{"kind", "blocks"}};
    if (!run.summary.empty()) {
      json summary = json::object();  // issue -> {statistic: value}, as saved with the run
      for (const auto& row : run.summary) {
        const std::string id = row.issue < run.issues.size() ? run.issues[row.issue] : std::to_string(row.issue);
        summary[id][row.stat] = out::jnum(row.value);
      }
      j["summary"] = summary;
    }
  }
  if (!run.document.empty()) {
    json d = json::parse(run.document, nullptr, false);
    j["document"] = d.is_discarded() ? json(run.document) : d;
  }
  return j;
}
}  // namespace

std::string render(const std::vector<RunRecord>& runs, Format format) {
  switch (format) {
    case Format::json: {
      json j = json::array();
      for (const auto& r : runs) j.push_back(record_json(r));
      return out::dump(j);
    }
    case Format::csv: return render(list_table(runs), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{list_table(runs)}, Format::xlsx);
    case Format::table: break;
  }
  Table t;
  t.header = {"id", "kind", "created (UTC)", "model", "draws", "scenario", "what-ifs"};
  for (const auto& r : runs)
    t.rows.push_back({Cell::integer(r.id), r.kind, r.created, r.model, Cell::integer(static_cast<long long>(r.draws)),
                      (r.scenario_title.empty() ? "(untitled)" : r.scenario_title) + (r.partial ? " (partial)" : ""), r.note});
  return render(t, Format::table);
}

std::string render(const StoredRun& run, Format format) {
  const RunRecord& rec = run.record;
  switch (format) {
    case Format::json: return out::dump(run_json(run));
    case Format::csv: return render(values_table(run), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{list_table({rec}), values_table(run)}, Format::xlsx);
    case Format::table: break;
  }
  std::string s = fmt::format("run {}: {} of model {} ({})\n", rec.id, rec.kind, rec.model, rec.created);
  s += fmt::format("scenario: {} [{}]\n", terminal_safe(rec.scenario_title.empty() ? "(untitled)" : rec.scenario_title),
                   rec.scenario_hash.substr(0, 12));
  s += fmt::format("params: {}  seed: {}\n", rec.params, rec.seed);
  if (!rec.note.empty()) s += "what-ifs: " + terminal_safe(rec.note) + "\n";
  if (rec.kind == "simulation")
    s += fmt::format("draws: {} of {} from {}{}{}\n", rec.draws, rec.draws_requested, rec.first_draw, rec.partial ? " (partial)" : "",
                     run.recompute ? " (computed again from the stored inputs; digest checked)" : "");
  s += fmt::format("seconds: {}\n", display_number(rec.seconds));
  if (run.result) {
    Table t;
    t.header = {"issue", "forecast"};
    for (std::size_t i = 0; i < run.result->forecasts.size() && i < run.issues.size(); ++i) {
      const auto& f = run.result->forecasts[i];
      t.rows.push_back({run.issues[i], f.defined ? Cell::num(f.value) : Cell{"-"}});
    }
    s += "\n" + render(t, Format::table);
  }
  if (run.simulation) {
    Table t;
    t.header = {"issue", "draws", "mean", "5%", "50%", "95%"};
    for (std::size_t i = 0; i < run.issues.size(); ++i) {
      std::vector<double> v;
      for (const auto& o : run.simulation->outcomes)
        if (i < o.values.size()) v.push_back(o.values[i]);
      const Distribution d = describe(v);
      t.rows.push_back({run.issues[i], Cell::integer(static_cast<long long>(d.n)), d.n ? Cell::num(d.mean) : Cell{"-"},
                        d.n ? Cell::num(d.q05) : Cell{"-"}, d.n ? Cell::num(d.q50) : Cell{"-"}, d.n ? Cell::num(d.q95) : Cell{"-"}});
    }
    s += "\n" + render(t, Format::table);
  }
  if (!run.document.empty()) {
    json d = json::parse(run.document, nullptr, false);
    s += "\n" + (d.is_discarded() ? run.document : d.dump(2, ' ', false, json::error_handler_t::replace)) + "\n";
  }
  return s;
}

std::string render(const PruneResult& r, Format format) {
  if (format == Format::json)
    return out::dump(json{{"removed", r.removed},
                          {"abandoned", r.abandoned},
                          {"bytes_before", r.bytes_before},
                          {"bytes_after", r.bytes_after}});
  std::string s = fmt::format("removed {} run{}", r.removed, r.removed == 1 ? "" : "s");
  if (r.abandoned) s += fmt::format(" and {} incomplete run{} of writers that died", r.abandoned, r.abandoned == 1 ? "" : "s");
  s += fmt::format("; the store is {} MB (was {} MB)\n", display_number(static_cast<double>(r.bytes_after) / 1e6),
                   display_number(static_cast<double>(r.bytes_before) / 1e6));
  return s;
}

}  // namespace entente
