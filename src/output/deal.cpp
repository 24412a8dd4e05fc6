// `entente deal` and `entente whatif --deal` in every format (table | json | csv | xlsx); the web
// server's /api/deal and Python's deal() are this JSON. JSON keys are a contract for scripts
// (docs/models/deal.md): top-level `possible` (bool, or its probability with draws), `maximin`
// (issue -> value or option), `issues` (issue -> {"zone": [low, high] | [options...] | null, ...}),
// `models` (model -> {"acceptable", "blockers", "margins", and with draws "p_acceptable"}).
// JSON never holds NaN or infinity (null instead); CSV leaves the cell empty; tables show "-".
// Numbers follow the one number policy (entente/numbers.hpp).
#include <fmt/format.h>

#include <cmath>

#include "entente/deal.hpp"
#include "output/internal.hpp"

namespace entente {

namespace {
using ordered_json = out::json;
using out::jnum;

std::string tnum(double v) { return std::isfinite(v) ? display_number(v) : "-"; }
// CSV/XLSX value cells: numbers as numbers (full precision), empty when undefined.
Cell cnum(double v) { return std::isfinite(v) ? Cell::num(v) : Cell{}; }
std::string percent(double p) { return std::isfinite(p) ? display_percent(p) : "-"; }

bool categorical(const Scenario& s, std::size_t k) { return s.issues[k].kind == Issue::Kind::categorical; }
std::string option_name(const Scenario& s, std::size_t k, double v) {
  const auto& opts = s.issues[k].options;
  return v >= 0 && v < static_cast<double>(opts.size()) ? opts[static_cast<std::size_t>(v)] : std::string{};
}
// A package value: a number on a numeric issue, an option's name on a categorical one.
ordered_json jvalue(const Scenario& s, std::size_t k, double v) {
  if (std::isnan(v)) return nullptr;
  return categorical(s, k) ? ordered_json(option_name(s, k, v)) : jnum(v);
}
std::string tvalue(const Scenario& s, std::size_t k, double v) {
  if (std::isnan(v)) return "-";
  return categorical(s, k) ? option_name(s, k, v) : tnum(v);
}
Cell cvalue(const Scenario& s, std::size_t k, double v) {
  if (std::isnan(v)) return {};
  return categorical(s, k) ? Cell{option_name(s, k, v)} : cnum(v);
}

ordered_json jzone(const Scenario& s, std::size_t k, const DealZone& z) {
  if (z.empty()) return nullptr;
  ordered_json j = ordered_json::array();
  if (z.categorical) {
    for (auto o : z.options) j.push_back(option_name(s, k, static_cast<double>(o)));
  } else {
    j.push_back(jnum(z.interval->first));
    j.push_back(jnum(z.interval->second));
  }
  return j;
}
std::string tzone(const Scenario& s, std::size_t k, const DealZone& z) {
  if (z.empty()) return "none";
  if (!z.categorical) return fmt::format("[{}, {}]", tnum(z.interval->first), tnum(z.interval->second));
  std::string out;
  for (auto o : z.options) out += (out.empty() ? "" : ", ") + option_name(s, k, static_cast<double>(o));
  return out;
}
// CSV rows of a zone: (key, value) pairs.
std::vector<std::pair<std::string, Cell>> czone(const Scenario& s, std::size_t k, const DealZone& z) {
  if (z.empty()) return {{"empty", Cell{"true"}}};
  if (!z.categorical) return {{"low", cnum(z.interval->first)}, {"high", cnum(z.interval->second)}};
  std::vector<std::pair<std::string, Cell>> out;
  for (auto o : z.options) out.emplace_back("option", Cell{option_name(s, k, static_cast<double>(o))});
  return out;
}

ordered_json jdist(const Distribution& d) {
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

std::string issue_list(const Scenario& s, const VetoPlayer& v) {
  if (v.issues.size() == s.issues.size() && s.actors[v.actor].veto && s.actors[v.actor].veto->all) return "all issues";
  std::string out;
  for (auto k : v.issues) out += (out.empty() ? "" : ", ") + s.issues[k].id;
  return out.empty() ? "no issue it holds" : out;
}

bool with_draws(const DealResult& r) { return r.draws_requested > 0; }

std::string deal_document(const Scenario& s, const DealResult& r, Format format, const Provenance& provenance) {
  const std::size_t n = s.issues.size();
  const bool draws = with_draws(r);
  if (format == Format::json) {
    ordered_json j;
    j["possible"] = draws ? jnum(r.p_possible) : ordered_json(r.possible);
    j["maximin"] = ordered_json::object();
    for (std::size_t k = 0; k < n; ++k) j["maximin"][s.issues[k].id] = jvalue(s, k, r.maximin[k]);
    j["issues"] = ordered_json::object();
    for (std::size_t k = 0; k < n; ++k) {
      ordered_json ji;
      ji["zone"] = jzone(s, k, r.zones[k]);
      ji["kind"] = categorical(s, k) ? "categorical" : "numeric";
      ji["range"] = jzone(s, k, r.ranges[k]);
      j["issues"][s.issues[k].id] = ji;
    }
    j["models"] = ordered_json::object();
    for (const auto& m : r.models) {
      ordered_json jm;
      jm["acceptable"] = m.acceptable;
      jm["blockers"] = m.blockers;
      jm["margins"] = ordered_json::object();
      for (std::size_t i = 0; i < r.veto_players.size(); ++i) jm["margins"][r.veto_players[i].id] = jnum(m.margins[i]);
      if (draws) jm["p_acceptable"] = jnum(m.p_acceptable);
      jm["forecast"] = ordered_json::object();
      jm["package"] = ordered_json::object();
      jm["completed"] = ordered_json::array();
      jm["zones"] = ordered_json::object();
      for (std::size_t k = 0; k < n; ++k) {
        jm["forecast"][s.issues[k].id] = jvalue(s, k, m.forecast[k]);
        jm["package"][s.issues[k].id] = jvalue(s, k, m.package[k]);
        if (m.completed[k]) jm["completed"].push_back(s.issues[k].id);
        jm["zones"][s.issues[k].id] = jzone(s, k, m.zones[k]);
      }
      if (m.nearest.empty()) {
        jm["nearest"] = nullptr;
      } else {
        jm["nearest"] = ordered_json::object();
        for (std::size_t k = 0; k < n; ++k) jm["nearest"][s.issues[k].id] = jvalue(s, k, m.nearest[k]);
      }
      jm["nearest_distance"] = jnum(m.nearest_distance);
      if (draws) {
        jm["p_blocks"] = ordered_json::object();
        for (std::size_t i = 0; i < r.veto_players.size() && i < m.p_blocks.size(); ++i)
          jm["p_blocks"][r.veto_players[i].id] = jnum(m.p_blocks[i]);
        jm["nearest_draws"] = m.nearest_draws;
        jm["nearest_distribution"] = ordered_json::object();
        for (std::size_t k = 0; k < n && k < m.nearest_distribution.size(); ++k) {
          if (!categorical(s, k)) {
            jm["nearest_distribution"][s.issues[k].id] = jdist(m.nearest_distribution[k]);
          } else {
            ordered_json shares = ordered_json::object();
            for (std::size_t o = 0; o < m.nearest_options[k].size(); ++o)
              shares[s.issues[k].options[o]] = jnum(m.nearest_options[k][o]);
            jm["nearest_distribution"][s.issues[k].id] = shares;
          }
        }
      }
      j["models"][m.model] = jm;
    }
    j["veto_players"] = ordered_json::object();
    for (const auto& v : r.veto_players) {
      ordered_json ids = ordered_json::array();
      for (auto k : v.issues) ids.push_back(s.issues[k].id);
      j["veto_players"][v.id] = ids;
    }
    j["maximin_margin"] = jnum(r.maximin_margin);
    j["maximin_margins"] = ordered_json::object();
    for (std::size_t i = 0; i < r.veto_players.size(); ++i) j["maximin_margins"][r.veto_players[i].id] = jnum(r.maximin_margins[i]);
    j["method"] = r.method;
    if (!r.note.empty()) j["note"] = r.note;
    if (draws) {
      j["possible_at_point_values"] = r.possible;
      j["p_pivotal"] = ordered_json::object();
      for (std::size_t i = 0; i < r.veto_players.size() && i < r.p_pivotal.size(); ++i)
        j["p_pivotal"][r.veto_players[i].id] = jnum(r.p_pivotal[i]);
      j["maximin_margin_distribution"] = jdist(r.maximin_margin_distribution);
      j["seed"] = r.seed;
      j["first_draw"] = r.first_draw;
      j["draws_requested"] = r.draws_requested;
      j["draws_completed"] = r.draws_completed;
      j["partial"] = r.partial;
    }
    j["scenario"] = out::scenario_json(s, provenance);
    j["provenance"] = out::provenance_json(provenance);
    return out::dump(j);
  }

  if (format == Format::csv || format == Format::xlsx) {
    Table t;
    t.name = "deal";
    t.header = {"section", "model", "issue", "actor", "key", "value"};
    auto row = [&](std::string section, std::string model, std::string issue, std::string actor, std::string key,
                   Cell value) {
      t.rows.push_back({std::move(section), std::move(model), std::move(issue), std::move(actor), std::move(key),
                        std::move(value)});
    };
    row("summary", "", "", "", "possible", r.possible ? "true" : "false");
    row("summary", "", "", "", "maximin_margin", cnum(r.maximin_margin));
    if (draws) {
      row("summary", "", "", "", "p_possible", cnum(r.p_possible));
      row("summary", "", "", "", "draws_completed", std::to_string(r.draws_completed));
      row("summary", "", "", "", "seed", std::to_string(r.seed));
    }
    for (std::size_t i = 0; i < r.veto_players.size(); ++i) {
      const auto& v = r.veto_players[i];
      for (auto k : v.issues) row("veto", "", s.issues[k].id, v.id, "vetoes", "true");
      row("maximin_margin", "", "", v.id, "margin", cnum(r.maximin_margins[i]));
      if (draws && i < r.p_pivotal.size()) row("pivotal", "", "", v.id, "p", cnum(r.p_pivotal[i]));
    }
    for (std::size_t k = 0; k < n; ++k) {
      row("maximin", "", s.issues[k].id, "", "value", cvalue(s, k, r.maximin[k]));
      for (auto& [key, value] : czone(s, k, r.zones[k])) row("zone", "", s.issues[k].id, "", key, value);
      for (auto& [key, value] : czone(s, k, r.ranges[k])) row("range", "", s.issues[k].id, "", key, value);
    }
    for (const auto& m : r.models) {
      row("model", m.model, "", "", "acceptable", m.acceptable ? "true" : "false");
      if (draws) row("model", m.model, "", "", "p_acceptable", cnum(m.p_acceptable));
      row("model", m.model, "", "", "nearest_distance", cnum(m.nearest_distance));
      for (std::size_t i = 0; i < r.veto_players.size(); ++i) {
        row("model_margin", m.model, "", r.veto_players[i].id, "margin", cnum(m.margins[i]));
        if (draws && i < m.p_blocks.size()) row("model_blocks", m.model, "", r.veto_players[i].id, "p", cnum(m.p_blocks[i]));
      }
      for (const auto& b : m.blockers) row("model_blocker", m.model, "", b, "blocks", "true");
      for (std::size_t k = 0; k < n; ++k) {
        const std::string id = s.issues[k].id;
        row("model_forecast", m.model, id, "", "value", cvalue(s, k, m.forecast[k]));
        row("model_package", m.model, id, "", m.completed[k] ? "completed" : "value", cvalue(s, k, m.package[k]));
        for (auto& [key, value] : czone(s, k, m.zones[k])) row("model_zone", m.model, id, "", key, value);
        if (!m.nearest.empty()) row("model_nearest", m.model, id, "", "value", cvalue(s, k, m.nearest[k]));
        if (draws && k < m.nearest_distribution.size()) {
          if (!categorical(s, k)) {
            const auto& d = m.nearest_distribution[k];
            if (d.n) {
              row("nearest_distribution", m.model, id, "", "q05", cnum(d.q05));
              row("nearest_distribution", m.model, id, "", "q50", cnum(d.q50));
              row("nearest_distribution", m.model, id, "", "q95", cnum(d.q95));
            }
          } else {
            for (std::size_t o = 0; o < m.nearest_options[k].size(); ++o)
              row("nearest_distribution", m.model, id, "", "share:" + s.issues[k].options[o], cnum(m.nearest_options[k][o]));
          }
        }
      }
    }
    return render(std::vector<Table>{t}, format);
  }

  // ---- table ----
  std::string out = out::heading(s, provenance);
  out += "Will there be a deal?\n";
  if (!r.note.empty()) out += "Note: " + r.note + "\n";
  std::string vp;
  for (const auto& v : r.veto_players) vp += (vp.empty() ? "" : "; ") + v.id + " (" + issue_list(s, v) + ")";
  out += "Veto players: " + (vp.empty() ? std::string("none") : vp) + "\n";
  if (r.possible)
    out += fmt::format("At the scenario's values a deal IS possible: some package is acceptable to every veto "
                       "player (largest smallest margin {}).\n",
                       tnum(r.maximin_margin));
  else
    out += fmt::format("At the scenario's values NO deal is possible: every package leaves some veto player below "
                       "its no-deal expectation (largest smallest margin {}).\n",
                       tnum(r.maximin_margin));
  if (draws)
    out += fmt::format("Over {} draws{} (seed {}): P(a deal is possible) = {}.\n", r.draws_completed,
                       r.partial ? " (PARTIAL: interrupted)" : "", r.seed, percent(r.p_possible));
  out += "\nThe most acceptable package (maximin), its zones (other issues held there), and the range of every "
         "acceptable package:\n";
  Table t;
  t.header = {"issue", "maximin", "zone", "range"};
  for (std::size_t k = 0; k < n; ++k)
    t.rows.push_back({s.issues[k].id, tvalue(s, k, r.maximin[k]), tzone(s, k, r.zones[k]), tzone(s, k, r.ranges[k])});
  out += render(t, Format::table);
  if (!r.veto_players.empty()) {
    Table mt;
    mt.header = {"veto player", "margin at maximin"};
    if (draws) mt.header.push_back("P(pivotal)");
    for (std::size_t i = 0; i < r.veto_players.size(); ++i) {
      std::vector<Cell> cells{r.veto_players[i].id, tnum(r.maximin_margins[i])};
      if (draws) cells.push_back(i < r.p_pivotal.size() ? percent(r.p_pivotal[i]) : "-");
      mt.rows.push_back(std::move(cells));
    }
    out += "\n" + render(mt, Format::table);
    if (draws)
      out += "(pivotal: no package is acceptable, but one would be without this player's veto)\n";
  }
  for (const auto& m : r.models) {
    out += fmt::format("\nModel {}: its forecast is {}{}.\n", m.model, m.acceptable ? "ACCEPTABLE" : "NOT acceptable",
                       m.blockers.empty() ? "" : " (blocked by " + fmt::format("{}", fmt::join(m.blockers, ", ")) + ")");
    if (draws)
      out += fmt::format("Over the draws: P(acceptable) = {}; an acceptable package exists in {} draws.\n",
                         percent(m.p_acceptable), m.nearest_draws);
    Table it;
    it.header = {"issue", "forecast", "zone", "nearest acceptable"};
    if (draws) it.header.push_back("nearest over draws (5% / 50% / 95%, or shares)");
    for (std::size_t k = 0; k < n; ++k) {
      std::string f = tvalue(s, k, m.package[k]);
      if (m.completed[k]) f += " (completed)";
      std::vector<Cell> cells{s.issues[k].id, f, tzone(s, k, m.zones[k]),
                                     m.nearest.empty() ? "none" : tvalue(s, k, m.nearest[k])};
      if (draws) {
        std::string d = "-";
        if (k < m.nearest_distribution.size()) {
          if (!categorical(s, k) && m.nearest_distribution[k].n) {
            const auto& x = m.nearest_distribution[k];
            d = fmt::format("{} / {} / {}", tnum(x.q05), tnum(x.q50), tnum(x.q95));
          } else if (categorical(s, k) && m.nearest_draws) {
            d.clear();
            for (std::size_t o = 0; o < m.nearest_options[k].size(); ++o)
              if (m.nearest_options[k][o] > 0)
                d += (d.empty() ? "" : ", ") + s.issues[k].options[o] + " " + percent(m.nearest_options[k][o]);
          }
        }
        cells.push_back(d);
      }
      it.rows.push_back(std::move(cells));
    }
    out += render(it, Format::table);
    Table pt;
    pt.header = {"veto player", "margin"};
    if (draws) pt.header.push_back("P(blocks)");
    for (std::size_t i = 0; i < r.veto_players.size(); ++i) {
      std::vector<Cell> cells{r.veto_players[i].id, tnum(m.margins[i])};
      if (draws) cells.push_back(i < m.p_blocks.size() ? percent(m.p_blocks[i]) : "-");
      pt.rows.push_back(std::move(cells));
    }
    if (!pt.rows.empty()) out += render(pt, Format::table);
  }
  out += fmt::format("\nMargins are in utility units: salience x share of a scale (docs/models/deal.md). Method: {}.\n",
                     r.method);
  bool seeded = draws;
  for (const auto& m : r.models) seeded = seeded || find_model(m.model).info().stochastic;
  if (const std::string f = out::footer(provenance, seeded); !f.empty()) out += "\n" + f;
  return out;
}

std::string whatif_document(const Scenario& s, const DealWhatIfResult& r, Format format, const Provenance& provenance) {
  auto value_text = [&](const DealLever& l, double v) -> std::string {
    if (l.lever == "no_deal" && l.categorical) {
      const std::size_t k = s.issue_index(l.issue);
      return std::isnan(v) ? std::string("(no option)") : option_name(s, k, v);
    }
    return format == Format::table ? tnum(v) : format_number(v);
  };
  auto number_text = [&](double v) { return format == Format::table ? tnum(v) : format_number(v); };
  if (format == Format::json) {
    ordered_json j;
    j["actor"] = r.actor;
    j["veto"] = r.veto;
    j["already_possible"] = r.already_possible;
    j["maximin_margin"] = jnum(r.maximin_margin);
    j["levers"] = ordered_json::array();
    for (const auto& l : r.levers) {
      ordered_json jl;
      jl["lever"] = l.lever;
      jl["issue"] = l.issue.empty() ? ordered_json(nullptr) : ordered_json(l.issue);
      jl["opens"] = l.opens;
      if (l.lever == "no_deal" && l.categorical) {
        jl["current"] = std::isnan(l.current) ? ordered_json(nullptr) : ordered_json(value_text(l, l.current));
        jl["value"] = l.opens && !std::isnan(l.value) ? ordered_json(value_text(l, l.value)) : ordered_json(nullptr);
        jl["utility_change"] = l.opens ? jnum(l.change) : nullptr;
      } else {
        jl["current"] = jnum(l.current);
        jl["value"] = l.opens ? jnum(l.value) : nullptr;
        jl["change"] = l.opens ? jnum(l.change) : nullptr;
        jl["low"] = jnum(l.low);
        jl["high"] = jnum(l.high);
      }
      jl["relative"] = l.opens ? jnum(l.relative) : nullptr;
      if (!l.note.empty()) jl["note"] = l.note;
      j["levers"].push_back(jl);
    }
    if (r.best) {
      j["best"] = {{"lever", r.levers[*r.best].lever},
                   {"issue", r.levers[*r.best].issue.empty() ? ordered_json(nullptr) : ordered_json(r.levers[*r.best].issue)}};
    } else {
      j["best"] = nullptr;
    }
    if (!r.note.empty()) j["note"] = r.note;
    j["scenario"] = out::scenario_json(s, provenance);
    j["provenance"] = out::provenance_json(provenance);
    return out::dump(j);
  }
  Table t;
  t.name = "deal_whatif";
  t.header = {"lever", "issue", "current", "needed", "change", "relative", "note"};
  for (const auto& l : r.levers) {
    const bool cat = l.lever == "no_deal" && l.categorical;
    t.rows.push_back({l.lever, l.issue, value_text(l, l.current), l.opens ? value_text(l, l.value) : "",
                      l.opens ? (cat ? "utility " + number_text(l.change) : number_text(l.change)) : "",
                      l.opens ? number_text(l.relative) : "", l.note});
  }
  if (format == Format::csv || format == Format::xlsx) return render(std::vector<Table>{t}, format);
  std::string out = out::heading(s, provenance);
  out += fmt::format("What would it take for a deal: actor {}\n", r.actor);
  out += fmt::format("Now: {} (largest smallest margin {}).\n",
                     r.already_possible ? "a deal is possible" : "no deal is possible", tnum(r.maximin_margin));
  if (!r.note.empty()) out += r.note + "\n";
  if (!r.levers.empty()) {
    for (auto& row : t.rows)
      for (auto& c : row)
        if (c.kind == Cell::Kind::text && c.text.empty()) c = "-";
    out += "\n" + render(t, Format::table);
    if (r.best) {
      const auto& l = r.levers[*r.best];
      out += fmt::format("\nSmallest relative change: {}{} from {} to {}.\n", l.lever, l.issue.empty() ? "" : " on " + l.issue,
                         value_text(l, l.current), value_text(l, l.value));
    }
    out += "(relative: the change over the lever's range -- the scale, [0, 1] for salience and utility, the actor's "
           "total salience for the cost)\n";
  }
  return out;
}

}  // namespace

namespace out {
json deal_zone_json(const Issue& issue, const DealZone& z) {
  if (z.empty()) return nullptr;
  json j = json::array();
  if (z.categorical) {
    for (auto o : z.options) j.push_back(option_name(issue, static_cast<double>(o)));
  } else {
    j.push_back(jnum(z.interval->first));
    j.push_back(jnum(z.interval->second));
  }
  return j;
}
json deal_check_json(const DealModel& m, const std::vector<VetoPlayer>& players) {
  json j;
  j["acceptable"] = m.acceptable;
  j["blockers"] = m.blockers;
  j["margins"] = json::object();
  for (std::size_t i = 0; i < players.size() && i < m.margins.size(); ++i) j["margins"][players[i].id] = jnum(m.margins[i]);
  return j;
}
std::string deal_words(const DealModel& m) {
  if (m.acceptable) return "yes";
  return m.blockers.empty() ? "no" : fmt::format("no ({})", fmt::join(m.blockers, ", "));
}
}  // namespace out

std::string render(const DealResponse& response, Format format) {
  return deal_document(response.scenario, response.result, format, response.provenance);
}

std::string render(const DealWhatIfResponse& response, Format format) {
  return whatif_document(response.scenario, response.result, format, response.provenance);
}

}  // namespace entente
