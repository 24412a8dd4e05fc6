// `entente merge`: an expert panel's disagreements (the merged scenario itself is written by the
// scenario layer's to_yaml/to_json).
#include <fmt/format.h>

#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;

// One row per number two or more experts gave, largest relative spread first; one column per
// expert (empty where that expert did not give it).
Table spreads_table(const PanelResult& r) {
  Table t;
  t.name = "spreads";
  t.header = {"field", "actor", "issue", "quantity", "low", "median", "high", "relative"};
  for (const auto& [name, file] : r.experts) t.header.push_back(name);
  for (const auto& p : r.spreads) {
    std::vector<Cell> row{p.field, p.actor, p.issue, p.quantity, Cell::num(p.low), Cell::num(p.centre),
                          Cell::num(p.high), Cell::num(p.relative)};
    for (const auto& [name, file] : r.experts) {
      Cell c;
      for (const auto& [who, v] : p.values)
        if (who == name) c = Cell::num(v);
      row.push_back(std::move(c));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table gaps_table(const PanelResult& r) {
  Table t;
  t.name = "gaps";
  t.header = {"what", "actor", "issue", "given by", "not given by"};
  for (const auto& g : r.gaps)
    t.rows.push_back({g.what, g.actor, g.issue, fmt::format("{}", fmt::join(g.have, ", ")),
                      fmt::format("{}", fmt::join(g.lack, ", "))});
  return t;
}

// The disagreements in words: the `top` largest spreads, the gaps, the notes (text from files
// escaped for the terminal).
std::string describe(const MergeResponse& rsp) {
  const PanelResult& r = rsp.panel;
  const Scenario& s = r.scenario;
  std::string out;
  std::vector<std::string> experts;
  for (const auto& [name, file] : r.experts) experts.push_back(fmt::format("{} ({})", terminal_safe(name), terminal_safe(file)));
  out += fmt::format("Panel of {} experts: {}\n", experts.size(), fmt::join(experts, ", "));
  out += fmt::format("{} actors, {} issues. Centre: the experts' median; uncertainty: triangular over their range.\n",
                     s.actors.size(), s.issues.size());
  std::size_t shown = 0;
  for (const auto& p : r.spreads) {
    if (shown == rsp.top || p.relative <= 0) break;
    if (shown == 0) out += "\nLargest disagreements (spread as a share of the number's range):\n";
    std::string vals;
    for (const auto& [name, v] : p.values) vals += fmt::format("{}{} {}", vals.empty() ? "" : ", ", terminal_safe(name), display_number(v));
    out += fmt::format("  {:>4.0f}%  {}: {} to {}, median {} ({})\n", 100 * p.relative, terminal_safe(p.field), display_number(p.low),
                       display_number(p.high), display_number(p.centre), vals);
    ++shown;
  }
  if (shown == 0) out += "\nThe experts agree on every number they share.\n";
  if (!r.gaps.empty()) {
    out += "\nGiven by only some experts:\n";
    for (const auto& g : r.gaps) {
      const std::string actor = terminal_safe(g.actor), issue = terminal_safe(g.issue);
      const std::string what = g.what == "actor"   ? fmt::format("actor '{}'", actor)
                               : g.what == "issue" ? fmt::format("issue '{}'", issue)
                                                   : fmt::format("stance of '{}' on '{}'", actor, issue);
      out += fmt::format("  {}: {} (not {})\n", what, terminal_safe(fmt::format("{}", fmt::join(g.have, ", "))),
                         terminal_safe(fmt::format("{}", fmt::join(g.lack, ", "))));
    }
  }
  if (!r.notes.empty()) {
    out += "\nNotes:\n";
    for (const auto& n : r.notes) out += "  " + terminal_safe(n) + "\n";
  }
  return out;
}

}  // namespace

std::string render(const MergeResponse& rsp, Format format) {
  const PanelResult& r = rsp.panel;
  switch (format) {
    case Format::json: {
      json j;
      j["experts"] = json::array();
      for (const auto& [name, file] : r.experts) j["experts"].push_back({{"name", name}, {"file", file}});
      j["actors"] = r.scenario.actors.size();
      j["issues"] = r.scenario.issues.size();
      j["spreads"] = json::array();
      for (const auto& p : r.spreads) {
        json values = json::object();
        for (const auto& [who, v] : p.values) values[who] = out::jnum(v);
        j["spreads"].push_back({{"field", p.field}, {"actor", p.actor}, {"issue", p.issue}, {"quantity", p.quantity},
                                {"low", out::jnum(p.low)}, {"median", out::jnum(p.centre)}, {"high", out::jnum(p.high)},
                                {"relative", out::jnum(p.relative)}, {"values", std::move(values)}});
      }
      j["gaps"] = json::array();
      for (const auto& g : r.gaps)
        j["gaps"].push_back({{"what", g.what}, {"actor", g.actor}, {"issue", g.issue}, {"given_by", g.have}, {"not_given_by", g.lack}});
      j["notes"] = r.notes;
      j["warnings"] = out::diagnostics_json(rsp.warnings, "warning");
      return out::dump(j);
    }
    case Format::csv: return render(spreads_table(r), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{spreads_table(r), gaps_table(r)}, Format::xlsx);
    case Format::table: return describe(rsp);
  }
  return {};
}

}  // namespace entente
