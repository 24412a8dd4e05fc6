// The native scenario format (docs/scenario-format.md): YAML, or JSON with the same structure.
// yaml-cpp parses (JSON is YAML 1.2 flow syntax) and yaml_tree.hpp builds the tree; this file walks it along the schema,
// collecting every problem of the file into one DiagnosticSink, then runs the Scenario
// invariants (validate.cpp) on what it built, so one pass reports everything.
#include <fmt/format.h>
#include <yaml-cpp/exceptions.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "scenario/formats.hpp"
#include "scenario/native_util.hpp"
#include "scenario/yaml_tree.hpp"

namespace entente::detail {
namespace {

constexpr std::size_t kMaxDocumentBytes = 64u << 20;
constexpr std::size_t kMaxDiagnostics = 200;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Thrown when YAML aliases make the walk larger than the text could justify (alias bombs).
struct TooComplex {};

using Keys = std::initializer_list<std::string_view>;

// The entries of one YAML map, by key, after unknown and duplicate keys were reported.
struct Fields {
  yaml::Node self;
  std::vector<std::pair<std::string, yaml::Node>> items;
  std::set<std::string> suggested;  // known keys an unknown key was probably meant to be
  [[nodiscard]] yaml::Node get(std::string_view key) const {
    for (const auto& [k, v] : items)
      if (k == key) return v;
    return yaml::Node();
  }
  [[nodiscard]] bool has(std::string_view key) const { return get(key).IsDefined(); }
};

// YAML 1.2 core-schema numbers (a superset of JSON numbers), plus .inf/.nan.
std::optional<double> parse_number_text(std::string_view s) {
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  bool neg = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") return neg ? -kInf : kInf;
  if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.')) return std::nullopt;
  for (char c : body)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (p != body.data() + body.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Overflow: an infinite literal in effect (reported as not finite); underflow: zero.
    const bool big = body.find_first_of("eE") != std::string_view::npos &&
                     body[body.find_first_of("eE") + 1] != '-';
    v = big ? kInf : 0.0;
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return neg ? -v : v;
}

std::string describe(const yaml::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Scalar: break;
  }
  std::string s = n.Scalar();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (n.Tag() == "!") return fmt::format("\"{}\"", s);  // a quoted string
  return parse_number_text(n.Scalar()) ? s : fmt::format("'{}'", s);
}

std::string num(double v) { return fmt::format("{}", v); }

class Parser {
 public:
  Parser(std::string file, std::size_t budget) : file_(std::move(file)), budget_(budget) {}

  Scenario run(const yaml::Node& root, bool json) {
    Scenario s;
    s.origin = file_;
    s.format = json ? "json" : "yaml";
    const Fields top = fields(root, "", {"entente", "title", "as_of", "description", "salience_scale", "sources",
                                         "issues", "actors", "models", "seed"});
    if (auto v = top.get("entente"); v.IsDefined()) {
      auto n = integer(v, "entente");
      if (n && *n != 1) add(v, "entente", "format version 1", describe(v));
    }
    if (auto v = top.get("title"); v.IsDefined()) s.title = text(v, "title").value_or("");
    if (auto v = top.get("description"); v.IsDefined()) s.description = text(v, "description").value_or("");
    if (auto v = top.get("as_of"); v.IsDefined()) {
      s.as_of = text(v, "as_of").value_or("");
      if (!s.as_of.empty() && !is_date(s.as_of)) add(v, "as_of", "a date YYYY-MM-DD", describe(v));
    }
    if (auto v = top.get("salience_scale"); v.IsDefined()) {
      auto n = number(v, "salience_scale");
      if (n && *n != 1 && *n != 100) add(v, "salience_scale", "1 or 100", describe(v));
      else if (n) s.salience_scale = salience_scale_ = *n;
    }
    if (auto v = top.get("seed"); v.IsDefined()) {
      auto n = integer(v, "seed");
      if (n) s.seed = *n;
    }
    if (auto v = top.get("sources"); v.IsDefined()) sources(v, s);
    if (auto v = top.get("issues"); v.IsDefined()) issues(v, s);
    else require(top, root, "", "issues", "a list of issues");
    if (auto v = top.get("actors"); v.IsDefined()) actors(v, s);
    else require(top, root, "", "actors", "a list of actors");
    if (auto v = top.get("models"); v.IsDefined()) models(v, s);
    return s;
  }

  DiagnosticSink& sink() { return sink_; }

 private:
  // ---- diagnostics -------------------------------------------------------------------------
  SourceLocation loc(const yaml::Node& n) const {
    const auto m = n.Mark();
    if (m.line < 0) return SourceLocation{file_, 0, 0};
    return SourceLocation{file_, m.line + 1, m.column + 1};
  }
  void add(const yaml::Node& n, std::string field, std::string expected, std::string found, std::string msg = {}) {
    add_at(loc(n), std::move(field), std::move(expected), std::move(found), std::move(msg));
  }
  void add_at(const SourceLocation& w, std::string field, std::string expected, std::string found,
              std::string msg = {}) {
    if (sink_.size() < kMaxDiagnostics)
      sink_.add(w, std::move(field), std::move(expected), std::move(found), std::move(msg));
    else
      ++dropped_;
  }
  void missing(const yaml::Node& map, const std::string& field, std::string expected) {
    add(map, field, std::move(expected), "nothing", "required key missing");
  }
  void tick() {
    if (++visits_ > budget_) throw TooComplex{};
  }

 public:
  std::size_t dropped() const { return dropped_; }
  // Fields whose problems are already explained by a diagnostic elsewhere (a misspelt key).
  const std::set<std::string>& covered() const { return covered_; }

 private:
  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

  // ---- generic readers -----------------------------------------------------------------------
  Fields fields(const yaml::Node& n, const std::string& path, Keys known) {
    tick();
    Fields f;
    f.self = n;
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      tick();
      const yaml::Node k = it->first;
      if (!k.IsScalar()) {
        add(k, path, "a plain key", describe(k));
        continue;
      }
      const std::string& key = k.Scalar();
      const std::string where = join(path, key);
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::vector<std::string> cands(known.begin(), known.end());
        const std::string guess = closest_match(key, cands);
        std::string list;
        for (auto c : known) list += (list.empty() ? "" : ", ") + std::string(c);
        if (!guess.empty()) f.suggested.insert(guess);
        add(k, where, "one of the keys " + list, fmt::format("unknown key '{}'", key),
            guess.empty() ? std::string{} : fmt::format("did you mean '{}'?", guess));
        continue;
      }
      if (!seen.insert(key).second) {
        add(k, where, "each key once", fmt::format("a second '{}'", key));
        continue;
      }
      f.items.emplace_back(key, it->second);
    }
    return f;
  }

  std::optional<Fields> map(const yaml::Node& n, const std::string& path, Keys known, std::string_view what) {
    if (!n.IsMap()) {
      add(n, path, std::string(what), describe(n));
      return std::nullopt;
    }
    return fields(n, path, known);
  }

  bool is_list(const yaml::Node& n, const std::string& path, std::string_view what) {
    tick();
    if (n.IsSequence()) return true;
    add(n, path, std::string(what), describe(n));
    return false;
  }

  std::optional<std::string> text(const yaml::Node& n, const std::string& path) {
    tick();
    if (n.IsScalar()) return n.Scalar();
    add(n, path, "a string", describe(n));
    return std::nullopt;
  }

  std::optional<double> number(const yaml::Node& n, const std::string& path) {
    tick();
    std::optional<double> v;
    const std::string& tag = n.IsScalar() ? n.Tag() : std::string{};
    if (n.IsScalar() && tag != "!") v = parse_number_text(n.Scalar());
    if (!v) {
      add(n, path, "a number", describe(n));
      return std::nullopt;
    }
    if (!std::isfinite(*v)) {
      add(n, path, "a finite number", describe(n));
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::uint64_t> integer(const yaml::Node& n, const std::string& path) {
    tick();
    if (n.IsScalar() && n.Tag() != "!") {
      std::string_view s = n.Scalar();
      if (!s.empty() && s[0] == '+') s.remove_prefix(1);
      std::uint64_t v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return v;
    }
    add(n, path, "a whole number >= 0", describe(n));
    return std::nullopt;
  }

  std::optional<std::string> id(const yaml::Node& map, const Fields& f, const std::string& path, bool issue_pattern,
                                bool actor_pattern = false) {
    const auto v = f.get("id");
    if (!v.IsDefined()) {
      require(f, map, path, "id", "an id");
      return std::nullopt;
    }
    auto s = text(v, path + ".id");
    if (!s) return std::nullopt;
    if (s->empty()) {
      add(v, path + ".id", "a non-empty id", "an empty string");
      return std::nullopt;
    }
    // A malformed id is reported but kept, so references to it do not cascade into more errors.
    if (issue_pattern && !valid_issue_id(*s))
      add(v, path + ".id", "an id of letters, digits, '_' and '-'", describe(v));
    if (actor_pattern && s->find_first_of(".=") != std::string::npos)
      add(v, path + ".id", "an id without '.' or '=' (so --set ACTOR.ISSUE.FIELD=V can name it)", describe(v));
    return s;
  }

  // The id of a list entry before its keys are checked, so every path can name it.
  static std::string peek_id(const yaml::Node& e) {
    if (!e.IsMap()) return {};
    for (auto it = e.begin(); it != e.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar()) return it->second.Scalar();
    return {};
  }

  // A required key is missing; not reported again when a misspelt key was already flagged.
  void require(const Fields& f, const yaml::Node& map, const std::string& path, std::string_view key,
               std::string expected) {
    if (!f.suggested.count(std::string(key))) missing(map, join(path, key), std::move(expected));
    else covered_.insert(join(path, key));
  }

  static bool is_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    const int m = (s[5] - '0') * 10 + (s[6] - '0');
    const int d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
  }

  // A list of non-empty names (actor aliases, issue keywords), in the order written.
  std::vector<std::string> words(const yaml::Node& n, const std::string& path) {
    std::vector<std::string> out;
    if (!is_list(n, path, "a list of words or names")) return out;
    for (std::size_t k = 0; k < n.size(); ++k) {
      const std::string p = fmt::format("{}[{}]", path, k);
      auto w = text(n[k], p);
      if (!w) continue;
      if (w->empty()) add(n[k], p, "a non-empty name", "an empty string");
      else out.push_back(*w);
    }
    return out;
  }

  // ---- sources, issues ------------------------------------------------------------------------
  void sources(const yaml::Node& n, Scenario& s) {
    if (!is_list(n, "sources", "a list of sources")) return;
    for (std::size_t k = 0; k < n.size(); ++k) {
      const yaml::Node e = n[k];
      std::string path = entry_path("sources", peek_id(e), k);
      auto f = map(e, path, {"id", "title", "publisher", "date", "url", "file"}, "a source {id, title, ...}");
      if (!f) continue;
      Source src;
      src.where = f->get("date").IsDefined() ? loc(f->get("date")) : loc(e);
      if (auto i = id(e, *f, path, false)) {
        src.id = *i;
        path = entry_path("sources", src.id, k);
      }
      auto str = [&](std::string_view key, std::string& out) {
        if (auto v = f->get(key); v.IsDefined()) out = text(v, join(path, key)).value_or("");
      };
      str("title", src.title);
      str("publisher", src.publisher);
      str("date", src.date);
      str("url", src.url);
      str("file", src.file);
      if (!src.date.empty() && !is_date(src.date)) add(f->get("date"), path + ".date", "a date YYYY-MM-DD", describe(f->get("date")));
      if (!src.id.empty()) {
        if (!source_ids_.insert(src.id).second) add(f->get("id"), path + ".id", "a unique source id", fmt::format("a second source '{}'", src.id));
      }
      s.sources.push_back(std::move(src));
    }
  }

  void issues(const yaml::Node& n, Scenario& s) {
    if (!is_list(n, "issues", "a list of issues")) return;
    if (n.size() == 0) add(n, "issues", "at least one issue", "none", "an empty scenario");
    for (std::size_t k = 0; k < n.size(); ++k) {
      const yaml::Node e = n[k];
      std::string path = entry_path("issues", peek_id(e), k);
      auto f = map(e, path, {"id", "name", "description", "scale", "points", "status_quo", "options", "keywords", "decision_rule"},
                   "an issue {id, name, ...}");
      if (!f) continue;
      Issue is;
      is.where = loc(e);
      if (auto i = id(e, *f, path, true)) {
        is.id = *i;
        path = entry_path("issues", is.id, k);
        if (!issue_ids_.insert(is.id).second) add(f->get("id"), path + ".id", "a unique issue id", fmt::format("a second issue '{}'", is.id));
      }
      is.name = is.id;
      if (auto v = f->get("name"); v.IsDefined()) is.name = text(v, path + ".name").value_or(is.id);
      if (auto v = f->get("description"); v.IsDefined()) is.description = text(v, path + ".description").value_or("");
      if (auto v = f->get("keywords"); v.IsDefined()) is.keywords = words(v, path + ".keywords");
      if (auto v = f->get("options"); v.IsDefined()) {
        is.kind = Issue::Kind::categorical;
        for (auto key : {"scale", "points", "status_quo"})
          if (auto x = f->get(key); x.IsDefined())
            add(x, join(path, key), "no scale, points or status_quo on a categorical issue (it has options)",
                describe(x));
        if (is_list(v, path + ".options", "a list of option names")) {
          std::unordered_set<std::string> option_names;
          for (std::size_t o = 0; o < v.size(); ++o) {
            const std::string op = fmt::format("{}.options[{}]", path, o);
            auto name = text(v[o], op);
            if (!name) continue;
            if (name->empty()) {
              add(v[o], op, "a non-empty option name", "an empty string");
              continue;
            }
            if (!option_names.insert(*name).second) {
              add(v[o], op, "unique option names", fmt::format("a second option '{}'", *name));
              continue;
            }
            is.options.push_back(*name);
          }
          if (is.options.size() < 2) add(v, path + ".options", "at least 2 options", fmt::format("{}", is.options.size()));
        }
        is.min = 0;
        is.max = is.options.size() > 1 ? static_cast<double>(is.options.size() - 1) : 1.0;
      } else {
        if (auto v = f->get("scale"); v.IsDefined()) {
          if (auto sf = map(v, path + ".scale", {"min", "max"}, "a scale {min, max}")) {
            if (auto x = sf->get("min"); x.IsDefined()) is.min = number(x, path + ".scale.min").value_or(is.min);
            if (auto x = sf->get("max"); x.IsDefined()) is.max = number(x, path + ".scale.max").value_or(is.max);
            if (!(is.min < is.max))
              add(v, path + ".scale", "min < max", fmt::format("min {}, max {}", num(is.min), num(is.max)));
            // Reported here with the scale's location; keep the rest of the file checkable.
            if (!(is.min < is.max)) std::swap(is.min, is.max);
            if (is.min == is.max) is.max = is.min + 1;
          }
        }
        if (auto v = f->get("points"); v.IsDefined() && is_list(v, path + ".points", "a list of {value, label}")) {
          for (std::size_t p = 0; p < v.size(); ++p) {
            const std::string pp = fmt::format("{}.points[{}]", path, p);
            auto pf = map(v[p], pp, {"value", "label"}, "a point {value, label}");
            if (!pf) continue;
            ScalePoint sp;
            auto val = pf->get("value");
            auto lab = pf->get("label");
            if (!val.IsDefined()) missing(v[p], pp + ".value", "a number");
            if (!lab.IsDefined()) missing(v[p], pp + ".label", "a label");
            if (!val.IsDefined() || !lab.IsDefined()) continue;
            auto x = number(val, pp + ".value");
            auto l = text(lab, pp + ".label");
            if (!x || !l) continue;
            if (*x < is.min || *x > is.max) {
              add(val, pp + ".value", fmt::format("a number in [{}, {}]", num(is.min), num(is.max)), describe(val),
                  "a labelled point must lie on the issue's scale");
              continue;
            }
            sp.value = *x;
            sp.label = *l;
            is.points.push_back(std::move(sp));
          }
          std::stable_sort(is.points.begin(), is.points.end(),
                           [](const ScalePoint& a, const ScalePoint& b) { return a.value < b.value; });
        }
        if (auto v = f->get("status_quo"); v.IsDefined()) {
          if (auto x = number(v, path + ".status_quo")) {
            if (*x < is.min || *x > is.max)
              add(v, path + ".status_quo", fmt::format("a number in [{}, {}]", num(is.min), num(is.max)), describe(v));
            else
              is.status_quo = *x;
          }
        }
      }
      if (auto v = f->get("decision_rule"); v.IsDefined()) is.decision_rule = decision_rule(v, path + ".decision_rule");
      s.issues.push_back(std::move(is));
    }
  }

  // A decision rule (docs/scenario-format.md): the voting body, veto players and agenda setter.
  std::optional<DecisionRule> decision_rule(const yaml::Node& n, const std::string& path) {
    auto f = map(n, path,
                 {"name", "voters", "quota", "min_voters", "voters_suffice", "veto_players", "agenda_setter",
                  "unanimous_amendment"},
                 "a decision rule {voters, quota, ...}");
    if (!f) return std::nullopt;
    DecisionRule r;
    r.where = loc(n);
    if (auto v = f->get("name"); v.IsDefined()) r.name = text(v, path + ".name").value_or("");
    if (auto v = f->get("voters"); v.IsDefined()) {
      if (is_list(v, path + ".voters", "a list of {actor, weight}"))
        for (std::size_t k = 0; k < v.size(); ++k) {
          const std::string vp = fmt::format("{}.voters[{}]", path, k);
          auto vf = map(v[k], vp, {"actor", "weight"}, "a voter {actor, weight}");
          if (!vf) continue;
          DecisionRule::Voter voter;
          if (auto a = vf->get("actor"); a.IsDefined()) voter.actor = text(a, vp + ".actor").value_or("");
          else missing(v[k], vp + ".actor", "an actor id");
          if (auto w = vf->get("weight"); w.IsDefined()) voter.weight = number(w, vp + ".weight").value_or(voter.weight);
          r.voters.push_back(std::move(voter));
        }
    } else {
      require(*f, n, path, "voters", "a list of {actor, weight}");
    }
    if (auto v = f->get("quota"); v.IsDefined()) r.quota = number(v, path + ".quota").value_or(0);
    else require(*f, n, path, "quota", "a number > 0 (the yes-weight a change needs)");
    if (auto v = f->get("min_voters"); v.IsDefined()) r.min_voters = static_cast<int>(std::min<std::uint64_t>(integer(v, path + ".min_voters").value_or(0), 1u << 30));
    if (auto v = f->get("voters_suffice"); v.IsDefined()) r.voters_suffice = static_cast<int>(std::min<std::uint64_t>(integer(v, path + ".voters_suffice").value_or(0), 1u << 30));
    if (auto v = f->get("veto_players"); v.IsDefined() && is_list(v, path + ".veto_players", "a list of actor ids"))
      for (std::size_t k = 0; k < v.size(); ++k)
        if (auto id = text(v[k], fmt::format("{}.veto_players[{}]", path, k))) r.veto_players.push_back(*id);
    if (auto v = f->get("agenda_setter"); v.IsDefined()) r.agenda_setter = text(v, path + ".agenda_setter").value_or("");
    if (auto v = f->get("unanimous_amendment"); v.IsDefined()) {
      const std::string b = v.IsScalar() ? v.Scalar() : std::string{};
      if (b == "true" || b == "True" || b == "TRUE") r.unanimous_amendment = true;
      else if (b == "false" || b == "False" || b == "FALSE") r.unanimous_amendment = false;
      else add(v, path + ".unanimous_amendment", "true or false", describe(v));
    }
    return r;
  }

  // ---- numbers with evidence and uncertainty --------------------------------------------------
  enum class Field { position, salience, capability, utility };

  // Reads a plain number or {value, evidence, uncertainty}. On failure the value is NaN at the
  // reported location (validate's duplicate report there is then suppressed).
  Quantity quantity(const yaml::Node& n, const std::string& path, Field kind, double lo, double hi) {
    Quantity q;
    q.where = loc(n);
    q.value = std::numeric_limits<double>::quiet_NaN();
    const double scale = kind == Field::salience ? salience_scale_ : 1.0;
    yaml::Node value_node = n;
    if (n.IsMap()) {
      const Fields f = fields(n, path, {"value", "evidence", "uncertainty"});
      value_node = f.get("value");
      if (!value_node.IsDefined()) {
        require(f, n, path, "value", "a number");
        return q;
      }
      q.where = loc(value_node);
      if (auto e = f.get("evidence"); e.IsDefined()) q.evidence = evidence(e, path + ".evidence");
      if (auto v = number(value_node, path)) q.value = *v / scale;
      if (auto u = f.get("uncertainty"); u.IsDefined() && std::isfinite(q.value))
        q.uncertainty = uncertainty(u, path + ".uncertainty", q.value, scale, lo, hi);
    } else if (n.IsScalar()) {
      if (auto v = number(n, path)) q.value = *v / scale;
    } else {
      add(n, path, "a number or {value, evidence, uncertainty}", describe(n));
      return q;
    }
    if (kind == Field::salience && scale != 1 && std::isfinite(q.value) && (q.value < 0 || q.value > 1))
      add(value_node, path, "a number in [0, 100] (salience_scale 100)", describe(value_node),
          fmt::format("{} / 100 = {} is outside [0, 1]", value_node.Scalar(), num(q.value)));
    return q;
  }

  Evidence evidence(const yaml::Node& n, const std::string& path) {
    Evidence ev;
    auto f = map(n, path, {"source", "quote", "judgment"}, "{source, quote} or {judgment}");
    if (!f) return ev;
    if (auto v = f->get("source"); v.IsDefined()) ev.source = text(v, path + ".source").value_or("");
    if (auto v = f->get("quote"); v.IsDefined()) ev.quote = text(v, path + ".quote").value_or("");
    if (auto v = f->get("judgment"); v.IsDefined()) ev.judgment = text(v, path + ".judgment").value_or("");
    if (!f->has("source") && !f->has("judgment"))
      add(n, path, "a source (with its quote) or a judgment", "neither");
    else if (f->has("quote") && !f->has("source"))
      add(f->get("quote"), path + ".quote", "a quote together with the source it comes from", "no source");
    return ev;
  }

  Uncertainty uncertainty(const yaml::Node& n, const std::string& path, double value, double scale, double lo,
                          double hi) {
    Uncertainty u;
    auto f = map(n, path, {"range", "distribution", "low", "high", "mode", "mean", "sd"},
                 "{range: [low, high]} or {distribution: ..., ...}");
    if (!f) return u;
    auto num_of = [&](std::string_view key) -> std::optional<double> {
      auto v = f->get(key);
      if (!v.IsDefined()) return std::nullopt;
      auto x = number(v, join(path, key));
      if (x) *x /= scale;
      return x;
    };
    auto need = [&](std::string_view key) -> std::optional<double> {
      if (!f->has(key)) {
        missing(n, join(path, key), "a number");
        return std::nullopt;
      }
      return num_of(key);
    };
    auto forbid = [&](Keys keys, std::string_view kind) {
      for (auto key : keys)
        if (auto v = f->get(key); v.IsDefined())
          add(v, join(path, key), fmt::format("no '{}' with {}", key, kind), describe(v));
    };
    const auto r = f->get("range");
    const auto d = f->get("distribution");
    if (r.IsDefined() == d.IsDefined()) {
      add(n, path, "exactly one of 'range' or 'distribution'", r.IsDefined() ? "both" : "neither");
      return u;
    }
    bool ok = true;
    if (r.IsDefined()) {
      forbid({"low", "high", "mode", "mean", "sd"}, "a range");
      if (!is_list(r, path + ".range", "a list [low, high]")) return u;
      if (r.size() != 2) {
        add(r, path + ".range", "a list [low, high]", fmt::format("a list of {}", r.size()));
        return u;
      }
      auto a = number(r[0], path + ".range[0]");
      auto b = number(r[1], path + ".range[1]");
      if (!a || !b) return u;
      u.kind = Uncertainty::Kind::range;
      u.low = *a / scale;
      u.high = *b / scale;
    } else {
      auto kind = text(d, path + ".distribution");
      if (!kind) return u;
      if (*kind == "uniform") {
        forbid({"mode", "mean", "sd"}, "a uniform distribution");
        auto a = need("low");
        auto b = need("high");
        ok = a && b;
        if (ok) {
          u.kind = Uncertainty::Kind::uniform;
          u.low = *a;
          u.high = *b;
        }
      } else if (*kind == "triangular") {
        forbid({"mean", "sd"}, "a triangular distribution");
        auto a = need("low");
        auto b = need("high");
        auto m = f->has("mode") ? num_of("mode") : std::optional<double>(value);
        ok = a && b && m;
        if (ok) {
          u.kind = Uncertainty::Kind::triangular;
          u.low = *a;
          u.high = *b;
          u.mode = *m;
        }
      } else if (*kind == "normal") {
        forbid({"mode"}, "a normal distribution");
        auto sd = need("sd");
        auto mean = f->has("mean") ? num_of("mean") : std::optional<double>(value);
        auto a = f->has("low") ? num_of("low") : std::optional<double>(lo);
        auto b = f->has("high") ? num_of("high") : std::optional<double>(hi);
        ok = sd && mean && a && b;
        if (ok) {
          u.kind = Uncertainty::Kind::normal;
          u.sd = *sd;
          u.mean = *mean;
          u.low = *a;
          u.high = *b;
        }
      } else {
        add(d, path + ".distribution", "uniform, triangular or normal", describe(d));
        return u;
      }
    }
    return ok ? u : Uncertainty{};
  }

  // ---- actors ---------------------------------------------------------------------------------
  void actors(const yaml::Node& n, Scenario& s) {
    if (!is_list(n, "actors", "a list of actors")) return;
    if (n.size() == 0) add(n, "actors", "at least one actor", "none", "an empty scenario");
    std::vector<std::string> issue_ids;
    std::unordered_map<std::string, std::size_t> issue_at;  // first issue with each id
    for (const auto& is : s.issues) {
      issue_at.emplace(is.id, issue_ids.size());
      issue_ids.push_back(is.id);
    }
    option_at_.assign(s.issues.size(), {});
    for (std::size_t i = 0; i < s.issues.size(); ++i)
      for (std::size_t o = 0; o < s.issues[i].options.size(); ++o) option_at_[i].emplace(s.issues[i].options[o], o);
    for (std::size_t k = 0; k < n.size(); ++k) {
      const yaml::Node e = n[k];
      std::string path = entry_path("actors", peek_id(e), k);
      auto f = map(e, path, {"id", "name", "description", "aliases", "capability", "veto", "no_deal_cost", "issues"},
                   "an actor {id, name, ...}");
      if (!f) continue;
      Actor a;
      a.where = loc(e);
      a.stances.resize(s.issues.size());
      if (auto i = id(e, *f, path, false, true)) {
        a.id = *i;
        path = entry_path("actors", a.id, k);
        if (!actor_ids_.insert(a.id).second) add(f->get("id"), path + ".id", "a unique actor id", fmt::format("a second actor '{}'", a.id));
      }
      a.name = a.id;
      if (auto v = f->get("name"); v.IsDefined()) a.name = text(v, path + ".name").value_or(a.id);
      if (auto v = f->get("description"); v.IsDefined()) a.description = text(v, path + ".description").value_or("");
      if (auto v = f->get("aliases"); v.IsDefined()) a.aliases = words(v, path + ".aliases");
      if (auto v = f->get("capability"); v.IsDefined()) {
        a.capability = quantity(v, path + ".capability", Field::capability, 0, kInf);
      } else {
        require(*f, e, path, "capability", "a number >= 0");
        a.capability.where = loc(e);
        a.capability.value = std::numeric_limits<double>::quiet_NaN();
      }
      if (auto v = f->get("veto"); v.IsDefined()) a.veto = veto(v, path + ".veto", issue_at, issue_ids);
      if (auto v = f->get("no_deal_cost"); v.IsDefined())
        a.no_deal_cost = quantity(v, path + ".no_deal_cost", Field::capability, 0, kInf);
      if (auto v = f->get("issues"); v.IsDefined()) {
        if (!v.IsMap()) {
          add(v, path + ".issues", "a map of issue id -> stance", describe(v));
        } else {
          std::set<std::string> seen;
          for (auto it = v.begin(); it != v.end(); ++it) {
            tick();
            const yaml::Node key = it->first;
            if (!key.IsScalar()) {
              add(key, path + ".issues", "an issue id", describe(key));
              continue;
            }
            const std::string iid = key.Scalar();
            const std::string sp = fmt::format("{}.issues.{}", path, iid);
            if (!seen.insert(iid).second) {
              add(key, sp, "each issue once", fmt::format("a second '{}'", iid));
              continue;
            }
            const auto pos = issue_at.find(iid);
            if (pos == issue_at.end()) {
              const std::string guess = closest_match(iid, issue_ids);
              add(key, sp, "the id of an issue", fmt::format("unknown issue '{}'", iid),
                  guess.empty() ? std::string{} : fmt::format("did you mean '{}'?", guess));
              continue;
            }
            const std::size_t i = pos->second;
            a.stances[i] = stance(it->second, sp, s.issues[i], option_at_[i]);
          }
        }
      }
      s.actors.push_back(std::move(a));
    }
  }

  std::optional<Stance> stance(const yaml::Node& n, const std::string& path, const Issue& is,
                               const std::unordered_map<std::string, std::size_t>& option_at) {
    auto f = map(n, path, {"position", "salience", "capability", "utilities", "ranking", "no_deal"},
                 is.kind == Issue::Kind::numeric ? "a stance {position, salience}" : "a stance {utilities, salience}");
    if (!f) return std::nullopt;
    Stance st;
    st.position.where = loc(n);
    st.salience.where = loc(n);
    if (auto v = f->get("salience"); v.IsDefined()) st.salience = quantity(v, path + ".salience", Field::salience, 0, 1);
    else {
      require(*f, n, path, "salience", "a number in [0, 1]");
      st.salience.value = std::numeric_limits<double>::quiet_NaN();
    }
    if (auto v = f->get("capability"); v.IsDefined())
      st.capability = quantity(v, path + ".capability", Field::capability, 0, kInf);
    if (auto v = f->get("no_deal"); v.IsDefined())
      st.no_deal = is.kind == Issue::Kind::numeric ? quantity(v, path + ".no_deal", Field::position, is.min, is.max)
                                                   : no_deal_option(v, path + ".no_deal", is, option_at);
    if (is.kind == Issue::Kind::numeric) {
      for (auto key : {"utilities", "ranking"})
        if (auto x = f->get(key); x.IsDefined())
          add(x, join(path, key), "a position (a numeric stance takes no utilities or ranking)", describe(x));
      if (auto v = f->get("position"); v.IsDefined())
        st.position = quantity(v, path + ".position", Field::position, is.min, is.max);
      else {
        require(*f, n, path, "position", fmt::format("a number in [{}, {}]", num(is.min), num(is.max)));
        st.position.value = std::numeric_limits<double>::quiet_NaN();
      }
      return st;
    }
    // Categorical: utilities of the options (missing = 0) or a ranking, best first.
    if (auto x = f->get("position"); x.IsDefined())
      add(x, path + ".position", "utilities or a ranking (a categorical stance takes no position)", describe(x));
    st.utilities.assign(is.options.size(), Quantity{});
    for (auto& q : st.utilities) q.where = loc(n);
    const auto u = f->get("utilities");
    const auto r = f->get("ranking");
    if (u.IsDefined() && r.IsDefined()) {
      add(r, path + ".ranking", "either utilities or a ranking", "both");
    } else if (!u.IsDefined() && !r.IsDefined()) {
      if (!f->suggested.count("ranking")) require(*f, n, path, "utilities", "utilities {option: number} or a ranking [best, ...]");
    } else if (u.IsDefined()) {
      for (auto& q : st.utilities) q.where = loc(u);
      if (!u.IsMap()) {
        add(u, path + ".utilities", "a map of option -> utility in [0, 1]", describe(u));
      } else {
        std::set<std::string> seen;
        for (auto it = u.begin(); it != u.end(); ++it) {
          tick();
          const yaml::Node key = it->first;
          if (!key.IsScalar()) {
            add(key, path + ".utilities", "an option name", describe(key));
            continue;
          }
          const std::string op = key.Scalar();
          const std::string up = fmt::format("{}.utilities.{}", path, op);
          if (!seen.insert(op).second) {
            add(key, up, "each option once", fmt::format("a second '{}'", op));
            continue;
          }
          const auto pos = option_at.find(op);
          if (pos == option_at.end()) {
            const std::string guess = closest_match(op, is.options);
            add(key, up, fmt::format("an option of issue '{}'", is.id), fmt::format("unknown option '{}'", op),
                guess.empty() ? std::string{} : fmt::format("did you mean '{}'?", guess));
            continue;
          }
          st.utilities[pos->second] = quantity(it->second, up, Field::utility, 0, 1);
        }
      }
    } else if (is_list(r, path + ".ranking", "a list of options, best first")) {
      const std::size_t n_opt = is.options.size();
      std::set<std::string> seen;
      for (std::size_t k = 0; k < r.size(); ++k) {
        const std::string rp = fmt::format("{}.ranking[{}]", path, k);
        auto op = text(r[k], rp);
        if (!op) continue;
        const auto pos = option_at.find(*op);
        if (pos == option_at.end()) {
          const std::string guess = closest_match(*op, is.options);
          add(r[k], rp, fmt::format("an option of issue '{}'", is.id), fmt::format("unknown option '{}'", *op),
              guess.empty() ? std::string{} : fmt::format("did you mean '{}'?", guess));
          continue;
        }
        if (!seen.insert(*op).second) {
          add(r[k], rp, "each option once", fmt::format("a second '{}'", *op));
          continue;
        }
        auto& q = st.utilities[pos->second];
        q.where = loc(r[k]);
        q.value = n_opt > 1 && k < n_opt ? static_cast<double>(n_opt - 1 - k) / static_cast<double>(n_opt - 1) : 0.0;
      }
    }
    return st;
  }

  // ---- deal: veto players and no-deal points --------------------------------------------------

  // `veto: true` (the whole package), `veto: false` (none) or `veto: [issue ids]`.
  std::optional<Veto> veto(const yaml::Node& n, const std::string& path,
                           const std::unordered_map<std::string, std::size_t>& issue_at,
                           const std::vector<std::string>& issue_ids) {
    tick();
    const std::string expected = "true, false or a list of issue ids";
    Veto v;
    v.where = loc(n);
    if (n.IsScalar() && n.Tag() != "!") {
      const std::string& t = n.Scalar();
      if (t == "true" || t == "True" || t == "TRUE") {
        v.all = true;
        return v;
      }
      if (t == "false" || t == "False" || t == "FALSE") return std::nullopt;
    }
    if (!n.IsSequence()) {
      add(n, path, expected, describe(n));
      return std::nullopt;
    }
    if (n.size() == 0) add(n, path, "at least one issue id (or true, or leave veto out)", "an empty list");
    std::set<std::string> seen;
    for (std::size_t k = 0; k < n.size(); ++k) {
      const std::string ip = fmt::format("{}[{}]", path, k);
      auto id = text(n[k], ip);
      if (!id) continue;
      if (!issue_at.count(*id)) {
        const std::string guess = closest_match(*id, issue_ids);
        add(n[k], ip, "the id of an issue", fmt::format("unknown issue '{}'", *id),
            guess.empty() ? std::string{} : fmt::format("did you mean '{}'?", guess));
        continue;
      }
      if (!seen.insert(*id).second) {
        add(n[k], ip, "each issue once", fmt::format("a second '{}'", *id));
        continue;
      }
      v.issues.push_back(*id);
    }
    return v;
  }

  // A categorical no-deal point: an option name, plain or as {value, evidence}; stored as the
  // option's index. An option is not a number, so it takes no uncertainty.
  std::optional<Quantity> no_deal_option(const yaml::Node& n, const std::string& path, const Issue& is,
                                         const std::unordered_map<std::string, std::size_t>& option_at) {
    Quantity q;
    q.where = loc(n);
    yaml::Node value_node = n;
    if (n.IsMap()) {
      const Fields f = fields(n, path, {"value", "evidence", "uncertainty"});
      value_node = f.get("value");
      if (!value_node.IsDefined()) {
        require(f, n, path, "value", fmt::format("an option of issue '{}'", is.id));
        return std::nullopt;
      }
      q.where = loc(value_node);
      if (auto e = f.get("evidence"); e.IsDefined()) q.evidence = evidence(e, path + ".evidence");
      if (auto u = f.get("uncertainty"); u.IsDefined())
        add(u, path + ".uncertainty", "no uncertainty on a categorical no_deal (it names one option)", describe(u));
    } else if (!n.IsScalar()) {
      add(n, path, fmt::format("an option of issue '{}' or {{value, evidence}}", is.id), describe(n));
      return std::nullopt;
    }
    auto name = text(value_node, path);
    if (!name) return std::nullopt;
    const auto pos = option_at.find(*name);
    if (pos == option_at.end()) {
      const std::string guess = closest_match(*name, is.options);
      add(value_node, path, fmt::format("an option of issue '{}'", is.id), fmt::format("unknown option '{}'", *name),
          guess.empty() ? std::string{} : fmt::format("did you mean '{}'?", guess));
      return std::nullopt;
    }
    q.value = static_cast<double>(pos->second);
    return q;
  }

  // ---- models ---------------------------------------------------------------------------------
  void models(const yaml::Node& n, Scenario& s) {
    if (!n.IsMap()) {
      add(n, "models", "a map of model name -> {parameter: value}", describe(n));
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      tick();
      const yaml::Node key = it->first;
      if (!key.IsScalar()) {
        add(key, "models", "a model name", describe(key));
        continue;
      }
      const std::string model = key.Scalar();
      const std::string mp = join("models", model);
      if (s.model_params.count(model)) {
        add(key, mp, "each model once", fmt::format("a second '{}'", model));
        continue;
      }
      auto& params = s.model_params[model];
      const yaml::Node v = it->second;
      if (!v.IsMap()) {
        add(v, mp, "a map of parameter -> value", describe(v));
        continue;
      }
      for (auto p = v.begin(); p != v.end(); ++p) {
        tick();
        if (!p->first.IsScalar()) {
          add(p->first, mp, "a parameter name", describe(p->first));
          continue;
        }
        const std::string name = p->first.Scalar();
        if (params.count(name)) {
          add(p->first, join(mp, name), "each parameter once", fmt::format("a second '{}'", name));
          continue;
        }
        if (auto val = text(p->second, join(mp, name))) params[name] = *val;
      }
    }
  }

  std::string file_;
  std::size_t budget_;
  std::size_t visits_ = 0;
  std::size_t dropped_ = 0;
  std::set<std::string> covered_;
  std::unordered_set<std::string> source_ids_, issue_ids_, actor_ids_;
  std::vector<std::unordered_map<std::string, std::size_t>> option_at_;  // per issue: option -> index
  double salience_scale_ = 1;
  DiagnosticSink sink_;
};

// Builds the diagnostic field by field: GCC 12 warns (maybe-uninitialized, a false positive) on
// a braced Diagnostic temporary inside a throw expression in optimised builds.
[[noreturn]] void fail(const std::string& file, int line, int column, std::string expected, std::string found,
                       std::string message = {}) {
  Diagnostic d;
  d.where.file = file;
  d.where.line = line;
  d.where.column = column;
  d.expected = std::move(expected);
  d.found = std::move(found);
  d.message = std::move(message);
  throw InputError(std::move(d));
}

bool looks_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' || c == '[';
  }
  return false;
}

}  // namespace

Scenario parse_native(std::string_view text, const std::string& name) {
  const std::string file = name.empty() ? std::string("<string>") : name;
  if (text.size() > kMaxDocumentBytes)
    fail(file, 0, 0, "a scenario file of at most 64 MiB",
                                fmt::format("{} bytes", text.size()));
  if (text.find('\0') != std::string_view::npos) {
    const auto at = text.find('\0');
    const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
    fail(file, static_cast<int>(line), 0, "a text file (YAML or JSON)",
                                "a NUL byte (binary data)");
  }
  // One parser pass builds the first document (yaml_tree.hpp) and then looks for a second. (Not
  // yaml-cpp's LoadAll: in 0.7 it loops forever, allocating, on a top-level flow node followed by
  // junk such as `"",`.)
  std::optional<yaml::Tree> tree;
  try {
    tree.emplace(text);
    if (tree->has_second()) {
      const YAML::Mark second = tree->second_start();
      const int line = second.line >= 0 ? second.line + 1 : 0;
      const int col = second.column >= 0 ? second.column + 1 : 0;
      fail(file, line, col, "a single YAML document", "more content after the first document");
    }
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    const int col = e.mark.column >= 0 ? e.mark.column + 1 : 0;
    fail(file, line, col, "valid YAML or JSON", "a syntax error", e.msg);
  }
  const yaml::Node root = tree->root();
  if (!root.IsDefined() || root.IsNull())
    fail(file, 0, 0, "a scenario (a map with issues and actors)", "an empty document");
  const std::vector<yaml::Node> docs{root};
  if (!docs[0].IsMap())
    fail(file, docs[0].Mark().line + 1, docs[0].Mark().column + 1, "a map of scenario fields (title, issues, actors, ...) at the top level",
                                describe(docs[0]));

  // Budget for the walk: proportional to the text, so aliases cannot multiply the work.
  Parser parser(file, 64 + 8 * text.size());
  Scenario s;
  try {
    s = parser.run(docs[0], looks_like_json(text));
  } catch (const TooComplex&) {
    fail(file, 0, 0, "a scenario whose YAML aliases do not multiply its size",
                                "a document that expands far beyond its text");
  } catch (const YAML::Exception& e) {
    // Not expected from a well-formed tree; still bad input rather than a crash.
    fail(file, e.mark.line + 1, e.mark.column + 1, "a valid scenario", e.msg);
  }

  // Invariants of what was built, except where the parser already reported that spot.
  std::vector<Diagnostic> all = parser.sink().items();
  // (same location or same field: a number that failed to parse is NaN there, a duplicate id
  // was already named at its own line).
  std::set<std::pair<int, int>> reported;
  std::set<std::string> reported_fields = parser.covered();
  for (const auto& d : all) {
    if (d.where.line > 0) reported.emplace(d.where.line, d.where.column);
    reported_fields.insert(d.field);
  }
  DiagnosticSink checks;
  check_scenario(s, checks);
  for (const auto& d : checks.items()) {
    if (d.where.line > 0 && reported.count({d.where.line, d.where.column})) continue;
    if (reported_fields.count(d.field)) continue;
    if (all.size() < kMaxDiagnostics) all.push_back(d);
  }
  std::stable_sort(all.begin(), all.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const auto ka = std::make_pair(a.where.line == 0 ? std::numeric_limits<int>::max() : a.where.line, a.where.column);
    const auto kb = std::make_pair(b.where.line == 0 ? std::numeric_limits<int>::max() : b.where.line, b.where.column);
    return ka < kb;
  });
  if (parser.dropped() > 0 || all.size() >= kMaxDiagnostics) {
    Diagnostic more;
    more.where.file = file;
    more.message = "too many errors; stopped reporting";
    all.push_back(std::move(more));
  }
  if (!all.empty()) throw InputError(std::move(all));
  return s;
}

}  // namespace entente::detail
