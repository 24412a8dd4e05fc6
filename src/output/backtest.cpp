// `entente backtest`: scores per split, and the scored issues one per row.
#include <fmt/format.h>

#include "output/internal.hpp"

namespace entente {

namespace {
using out::json;

Table scores_table(const BacktestReport& r) {
  Table t;
  t.name = "scores";
  t.header = {"split", "n", "mae", "median_ae", "within5", "within10", "within20", "compromise_mae", "diff_mae",
              "diff_lo", "diff_hi"};
  for (const auto& s : r.scores)
    t.rows.push_back({s.split, Cell::integer(s.n), Cell::num(s.mae), Cell::num(s.median_ae), Cell::num(s.within5),
                      Cell::num(s.within10), Cell::num(s.within20), Cell::num(s.baseline_mae), Cell::num(s.diff_mae),
                      Cell::num(s.diff_lo), Cell::num(s.diff_hi)});
  return t;
}
}  // namespace

Table backtest_issues(const BacktestResponse& rsp) {
  Table t;
  t.name = "issues";
  t.header = {"issue", "split", "actors", "outcome", "forecast", "abs_error", "compromise"};
  for (const auto& i : rsp.report.issues)
    t.rows.push_back({i.id, i.split, Cell::integer(i.actors), Cell::num(i.outcome), i.defined ? Cell::num(i.forecast) : Cell{},
                      i.defined ? Cell::num(std::fabs(i.forecast - i.outcome)) : Cell{}, Cell::num(i.baseline)});
  return t;
}

std::string render(const BacktestResponse& rsp, Format format) {
  const BacktestReport& r = rsp.report;
  switch (format) {
    case Format::json: {
      json j;
      j["model"] = r.model;
      j["capability"] = r.capability;
      json splits = json::object();
      for (const auto& s : r.scores)
        splits[s.split] = {{"n", s.n},
                           {"mae", out::jnum(s.mae)},
                           {"median_ae", out::jnum(s.median_ae)},
                           {"within5", out::jnum(s.within5)},
                           {"within10", out::jnum(s.within10)},
                           {"within20", out::jnum(s.within20)},
                           {"compromise_mae", out::jnum(s.baseline_mae)},
                           {"diff_mae", out::jnum(s.diff_mae)},
                           {"diff_mae_ci95", {out::jnum(s.diff_lo), out::jnum(s.diff_hi)}}};
      j["splits"] = splits;
      j["provenance"] = out::provenance_json(rsp.provenance);
      return out::dump(j);
    }
    case Format::csv: return render(scores_table(r), Format::csv);
    case Format::xlsx: return render(std::vector<Table>{scores_table(r), backtest_issues(rsp)}, Format::xlsx);
    case Format::table: break;
  }
  Table t;
  t.header = {"split", "n", "MAE", "median AE", "<=5", "<=10", "<=20", "compromise MAE", "diff", "95% CI (paired bootstrap)"};
  for (const auto& s : r.scores)
    t.rows.push_back({s.split, Cell::integer(s.n), Cell::num(s.mae), Cell::num(s.median_ae), Cell::pct(s.within5),
                      Cell::pct(s.within10), Cell::pct(s.within20), Cell::num(s.baseline_mae),
                      fmt::format("{:+.2f}", s.diff_mae), fmt::format("[{:+.2f}, {:+.2f}]", s.diff_lo, s.diff_hi)});
  return fmt::format("DEU backtest: model {}, capability {}\n\n", r.model, r.capability) + render(t, Format::table) +
         "\ncompromise = the c*s-weighted mean with the same capabilities; diff = model MAE - compromise MAE.\n";
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
