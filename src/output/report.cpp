// The HTML report. One document, inline CSS and SVG, no script and a Content-Security-Policy that
// forbids every fetch, so it opens offline and cannot be made to phone home by scenario text.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "entente/analysis.hpp"

#include "entente/report.hpp"
#include "entente/version.hpp"
#include "output/html.hpp"
#include "output/internal.hpp"

namespace entente {

namespace {
using charts::escape;

const char* const kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:1em 1.5em;color:#222;line-height:1.4}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #dde;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}
.meta{color:#555}.note{color:#555;font-style:italic}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}
th,td{border:1px solid #d5d8dc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eef1f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.missing{background:#fde8e8;color:#a00}
svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0}
q{font-style:italic}
details{border-top:1px solid #dde;padding:.2em 0}details>summary{cursor:pointer}
details>summary h3{display:inline;font-size:1.05em;margin:0}details[open]>summary{margin-bottom:.5em}
table.summary{font-size:.85em}table.summary td{min-width:6em}.unsettled{background:#fff4e0}.warn{color:#a55a00}ol.top{margin:0;padding-left:1.2em}
footer{margin-top:3em;color:#777;font-size:.85em}
)css";

std::string uncertainty_text(const Uncertainty& u) {
  switch (u.kind) {
    case Uncertainty::Kind::none: return {};
    case Uncertainty::Kind::range: return fmt::format("range [{}, {}]", display_number(u.low), display_number(u.high));
    case Uncertainty::Kind::uniform: return fmt::format("uniform [{}, {}]", display_number(u.low), display_number(u.high));
    case Uncertainty::Kind::triangular:
      return fmt::format("triangular [{}, {}], mode {}", display_number(u.low), display_number(u.high), display_number(u.mode));
    case Uncertainty::Kind::normal:
      return fmt::format("normal mean {}, sd {}, within [{}, {}]", display_number(u.mean), display_number(u.sd), display_number(u.low), display_number(u.high));
  }
  return {};
}

std::string location(const SourceLocation& w) {
  if (w.file.empty() && w.line == 0) return {};
  if (w.line == 0) return w.file;
  return fmt::format("{}:{}:{}", w.file, w.line, w.column);
}

std::string source_ref(const Scenario& s, const std::string& id) {
  for (const auto& src : s.sources)
    if (src.id == id) return fmt::format("<a href=\"#src-{}\">{}</a>", escape(id), escape(src.title.empty() ? id : src.title));
  return escape(id);
}

std::string evidence_cell(const Scenario& s, const Evidence& e) {
  if (!e.present()) return "<td class=\"missing\">none</td>";
  std::string out = "<td>";
  if (!e.source.empty()) {
    out += source_ref(s, e.source);
    if (!e.quote.empty()) out += fmt::format(": <q>{}</q>", escape(e.quote));
  }
  if (!e.judgment.empty()) {
    if (!e.source.empty()) out += "<br>";
    out += fmt::format("judgment: {}", escape(e.judgment));
  }
  return out + "</td>";
}

void evidence_row(std::string& out, const Scenario& s, const std::string& field, const Quantity& q) {
  out += fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td>{}<td>{}</td></tr>\n",
                     escape(field), display_number(q.value), escape(uncertainty_text(q.uncertainty)), evidence_cell(s, q.evidence),
                     escape(location(q.where)));
}

std::string actor_name(const Actor& a) { return a.name.empty() ? a.id : a.name; }

// The option a categorical forecast names ("" when none).
std::string option_of(const Issue& is, const Forecast& f) {
  if (is.kind != Issue::Kind::categorical || !f.defined || !std::isfinite(f.value)) return {};
  const auto k = static_cast<std::size_t>(std::lround(f.value));
  return k < is.options.size() ? is.options[k] : std::string{};
}

// The simulated interval (numeric) or option shares (categorical) of one model on one issue, and
// the share of draws that settled (dynamic models): the numbers `entente simulate` prints, from the
// same draws (describe() is the simulation summary's own rule).
std::string simulated_text(const Issue& is, const ForecastDraws& d, std::size_t i) {
  if (i >= d.values.size()) return {};
  std::vector<double> v;
  for (double x : d.values[i])
    if (std::isfinite(x)) v.push_back(x);
  if (v.empty()) return {};
  std::string out;
  if (is.kind == Issue::Kind::categorical) {
    // Share of draws forecasting each option, the likeliest first; never a mean of option numbers.
    std::vector<std::pair<double, std::size_t>> share(is.options.size(), {0.0, 0});
    for (std::size_t k = 0; k < share.size(); ++k) share[k].second = k;
    for (double x : v) {
      const auto k = static_cast<std::size_t>(std::lround(x));
      if (k < share.size()) share[k].first += 1.0 / static_cast<double>(v.size());
    }
    std::stable_sort(share.begin(), share.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [p, k] : share) {
      if (p <= 0) continue;
      out += fmt::format("{}{} {}", out.empty() ? "" : ", ", escape(is.options[k]), display_percent(p));
    }
    out = "draws: " + out;
  } else {
    const Distribution dist = describe(v);
    out = fmt::format("90%: {}\u2013{}", display_number(dist.q05), display_number(dist.q95));
  }
  if (i < d.settled.size() && d.settled[i] < 1)
    out += fmt::format("<br><span class=\"warn\">settled in {} of draws</span>", display_percent(d.settled[i]));
  return out;
}

// A forecast in a summary cell: a number (with its cycle or drift when not settled), or for a
// categorical issue the options with their probabilities, likeliest first (at most three).
std::string summary_forecast(const Issue& is, const Forecast& f) {
  if (!f.defined || !std::isfinite(f.value)) return "\u2014";
  if (is.kind == Issue::Kind::categorical) {
    std::vector<std::pair<double, std::size_t>> p;
    for (std::size_t k = 0; k < f.option_probabilities.size() && k < is.options.size(); ++k)
      if (f.option_probabilities[k] > 0) p.emplace_back(f.option_probabilities[k], k);
    if (p.empty()) return option_of(is, f);
    std::stable_sort(p.begin(), p.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string out;
    for (std::size_t k = 0; k < p.size() && k < 3; ++k)
      out += fmt::format("{}{} {}", k ? ", " : "", is.options[p[k].second], display_percent(p[k].first));
    return out;
  }
  const Convergence& c = f.convergence;
  if (c.state == Convergence::State::cycle)
    return fmt::format("{}, cycles {}\u2194{}, period {}", display_number(f.value), display_number(c.low),
                       display_number(c.high), c.period);
  if (c.state == Convergence::State::drift)
    return fmt::format("{}, still moving ({}\u2013{})", display_number(f.value), display_number(c.low),
                       display_number(c.high));
  return display_number(f.value);
}

// The inputs that move an issue's forecast most, over every model's tornado: each input's largest
// swing (same unit for one issue: the scale, or the probability of the base option).
std::vector<std::pair<std::string, double>> top_inputs(const ReportInputs& in, std::size_t i, std::size_t n) {
  std::vector<std::pair<std::string, double>> best;
  for (const auto& t : in.tornadoes) {
    if (t.issue != i) continue;
    for (const auto& b : t.bars) {
      if (!std::isfinite(b.low) || !std::isfinite(b.high)) continue;
      const double swing = std::fabs(b.high - b.low);
      if (!(swing > 0)) continue;
      auto it = std::find_if(best.begin(), best.end(), [&](const auto& x) { return x.first == b.input; });
      if (it == best.end()) best.emplace_back(b.input, swing);
      else it->second = std::max(it->second, swing);
    }
  }
  std::stable_sort(best.begin(), best.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (best.size() > n) best.resize(n);
  return best;
}

// The one-page summary: per issue, each model's forecast with its simulated range, a mark on every
// forecast that has not settled, and the three inputs that matter most. Details follow below it.
void summary(std::string& out, const Scenario& s, const ReportInputs& in) {
  out += "<h2 id=\"summary\">Summary</h2>\n";
  if (in.results.empty()) {
    out += "<p class=\"note\">No model was run.</p>\n";
    return;
  }
  bool any_unsettled = false;
  out += "<table id=\"forecasts\" class=\"summary\"><tr><th>Issue</th>";
  for (const auto& r : in.results) out += fmt::format("<th>{}</th>", escape(r.model));
  out += "<th>Inputs that matter most</th></tr>\n";
  for (std::size_t i = 0; i < s.issues.size(); ++i) {
    const Issue& is = s.issues[i];
    out += fmt::format("<tr data-issue=\"{}\"><td><a href=\"#issue-{}\">{}</a>{}</td>", escape(is.id), escape(is.id),
                       escape(is.name.empty() ? is.id : is.name),
                       is.kind == Issue::Kind::categorical ? "<br><small>options</small>" : "");
    for (const auto& r : in.results) {
      if (i >= r.forecasts.size()) {
        out += "<td></td>";
        continue;
      }
      const auto& f = r.forecasts[i];
      const bool unsettled = f.defined && !f.convergence.settled();
      any_unsettled = any_unsettled || unsettled;
      const std::string where = f.defined && std::isfinite(f.value) && is.kind == Issue::Kind::numeric
                                    ? describe_position(is, f.value) : std::string{};
      std::string cell = fmt::format("<span class=\"point\">{}{}</span>", unsettled ? "\u26a0 " : "",
                                     escape(summary_forecast(is, f)));
      for (const auto& d : in.draws)
        if (d.model == r.model)
          if (const std::string sim = simulated_text(is, d, i); !sim.empty()) cell += "<br><small>" + sim + "</small>";
      out += fmt::format("<td class=\"{}\" data-model=\"{}\" title=\"{}\">{}</td>", unsettled ? "unsettled" : "",
                         escape(r.model), escape(where), cell);
    }
    std::string top;
    for (const auto& [label, swing] : top_inputs(in, i, 3))
      top += fmt::format("<li><code>{}</code> <small>(swing {})</small></li>", escape(label),
                         is.kind == Issue::Kind::categorical ? display_percent(swing) : display_number(swing));
    out += top.empty() ? "<td class=\"note\">none moves it</td>" : "<td><ol class=\"top\">" + top + "</ol></td>";
    out += "</tr>\n";
  }
  out += "</table>\n";
  std::string notes = "Point forecasts with every input at its value; below each, the simulated range over the "
                      "draws of the uncertain inputs. Categorical issues show options and their probabilities.";
  if (any_unsettled)
    notes += " <span class=\"warn\">\u26a0 marks a dynamic model that had not settled by its last round</span> "
             "(the value shown is that round's; see the issue's details).";
  if (!in.tornadoes.empty())
    notes += " Inputs that matter most: the largest swing of the forecast as one input goes from its low to its "
             "high value (categorical: of the base option's probability).";
  else if (!in.sensitivity_note.empty())
    notes += " " + escape(in.sensitivity_note);
  if (in.draws.empty() && !in.simulation_note.empty()) notes += " " + escape(in.simulation_note);
  out += fmt::format("<p class=\"note\">{}</p>\n", notes);
  // The deal outlook (issue 15: "deal outlook once it exists") belongs here, after the forecasts and
  // before the details: one short section from the deal analysis, added by that work.
}

void issue_section(std::string& out, const Scenario& s, std::size_t i, const ReportInputs& in) {
  const Issue& is = s.issues[i];
  // Behind a <details>: the summary is what a reader with a minute sees; this opens on a click.
  out += fmt::format("<details class=\"issue\" id=\"issue-{}\">\n<summary><h3>{}</h3></summary>\n", escape(is.id),
                     escape(is.name.empty() ? is.id : is.name));
  if (!is.description.empty()) out += fmt::format("<p>{}</p>\n", escape(is.description));
  if (is.kind == Issue::Kind::numeric) {
    out += fmt::format("<p class=\"meta\">Scale {} to {}{}.</p>\n", display_number(is.min), display_number(is.max),
                       is.status_quo ? fmt::format(", status quo {}", display_number(*is.status_quo)) : std::string{});
    if (!is.points.empty()) {
      out += "<table><tr><th>Point</th><th>Meaning</th></tr>\n";
      for (const auto& p : is.points)
        out += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td></tr>\n", display_number(p.value), escape(p.label));
      out += "</table>\n";
    }
  } else {
    std::string opts;
    for (const auto& o : is.options) opts += (opts.empty() ? "" : ", ") + escape(o);
    out += fmt::format("<p class=\"meta\">Options: {}.</p>\n", opts);
  }
  out += "<h3>Positions and forecasts</h3>\n";
  if (is.kind == Issue::Kind::numeric)
    out += "<p class=\"note\">Each circle is an actor's position; its area is proportional to capability \u00d7 "
           "salience. Vertical lines mark the models' forecasts.</p>\n";
  out += charts::issue_chart(s, i, in.results);

  // Forecast details: extras and notes.
  if (!in.results.empty()) {
    out += "<table><tr><th>Model</th><th>Forecast</th><th>Details</th></tr>\n";
    for (const auto& r : in.results) {
      if (i >= r.forecasts.size()) continue;
      const auto& f = r.forecasts[i];
      std::string details;
      if (is.kind == Issue::Kind::numeric && f.defined && std::isfinite(f.value)) details = escape(describe_position(is, f.value));
      if (const Convergence& c = f.convergence; !c.settled()) {
        const std::string what =
            c.state == Convergence::State::cycle
                ? fmt::format("Not settled: cycles between {} and {} with period {} (round {} shown; mean of one cycle {})",
                              display_number(c.low), display_number(c.high), c.period, c.rounds, display_number(c.cycle_mean))
                : fmt::format("Not settled: still moving after {} rounds ({} to {} in the last rounds)", c.rounds,
                              display_number(c.low), display_number(c.high));
        details += fmt::format("{}<strong>{}</strong>", details.empty() ? "" : "<br>", escape(what));
      }
      for (const auto& [k, v] : f.extras) details += fmt::format("{}{} = {}", details.empty() ? "" : "<br>", escape(k), display_number(v));
      if (!f.note.empty()) details += (details.empty() ? "" : "<br>") + escape(f.note);
      out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n", escape(r.model),
                         escape(describe_forecast(is, f)), details);
    }
    out += "</table>\n";
  }

  for (const auto& r : in.results) {
    const std::string chart = charts::trajectory_chart(s, i, r);
    if (chart.empty()) continue;
    out += fmt::format("<h3>{}: positions over rounds</h3>\n", escape(r.model));
    out += chart;
  }

  out += "<h3>Distribution of the forecast (simulation)</h3>\n";
  bool any_draws = false;
  for (const auto& d : in.draws) {
    if (i >= d.values.size()) continue;
    double point = 0;
    bool has_point = false;
    for (const auto& r : in.results)
      if (r.model == d.model && i < r.forecasts.size() && r.forecasts[i].defined) {
        point = r.forecasts[i].value;
        has_point = true;
      }
    const std::string chart = charts::histogram_chart(is, d.values[i], point, has_point);
    if (chart.empty()) continue;
    any_draws = true;
    out += fmt::format("<h4>{}</h4>\n", escape(d.model));
    out += chart;
  }
  if (!any_draws)
    out += fmt::format("<p class=\"note\">{}</p>\n",
                       escape(in.simulation_note.empty() ? "No simulation for this issue." : in.simulation_note));

  out += "<h3>Sensitivity</h3>\n";
  bool any_tornado = false;
  for (const auto& t : in.tornadoes) {
    if (t.issue != i) continue;
    const std::string chart = charts::tornado_chart(is, t);
    if (chart.empty()) continue;
    any_tornado = true;
    std::string figure = "the forecast";
    for (const auto& r : in.results)
      if (r.model == t.model && i < r.forecasts.size())
        if (const std::string o = option_of(is, r.forecasts[i]); !o.empty()) figure = "the probability of " + o;
    out += fmt::format("<h4>{}</h4>\n<p class=\"note\">Each bar: {} as one input goes from its low to its "
                       "high value, the others held at their values (blue: low end, orange: high end). Only inputs "
                       "that move it are drawn.</p>\n",
                       escape(t.model), escape(figure));
    out += chart;
  }
  if (!any_tornado)
    out += fmt::format("<p class=\"note\">{}</p>\n",
                       escape(in.sensitivity_note.empty() ? "No sensitivity analysis for this issue." : in.sensitivity_note));
  out += "</details>\n";
}

void actors_section(std::string& out, const Scenario& s) {
  out += "<details id=\"actors\"><summary><h3>Actors</h3></summary>\n<table><tr><th>Actor</th><th>Capability</th>";
  for (const auto& is : s.issues) out += fmt::format("<th>{}<br><small>position / salience</small></th>", escape(is.id));
  out += "<th>Description</th></tr>\n";
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    const Actor& ac = s.actors[a];
    out += fmt::format("<tr><td><b>{}</b><br><small><code>{}</code></small></td><td class=\"num\">{}</td>",
                       escape(actor_name(ac)), escape(ac.id), display_number(ac.capability.value));
    for (std::size_t i = 0; i < s.issues.size(); ++i) {
      const Stance* st = s.stance(a, i);
      if (!st) {
        out += "<td class=\"num\">\u2014</td>";
      } else if (s.issues[i].kind == Issue::Kind::numeric) {
        out += fmt::format("<td class=\"num\">{} / {}</td>", display_number(st->position.value), display_number(st->salience.value));
      } else {
        std::string best;
        double bu = -1;
        for (std::size_t o = 0; o < st->utilities.size() && o < s.issues[i].options.size(); ++o)
          if (st->utilities[o].value > bu) {
            bu = st->utilities[o].value;
            best = s.issues[i].options[o];
          }
        out += fmt::format("<td class=\"num\">{} / {}</td>", escape(best), display_number(st->salience.value));
      }
    }
    out += fmt::format("<td>{}</td></tr>\n", escape(ac.description));
  }
  out += "</table>\n</details>\n";
}

void evidence_section(std::string& out, const Scenario& s) {
  const auto missing = missing_evidence(s);
  out += fmt::format("<details id=\"evidence\"><summary><h3>Evidence <small>({} without evidence)</small></h3></summary>\n"
                     "<p class=\"note\">Every number of the scenario with the quote or the judgment it rests on.</p>\n",
                     missing.size());
  out += "<table><tr><th>Number</th><th>Value</th><th>Uncertainty</th><th>Evidence</th><th>Written at</th></tr>\n";
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    const Actor& ac = s.actors[a];
    evidence_row(out, s, fmt::format("actors.{}.capability", ac.id), ac.capability);
    for (std::size_t i = 0; i < s.issues.size(); ++i) {
      const Stance* st = s.stance(a, i);
      if (!st) continue;
      const std::string base = fmt::format("actors.{}.issues.{}", ac.id, s.issues[i].id);
      if (s.issues[i].kind == Issue::Kind::numeric) {
        evidence_row(out, s, base + ".position", st->position);
      } else {
        for (std::size_t o = 0; o < st->utilities.size() && o < s.issues[i].options.size(); ++o)
          evidence_row(out, s, fmt::format("{}.utilities.{}", base, s.issues[i].options[o]), st->utilities[o]);
      }
      evidence_row(out, s, base + ".salience", st->salience);
      if (st->capability) evidence_row(out, s, base + ".capability", *st->capability);
    }
  }
  out += "</table>\n";
  out += fmt::format("<h4 id=\"missing-evidence\">Numbers without evidence ({})</h4>\n", missing.size());
  if (missing.empty()) {
    out += "<p>Every number has a quote or a judgment.</p>\n";
  } else {
    out += "<ul>\n";
    for (const auto& m : missing)
      out += fmt::format("<li><code>{}</code> <small>{}</small></li>\n", escape(m.field), escape(location(m.where)));
    out += "</ul>\n";
  }
  out += "</details>\n";
}

void sources_section(std::string& out, const Scenario& s) {
  out += fmt::format("<details id=\"sources\"><summary><h3>Sources <small>({})</small></h3></summary>\n", s.sources.size());
  if (s.sources.empty()) {
    out += "<p class=\"note\">The scenario lists no sources.</p>\n</details>\n";
    return;
  }
  out += "<ol>\n";
  for (const auto& src : s.sources) {
    out += fmt::format("<li id=\"src-{}\"><b>{}</b>", escape(src.id), escape(src.title.empty() ? src.id : src.title));
    if (!src.publisher.empty()) out += fmt::format(", {}", escape(src.publisher));
    if (!src.date.empty()) out += fmt::format(", {}", escape(src.date));
    const std::string url = charts::safe_url(src.url);
    if (!url.empty())
      out += fmt::format(". <a href=\"{0}\" rel=\"noreferrer noopener\">{0}</a>", url);
    else if (!src.url.empty())
      out += fmt::format(". <code>{}</code>", escape(src.url));
    if (!src.file.empty()) out += fmt::format(". File: <code>{}</code>", escape(src.file));
    out += fmt::format(" <small>[<code>{}</code>]</small></li>\n", escape(src.id));
  }
  out += "</ol>\n</details>\n";
}

}  // namespace

// Will there be a deal? Near the top: an analyst asks whether they settle before where.
void deal_section(std::string& out, const Scenario& s, const ReportInputs& in) {
  if (in.deal.empty()) return;
  const DealResult& r = in.deal.front();
  out += "<h2 id=\"deal\">Will there be a deal?</h2>\n";
  std::string players;
  for (const auto& v : r.veto_players) players += (players.empty() ? "" : ", ") + escape(v.id);
  out += fmt::format("<p>Veto players: {}. ", players);
  out += r.possible ? "At the scenario's values a deal <strong>is possible</strong>: some package is acceptable to every veto player."
                    : "At the scenario's values <strong>no deal is possible</strong>: every package leaves some veto player "
                      "below its no-deal expectation.";
  if (r.draws_completed > 0)
    out += fmt::format(" Over {} draws of the uncertain inputs, P(a deal is possible) = <strong>{}</strong>.",
                       r.draws_completed, display_percent(r.p_possible));
  out += "</p>\n";
  if (!r.models.empty()) {
    out += "<table><tr><th>Model</th><th>Forecast acceptable?</th><th>Blocked by</th>";
    if (r.draws_completed > 0) out += "<th>P(acceptable)</th>";
    out += "</tr>\n";
    for (const auto& m : r.models) {
      std::string b;
      for (const auto& x : m.blockers) b += (b.empty() ? "" : ", ") + escape(x);
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td>", escape(m.model), m.acceptable ? "yes" : "no", b);
      if (r.draws_completed > 0) out += fmt::format("<td class=\"num\">{}</td>", display_percent(m.p_acceptable));
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
  if (!in.deal_whatifs.empty()) {
    out += "<p>What would it take (the smallest change of one veto player's no-deal expectation, no-deal cost or "
           "salience that opens a zone of agreement):</p>\n<ul>\n";
    for (const auto& w : in.deal_whatifs) {
      if (!w.best) {
        out += fmt::format("<li>{}: {}</li>\n", escape(w.actor),
                           escape(w.note.empty() ? "no change of one lever within bounds opens a zone" : w.note));
        continue;
      }
      const DealLever& l = w.levers[*w.best];
      std::string value = display_number(l.value), current = display_number(l.current);
      if (l.lever == "no_deal" && l.categorical) {
        const Issue& is = s.issues.at(s.issue_index(l.issue));
        value = out::option_name(is, l.value);
        current = out::option_name(is, l.current);
      }
      out += fmt::format("<li>{}: {}{} from {} to {}</li>\n", escape(w.actor), escape(l.lever),
                         l.issue.empty() ? "" : " on " + escape(l.issue), escape(current), escape(value));
    }
    out += "</ul>\n";
  }
  out += "<p class=\"note\">Margins, zones and the method: <code>entente deal</code> (docs/models/deal.md).</p>\n";
}

std::string write_report(const Scenario& s, const ReportInputs& in) {
  std::string out;
  out.reserve(64 * 1024);
  const std::string title = s.title.empty() ? std::string("Scenario") : s.title;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No script, no fetch of any kind: the report is inert and works offline.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "img-src data:\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<meta name=\"generator\" content=\"entente {}\">\n", version);
  out += fmt::format("<title>{} \u2014 entente report</title>\n<style>{}</style>\n</head>\n<body>\n", escape(title), kStyle);
  out += fmt::format("<header><h1>{}</h1>\n", escape(title));
  std::string meta;
  if (!s.as_of.empty()) meta += fmt::format("As of {}. ", escape(s.as_of));
  meta += fmt::format("{} actors, {} issues, {} sources.", s.actors.size(), s.issues.size(), s.sources.size());
  if (!s.origin.empty()) meta += fmt::format(" Scenario file: <code>{}</code>.", escape(s.origin));
  out += fmt::format("<p class=\"meta\">{}</p>\n", meta);
  if (!in.provenance.edits.empty()) {
    std::string e;
    for (const auto& x : in.provenance.edits) e += (e.empty() ? "" : "; ") + escape(x);
    out += fmt::format("<p class=\"meta\"><strong>What-ifs:</strong> {} (the numbers they set are the analyst's, "
                       "not the file's).</p>\n",
                       e);
  }
  if (!s.description.empty()) out += fmt::format("<p>{}</p>\n", escape(s.description));
  out += "</header>\n<main>\n";
  summary(out, s, in);
  deal_section(out, s, in);  // will there be a deal at all, right after the forecasts
  out += "<h2 id=\"details\">Details</h2>\n<p class=\"note\">Each part opens on a click: per issue the positions, "
         "every model's forecast with its notes, the rounds of the dynamic models, the simulated distribution and the "
         "sensitivity; then the actors, the evidence for every number and the sources.</p>\n";
  for (std::size_t i = 0; i < s.issues.size(); ++i) issue_section(out, s, i, in);
  actors_section(out, s);
  evidence_section(out, s);
  sources_section(out, s);
  out += "</main>\n<footer>";
  out += fmt::format("Made by entente {}", version);
  if (!in.command.empty()) out += fmt::format(": <code>{}</code>", escape(in.command));
  std::string runs = fmt::format("<br>seed {}{}", in.provenance.seed,
                                 in.provenance.seed_from == "scenario" ? " (the scenario's)"
                                 : in.provenance.seed_from == "default" ? " (default)" : "");
  for (const auto& r : in.results) {
    std::string params;
    for (const auto& [k, v] : r.params.values()) params += fmt::format("{}{}={}", params.empty() ? "" : ", ", k, v);
    runs += fmt::format("<br>{}: seed {}{}", escape(r.model), r.seed, params.empty() ? "" : "; " + escape(params));
  }
  out += runs + "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace entente
