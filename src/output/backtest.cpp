// `entente backtest`: scores per candidate and split, the selection, and the scored issues of
// every candidate one per row. One layout for the CLI, the server and Python (issue 12).
#include <fmt/format.h>

#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;
using out::jnum;

bool gives_p(const CandidateReport& c) { return c.candidate.p0 != "none"; }
bool no_change(const BacktestIssue& i) { return i.status_quo && std::fabs(i.outcome - *i.status_quo) < 1e-9; }

const CandidateReport* primary(const BacktestReport& r) {
  for (const auto& c : r.candidates)
    if (c.candidate.name == r.candidate) return &c;
  return nullptr;
}

json split_json(const BacktestScore& s, bool p) {
  json j;
  if (!s.role.empty()) j["role"] = s.role;
  j["n"] = s.n;
  j["mae"] = jnum(s.mae);
  j["crps"] = jnum(s.crps);
  j["hit10"] = jnum(s.hit10);
  if (p) j["brier_no_change"] = jnum(s.brier);
  j["n_status_quo"] = s.n_status_quo;
  j["median_ae"] = jnum(s.median_ae);
  j["within5"] = jnum(s.within5);
  j["within10"] = jnum(s.within10);
  j["within20"] = jnum(s.within20);
  j["compromise_mae"] = jnum(s.baseline_mae);
  j["diff_mae"] = jnum(s.diff_mae);
  j["diff_mae_ci95"] = {jnum(s.diff_lo), jnum(s.diff_hi)};
  j["mde_mae"] = jnum(s.vs_mae.mde);
  j["compromise_crps"] = jnum(s.baseline_crps);
  j["diff_crps"] = jnum(s.vs_crps.diff);
  j["diff_crps_ci95"] = {jnum(s.vs_crps.low), jnum(s.vs_crps.high)};
  j["mde_crps"] = jnum(s.vs_crps.mde);
  j["compromise_hit10"] = jnum(s.baseline_hit10);
  j["diff_hit10"] = jnum(s.vs_hit10.diff);
  j["diff_hit10_ci95"] = {jnum(s.vs_hit10.low), jnum(s.vs_hit10.high)};
  j["compromise_brier_no_change"] = jnum(s.baseline_brier);
  if (p) {
    j["diff_brier_no_change"] = jnum(s.vs_brier.diff);
    j["diff_brier_no_change_ci95"] = {jnum(s.vs_brier.low), jnum(s.vs_brier.high)};
    json rel = json::array();
    for (const auto& b : s.reliability)
      rel.push_back({{"low", b.low}, {"high", b.high}, {"n", b.n}, {"mean_forecast", jnum(b.mean_forecast)},
                     {"observed", jnum(b.observed)}});
    j["reliability"] = rel;
  }
  return j;
}

json splits_json(const CandidateReport& c) {
  json splits = json::object();
  for (const auto& s : c.scores) splits[s.split] = split_json(s, gives_p(c));
  return splits;
}

json fitted_json(const CandidateReport& c) {
  json f = json::object();
  for (const auto& [k, v] : c.fitted) f[k] = jnum(v);
  return f;
}

json selection_json(const Selection& s) {
  json j;
  j["select_on"] = s.select_on;
  j["fit_split"] = s.fit_split;
  j["criterion"] = s.criterion;
  j["consulted"] = s.consulted;
  json vals = json::object();
  for (const auto& [name, v] : s.values) vals[name] = jnum(v);
  j["values"] = vals;
  j["runner_up"] = s.runner_up;
  j["runner_up_gap"] = jnum(s.runner_up_gap);
  j["runner_up_mde"] = jnum(s.runner_up_mde);
  j["scored_on"] = s.scored_on;
  j["mde"] = jnum(s.mde);
  j["mde_split"] = s.mde_split;
  j["warnings"] = s.warnings;
  return j;
}

// Every candidate's scores per split, full precision (csv, xlsx).
Table scores_table(const BacktestReport& r) {
  Table t;
  t.name = "scores";
  t.header = {"candidate", "split", "role", "n", "mae", "crps", "brier_no_change", "hit10", "median_ae", "baseline_mae",
              "diff_mae", "diff_mae_lo", "diff_mae_hi", "baseline_crps", "diff_crps", "diff_crps_lo", "diff_crps_hi",
              "baseline_brier_no_change", "diff_brier", "diff_brier_lo", "diff_brier_hi", "baseline_hit10", "diff_hit10",
              "diff_hit10_lo", "diff_hit10_hi", "mde_mae", "mde_crps"};
  for (const auto& c : r.candidates) {
    const bool p = gives_p(c);
    const Cell none;
    for (const auto& s : c.scores)
      t.rows.push_back({c.candidate.name, s.split, s.role, Cell::integer(s.n), Cell::num(s.mae), Cell::num(s.crps),
                        p ? Cell::num(s.brier) : none, Cell::num(s.hit10), Cell::num(s.median_ae), Cell::num(s.baseline_mae),
                        Cell::num(s.vs_mae.diff), Cell::num(s.vs_mae.low), Cell::num(s.vs_mae.high), Cell::num(s.baseline_crps),
                        Cell::num(s.vs_crps.diff), Cell::num(s.vs_crps.low), Cell::num(s.vs_crps.high),
                        Cell::num(s.baseline_brier), p ? Cell::num(s.vs_brier.diff) : none, p ? Cell::num(s.vs_brier.low) : none,
                        p ? Cell::num(s.vs_brier.high) : none, Cell::num(s.baseline_hit10), Cell::num(s.vs_hit10.diff),
                        Cell::num(s.vs_hit10.low), Cell::num(s.vs_hit10.high), Cell::num(s.vs_mae.mde), Cell::num(s.vs_crps.mde)});
  }
  return t;
}

// "+0.12 [-0.5, +0.8]" for people (display number policy, signed).
std::string signed_number(double v) { return (v >= 0 ? "+" : "") + display_number(v); }
Cell ci(const scores::PairedComparison& c) {
  if (!std::isfinite(c.diff)) return Cell{};
  return fmt::format("{} [{}, {}]", signed_number(c.diff), signed_number(c.low), signed_number(c.high));
}

std::string terminal(const BacktestReport& r) {
  Table t;
  t.header = {"candidate", "split", "n", "MAE", "CRPS", "Brier (no change)", "<=10", "baseline MAE", "diff MAE [95%]",
              "diff CRPS [95%]", "diff Brier [95%]", "diff <=10 [95%]", "MDE (CRPS)"};
  for (const auto& c : r.candidates) {
    const bool p = gives_p(c);
    for (const auto& s : c.scores) {
      std::string split = s.split;
      if (!s.role.empty()) split += " (" + s.role + ")";
      t.rows.push_back({terminal_safe(c.candidate.name), terminal_safe(split), Cell::integer(s.n), Cell::num(s.mae),
                        Cell::num(s.crps), p ? Cell::num(s.brier) : Cell{}, Cell::pct(s.hit10), Cell::num(s.baseline_mae),
                        ci(s.vs_mae), ci(s.vs_crps), p ? ci(s.vs_brier) : Cell{}, ci(s.vs_hit10), Cell::num(s.vs_crps.mde)});
    }
  }
  std::string text = r.candidates.size() == 1
                         ? fmt::format("DEU backtest: {} (model {}, capability {}); baseline {}\n", terminal_safe(r.candidate),
                                       r.model, r.capability, terminal_safe(r.baseline))
                         : fmt::format("DEU backtest: {} candidates; baseline {} unless stated\n", r.candidates.size(),
                                       terminal_safe(r.baseline));
  text += "\n" + render(t, Format::table);
  text += "\nMAE and <=10 score the point forecast (the median of the forecast distribution); CRPS the whole distribution\n"
          "(equal to the absolute error for a point). diff = candidate - baseline on the same issues (lower is better,\n"
          "except <=10); 95% paired bootstrap intervals; MDE = minimum detectable effect (5% two-sided, 80% power).\n";
  for (const auto& c : r.candidates)
    if (!c.fitted.empty()) {
      std::string f;
      for (const auto& [k, v] : c.fitted) f += fmt::format("{}{} = {:.4g}", f.empty() ? "" : ", ", k, v);
      text += fmt::format("fitted for {}: {}\n", terminal_safe(c.candidate.name), f);
    }
  if (const auto& s = r.selection) {
    text += fmt::format("\nselection on {} by mean {} (fits on '{}'; outcomes read from: {}):\n", fmt::join(s->select_on, ", "),
                        s->criterion, s->fit_split, fmt::join(s->consulted, ", "));
    for (const auto& [name, v] : s->values)
      text += fmt::format("  {:.3f}  {}{}\n", v, terminal_safe(name), name == s->selected ? "   <- selected" : "");
    text += fmt::format("selected: {}\n", terminal_safe(s->selected));
    if (!s->runner_up.empty())
      text += fmt::format("runner-up: {} ({:+.3f}; minimum detectable effect {:.3f})\n", terminal_safe(s->runner_up),
                          s->runner_up_gap, s->runner_up_mde);
    text += s->scored_on.empty() ? "scored on: nothing left\n" : fmt::format("scored once on: {}\n", fmt::join(s->scored_on, ", "));
    text += fmt::format("minimum detectable effect ({} vs baseline, on {}): {:.3f}\n", s->criterion, s->mde_split, s->mde);
    for (const auto& w : s->warnings) text += "warning: " + w + "\n";
  }
  return text;
}
}  // namespace

Table backtest_issues(const BacktestResponse& rsp) {
  Table t;
  t.name = "issues";
  t.header = {"candidate", "issue", "proposal", "split", "actors", "outcome", "status_quo", "no_change", "forecast",
              "abs_error", "crps", "location", "p_no_change", "baseline", "baseline_crps"};
  const Cell none;
  for (const auto& c : rsp.report.candidates)
    for (const auto& i : c.issues)
      t.rows.push_back({c.candidate.name, i.id, i.proposal, i.split, Cell::integer(i.actors), Cell::num(i.outcome),
                        i.status_quo ? Cell::num(*i.status_quo) : none, i.status_quo ? Cell::integer(no_change(i) ? 1 : 0) : none,
                        i.defined ? Cell::num(i.forecast) : none, i.defined ? Cell::num(std::fabs(i.forecast - i.outcome)) : none,
                        i.defined ? Cell::num(i.crps) : none, i.defined ? Cell::num(i.location) : none, Cell::num(i.p_no_change),
                        Cell::num(i.baseline), Cell::num(i.baseline_crps)});
  return t;
}

std::string render(const BacktestResponse& rsp, Format format) {
  const BacktestReport& r = rsp.report;
  switch (format) {
    case Format::json: {
      json j;
      j["model"] = r.model;
      j["capability"] = r.capability;
      j["candidate"] = r.candidate;
      j["baseline"] = r.baseline;
      if (r.selection) j["selected"] = r.selection->selected;
      if (const CandidateReport* p = primary(r)) {
        j["splits"] = splits_json(*p);
        j["fitted"] = fitted_json(*p);
      }
      if (r.candidates.size() > 1 || r.selection) {
        json cs = json::array();
        for (const auto& c : r.candidates)
          cs.push_back({{"name", c.candidate.name}, {"model", c.candidate.model}, {"fitted", fitted_json(c)}, {"splits", splits_json(c)}});
        j["candidates"] = cs;
      }
      if (r.selection) j["selection"] = selection_json(*r.selection);
      j["provenance"] = out::provenance_json(rsp.provenance);
      return out::dump(j);
    }
    case Format::csv: return render(scores_table(r), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{scores_table(r), backtest_issues(rsp)}, Format::xlsx);
    case Format::table: break;
  }
  return terminal(r);
}

std::string render(const ValidateResponse& rsp, Format format) {
  const Scenario& s = rsp.scenario;
  if (format == Format::json) {
    json j;
    j["ok"] = true;
    j["file"] = rsp.file;
    j["actors"] = s.actors.size();
    j["issues"] = s.issues.size();
    if (rsp.evidence) {
      json list = json::array();
      for (const auto& m : rsp.missing) {
        json e{{"field", m.field}, {"file", m.where.file}, {"line", m.where.line}, {"column", m.where.column}};
        if (!m.where.sheet.empty()) e["sheet"] = m.where.sheet;  // a spreadsheet cell: line = row
        list.push_back(std::move(e));
      }
      j["missing_evidence"] = std::move(list);
    }
    j["warnings"] = out::warnings_json(s);
    return out::dump(j);
  }
  Table t;
  t.name = "missing_evidence";
  t.header = {"field", "file", "line", "column"};
  for (const auto& m : rsp.missing)
    t.rows.push_back({m.field, m.where.file, Cell::integer(m.where.line), Cell::integer(m.where.column)});
  if (format != Format::table) return render(t, format);
  std::string out = fmt::format("ok: {} actors, {} issues\n", s.actors.size(), s.issues.size());
  if (rsp.evidence) {
    if (rsp.missing.empty()) {
      out += "every number has evidence\n";
    } else {
      out += fmt::format("{} numbers lack evidence:\n", rsp.missing.size());
      for (const auto& m : rsp.missing) {
        // "file:line:column", or "file:Sheet!C7" for a spreadsheet cell.
        out += fmt::format("{}: {}\n", terminal_safe(m.where.to_string()), terminal_safe(m.field));
      }
    }
  }
  return out;
}

}  // namespace entente
