// `entente whatif`: the smallest change of one lever that moves a forecast to a target.
#include <fmt/format.h>

#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;

Table table_of(const WhatIfResponse& rsp) {
  const auto& o = rsp.options;
  const auto& r = rsp.result;
  Table t;
  t.name = "whatif";
  t.header = {"model", "actor", "issue", "lever", "target", "reachable", "current", "base_forecast", "value", "change",
              "forecast", "evaluations", "note"};
  t.rows.push_back({o.model, o.actor, o.issue, r.lever, Cell::num(o.target), r.reachable ? "true" : "false",
                    Cell::num(r.current), Cell::num(r.base_forecast), r.reachable ? Cell::num(r.value) : Cell{},
                    r.reachable ? Cell::num(r.change) : Cell{}, r.reachable ? Cell::num(r.forecast) : Cell{},
                    Cell::integer(r.evaluations), r.note});
  return t;
}
}  // namespace

std::string render(const WhatIfResponse& rsp, Format format) {
  const auto& o = rsp.options;
  const auto& r = rsp.result;
  switch (format) {
    case Format::json: {
      json j;
      j["model"] = o.model;
      j["actor"] = o.actor;
      j["issue"] = o.issue;
      j["lever"] = r.lever;
      j["lever_issue"] = o.lever_issue.empty() ? o.issue : o.lever_issue;
      j["target"] = out::jnum(o.target);
      j["reachable"] = r.reachable;
      j["current"] = out::jnum(r.current);
      j["base_forecast"] = out::jnum(r.base_forecast);
      j["value"] = r.reachable ? out::jnum(r.value) : nullptr;
      j["change"] = r.reachable ? out::jnum(r.change) : nullptr;
      j["forecast"] = r.reachable ? out::jnum(r.forecast) : nullptr;
      j["bounds"] = {out::jnum(r.lever_low), out::jnum(r.lever_high)};
      j["evaluations"] = r.evaluations;
      j["note"] = r.note;
      j["scenario"] = out::scenario_json(rsp.scenario, rsp.provenance);
      j["warnings"] = out::warnings_json(rsp.scenario);
      j["provenance"] = out::provenance_json(rsp.provenance);
      return out::dump(j);
    }
    case Format::csv: return render(table_of(rsp), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{table_of(rsp)}, Format::xlsx);
    case Format::table: break;
  }
  const Issue& is = rsp.scenario.issues.at(rsp.scenario.issue_index(o.issue));
  auto value = [&](double v) {
    return is.kind == Issue::Kind::categorical ? out::option_name(is, v) : display_number(v);
  };
  std::string s = out::heading(rsp.scenario, rsp.provenance);
  s += fmt::format("What-if ({}): {} of {} so that the forecast of '{}' becomes {}\n", o.model, r.lever, o.actor, o.issue,
                   value(o.target));
  s += fmt::format("  now: {} = {}, forecast {}\n", r.lever, display_number(r.current), value(r.base_forecast));
  if (r.reachable) {
    s += fmt::format("  smallest change: {} {} -> {} (change {}{}), forecast {}\n", r.lever, display_number(r.current),
                     display_number(r.value), r.change >= 0 ? "+" : "", display_number(r.change), value(r.forecast));
  } else {
    s += fmt::format("  UNREACHABLE within [{}, {}]\n", display_number(r.lever_low), display_number(r.lever_high));
  }
  if (!r.note.empty()) s += "  note: " + terminal_safe(r.note) + "\n";
  s += fmt::format("  ({} model runs)\n", r.evaluations);
  if (find_model(o.model).info().stochastic) s += out::footer(rsp.provenance, true);
  return s;
}

}  // namespace entente
