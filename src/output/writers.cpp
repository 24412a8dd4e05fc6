// Writers for forecasts and traces. They read Results; models know nothing of them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "entente/output.hpp"

namespace entente {

using nlohmann::ordered_json;

Format parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "json") return Format::json;
  if (name == "csv") return Format::csv;
  throw InputError(Diagnostic{{"<command line>", 0, 0}, "--format", "table, json or csv", fmt::format("'{}'", name), {}});
}

std::string format_number(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";  // no "-0"
  return fmt::format("{}", v);
}

namespace {
// Numbers in tables: 6 significant digits are enough to read; CSV/JSON keep full precision.
std::string short_number(double v) {
  if (std::isnan(v)) return "-";
  if (v == 0) return "0";
  return fmt::format("{:.6g}", v);
}
ordered_json json_number(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++n;  // count UTF-8 code points
  return n;
}
}  // namespace

std::string csv_escape(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string render(const Table& t, Format format) {
  std::string out;
  if (format == Format::csv) {
    auto line = [&](const std::vector<std::string>& cells) {
      for (std::size_t k = 0; k < cells.size(); ++k) out += (k ? "," : "") + csv_escape(cells[k]);
      out += '\n';
    };
    line(t.header);
    for (const auto& r : t.rows) line(r);
    return out;
  }
  std::vector<std::size_t> w(t.header.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t k = 0; k < cells.size() && k < w.size(); ++k) w[k] = std::max(w[k], display_width(cells[k]));
  };
  measure(t.header);
  for (const auto& r : t.rows) measure(r);
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (std::size_t k = 0; k < cells.size(); ++k) {
      if (k) l += "  ";
      l += cells[k];
      if (k + 1 < cells.size()) l += std::string(w[k] - display_width(cells[k]), ' ');
    }
    out += l + '\n';
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
  return out;
}

namespace {

std::string value_text(const Issue& issue, const Forecast& f) {
  if (!f.defined) return "-";
  if (issue.kind == Issue::Kind::categorical) {
    const auto k = static_cast<std::size_t>(std::lround(f.value));
    std::string s = k < issue.options.size() ? issue.options[k] : "?";
    if (k < f.option_probabilities.size()) s += fmt::format(" ({:.0f}%)", 100 * f.option_probabilities[k]);
    return s;
  }
  return short_number(f.value);
}

ordered_json forecast_json(const Issue& issue, const Forecast& f) {
  ordered_json j;
  j["value"] = f.defined ? json_number(f.value) : ordered_json(nullptr);
  j["defined"] = f.defined;
  if (f.defined) {
    if (issue.kind == Issue::Kind::categorical) {
      const auto k = static_cast<std::size_t>(std::lround(f.value));
      if (k < issue.options.size()) j["option"] = issue.options[k];
    } else {
      j["in_words"] = describe_position(issue, f.value);
    }
  }
  for (const auto& [k, v] : f.extras) j[k] = json_number(v);
  if (!f.option_probabilities.empty()) {
    ordered_json p = ordered_json::object();
    for (std::size_t o = 0; o < f.option_probabilities.size(); ++o)
      p[o < issue.options.size() ? issue.options[o] : std::to_string(o)] = json_number(f.option_probabilities[o]);
    j["option_probabilities"] = p;
  }
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

}  // namespace

std::string write_forecasts(const Scenario& sc, const std::vector<Result>& results, Format format) {
  if (format == Format::json) {
    ordered_json j;
    j["scenario"] = {{"title", sc.title}, {"as_of", sc.as_of}, {"file", sc.origin}};
    ordered_json runs = ordered_json::array();
    for (const auto& r : results) {
      ordered_json params = ordered_json::object();
      for (const auto& [k, v] : r.params.values()) params[k] = v;
      runs.push_back({{"model", r.model}, {"params", params}, {"seed", r.seed}});
    }
    j["models"] = runs;
    ordered_json issues = ordered_json::array();
    for (std::size_t i = 0; i < sc.issues.size(); ++i) {
      const Issue& is = sc.issues[i];
      ordered_json ij;
      ij["id"] = is.id;
      ij["name"] = is.name;
      if (is.kind == Issue::Kind::categorical) ij["options"] = is.options;
      else ij["scale"] = {{"min", is.min}, {"max", is.max}};
      ordered_json fs = ordered_json::object();
      for (const auto& r : results) fs[r.model] = forecast_json(is, r.forecasts.at(i));
      ij["forecasts"] = fs;
      issues.push_back(ij);
    }
    j["issues"] = issues;
    return j.dump(2) + "\n";
  }
  if (format == Format::csv) {
    Table t;
    t.header = {"issue", "model", "value", "defined", "in_words"};
    std::vector<std::string> extras;
    for (const auto& r : results)
      for (const auto& f : r.forecasts)
        for (const auto& [k, v] : f.extras)
          if (std::find(extras.begin(), extras.end(), k) == extras.end()) extras.push_back(k);
    for (const auto& e : extras) t.header.push_back(e);
    t.header.push_back("note");
    for (std::size_t i = 0; i < sc.issues.size(); ++i) {
      const Issue& is = sc.issues[i];
      for (const auto& r : results) {
        const Forecast& f = r.forecasts.at(i);
        std::vector<std::string> row{is.id, r.model, f.defined ? format_number(f.value) : "",
                                     f.defined ? "true" : "false",
                                     f.defined ? (is.kind == Issue::Kind::categorical ? value_text(is, f)
                                                                                      : describe_position(is, f.value))
                                               : ""};
        for (const auto& e : extras) {
          const double* v = f.extra(e);
          row.push_back(v ? format_number(*v) : "");
        }
        row.push_back(f.note);
        t.rows.push_back(std::move(row));
      }
    }
    return render(t, Format::csv);
  }
  // Readable table: one row per issue, one column per model, then in words: the first model's
  // forecast, or for issues it leaves undefined (e.g. categorical ones) the first model that has one.
  std::string out;
  if (!sc.title.empty()) {
    out += sc.title;
    if (!sc.as_of.empty() && sc.title.find("as of") == std::string::npos) out += fmt::format(" (as of {})", sc.as_of);
    out += "\n\n";
  }
  Table t;
  t.header = {"issue"};
  for (const auto& r : results) t.header.push_back(r.model);
  for (std::size_t i = 0; i < sc.issues.size(); ++i) {
    std::vector<std::string> row{sc.issues[i].id};
    for (const auto& r : results) row.push_back(value_text(sc.issues[i], r.forecasts.at(i)));
    t.rows.push_back(std::move(row));
  }
  out += render(t, Format::table);
  if (!results.empty()) {
    const Result& first = results.front();
    out += fmt::format("\nIn words ({}):\n", first.model);
    for (std::size_t i = 0; i < sc.issues.size(); ++i) {
      const Issue& is = sc.issues[i];
      const Result* by = &first;
      for (const auto& r : results)
        if (!by->forecasts.at(i).defined && r.forecasts.at(i).defined) by = &r;
      const Forecast& f = by->forecasts.at(i);
      std::string words;
      if (!f.defined) words = f.note.empty() ? "no forecast" : f.note;
      else if (is.kind == Issue::Kind::categorical) words = value_text(is, f);
      else words = fmt::format("{}: {}", short_number(f.value), describe_position(is, f.value));
      if (by != &first) words += fmt::format(" [{}]", by->model);
      out += fmt::format("  {} ({}): {}\n", is.name.empty() ? is.id : is.name, is.id, words);
    }
  }
  return out;
}

// ---- Traces -----------------------------------------------------------------------------------

namespace {

bool wanted(const TraceOptions& o, const std::string& series) {
  return o.series.empty() || std::find(o.series.begin(), o.series.end(), series) != o.series.end();
}

std::string event_value(const EventValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
  if (const auto* i = std::get_if<long long>(&v)) return std::to_string(*i);
  return std::get<std::string>(v);
}

Table event_table(const Result& r, const TraceOptions& o, const std::string& round_label) {
  Table t;
  t.header = {round_label, "kind"};
  std::vector<std::string> fields;
  for (const auto& round : r.trace.rounds)
    for (const auto& e : round.events)
      if (o.event_kind.empty() || e.kind == o.event_kind)
        for (const auto& [k, v] : e.fields)
          if (std::find(fields.begin(), fields.end(), k) == fields.end()) fields.push_back(k);
  for (const auto& f : fields) t.header.push_back(f);
  for (const auto& round : r.trace.rounds)
    for (const auto& e : round.events) {
      if (!o.event_kind.empty() && e.kind != o.event_kind) continue;
      std::vector<std::string> row{std::to_string(round.index), e.kind};
      for (const auto& f : fields) {
        const EventValue* v = e.get(f);
        row.push_back(v ? event_value(*v) : "");
      }
      t.rows.push_back(std::move(row));
    }
  return t;
}

std::vector<std::size_t> selected_issues(const Scenario& sc, const TraceOptions& o) {
  std::vector<std::size_t> out;
  if (!o.issue.empty()) {
    out.push_back(sc.issue_index(o.issue));
    return out;
  }
  for (std::size_t i = 0; i < sc.issues.size(); ++i) out.push_back(i);
  return out;
}

double at(const std::vector<std::vector<double>>& data, std::size_t issue, std::size_t actor) {
  if (issue >= data.size() || actor >= data[issue].size()) return std::nan("");
  return data[issue][actor];
}

Table trace_table(const Scenario& sc, const Result& r, const ModelInfo& info, const TraceOptions& o) {
  Table t;
  const auto issues = selected_issues(sc, o);
  if (r.trace.empty()) return t;
  const Round& first = r.trace.rounds.front();
  switch (info.trace_layout) {
    case ModelInfo::TraceLayout::per_issue_wide: {
      // Actors holding a position on the issue at round 0, in scenario order.
      const bool multi = issues.size() > 1;
      for (std::size_t i : issues) {
        std::vector<std::size_t> present;
        for (std::size_t a = 0; a < sc.actors.size(); ++a)
          if (sc.stance(a, i)) present.push_back(a);
        std::vector<std::string> header;
        if (multi) header.push_back("issue");
        header.push_back(info.round_label);
        for (const auto& s : first.issue_series) header.push_back(s.name);
        for (const auto& s : first.actor_series) {
          if (!wanted(o, s.name)) continue;
          for (std::size_t k = 0; k < present.size(); ++k)
            header.push_back(fmt::format("{}{}", s.column.empty() ? s.name : s.column, k));
        }
        if (t.header.empty()) t.header = header;
        for (const auto& round : r.trace.rounds) {
          std::vector<std::string> row;
          if (multi) row.push_back(sc.issues[i].id);
          row.push_back(std::to_string(round.index));
          for (const auto& s : round.issue_series) row.push_back(format_number(i < s.data.size() ? s.data[i] : std::nan("")));
          for (const auto& s : round.actor_series) {
            if (!wanted(o, s.name)) continue;
            for (std::size_t a : present) row.push_back(format_number(at(s.data, i, a)));
          }
          t.rows.push_back(std::move(row));
        }
      }
      return t;
    }
    case ModelInfo::TraceLayout::long_form: {
      std::vector<const ActorSeries*> cols;
      for (const auto& s : first.actor_series)
        if (wanted(o, s.name)) cols.push_back(&s);
      // Series recorded once per round print without the issue column when only they are selected.
      bool once = !cols.empty();
      for (const auto* s : cols) once = once && s->per_round;
      if (!once) std::erase_if(cols, [](const ActorSeries* s) { return s->per_round; });
      t.header = {info.round_label, "actor"};
      if (!once) t.header.push_back("dim");
      for (const auto* s : cols) t.header.push_back(s->name);
      for (const auto& round : r.trace.rounds) {
        for (std::size_t a = 0; a < sc.actors.size(); ++a) {
          if (once) {
            std::vector<std::string> row{std::to_string(round.index), sc.actors[a].id};
            for (const auto* c : cols) {
              const ActorSeries* s = round.actors(c->name);
              row.push_back(format_number(s ? at(s->data, 0, a) : std::nan("")));
            }
            t.rows.push_back(std::move(row));
            continue;
          }
          for (std::size_t i : issues) {
            if (!sc.stance(a, i)) continue;
            std::vector<std::string> row{std::to_string(round.index), sc.actors[a].id,
                                         sc.issues[i].name.empty() ? sc.issues[i].id : sc.issues[i].name};
            bool any = cols.empty();
            for (const auto* c : cols) {
              const ActorSeries* s = round.actors(c->name);
              const double v = s ? at(s->data, i, a) : std::nan("");
              any = any || !std::isnan(v);
              row.push_back(format_number(v));
            }
            if (any) t.rows.push_back(std::move(row));  // no row where nothing is recorded (e.g. smp's categorical issues)
          }
        }
      }
      return t;
    }
    case ModelInfo::TraceLayout::issue_rounds: {
      t.header = {"issue", info.round_label};
      for (const auto& s : first.issue_series) t.header.push_back(s.name);
      // Round-major, issues sorted by id within a round (the Decide reference layout).
      std::vector<std::size_t> by_id = issues;
      std::stable_sort(by_id.begin(), by_id.end(), [&](auto a, auto b) { return sc.issues[a].id < sc.issues[b].id; });
      for (const auto& round : r.trace.rounds)
        for (std::size_t i : by_id) {
          std::vector<std::string> row{sc.issues[i].id, std::to_string(round.index)};
          for (const auto& s : round.issue_series) row.push_back(format_number(i < s.data.size() ? s.data[i] : std::nan("")));
          t.rows.push_back(std::move(row));
        }
      return t;
    }
  }
  return t;
}

}  // namespace

std::string write_trace(const Scenario& sc, const Result& r, Format format, const TraceOptions& o) {
  const ModelInfo& info = find_model(r.model).info();
  if (format == Format::json) {
    ordered_json j;
    j["model"] = r.model;
    ordered_json params = ordered_json::object();
    for (const auto& [k, v] : r.params.values()) params[k] = v;
    j["params"] = params;
    j["seed"] = r.seed;
    j["actors"] = ordered_json::array();
    for (const auto& a : sc.actors) j["actors"].push_back(a.id);
    j["issues"] = ordered_json::array();
    for (const auto& is : sc.issues) j["issues"].push_back(is.id);
    ordered_json rounds = ordered_json::array();
    for (const auto& round : r.trace.rounds) {
      ordered_json rj;
      rj["round"] = round.index;
      for (const auto& s : round.issue_series) {
        ordered_json v = ordered_json::array();
        for (double x : s.data) v.push_back(json_number(x));
        rj[s.name] = v;
      }
      for (const auto& s : round.actor_series) {
        if (!wanted(o, s.name)) continue;
        ordered_json m = ordered_json::array();
        for (const auto& row : s.data) {
          ordered_json v = ordered_json::array();
          for (double x : row) v.push_back(json_number(x));
          m.push_back(v);
        }
        rj[s.name] = m;  // [issue][actor]
      }
      if (o.events || !o.event_kind.empty()) {
        ordered_json ev = ordered_json::array();
        for (const auto& e : round.events) {
          if (!o.event_kind.empty() && e.kind != o.event_kind) continue;
          ordered_json ej;
          ej["kind"] = e.kind;
          for (const auto& [k, v] : e.fields) {
            if (const auto* d = std::get_if<double>(&v)) ej[k] = json_number(*d);
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
    return j.dump(2) + "\n";
  }
  if (o.events || !o.event_kind.empty()) {
    if (format == Format::csv) return render(event_table(r, o, info.round_label), Format::csv);
    return render(trace_table(sc, r, info, o), Format::table) + "\n" +
           render(event_table(r, o, info.round_label), Format::table);
  }
  return render(trace_table(sc, r, info, o), format);
}

}  // namespace entente
