// The ledger's and the news finder's outputs: entries, verification, scores, the timeline (table,
// CSV, JSON and an HTML page with one SVG chart per issue), and the cells an article touches.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "output/html.hpp"
#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;

json opt(const std::optional<double>& v) { return v ? out::jnum(*v) : json(nullptr); }
Cell opt_cell(const std::optional<double>& v) { return v ? Cell::num(*v) : Cell{}; }
std::string short_hash(const std::string& h) { return h.substr(0, 12); }

json entry_json(const LedgerEntry& e, bool full) {
  json j;
  j["seq"] = e.seq;
  j["created"] = e.created;
  j["title"] = e.title;
  j["file"] = e.file;
  j["scenario_hash"] = e.scenario_hash;
  j["as_of"] = e.as_of;
  j["models"] = e.models;
  j["seed"] = e.seed;
  j["draws"] = e.draws;
  j["version"] = e.version;
  j["p_deal"] = opt(e.p_deal);
  j["hash"] = e.hash;
  j["prev_hash"] = e.prev_hash;
  json fs = json::array();
  for (const auto& f : e.forecasts) {
    json x = {{"model", f.model}, {"issue", f.issue}, {"defined", f.defined}, {"point", out::jnum(f.point)}};
    if (!f.quantiles.empty()) {
      if (full) {
        json q = json::array();
        for (double v : f.quantiles) q.push_back(out::jnum(v));
        x["quantiles"] = q;
      }
    }
    if (!f.probabilities.empty()) x["probabilities"] = f.probabilities;
    fs.push_back(x);
  }
  j["forecasts"] = fs;
  return j;
}

Table forecasts_table(const LedgerEntry& e) {
  Table t;
  t.name = "forecasts";
  t.header = {"model", "issue", "point", "q05", "q50", "q95"};
  for (const auto& f : e.forecasts) {
    std::vector<Cell> row{f.model, f.issue, f.defined ? Cell::num(f.point) : Cell{"undefined"}};
    if (f.quantiles.size() == ledger_quantiles) {
      // Levels (k - 0.5) / 100: 5% lies between atoms 5 and 6, 50% between 50 and 51, 95% between 95 and 96.
      row.push_back(Cell::num((f.quantiles[4] + f.quantiles[5]) / 2));
      row.push_back(Cell::num((f.quantiles[49] + f.quantiles[50]) / 2));
      row.push_back(Cell::num((f.quantiles[94] + f.quantiles[95]) / 2));
    } else if (!f.probabilities.empty()) {
      std::string p;
      for (double v : f.probabilities) p += fmt::format("{}{:.0f}%", p.empty() ? "" : " ", 100 * v);
      row.push_back(p);
      row.emplace_back();
      row.emplace_back();
    } else {
      row.insert(row.end(), 3, Cell{});
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table entries_table(const std::vector<LedgerEntry>& entries) {
  Table t;
  t.name = "ledger";
  t.header = {"seq", "as_of", "title", "models", "draws", "p_deal", "scenario", "hash"};
  for (const auto& e : entries) {
    std::string models;
    for (const auto& m : e.models) models += (models.empty() ? "" : ",") + m;
    t.rows.push_back({Cell::integer(e.seq), e.as_of, terminal_safe(e.title), models, Cell::integer(static_cast<long long>(e.draws)),
                      opt_cell(e.p_deal), short_hash(e.scenario_hash), short_hash(e.hash)});
  }
  return t;
}

Table score_rows_table(const LedgerScores& s) {
  Table t;
  t.name = "scores";
  t.header = {"seq", "as_of", "days", "weight", "forecaster", "issue", "forecast", "outcome", "abs_error", "crps", "brier"};
  for (const auto& r : s.rows)
    t.rows.push_back({Cell::integer(r.seq), r.as_of, Cell::num(r.days), Cell::num(r.weight), r.forecaster, r.issue,
                      Cell::num(r.forecast), Cell::num(r.outcome), opt_cell(r.abs_error), opt_cell(r.crps), opt_cell(r.brier)});
  return t;
}

Table summary_table(const LedgerScores& s) {
  Table t;
  t.name = "summary";
  t.header = {"issue", "forecaster", "versions", "abs_error", "crps", "brier"};
  for (const auto& r : s.summary)
    t.rows.push_back({r.issue, r.forecaster, Cell::integer(static_cast<long long>(r.versions)), opt_cell(r.abs_error),
                      opt_cell(r.crps), opt_cell(r.brier)});
  return t;
}

Table timeline_table(const Timeline& tl) {
  Table t;
  t.name = "timeline";
  t.header = {"seq", "as_of", "model", "issue", "forecast", "low", "high", "p_deal", "outcome", "outcome_date"};
  std::map<std::string, const IssueResolution*> res;
  if (tl.resolution)
    for (const auto& r : tl.resolution->issues) res[r.issue] = &r;
  for (const auto& p : tl.points) {
    std::vector<Cell> row{Cell::integer(p.seq), p.as_of, p.model, p.issue, Cell::num(p.point), opt_cell(p.low),
                          opt_cell(p.high), opt_cell(p.p_deal)};
    auto it = res.find(p.issue);
    if (it != res.end() && it->second->resolved) {
      row.push_back(it->second->option.empty() ? Cell::num(it->second->value) : Cell{it->second->option});
      row.emplace_back(it->second->date);
    } else {
      row.insert(row.end(), 2, Cell{});
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

std::string render(const LedgerAddResponse& rsp, Format format) {
  if (format == Format::json) {
    json j = entry_json(rsp.entry, true);
    j["store"] = rsp.store_path;
    return out::dump(j);
  }
  if (format != Format::table) return render(forecasts_table(rsp.entry), format);
  const auto& e = rsp.entry;
  return fmt::format("ledger entry {} sealed: \"{}\" as of {}\n  scenario {}  seed {}  draws {}  entente {}\n  hash {}\n\n",
                     e.seq, terminal_safe(e.title), e.as_of, e.scenario_hash, e.seed, e.draws, e.version, e.hash) +
         render(forecasts_table(e), Format::table) +
         (e.p_deal ? fmt::format("\nP(deal): {} (share of the draws in which a package is acceptable to every veto player)\n",
                                 display_percent(*e.p_deal))
                   : std::string("\nP(deal): not computed (no veto players in the scenario, or no draws).\n")) +
         "Record the hash above elsewhere: `entente ledger verify --head HASH` then also detects removed entries.\n";
}

std::string render(const LedgerListResponse& rsp, Format format) {
  if (format == Format::json) {
    json list = json::array();
    for (const auto& e : rsp.entries) list.push_back(entry_json(e, false));
    return out::dump(json{{"store", rsp.store_path}, {"entries", list}});
  }
  return render(entries_table(rsp.entries), format);
}

std::string render(const LedgerVerifyResponse& rsp, Format format) {
  const auto& v = rsp.verification;
  if (format == Format::json) {
    json problems = json::array();
    for (const auto& p : v.problems) problems.push_back({{"seq", p.seq}, {"message", p.message}});
    return out::dump(json{{"intact", v.intact}, {"entries", v.entries}, {"head", v.head}, {"store", rsp.store_path},
                          {"problems", problems}});
  }
  if (format == Format::csv) {
    Table t;
    t.header = {"seq", "problem"};
    for (const auto& p : v.problems) t.rows.push_back({Cell::integer(p.seq), p.message});
    return render(t, Format::csv);
  }
  std::string s = v.intact ? fmt::format("ledger intact: {} entries, head {}\n", v.entries, v.head.empty() ? "(none)" : v.head)
                           : fmt::format("ledger NOT intact: {} problem(s) in {} entries\n", v.problems.size(), v.entries);
  for (const auto& p : v.problems) s += fmt::format("  entry {}: {}\n", p.seq, p.message);
  return s;
}

std::string render(const LedgerScoreResponse& rsp, Format format) {
  const auto& s = rsp.scores;
  switch (format) {
    case Format::json: {
      json rows = json::array(), summary = json::array();
      for (const auto& r : s.rows)
        rows.push_back({{"seq", r.seq}, {"as_of", r.as_of}, {"days", r.days}, {"weight", out::jnum(r.weight)},
                        {"forecaster", r.forecaster}, {"issue", r.issue}, {"forecast", out::jnum(r.forecast)},
                        {"outcome", out::jnum(r.outcome)}, {"abs_error", opt(r.abs_error)}, {"crps", opt(r.crps)},
                        {"brier", opt(r.brier)}});
      for (const auto& r : s.summary)
        summary.push_back({{"forecaster", r.forecaster}, {"issue", r.issue}, {"versions", r.versions},
                           {"abs_error", opt(r.abs_error)}, {"crps", opt(r.crps)}, {"brier", opt(r.brier)}});
      return out::dump(json{{"title", s.title}, {"resolution_date", s.resolution_date}, {"rows", rows},
                            {"summary", summary}, {"notes", s.notes}});
    }
    case Format::csv: return render(score_rows_table(s), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{summary_table(s), score_rows_table(s)}, Format::xlsx);
    case Format::table: break;
  }
  std::string text = fmt::format("Scores against the resolution of {}{}\n\n", s.resolution_date,
                                 s.title.empty() ? "" : " (\"" + terminal_safe(s.title) + "\")");
  text += "Time-weighted over the versions in force (each from its as_of to the next version's, the last to the "
          "resolution date):\n";
  text += render(summary_table(s), Format::table);
  text += "\nPer version:\n" + render(score_rows_table(s), Format::table);
  for (const auto& n : s.notes) text += "note: " + terminal_safe(n) + "\n";
  return text;
}

std::string render(const LedgerTimelineResponse& rsp, Format format) {
  if (format == Format::json) {
    json pts = json::array();
    for (const auto& p : rsp.timeline.points)
      pts.push_back({{"seq", p.seq}, {"as_of", p.as_of}, {"model", p.model}, {"issue", p.issue},
                     {"forecast", out::jnum(p.point)}, {"low", opt(p.low)}, {"high", opt(p.high)}, {"p_deal", opt(p.p_deal)}});
    json res = nullptr;
    if (rsp.timeline.resolution) {
      res = json::array();
      for (const auto& r : rsp.timeline.resolution->issues)
        res.push_back({{"issue", r.issue}, {"resolved", r.resolved}, {"outcome", r.option.empty() ? out::jnum(r.value) : json(r.option)},
                       {"date", r.date}});
    }
    return out::dump(json{{"title", rsp.timeline.title}, {"points", pts}, {"resolution", res},
                          {"charts", [&] {
                             json c = json::object();
                             for (const auto& is : rsp.timeline.issues) c[is.id] = charts::timeline_chart(rsp.timeline, is.id);
                             return c;
                           }()}});
  }
  return render(timeline_table(rsp.timeline), format);
}

namespace charts {

// Forecast (line), its 5-95% band (shaded) per model over the versions' dates, the outcome as a
// dashed line at its date. Categorical issues: the forecast option index on an axis of option names.
std::string timeline_chart(const Timeline& tl, const std::string& issue) {
  const LedgerIssue* is = nullptr;
  for (const auto& x : tl.issues)
    if (x.id == issue) is = &x;
  if (!is) return {};
  std::vector<const TimelinePoint*> pts;
  for (const auto& p : tl.points)
    if (p.issue == issue) pts.push_back(&p);
  const IssueResolution* res = nullptr;
  if (tl.resolution)
    for (const auto& r : tl.resolution->issues)
      if (r.issue == issue && r.resolved) res = &r;
  std::string first, last;
  for (const auto* p : pts) {
    if (first.empty() || p->as_of < first) first = p->as_of;
    if (last.empty() || p->as_of > last) last = p->as_of;
  }
  if (res && !res->date.empty() && res->date > last) last = res->date;
  if (first.empty()) return {};
  const double span = std::max(1L, days_between(first, last));
  const double w = 640, h = 260, l = 60, r = 20, top = 20, bottom = 40;
  auto X = [&](const std::string& d) { return l + (w - l - r) * static_cast<double>(days_between(first, d)) / span; };
  const double lo = is->categorical ? -0.5 : is->min, hi = is->categorical ? static_cast<double>(is->options.size()) - 0.5 : is->max;
  auto Y = [&](double v) { return top + (h - top - bottom) * (hi - v) / (hi - lo); };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"{}\">\n",
      w, h, w, h, escape("forecast timeline: " + is->name));
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>\n", l, top, w - l - r,
                     h - top - bottom);
  if (is->categorical) {
    for (std::size_t o = 0; o < is->options.size(); ++o)
      svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n", l - 4,
                         Y(static_cast<double>(o)) + 4, escape(is->options[o]));
  } else {
    for (int k = 0; k <= 4; ++k) {
      const double v = is->min + (is->max - is->min) * k / 4;
      svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{:g}</text>\n", l - 4, Y(v) + 4, v);
    }
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\n", l, h - 10, escape(first));
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n", w - r, h - 10, escape(last));
  std::vector<std::string> models;
  for (const auto* p : pts)
    if (std::find(models.begin(), models.end(), p->model) == models.end()) models.push_back(p->model);
  for (std::size_t m = 0; m < models.size(); ++m) {
    std::string line, band_top, band_bottom;
    for (const auto* p : pts) {
      if (p->model != models[m] || !std::isfinite(p->point)) continue;
      line += fmt::format("{}{:.1f},{:.1f}", line.empty() ? "" : " ", X(p->as_of), Y(p->point));
      if (p->low && p->high) {
        band_top += fmt::format("{:.1f},{:.1f} ", X(p->as_of), Y(*p->high));
        band_bottom = fmt::format("{:.1f},{:.1f} ", X(p->as_of), Y(*p->low)) + band_bottom;
      }
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{} {}: {:g}</title></circle>\n",
                         X(p->as_of), Y(p->point), colour(m), escape(p->model), escape(p->as_of), p->point);
    }
    if (!band_top.empty())
      svg += fmt::format("<polygon points=\"{}{}\" fill=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n", band_top,
                         band_bottom, colour(m));
    if (!line.empty())
      svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", line, colour(m));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\">{}</text>\n", l + 8 + 110 * static_cast<double>(m),
                       top + 14, colour(m), escape(models[m]));
  }
  if (res) {
    double y = res->value;
    if (is->categorical) {
      auto it = std::find(is->options.begin(), is->options.end(), res->option);
      y = static_cast<double>(it - is->options.begin());
    }
    svg += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#000\" stroke-dasharray=\"4 3\"><title>outcome</title></line>\n",
        l, w - r, Y(y), Y(y));
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"#000\"><title>outcome {}</title></circle>\n",
                       X(res->date.empty() ? last : res->date), Y(y), escape(res->date));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace charts

std::string timeline_html(const LedgerTimelineResponse& rsp) {
  const Timeline& tl = rsp.timeline;
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                     charts::escape("Forecast timeline: " + tl.title) +
                     "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}svg{display:block}"
                     "</style></head><body>\n<h1>" +
                     charts::escape("Forecast timeline: " + tl.title) + "</h1>\n";
  html += "<p>Each point is a sealed ledger entry at its as_of date; the band is its simulated 5-95% interval; the dashed "
          "line is the resolution.</p>\n";
  for (const auto& is : tl.issues) {
    html += "<h2>" + charts::escape(is.name.empty() ? is.id : is.name) + "</h2>\n";
    html += charts::timeline_chart(tl, is.id);
  }
  html += "</body></html>\n";
  return html;
}

std::string render(const NewsResponse& rsp, Format format) {
  const NewsReport& r = rsp.report;
  if (format == Format::json) {
    json cells = json::array();
    for (const auto& c : r.cells) {
      json q = json::array(), lines = json::array();
      for (const auto& x : c.quotes) {
        q.push_back(x.text);
        lines.push_back(x.line);
      }
      cells.push_back({{"actor", c.actor}, {"issue", c.issue}, {"quotes", q}, {"lines", lines}, {"quoted", c.quoted}});
    }
    json j = {{"file", r.file}, {"date", r.date.empty() ? json(nullptr) : json(r.date)}, {"sentences", r.sentences},
              {"cells", cells}};
    if (r.recall)
      j["recall"] = {{"sources", r.sources},
                     {"quoted_cells", r.recall->quoted_cells},
                     {"found_cells", r.recall->found_cells},
                     {"cell_recall", out::jnum(r.recall->cell_recall())},
                     {"quotes", r.recall->quotes},
                     {"quotes_found", r.recall->quotes_found},
                     {"quote_recall", out::jnum(r.recall->quote_recall())},
                     {"candidates_per_cell", out::jnum(r.recall->candidates_per_cell)}};
    return out::dump(j);
  }
  Table t;
  t.name = "cells";
  t.header = {"actor", "issue", "line", "quote"};
  for (const auto& c : r.cells)
    for (const auto& q : c.quotes)
      t.rows.push_back({c.actor, c.issue, Cell::integer(static_cast<long long>(q.line)),
                        format == Format::table ? terminal_safe(q.text) : q.text});
  if (format != Format::table) return render(t, format);
  std::string text = fmt::format("{}: dated {}, {} sentences, {} cells touched\n\n", terminal_safe(r.file),
                                 r.date.empty() ? "(unknown: give --date)" : r.date, r.sentences, r.cells.size());
  for (const auto& c : r.cells) {
    text += fmt::format("{} x {}{}\n", c.actor, c.issue, c.quoted ? "  (the scenario quotes this article here)" : "");
    for (const auto& q : c.quotes) text += fmt::format("  line {}: \"{}\"\n", q.line, terminal_safe(q.text));
  }
  if (r.recall)
    text += fmt::format(
        "\nAgainst the scenario's quotes from this article: {}/{} quoted cells found (recall {:.2f}), {}/{} quotes among "
        "the candidates; {:.2f} candidates per cell.\n",
        r.recall->found_cells, r.recall->quoted_cells, r.recall->cell_recall(), r.recall->quotes_found, r.recall->quotes,
        r.recall->candidates_per_cell);
  return text;
}

}  // namespace entente
