// `entente sensitivity`: per issue, the inputs (and dropped actors) that move the forecast most.
// Short by default: the `top` entries that move it at all; `all` lists every entry. Categorical
// issues are judged by the probability of the option the base run forecasts.
#include <fmt/format.h>

#include <algorithm>

#include "output/internal.hpp"

namespace entente {

namespace {

using out::json;

const char* kind_name(const SensitivityEntry& e) { return e.kind == SensitivityEntry::Kind::input ? "input" : "drop"; }

// The entries shown for issue i, in ranking order.
std::vector<std::size_t> shown(const SensitivityResponse& rsp, std::size_t i) {
  const SensitivityResult& r = rsp.result;
  const Issue& is = rsp.scenario.issues.at(i);
  const double span = is.kind == Issue::Kind::numeric ? is.max - is.min : 1.0;
  std::vector<std::size_t> out;
  for (std::size_t k : r.ranking[i]) {
    if (!rsp.all && SensitivityResult::swing(r.entries[k], i, r.base[i]) <= 1e-9 * span) continue;
    if (!rsp.all && rsp.top && out.size() >= rsp.top) break;
    out.push_back(k);
  }
  return out;
}

// What the figure is: the forecast, or the probability of the base run's option.
std::string figure_name(const SensitivityResponse& rsp, std::size_t i) {
  const auto& r = rsp.result;
  if (i < r.base_option.size() && r.base_option[i] >= 0)
    return "P(" + out::option_name(rsp.scenario.issues[i], r.base_option[i]) + ")";
  return "forecast";
}

Cell figure(const SensitivityResponse& rsp, std::size_t i, double v) {
  const auto& r = rsp.result;
  return i < r.base_option.size() && r.base_option[i] >= 0 ? Cell::pct(v) : Cell::num(v);
}

json document(const SensitivityResponse& rsp) {
  const SensitivityResult& r = rsp.result;
  json j;
  j["model"] = r.model;
  j["scenario"] = out::scenario_json(rsp.scenario, rsp.provenance);
  j["warnings"] = out::warnings_json(rsp.scenario);
  j["provenance"] = out::provenance_json(rsp.provenance);
  j["top"] = rsp.all ? 0 : rsp.top;
  j["issues"] = json::array();
  for (std::size_t i = 0; i < r.issue_ids.size(); ++i) {
    json ji{{"id", r.issue_ids[i]}, {"figure", figure_name(rsp, i)}, {"base", out::jnum(r.base[i])}};
    if (i < r.base_option.size() && r.base_option[i] >= 0) ji["option"] = out::option_name(rsp.scenario.issues[i], r.base_option[i]);
    ji["ranking"] = json::array();
    for (std::size_t k : shown(rsp, i)) {
      const auto& e = r.entries[k];
      json je{{"kind", kind_name(e)}, {"label", e.label}};
      if (e.kind == SensitivityEntry::Kind::input) {
        je["low"] = out::jnum(e.low);
        je["high"] = out::jnum(e.high);
        je["forecast_low"] = out::jnum(e.at_low[i]);
        je["forecast_high"] = out::jnum(e.at_high[i]);
      } else {
        je["forecast"] = out::jnum(e.at_low[i]);
      }
      je["swing"] = out::jnum(SensitivityResult::swing(e, i, r.base[i]));
      if (!e.note.empty()) je["note"] = e.note;
      ji["ranking"].push_back(je);
    }
    ji["inputs_not_shown"] = r.ranking[i].size() - ji["ranking"].size();
    j["issues"].push_back(ji);
  }
  return j;
}

Table long_table(const SensitivityResponse& rsp) {
  const SensitivityResult& r = rsp.result;
  Table t;
  t.name = "sensitivity";
  t.header = {"issue", "figure", "rank", "kind", "label", "low", "high", "forecast_low", "forecast_high", "swing", "base"};
  for (std::size_t i = 0; i < r.issue_ids.size(); ++i) {
    long long n = 0;
    for (std::size_t k : shown(rsp, i)) {
      const auto& e = r.entries[k];
      const bool input = e.kind == SensitivityEntry::Kind::input;
      t.rows.push_back({r.issue_ids[i], figure_name(rsp, i), Cell::integer(++n), kind_name(e), e.label,
                        input ? Cell::num(e.low) : Cell{}, input ? Cell::num(e.high) : Cell{},
                        input ? Cell::num(e.at_low[i]) : Cell{}, Cell::num(e.at_high[i]),
                        Cell::num(SensitivityResult::swing(e, i, r.base[i])), Cell::num(r.base[i])});
    }
  }
  return t;
}

// For spreadsheets: one sheet per issue, as on the terminal, numbers as numbers.
std::vector<Table> sheets(const SensitivityResponse& rsp) {
  const SensitivityResult& r = rsp.result;
  std::vector<Table> out;
  for (std::size_t i = 0; i < r.issue_ids.size(); ++i) {
    const std::string fig = figure_name(rsp, i);
    Table t;
    t.name = r.issue_ids[i];
    t.header = {"rank", "kind", "what moves", "low", "high", fig + " at low", fig + " at high", "swing", "base " + fig};
    long long n = 0;
    for (std::size_t k : shown(rsp, i)) {
      const auto& e = r.entries[k];
      const bool input = e.kind == SensitivityEntry::Kind::input;
      t.rows.push_back({Cell::integer(++n), kind_name(e), e.label, input ? Cell::num(e.low) : Cell{},
                        input ? Cell::num(e.high) : Cell{}, input ? Cell::num(e.at_low[i]) : Cell{},
                        Cell::num(e.at_high[i]), Cell::num(SensitivityResult::swing(e, i, r.base[i])), Cell::num(r.base[i])});
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::string text(const SensitivityResponse& rsp) {
  const SensitivityResult& r = rsp.result;
  std::string out = out::heading(rsp.scenario, rsp.provenance);
  for (std::size_t i = 0; i < r.issue_ids.size(); ++i) {
    const Issue& is = rsp.scenario.issues[i];
    const std::string fig = figure_name(rsp, i);
    out += fmt::format("{}Issue {}{}: base {} {} (model {})\n", i ? "\n" : "", is.id,
                       is.name.empty() ? "" : " (" + terminal_safe(is.name) + ")", fig,
                       fig == "forecast" ? display_number(r.base[i]) : display_percent(r.base[i]), r.model);
    const auto rows = shown(rsp, i);
    if (rows.empty()) {
      out += std::isnan(r.base[i]) ? "  no forecast by this model\n" : "  no input moves it\n";
      continue;
    }
    Table t;
    t.header = {"rank", "what moves", "low", "high", fig + " at low", fig + " at high", "swing", ""};
    double max_swing = 0;
    for (std::size_t k : rows) max_swing = std::max(max_swing, SensitivityResult::swing(r.entries[k], i, r.base[i]));
    long long n = 0;
    for (std::size_t k : rows) {
      const auto& e = r.entries[k];
      const double sw = SensitivityResult::swing(e, i, r.base[i]);
      const bool input = e.kind == SensitivityEntry::Kind::input;
      const auto width = max_swing > 0 ? static_cast<std::size_t>(std::lround(30 * sw / max_swing)) : 0;
      t.rows.push_back({Cell::integer(++n), input ? e.label : "drop " + e.label, input ? Cell::num(e.low) : Cell{"-"},
                        input ? Cell::num(e.high) : Cell{"-"}, input ? figure(rsp, i, e.at_low[i]) : Cell{"-"},
                        figure(rsp, i, e.at_high[i]), figure(rsp, i, sw), std::string(width, '#')});
    }
    out += render(t, Format::table);
    const std::size_t hidden = r.ranking[i].size() - rows.size();
    if (hidden) out += fmt::format("  ({} more that move it less or not at all: --all lists them)\n", hidden);
  }
  return out;
}

}  // namespace

std::string render(const SensitivityResponse& rsp, Format format) {
  switch (format) {
    case Format::json: return out::dump(document(rsp));
    case Format::csv: return render(long_table(rsp), Format::csv);
    case Format::xlsx: return render(sheets(rsp), Format::xlsx);
    case Format::table: return text(rsp);
  }
  return {};
}

}  // namespace entente
