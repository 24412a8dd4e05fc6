// Writers for the analysis results: simulate, sensitivity, whatif, compare (table | json | csv).
// JSON never holds NaN (null instead); CSV leaves the cell empty; tables show "-".
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "entente/analysis.hpp"

namespace entente {

namespace {
using nlohmann::ordered_json;

ordered_json jnum(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }
ordered_json jnum(const std::optional<double>& v) { return v ? jnum(*v) : ordered_json(nullptr); }
std::string tnum(double v) {
  if (!std::isfinite(v)) return "-";
  std::string s = fmt::format("{:.2f}", v);
  return s == "-0.00" ? "0.00" : s;
}
std::string tnum(const std::optional<double>& v) { return v ? tnum(*v) : "-"; }
std::string cnum(double v) { return std::isfinite(v) ? format_number(v) : std::string{}; }
std::string cnum(const std::optional<double>& v) { return v ? cnum(*v) : std::string{}; }

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
std::string csv(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t k = 0; k < r.size(); ++k) out += (k ? "," : "") + csv_cell(r[k]);
    out += '\n';
  }
  return out;
}
// Aligned columns; the first row is the header. Text columns left, numbers right.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return {};
  std::vector<std::size_t> w;
  for (const auto& r : rows)
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (w.size() <= k) w.push_back(0);
      w[k] = std::max(w[k], r[k].size());
    }
  auto numeric = [](const std::string& s) {
    return !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '+');
  };
  std::string out;
  for (std::size_t n = 0; n < rows.size(); ++n) {
    const auto& r = rows[n];
    std::string line;
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (k) line += "  ";
      line += n > 0 && numeric(r[k]) ? fmt::format("{:>{}}", r[k], w[k]) : fmt::format("{:<{}}", r[k], w[k]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
    if (n == 0) {
      std::size_t total = 0;
      for (auto x : w) total += x + 2;
      out += std::string(total > 2 ? total - 2 : 0, '-') + '\n';
    }
  }
  return out;
}

ordered_json dist_json(const Distribution& d) {
  ordered_json j;
  j["n"] = d.n;
  const bool any = d.n > 0;
  j["mean"] = any ? jnum(d.mean) : nullptr;
  j["sd"] = any ? jnum(d.sd) : nullptr;
  j["quantiles"] = {{"5", any ? jnum(d.q05) : nullptr},  {"25", any ? jnum(d.q25) : nullptr},
                    {"50", any ? jnum(d.q50) : nullptr}, {"75", any ? jnum(d.q75) : nullptr},
                    {"95", any ? jnum(d.q95) : nullptr}};
  return j;
}
std::vector<std::string> dist_cells(const Distribution& d, std::string (*f)(double)) {
  if (!d.n) return {"0", "", "", "", "", "", "", ""};
  return {std::to_string(d.n), f(d.mean), f(d.sd), f(d.q05), f(d.q25), f(d.q50), f(d.q75), f(d.q95)};
}
std::string bar(std::size_t count, std::size_t max, int width) {
  if (!max) return {};
  const auto n = static_cast<std::size_t>(std::lround(static_cast<double>(count) / static_cast<double>(max) * width));
  std::string s;
  for (std::size_t k = 0; k < n; ++k) s += "#";
  return s;
}
}  // namespace

std::string write_simulation(const SimulationSummary& s, Format format) {
  if (format == Format::json) {
    ordered_json j;
    j["model"] = s.model;
    j["seed"] = s.seed;
    j["draws_requested"] = s.draws_requested;
    j["draws_completed"] = s.draws_completed;
    j["partial"] = s.partial;
    j["uncertain_inputs"] = s.uncertain_inputs;
    j["seconds"] = jnum(s.seconds);
    j["issues"] = ordered_json::array();
    for (const auto& is : s.issues) {
      ordered_json ji;
      ji["id"] = is.id;
      ji["name"] = is.name;
      ji["kind"] = is.categorical ? "categorical" : "numeric";
      ji["forecast"] = dist_json(is.forecast);
      if (!is.categorical) {
        ordered_json h;
        h["edges"] = ordered_json::array();
        for (double e : is.bin_edges) h["edges"].push_back(jnum(e));
        h["counts"] = is.bin_counts;
        ji["histogram"] = h;
      } else {
        ji["options"] = ordered_json::array();
        for (std::size_t k = 0; k < is.options.size(); ++k) {
          ordered_json o{{"option", is.options[k]}, {"share", jnum(is.option_share[k])}};
          o["mean_probability"] = k < is.option_probability.size() ? jnum(is.option_probability[k]) : nullptr;
          ji["options"].push_back(o);
        }
      }
      j["issues"].push_back(ji);
    }
    j["rounds"] = ordered_json::array();
    for (const auto& rs : s.rounds) {
      ordered_json jr;
      jr["series"] = rs.series;
      jr["issues"] = ordered_json::array();
      for (std::size_t i = 0; i < rs.issues.size(); ++i) {
        ordered_json ji;
        ji["id"] = i < s.issues.size() ? s.issues[i].id : std::to_string(i);
        ji["rounds"] = ordered_json::array();
        for (std::size_t r = 0; r < rs.issues[i].size(); ++r) {
          ordered_json d = dist_json(rs.issues[i][r]);
          ordered_json row{{"round", r}};
          for (auto& [k, v] : d.items()) row[k] = v;
          ji["rounds"].push_back(row);
        }
        jr["issues"].push_back(ji);
      }
      j["rounds"].push_back(jr);
    }
    return j.dump(2) + "\n";
  }
  if (format == Format::csv) {
    // One long table: section, issue, key, then the distribution columns.
    std::vector<std::vector<std::string>> rows{
        {"section", "issue", "key", "n", "mean", "sd", "q05", "q25", "q50", "q75", "q95", "count", "share", "mean_probability"}};
    for (const auto& is : s.issues) {
      auto r = std::vector<std::string>{"forecast", is.id, ""};
      for (auto& c : dist_cells(is.forecast, cnum)) r.push_back(c);
      r.insert(r.end(), {"", "", ""});
      rows.push_back(r);
      for (std::size_t b = 0; b < is.bin_counts.size(); ++b)
        rows.push_back({"histogram", is.id, fmt::format("[{},{}{}", cnum(is.bin_edges[b]), cnum(is.bin_edges[b + 1]),
                                                         b + 1 == is.bin_counts.size() ? "]" : ")"),
                        "", "", "", "", "", "", "", "", std::to_string(is.bin_counts[b]), "", ""});
      for (std::size_t k = 0; k < is.options.size(); ++k)
        rows.push_back({"option", is.id, is.options[k], "", "", "", "", "", "", "", "", "", cnum(is.option_share[k]),
                        k < is.option_probability.size() ? cnum(is.option_probability[k]) : ""});
    }
    for (const auto& rs : s.rounds)
      for (std::size_t i = 0; i < rs.issues.size(); ++i)
        for (std::size_t r = 0; r < rs.issues[i].size(); ++r) {
          auto row = std::vector<std::string>{"round:" + rs.series, i < s.issues.size() ? s.issues[i].id : "", std::to_string(r)};
          for (auto& c : dist_cells(rs.issues[i][r], cnum)) row.push_back(c);
          row.insert(row.end(), {"", "", ""});
          rows.push_back(row);
        }
    return csv(rows);
  }
  std::string out = fmt::format("Simulation: model {}, {} of {} draws{}, seed {}, {} uncertain inputs\n\n", s.model,
                                s.draws_completed, s.draws_requested, s.partial ? " (PARTIAL: interrupted)" : "", s.seed,
                                s.uncertain_inputs);
  std::vector<std::vector<std::string>> rows{{"issue", "n", "mean", "sd", "5%", "25%", "50%", "75%", "95%"}};
  for (const auto& is : s.issues) {
    auto r = std::vector<std::string>{is.id};
    auto cells = dist_cells(is.forecast, tnum);
    if (!is.forecast.n) cells = {"0", "-", "-", "-", "-", "-", "-", "-"};
    r.insert(r.end(), cells.begin(), cells.end());
    rows.push_back(r);
  }
  out += table(rows);
  for (const auto& is : s.issues) {
    out += fmt::format("\n{}{}\n", is.id, is.name.empty() ? "" : " (" + is.name + ")");
    if (!is.categorical) {
      std::size_t max = 0;
      for (auto c : is.bin_counts) max = std::max(max, c);
      std::vector<std::vector<std::string>> h{{"bin", "count", ""}};
      for (std::size_t b = 0; b < is.bin_counts.size(); ++b)
        h.push_back({fmt::format("[{}, {}{}", format_number(is.bin_edges[b]), format_number(is.bin_edges[b + 1]),
                                 b + 1 == is.bin_counts.size() ? "]" : ")"),
                     std::to_string(is.bin_counts[b]), bar(is.bin_counts[b], max, 40)});
      out += table(h);
    } else {
      std::vector<std::vector<std::string>> h{{"option", "share of draws", "mean probability"}};
      for (std::size_t k = 0; k < is.options.size(); ++k)
        h.push_back({is.options[k], tnum(is.option_share[k]),
                     k < is.option_probability.size() ? tnum(is.option_probability[k]) : "-"});
      out += table(h);
    }
  }
  for (const auto& rs : s.rounds) {
    for (std::size_t i = 0; i < rs.issues.size(); ++i) {
      out += fmt::format("\n{} by round: {}\n", rs.series, i < s.issues.size() ? s.issues[i].id : "");
      std::vector<std::vector<std::string>> h{{"round", "mean", "sd", "5%", "50%", "95%"}};
      for (std::size_t r = 0; r < rs.issues[i].size(); ++r) {
        const auto& d = rs.issues[i][r];
        if (!d.n)
          h.push_back({std::to_string(r), "-", "-", "-", "-", "-"});
        else
          h.push_back({std::to_string(r), tnum(d.mean), tnum(d.sd), tnum(d.q05), tnum(d.q50), tnum(d.q95)});
      }
      out += table(h);
    }
  }
  return out;
}

std::string write_sensitivity(const Scenario& scenario, const SensitivityResult& r, Format format, std::size_t top) {
  auto kind = [](const SensitivityEntry& e) { return e.kind == SensitivityEntry::Kind::input ? "input" : "drop"; };
  if (format == Format::json) {
    ordered_json j;
    j["model"] = r.model;
    j["issues"] = ordered_json::array();
    for (std::size_t i = 0; i < r.issue_ids.size(); ++i) {
      ordered_json ji{{"id", r.issue_ids[i]}, {"base", jnum(r.base[i])}};
      ji["ranking"] = ordered_json::array();
      std::size_t n = 0;
      for (std::size_t k : r.ranking[i]) {
        if (top && n++ >= top) break;
        const auto& e = r.entries[k];
        ordered_json je{{"kind", kind(e)}, {"label", e.label}};
        if (e.kind == SensitivityEntry::Kind::input) {
          je["low"] = jnum(e.low);
          je["high"] = jnum(e.high);
          je["forecast_low"] = jnum(e.at_low[i]);
          je["forecast_high"] = jnum(e.at_high[i]);
        } else {
          je["forecast"] = jnum(e.at_low[i]);
        }
        je["swing"] = jnum(SensitivityResult::swing(e, i, r.base[i]));
        if (!e.note.empty()) je["note"] = e.note;
        ji["ranking"].push_back(je);
      }
      j["issues"].push_back(ji);
    }
    return j.dump(2) + "\n";
  }
  std::vector<std::vector<std::string>> rows;
  const bool is_csv = format == Format::csv;
  auto num = is_csv ? +[](double v) { return cnum(v); } : +[](double v) { return tnum(v); };
  std::string out;
  if (is_csv) rows.push_back({"issue", "rank", "kind", "label", "low", "high", "forecast_low", "forecast_high", "swing", "base"});
  for (std::size_t i = 0; i < r.issue_ids.size(); ++i) {
    if (!is_csv) {
      rows = {{"rank", "what moves", "low", "high", "forecast at low", "forecast at high", "swing", ""}};
    }
    double max_swing = 0;
    for (std::size_t k : r.ranking[i]) max_swing = std::max(max_swing, SensitivityResult::swing(r.entries[k], i, r.base[i]));
    std::size_t n = 0;
    for (std::size_t k : r.ranking[i]) {
      if (top && n >= top) break;
      ++n;
      const auto& e = r.entries[k];
      const double sw = SensitivityResult::swing(e, i, r.base[i]);
      const bool input = e.kind == SensitivityEntry::Kind::input;
      const std::string label = input ? e.label : "drop " + e.label;
      std::vector<std::string> row;
      if (is_csv) row = {r.issue_ids[i], std::to_string(n), kind(e), e.label};
      else row = {std::to_string(n), label};
      row.push_back(input ? num(e.low) : (is_csv ? "" : "-"));
      row.push_back(input ? num(e.high) : (is_csv ? "" : "-"));
      row.push_back(input ? num(e.at_low[i]) : (is_csv ? "" : "-"));
      row.push_back(num(e.at_high[i]));
      row.push_back(num(sw));
      if (is_csv) row.push_back(num(r.base[i]));
      else row.push_back(max_swing > 0 ? bar(static_cast<std::size_t>(sw * 1e6), static_cast<std::size_t>(max_swing * 1e6), 30) : "");
      rows.push_back(row);
    }
    if (!is_csv) {
      const std::string name = i < scenario.issues.size() ? scenario.issues[i].name : "";
      out += fmt::format("{}Issue {}{}: base forecast {} (model {})\n", i ? "\n" : "", r.issue_ids[i],
                         name.empty() ? "" : " (" + name + ")", tnum(r.base[i]), r.model);
      out += table(rows);
    }
  }
  if (is_csv) return csv(rows);
  return out;
}

std::string write_whatif(const WhatIfOptions& o, const WhatIfResult& r, Format format) {
  if (format == Format::json) {
    ordered_json j;
    j["model"] = o.model;
    j["actor"] = o.actor;
    j["issue"] = o.issue;
    j["lever"] = r.lever;
    j["lever_issue"] = o.lever_issue.empty() ? o.issue : o.lever_issue;
    j["target"] = jnum(o.target);
    j["reachable"] = r.reachable;
    j["current"] = jnum(r.current);
    j["base_forecast"] = jnum(r.base_forecast);
    j["value"] = r.reachable ? jnum(r.value) : nullptr;
    j["change"] = r.reachable ? jnum(r.change) : nullptr;
    j["forecast"] = r.reachable ? jnum(r.forecast) : nullptr;
    j["bounds"] = {jnum(r.lever_low), jnum(r.lever_high)};
    j["evaluations"] = r.evaluations;
    j["note"] = r.note;
    return j.dump(2) + "\n";
  }
  if (format == Format::csv) {
    return csv({{"model", "actor", "issue", "lever", "target", "reachable", "current", "base_forecast", "value", "change",
                 "forecast", "evaluations", "note"},
                {o.model, o.actor, o.issue, r.lever, cnum(o.target), r.reachable ? "true" : "false", cnum(r.current),
                 cnum(r.base_forecast), r.reachable ? cnum(r.value) : "", r.reachable ? cnum(r.change) : "",
                 r.reachable ? cnum(r.forecast) : "", std::to_string(r.evaluations), r.note}});
  }
  std::string out = fmt::format("What-if ({}): {} of {} so that the forecast of '{}' becomes {}\n", o.model, r.lever, o.actor,
                                o.issue, format_number(o.target));
  out += fmt::format("  now: {} = {}, forecast {}\n", r.lever, format_number(r.current), format_number(r.base_forecast));
  if (r.reachable) {
    out += fmt::format("  smallest change: {} {} -> {} (change {}{}), forecast {}\n", r.lever, format_number(r.current),
                       format_number(r.value), r.change >= 0 ? "+" : "", format_number(r.change), format_number(r.forecast));
  } else {
    out += fmt::format("  UNREACHABLE within [{}, {}]\n", format_number(r.lever_low), format_number(r.lever_high));
  }
  if (!r.note.empty()) out += "  note: " + r.note + "\n";
  out += fmt::format("  ({} model runs)\n", r.evaluations);
  return out;
}

std::string write_comparison(const Comparison& c, Format format) {
  auto diff = [](const std::optional<double>& a, const std::optional<double>& b) -> std::optional<double> {
    if (a && b) return *b - *a;
    return std::nullopt;
  };
  if (format == Format::json) {
    ordered_json j;
    j["a"] = c.title_a;
    j["b"] = c.title_b;
    j["models"] = c.models;
    j["issues"] = ordered_json::array();
    for (const auto& r : c.rows) {
      ordered_json ji{{"id", r.issue}, {"name", r.name}};
      ordered_json fm = ordered_json::object();
      for (std::size_t m = 0; m < c.models.size(); ++m)
        fm[c.models[m]] = {{"a", jnum(r.a[m])}, {"b", jnum(r.b[m])}, {"difference", jnum(diff(r.a[m], r.b[m]))}};
      ji["forecasts"] = fm;
      j["issues"].push_back(ji);
    }
    return j.dump(2) + "\n";
  }
  std::vector<std::vector<std::string>> rows{{"issue", "model", "A", "B", "B - A"}};
  const bool is_csv = format == Format::csv;
  if (is_csv) rows[0] = {"issue", "model", "a", "b", "difference"};
  for (const auto& r : c.rows)
    for (std::size_t m = 0; m < c.models.size(); ++m) {
      const auto d = diff(r.a[m], r.b[m]);
      if (is_csv)
        rows.push_back({r.issue, c.models[m], cnum(r.a[m]), cnum(r.b[m]), cnum(d)});
      else
        rows.push_back({r.issue, c.models[m], tnum(r.a[m]), tnum(r.b[m]),
                        d ? fmt::format("{}{}", *d > 0 ? "+" : "", tnum(*d)) : "-"});
    }
  if (is_csv) return csv(rows);
  return fmt::format("A: {}\nB: {}\n\n", c.title_a, c.title_b) + table(rows);
}

}  // namespace entente
