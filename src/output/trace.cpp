// `entente trace`: a dynamic model round by round, in the layout its ModelInfo describes, and
// the events it recorded. Actors are named by their ids.
#include <fmt/format.h>

#include <algorithm>

#include "output/internal.hpp"

namespace entente {

namespace {

using out::json;

bool wanted(const std::vector<std::string>& series, const std::string& name) {
  return series.empty() || std::find(series.begin(), series.end(), name) != series.end();
}

double at(const std::vector<std::vector<double>>& data, std::size_t issue, std::size_t actor) {
  if (issue >= data.size() || actor >= data[issue].size()) return std::nan("");
  return data[issue][actor];
}

Cell event_cell(const EventValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return Cell::num(*d);
  if (const auto* i = std::get_if<long long>(&v)) return Cell::integer(*i);
  return std::get<std::string>(v);
}

// An event belongs to an issue when one of its fields names it (issue, supply_i, supply_j...).
bool about(const Event& e, const std::string& issue) {
  if (issue.empty()) return true;
  bool names_any = false;
  for (const auto& [k, v] : e.fields) {
    const auto* s = std::get_if<std::string>(&v);
    if (!s || (k != "issue" && k.rfind("supply", 0) != 0 && k != "dim")) continue;
    names_any = true;
    if (*s == issue) return true;
  }
  return !names_any;  // events about no issue (smp's choices, externalities) belong to every issue
}

bool listed(const TraceResponse& t, const Event& e) {
  return std::find(t.events.begin(), t.events.end(), e.kind) != t.events.end() && about(e, t.issue);
}

Table event_table(const TraceResponse& t, const std::string& round_label) {
  Table tb;
  tb.name = "events";
  tb.header = {round_label, "kind"};
  std::vector<std::string> fields;
  for (const auto& round : t.result.trace.rounds)
    for (const auto& e : round.events)
      if (listed(t, e))
        for (const auto& [k, v] : e.fields)
          if (std::find(fields.begin(), fields.end(), k) == fields.end()) fields.push_back(k);
  for (const auto& f : fields) tb.header.push_back(f);
  for (const auto& round : t.result.trace.rounds)
    for (const auto& e : round.events) {
      if (!listed(t, e)) continue;
      std::vector<Cell> row{Cell::integer(round.index), e.kind};
      for (const auto& f : fields) {
        const EventValue* v = e.get(f);
        row.push_back(v ? event_cell(*v) : Cell{});
      }
      tb.rows.push_back(std::move(row));
    }
  return tb;
}

std::vector<std::size_t> selected_issues(const TraceResponse& t) {
  if (!t.issue.empty()) return {t.scenario.issue_index(t.issue)};
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < t.scenario.issues.size(); ++i) out.push_back(i);
  return out;
}

Table rounds_table(const TraceResponse& t, const ModelInfo& info) {
  const Scenario& sc = t.scenario;
  const Result& r = t.result;
  Table tb;
  tb.name = "rounds";
  const auto issues = selected_issues(t);
  // Rounds recorded with series (a trace that kept only events has rounds without them).
  std::vector<const Round*> rounds;
  for (const auto& round : r.trace.rounds)
    if (!round.actor_series.empty() || !round.issue_series.empty()) rounds.push_back(&round);
  if (rounds.empty()) return tb;
  const Round& first = *rounds.front();
  switch (info.trace_layout) {
    case ModelInfo::TraceLayout::per_issue_wide: {
      const bool multi = issues.size() > 1;
      for (std::size_t i : issues) {
        std::vector<std::size_t> present;  // actors holding a position on the issue, in scenario order
        for (std::size_t a = 0; a < sc.actors.size(); ++a)
          if (sc.stance(a, i)) present.push_back(a);
        std::vector<std::string> header;
        if (multi) header.push_back("issue");
        header.push_back(info.round_label);
        for (const auto& s : first.issue_series) header.push_back(s.name);
        for (const auto& s : first.actor_series) {
          if (!wanted(t.series, s.name)) continue;
          for (std::size_t a : present) header.push_back(fmt::format("{}_{}", s.column.empty() ? s.name : s.column, sc.actors[a].id));
        }
        if (tb.header.empty() || tb.header.size() < header.size()) tb.header = header;
        for (const Round* round : rounds) {
          std::vector<Cell> row;
          if (multi) row.push_back(sc.issues[i].id);
          row.push_back(Cell::integer(round->index));
          for (const auto& s : round->issue_series) row.push_back(Cell::num(i < s.data.size() ? s.data[i] : std::nan("")));
          for (const auto& s : round->actor_series) {
            if (!wanted(t.series, s.name)) continue;
            for (std::size_t a : present) row.push_back(Cell::num(at(s.data, i, a)));
          }
          tb.rows.push_back(std::move(row));
        }
      }
      return tb;
    }
    case ModelInfo::TraceLayout::long_form: {
      std::vector<const ActorSeries*> cols;
      for (const auto& s : first.actor_series)
        if (wanted(t.series, s.name)) cols.push_back(&s);
      // Series recorded once per round print without the issue column when only they are selected.
      bool once = !cols.empty();
      for (const auto* s : cols) once = once && s->per_round;
      if (!once) std::erase_if(cols, [](const ActorSeries* s) { return s->per_round; });
      tb.header = {info.round_label, "actor"};
      if (!once) tb.header.push_back("dim");
      for (const auto* s : cols) tb.header.push_back(s->name);
      for (const Round* round : rounds)
        for (std::size_t a = 0; a < sc.actors.size(); ++a) {
          if (once) {
            std::vector<Cell> row{Cell::integer(round->index), sc.actors[a].id};
            for (const auto* c : cols) {
              const ActorSeries* s = round->actors(c->name);
              row.push_back(Cell::num(s ? at(s->data, 0, a) : std::nan("")));
            }
            tb.rows.push_back(std::move(row));
            continue;
          }
          for (std::size_t i : issues) {
            if (!sc.stance(a, i)) continue;
            std::vector<Cell> row{Cell::integer(round->index), sc.actors[a].id, out::issue_label(sc.issues[i])};
            bool any = cols.empty();
            for (const auto* c : cols) {
              const ActorSeries* s = round->actors(c->name);
              const double v = s ? at(s->data, i, a) : std::nan("");
              any = any || !std::isnan(v);
              row.push_back(Cell::num(v));
            }
            if (any) tb.rows.push_back(std::move(row));  // nothing recorded (e.g. smp's categorical issues): no row
          }
        }
      return tb;
    }
    case ModelInfo::TraceLayout::issue_rounds: {
      tb.header = {"issue", info.round_label};
      for (const auto& s : first.issue_series) tb.header.push_back(s.name);
      // Round-major, issues sorted by id within a round (the Decide reference layout).
      std::vector<std::size_t> by_id = issues;
      std::stable_sort(by_id.begin(), by_id.end(), [&](auto a, auto b) { return sc.issues[a].id < sc.issues[b].id; });
      for (const Round* round : rounds)
        for (std::size_t i : by_id) {
          std::vector<Cell> row{sc.issues[i].id, Cell::integer(round->index)};
          for (const auto& s : round->issue_series) row.push_back(Cell::num(i < s.data.size() ? s.data[i] : std::nan("")));
          tb.rows.push_back(std::move(row));
        }
      return tb;
    }
  }
  return tb;
}

json trace_document(const TraceResponse& t) {
  const Scenario& sc = t.scenario;
  const Result& r = t.result;
  json j;
  j["model"] = r.model;
  j["params"] = out::params_json(r.params);
  j["seed"] = r.seed;
  j["scenario"] = out::scenario_json(sc, t.provenance);
  j["warnings"] = out::warnings_json(sc);
  j["provenance"] = out::provenance_json(t.provenance);
  j["actors"] = json::array();
  for (const auto& a : sc.actors) j["actors"].push_back(a.id);
  // --issue ID: only that issue, in "issues", "forecasts" and every per-issue series.
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < sc.issues.size(); ++i)
    if (t.issue.empty() || sc.issues[i].id == t.issue) keep.push_back(i);
  j["issues"] = json::array();
  for (std::size_t i : keep) j["issues"].push_back(sc.issues[i].id);
  json fc = json::object();
  for (std::size_t i : keep)
    if (i < r.forecasts.size()) fc[sc.issues[i].id] = out::forecast_json(sc.issues[i], r.forecasts[i]);
  j["forecasts"] = fc;
  json rounds = json::array();
  for (const auto& round : r.trace.rounds) {
    json rj;
    rj["round"] = round.index;
    for (const auto& s : round.issue_series) {
      json v = json::array();
      for (std::size_t i : keep) v.push_back(out::jnum(i < s.data.size() ? s.data[i] : std::nan("")));
      rj[s.name] = v;
    }
    for (const auto& s : round.actor_series) {
      if (!wanted(t.series, s.name)) continue;
      json m = json::array();
      auto add_row = [&](const std::vector<double>& row) {
        json v = json::array();
        for (double x : row) v.push_back(out::jnum(x));
        m.push_back(v);
      };
      if (s.per_round) {
        for (const auto& row : s.data) add_row(row);
      } else {
        for (std::size_t i : keep)
          if (i < s.data.size()) add_row(s.data[i]);
      }
      rj[s.name] = m;  // [issue][actor] (per-round series: [0][actor])
    }
    if (!t.events.empty()) {
      json ev = json::array();
      for (const auto& e : round.events) {
        if (!listed(t, e)) continue;
        json ej;
        ej["kind"] = e.kind;
        for (const auto& [k, v] : e.fields) {
          if (const auto* d = std::get_if<double>(&v)) ej[k] = out::jnum(*d);
          else if (const auto* i = std::get_if<long long>(&v)) ej[k] = *i;
          else ej[k] = std::get<std::string>(v);
        }
        ev.push_back(ej);
      }
      rj["events"] = ev;
    }
    rounds.push_back(rj);
  }
  j["rounds"] = rounds;
  return j;
}

}  // namespace

std::string render(const TraceResponse& t, Format format) {
  const ModelInfo& info = find_model(t.result.model).info();
  switch (format) {
    case Format::json: return out::dump(trace_document(t));
    case Format::csv:
      return render(t.events.empty() ? rounds_table(t, info) : event_table(t, info.round_label), Format::csv);
    case Format::xlsx: {
      std::vector<Table> sheets{rounds_table(t, info)};
      if (!t.events.empty()) sheets.push_back(event_table(t, info.round_label));
      return render(sheets, Format::xlsx);
    }
    case Format::table: {
      std::string s = out::heading(t.scenario, t.provenance) + render(rounds_table(t, info), Format::table);
      if (!t.events.empty()) s += "\n" + render(event_table(t, info.round_label), Format::table);
      std::string notes;
      for (std::size_t i : selected_issues(t))
        if (i < t.result.forecasts.size() && !t.result.forecasts[i].convergence.settled())
          notes += fmt::format("  {}: {}\n", t.scenario.issues[i].id, describe_forecast(t.scenario.issues[i], t.result.forecasts[i]));
      if (!notes.empty()) s += "\nNot settled at the last round:\n" + notes;
      if (const std::string f = out::footer(t.provenance, info.stochastic); !f.empty()) s += "\n" + f;
      return s;
    }
  }
  return {};
}

}  // namespace entente
