// The one table renderer and the one number policy, and the pieces every document shares.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "entente/version.hpp"
#include "output/internal.hpp"
#include "output/xlsx.hpp"

namespace entente {

Format parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "json") return Format::json;
  if (name == "csv") return Format::csv;
  if (name == "xlsx") return Format::xlsx;
  throw InputError(Diagnostic{{}, "format", "table, json, csv or xlsx", fmt::format("'{}'", name), {}});
}

const char* to_string(Format format) noexcept {
  switch (format) {
    case Format::table: return "table";
    case Format::json: return "json";
    case Format::csv: return "csv";
    case Format::xlsx: return "xlsx";
  }
  return "table";
}

Format format_of_path(std::string_view path, Format fallback) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return fallback;
  std::string ext(path.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "json") return Format::json;
  if (ext == "csv") return Format::csv;
  if (ext == "xlsx") return Format::xlsx;
  if (ext == "txt") return Format::table;
  return fallback;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";  // no "-0"
  return fmt::format("{}", v);
}

std::string display_number(double v) {
  if (!std::isfinite(v)) return "n/a";
  const double a = std::fabs(v);
  std::string s;
  if (a >= 1e6) s = fmt::format("{:.4g}", v);
  else if (a >= 1 || a == 0) s = fmt::format("{:.2f}", v);
  else s = fmt::format("{:.3g}", v);
  if (s.find('.') != std::string::npos && s.find('e') == std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string display_percent(double p) {
  if (std::isnan(p)) return "-";
  const double x = 100 * p;
  if (x > 0 && x < 0.5) return "<1%";
  if (x < 100 && x > 99.5) return ">99%";
  return fmt::format("{:.0f}%", x);
}

std::string csv_escape(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char ch : text) {
    if (ch == '\n') out += "\\n";
    else if (ch == '\t') out += "\\t";
    else if (ch < 0x20 || ch == 0x7f) out += fmt::format("\\x{:02x}", ch);
    else out += static_cast<char>(ch);
  }
  return out;
}

namespace {

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++n;  // count UTF-8 code points
  return n;
}

std::string table_text(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::text: return terminal_safe(c.text);
    case Cell::Kind::number:
      return c.whole && std::fabs(c.number) < 9e15 ? fmt::format("{}", static_cast<long long>(c.number)) : display_number(c.number);
    case Cell::Kind::percent: return display_percent(c.number);
  }
  return {};
}
std::string csv_text(const Cell& c) { return c.kind == Cell::Kind::text ? c.text : format_number(c.number); }

std::string render_text(const Table& t) {
  std::vector<std::size_t> w(t.header.size(), 0);
  std::vector<bool> numeric(t.header.size(), false);
  std::vector<std::vector<std::string>> cells;
  for (std::size_t k = 0; k < t.header.size(); ++k) w[k] = display_width(t.header[k]);
  for (const auto& r : t.rows) {
    auto& row = cells.emplace_back();
    for (std::size_t k = 0; k < r.size(); ++k) {
      row.push_back(table_text(r[k]));
      if (k >= w.size()) {
        w.push_back(0);
        numeric.push_back(false);
      }
      w[k] = std::max(w[k], display_width(row.back()));
      if (r[k].kind != Cell::Kind::text) numeric[k] = true;
    }
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& row, bool header) {
    std::string l;
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (k) l += "  ";
      const std::size_t pad = w[k] - std::min(w[k], display_width(row[k]));
      if (numeric[k] && !header) l += std::string(pad, ' ') + row[k];
      else l += row[k] + (k + 1 < row.size() ? std::string(pad, ' ') : "");
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + '\n';
  };
  std::vector<std::string> header;
  for (const auto& h : t.header) header.push_back(terminal_safe(h));
  line(header, true);
  for (const auto& r : cells) line(r, false);
  return out;
}

std::string render_csv(const Table& t) {
  std::string out;
  for (std::size_t k = 0; k < t.header.size(); ++k) out += (k ? "," : "") + csv_escape(t.header[k]);
  out += '\n';
  for (const auto& r : t.rows) {
    for (std::size_t k = 0; k < r.size(); ++k) out += (k ? "," : "") + csv_escape(csv_text(r[k]));
    out += '\n';
  }
  return out;
}

out::json table_json(const Table& t) {
  out::json rows = out::json::array();
  for (const auto& r : t.rows) {
    out::json o = out::json::object();
    for (std::size_t k = 0; k < r.size() && k < t.header.size(); ++k)
      o[t.header[k]] = r[k].kind == Cell::Kind::text ? out::json(r[k].text) : out::jnum(r[k].number);
    rows.push_back(std::move(o));
  }
  return rows;
}

}  // namespace

std::string render(const Table& table, Format format) { return render(std::vector<Table>{table}, format); }

std::string render(const std::vector<Table>& tables, Format format) {
  switch (format) {
    case Format::csv: return tables.empty() ? std::string{} : render_csv(tables.front());
    case Format::xlsx: return out::xlsx_bytes(tables);
    case Format::json: {
      if (tables.size() == 1) return out::dump(table_json(tables.front()));
      out::json j = out::json::object();
      for (const auto& t : tables) j[t.name] = table_json(t);
      return out::dump(j);
    }
    case Format::table: {
      std::string s;
      for (const auto& t : tables) {
        if (!s.empty()) s += '\n';
        if (tables.size() > 1 && !t.name.empty()) s += terminal_safe(t.name) + "\n";
        s += render_text(t);
      }
      return s;
    }
  }
  return {};
}

namespace out {

std::string dump(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace) + "\n";
}

json params_json(const Params& params) {
  json p = json::object();
  for (const auto& [k, v] : params.values()) p[k] = v;
  return p;
}

json diagnostics_json(const std::vector<Diagnostic>& diagnostics, std::string_view severity) {
  json list = json::array();
  for (const auto& d : diagnostics) {
    json j{{"file", d.where.file}, {"line", d.where.line}, {"column", d.where.column}};
    if (!d.where.sheet.empty()) j["sheet"] = d.where.sheet;
    j["field"] = d.field;
    j["expected"] = d.expected;
    j["found"] = d.found;
    j["message"] = d.to_string(severity);
    list.push_back(std::move(j));
  }
  return list;
}

json scenario_json(const Scenario& s, const Provenance& p) {
  return json{{"title", s.title}, {"as_of", s.as_of}, {"file", p.scenario_file.empty() ? s.origin : p.scenario_file},
              {"hash", p.scenario_hash}};
}

const char* settle_name(Settle s) noexcept { return s == Settle::mean_of_cycle ? "mean_of_cycle" : "last"; }

json provenance_json(const Provenance& p) {
  json j{{"entente", p.version.empty() ? std::string(version) : p.version},
         {"seed", p.seed},
         {"seed_from", p.seed_from},
         {"settle", settle_name(p.settle)},
         {"edits", p.edits}};
  if (p.run_id) j["run_id"] = p.run_id;
  return j;
}

json convergence_json(const Convergence& c) {
  json j{{"state", to_string(c.state)}, {"rounds", c.rounds}};
  if (c.state == Convergence::State::cycle) {
    j["period"] = c.period;
    j["low"] = jnum(c.low);
    j["high"] = jnum(c.high);
    j["mean"] = jnum(c.cycle_mean);
    j["last"] = jnum(c.last);
  } else if (c.state == Convergence::State::drift) {
    j["low"] = jnum(c.low);
    j["high"] = jnum(c.high);
    j["last_change"] = jnum(c.last_change);
  }
  j["summary"] = c.summarised ? "mean_of_cycle" : "last";
  return j;
}

std::string option_name(const Issue& issue, double index) {
  if (!std::isfinite(index) || index < 0) return "?";
  const auto k = static_cast<std::size_t>(std::lround(index));
  return k < issue.options.size() ? issue.options[k] : "?";
}

json forecast_json(const Issue& issue, const Forecast& f) {
  json j;
  const bool ok = f.defined && std::isfinite(f.value);
  j["value"] = ok ? jnum(f.value) : json(nullptr);
  j["defined"] = ok;
  if (ok) {
    if (issue.kind == Issue::Kind::categorical) j["option"] = option_name(issue, f.value);
    else j["in_words"] = describe_position(issue, f.value);
  }
  j["settled"] = f.convergence.settled();
  if (f.convergence.state != Convergence::State::not_applicable) j["convergence"] = convergence_json(f.convergence);
  for (const auto& [k, v] : f.extras) j[k] = jnum(v);
  if (!f.option_probabilities.empty()) {
    json p = json::object();
    for (std::size_t o = 0; o < f.option_probabilities.size(); ++o)
      p[o < issue.options.size() ? issue.options[o] : std::to_string(o)] = jnum(f.option_probabilities[o]);
    j["option_probabilities"] = p;
  }
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

std::string heading(const Scenario& s, const Provenance& p) {
  std::string out;
  if (!s.title.empty()) {
    out += terminal_safe(s.title);
    if (!s.as_of.empty() && s.title.find("as of") == std::string::npos) out += fmt::format(" (as of {})", s.as_of);
    out += '\n';
  }
  if (!p.edits.empty()) {
    std::string e;
    for (const auto& x : p.edits) e += (e.empty() ? "" : "; ") + terminal_safe(x);
    out += "what-ifs: " + e + '\n';
  }
  if (!out.empty()) out += '\n';
  return out;
}

std::string footer(const Provenance& p, bool seeded) {
  std::string out;
  if (seeded) {
    const char* from = p.seed_from == "scenario" ? " (the scenario's)" : p.seed_from == "default" ? " (default)" : "";
    out += fmt::format("seed {}{}\n", p.seed, from);
  }
  if (p.settle == Settle::mean_of_cycle) out += "cycling forecasts shown as the mean of one cycle (--settle mean-of-cycle)\n";
  return out;
}

std::string xlsx_bytes(const std::vector<Table>& tables) {
  std::vector<XlsxSheet> sheets;
  for (const auto& t : tables) {
    XlsxSheet s;
    s.name = t.name.empty() ? "Sheet1" : t.name;
    s.header = t.header;
    for (const auto& r : t.rows) {
      auto& row = s.rows.emplace_back();
      for (const auto& c : r) {
        if (c.kind == Cell::Kind::text) row.emplace_back(c.text.empty() ? XlsxCell{} : XlsxCell{c.text});
        else row.emplace_back(std::isnan(c.number) ? XlsxCell{} : XlsxCell{c.number});
      }
    }
    sheets.push_back(std::move(s));
  }
  return write_xlsx(sheets);
}

}  // namespace out

std::string describe_forecast(const Issue& issue, const Forecast& f) {
  if (!f.defined || !std::isfinite(f.value)) return "-";
  if (issue.kind == Issue::Kind::categorical) {
    std::string s = out::option_name(issue, f.value);
    const auto k = static_cast<std::size_t>(std::lround(f.value));
    if (k < f.option_probabilities.size()) s += " (" + display_percent(f.option_probabilities[k]) + ")";
    return s;
  }
  std::string s = display_number(f.value);
  const Convergence& c = f.convergence;
  if (c.state == Convergence::State::cycle) {
    s += fmt::format(", cycles {}\u2194{}, period {}", display_number(c.low), display_number(c.high), c.period);
    if (c.summarised) s += " (mean)";
  } else if (c.state == Convergence::State::drift) {
    s += fmt::format(", still moving ({}\u2013{} in the last rounds)", display_number(c.low), display_number(c.high));
  }
  return s;
}

}  // namespace entente
