// Resolution files (YAML): what happened to each issue, when, and the evidence. Layout in
// docs/ledger.md. Every problem is reported with file:line and the field, all at once.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "entente/diagnostics.hpp"
#include "entente/ledger.hpp"

namespace entente {
namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  SourceLocation loc(const YAML::Node& n) const {
    const auto m = n.Mark();
    if (m.is_null()) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }
  void add(const YAML::Node& n, std::string field, std::string expected, std::string found) {
    sink_.add(loc(n), std::move(field), std::move(expected), std::move(found));
  }
  static std::string describe(const YAML::Node& n) {
    if (n.IsScalar()) return fmt::format("'{}'", n.Scalar());
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a map";
    return "nothing";
  }
  bool keys(const YAML::Node& n, const std::string& path, std::set<std::string> allowed, const char* what) {
    if (!n.IsMap()) {
      add(n, path, what, describe(n));
      return false;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string k = it->first.Scalar();
      if (!allowed.count(k)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        add(it->first, path.empty() ? k : path + "." + k, "one of the keys " + list, fmt::format("unknown key '{}'", k));
      }
    }
    return true;
  }
  std::string text(const YAML::Node& n, const std::string& path) {
    if (!n.IsScalar()) {
      add(n, path, "a text", describe(n));
      return {};
    }
    return n.Scalar();
  }
  std::string date(const YAML::Node& n, const std::string& path) {
    std::string d = text(n, path);
    const bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-' &&
                    std::all_of(d.begin(), d.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    if (!d.empty() && !ok) add(n, path, "a date YYYY-MM-DD", describe(n));
    return d;
  }
  std::vector<ResolutionEvidence> evidence(const YAML::Node& n, const std::string& path) {
    std::vector<ResolutionEvidence> out;
    auto one = [&](const YAML::Node& e, const std::string& p) {
      if (!keys(e, p, {"source", "quote"}, "evidence {source, quote}")) return;
      ResolutionEvidence ev;
      if (e["source"]) ev.source = text(e["source"], p + ".source");
      if (e["quote"]) ev.quote = text(e["quote"], p + ".quote");
      if (ev.source.empty()) add(e, p + ".source", "the source of the evidence", "none");
      out.push_back(ev);
    };
    if (n.IsSequence())
      for (std::size_t k = 0; k < n.size(); ++k) one(n[k], fmt::format("{}[{}]", path, k));
    else
      one(n, path);
    return out;
  }

 private:
  std::string file_;

 public:
  DiagnosticSink sink_;
};

}  // namespace

Resolution parse_resolution(std::string_view text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw InputError(Diagnostic{{name, e.mark.line + 1, e.mark.column + 1},
                                "", "YAML", e.msg, {}});
  }
  Reader rd(name);
  Resolution r;
  r.origin = name;
  if (!rd.keys(root, "", {"entente_resolution", "title", "date", "issues", "deal"}, "a resolution (a map)"))
    rd.sink_.throw_if_any();
  if (auto v = root["entente_resolution"]; v && !(v.IsScalar() && v.Scalar() == "1"))
    rd.add(v, "entente_resolution", "format version 1", Reader::describe(v));
  if (auto v = root["title"]) r.title = rd.text(v, "title");
  if (auto v = root["date"]) r.date = rd.date(v, "date");
  else rd.add(root, "date", "the date the outcome is known (YYYY-MM-DD)", "none");
  if (auto v = root["issues"]) {
    if (!v.IsMap()) {
      rd.add(v, "issues", "a map of issue id -> resolution", Reader::describe(v));
    } else {
      for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string id = it->first.Scalar();
        const std::string p = "issues." + id;
        const YAML::Node e = it->second;
        if (!rd.keys(e, p, {"outcome", "no_agreement", "date", "evidence"}, "{outcome, date, evidence} or {no_agreement: true, date}"))
          continue;
        IssueResolution ir;
        ir.issue = id;
        ir.where = rd.loc(e);
        const bool none = e["no_agreement"] && e["no_agreement"].IsScalar() && e["no_agreement"].Scalar() == "true";
        if (e["no_agreement"] && !(e["no_agreement"].IsScalar() &&
                                   (e["no_agreement"].Scalar() == "true" || e["no_agreement"].Scalar() == "false")))
          rd.add(e["no_agreement"], p + ".no_agreement", "true or false", Reader::describe(e["no_agreement"]));
        if (e["outcome"] && none)
          rd.add(e["outcome"], p + ".outcome", "no outcome when no_agreement is true", Reader::describe(e["outcome"]));
        if (!e["outcome"] && !none) rd.add(e, p + ".outcome", "an outcome (a number, or an option name)", "none");
        if (e["outcome"]) {
          ir.resolved = true;
          const std::string t = rd.text(e["outcome"], p + ".outcome");
          // A number on the issue's scale, or an option name (checked against the entries on scoring).
          char* end = nullptr;
          const double x = std::strtod(t.c_str(), &end);
          if (!t.empty() && end && *end == '\0' && std::isfinite(x)) ir.value = x;
          else ir.option = t;
        }
        if (e["date"]) ir.date = rd.date(e["date"], p + ".date");
        else ir.date = r.date;
        if (e["evidence"]) ir.evidence = rd.evidence(e["evidence"], p + ".evidence");
        if (ir.resolved && ir.evidence.empty()) rd.add(e, p + ".evidence", "the evidence of the outcome {source, quote}", "none");
        r.issues.push_back(ir);
      }
    }
  }
  if (auto d = root["deal"]) {
    if (rd.keys(d, "deal", {"by", "reached", "evidence"}, "{by, reached, evidence}")) {
      if (d["by"]) r.deal_by = rd.date(d["by"], "deal.by");
      else rd.add(d, "deal.by", "the date by which a deal counts (YYYY-MM-DD)", "none");
      if (d["reached"] && d["reached"].IsScalar() && (d["reached"].Scalar() == "true" || d["reached"].Scalar() == "false"))
        r.deal = d["reached"].Scalar() == "true";
      else rd.add(d["reached"] ? d["reached"] : d, "deal.reached", "true or false", d["reached"] ? Reader::describe(d["reached"]) : "none");
      if (d["evidence"]) r.deal_evidence = rd.evidence(d["evidence"], "deal.evidence");
    }
  }
  rd.sink_.throw_if_any();
  return r;
}

Resolution load_resolution(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Diagnostic{{path, 0, 0}, "file", "a readable resolution file", "cannot open", {}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_resolution(ss.str(), path);
}

}  // namespace entente
