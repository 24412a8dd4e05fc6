// Writers of the native format. The Scenario is first turned into a small ordered tree, then
// rendered as YAML (block style, small things in flow style) or JSON. Numbers use fmt's
// shortest round-trip representation, so load(to_yaml(s)) == s.
#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "entente/scenario.hpp"

namespace entente {
namespace {

struct W {
  enum class Kind { map, list, str, num } kind = Kind::str;
  // A map is keys[i] -> list[i] (a vector of pairs would need W complete here).
  std::vector<std::string> keys;
  std::vector<W> list;
  std::string text;  // str: the string; num: its literal
  bool flow = false;

  static W str(std::string s) {
    W w;
    w.text = std::move(s);
    return w;
  }
  static W num(double v) {
    W w;
    w.kind = Kind::num;
    w.text = fmt::format("{}", v);
    return w;
  }
  static W raw_num(std::string literal) {
    W w;
    w.kind = Kind::num;
    w.text = std::move(literal);
    return w;
  }
  static W make_map(bool flow = false) {
    W w;
    w.kind = Kind::map;
    w.flow = flow;
    return w;
  }
  static W make_list(bool flow = false) {
    W w;
    w.kind = Kind::list;
    w.flow = flow;
    return w;
  }
  W& add(std::string key, W value) {
    keys.push_back(std::move(key));
    list.push_back(std::move(value));
    return list.back();
  }
  void push(W value) { list.push_back(std::move(value)); }
  [[nodiscard]] bool scalar() const { return kind == Kind::str || kind == Kind::num; }
  [[nodiscard]] bool empty() const { return (kind == Kind::map || kind == Kind::list) && list.empty(); }
};

// ---- scalars --------------------------------------------------------------------------------

// Length of the valid UTF-8 sequence at s[i], or 0 if the bytes there are not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned c = b(0);
  const auto cont = [&](std::size_t k) { return (b(k) & 0xC0u) == 0x80u; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;
    if (c == 0xF4 && b(1) > 0x8F) return 0;
    return 4;
  }
  return 0;
}

// A double-quoted string, valid in both YAML and JSON. Control characters, C1 controls and the
// line/paragraph separators (line breaks to YAML 1.1 readers) and BOM are escaped. Bytes that
// are not valid UTF-8 (e.g. a Latin-1 table that was imported) are read as Latin-1, so the
// output is always valid UTF-8 (JSON requires it).
std::string dquote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      default: break;
    }
    const std::size_t n = utf8_length(s, i);
    if (n == 0) {  // Latin-1 byte -> U+0080..U+00FF
      if (c < 0xA0) {
        out += fmt::format("\\u{:04x}", c);
      } else {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
      }
      ++i;
      continue;
    }
    unsigned cp = c;
    if (n == 2) cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
    if (n == 3)
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
      out += fmt::format("\\u{:04x}", cp);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  out += '"';
  return out;
}

// Strings that any YAML reader takes as the same plain string: words of letters, digits, '_',
// '-' and inner spaces, starting with a letter, and not a YAML 1.1/1.2 keyword.
bool plain_safe(std::string_view s) {
  if (s.empty() || s.size() > 80) return false;
  const auto first = static_cast<unsigned char>(s[0]);
  if (!std::isalpha(first)) return false;
  if (s.back() == ' ') return false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(std::isalnum(c) || c == '_' || c == '-' || c == ' ')) return false;
  }
  if (s.find("  ") != std::string_view::npos) return false;
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* kw : {"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
    if (lower == kw) return false;
  return true;
}

std::string yaml_scalar(const W& w) {
  if (w.kind == W::Kind::num) return w.text;
  return plain_safe(w.text) ? w.text : dquote(w.text);
}

// ---- renderers --------------------------------------------------------------------------------

std::string yaml_flow(const W& w) {
  if (w.scalar()) return yaml_scalar(w);
  std::string out;
  if (w.kind == W::Kind::map) {
    out = "{";
    for (std::size_t i = 0; i < w.keys.size(); ++i)
      out += fmt::format("{}{}: {}", i ? ", " : "", yaml_scalar(W::str(w.keys[i])), yaml_flow(w.list[i]));
    return out + "}";
  }
  out = "[";
  for (std::size_t i = 0; i < w.list.size(); ++i) out += (i ? ", " : "") + yaml_flow(w.list[i]);
  return out + "]";
}

bool inline_yaml(const W& w) { return w.scalar() || w.flow || w.empty(); }

void yaml_block(const W& w, int indent, std::string& out);

void yaml_map_entries(const W& w, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (std::size_t i = 0; i < w.keys.size(); ++i) {
    const W& v = w.list[i];
    out += pad + yaml_scalar(W::str(w.keys[i])) + ":";
    if (inline_yaml(v)) {
      out += " " + yaml_flow(v) + "\n";
    } else {
      out += "\n";
      yaml_block(v, indent + 2, out);
    }
  }
}

void yaml_block(const W& w, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (w.kind == W::Kind::map) {
    yaml_map_entries(w, indent, out);
    return;
  }
  for (const auto& item : w.list) {
    if (inline_yaml(item)) {
      out += pad + "- " + yaml_flow(item) + "\n";
    } else if (item.kind == W::Kind::map) {
      // "- " then the first key on the same line, the rest indented under it.
      std::string sub;
      yaml_map_entries(item, indent + 2, sub);
      sub.replace(static_cast<std::size_t>(indent), 2, "- ");
      out += sub;
    } else {
      out += pad + "-\n";
      yaml_block(item, indent + 2, out);
    }
  }
}

void json_render(const W& w, int indent, std::string& out) {
  if (w.kind == W::Kind::num) {
    out += w.text;
    return;
  }
  if (w.kind == W::Kind::str) {
    out += dquote(w.text);
    return;
  }
  const bool is_map = w.kind == W::Kind::map;
  const std::size_t n = w.list.size();
  if (n == 0) {
    out += is_map ? "{}" : "[]";
    return;
  }
  const bool flow = w.flow;
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  out += is_map ? "{" : "[";
  for (std::size_t i = 0; i < n; ++i) {
    out += i ? "," : "";
    out += flow ? (i ? " " : "") : "\n" + pad;
    if (is_map) {
      out += dquote(w.keys[i]) + ": ";
    }
    json_render(w.list[i], indent + 2, out);
  }
  if (!flow) out += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
  out += is_map ? "}" : "]";
}

// ---- Scenario -> tree ---------------------------------------------------------------------------

W quantity(const Quantity& q, double field_high) {
  if (!q.evidence.present() && !q.uncertainty.present() && q.evidence.quote.empty()) return W::num(q.value);
  W m = W::make_map(true);
  m.add("value", W::num(q.value));
  if (q.evidence.present() || !q.evidence.quote.empty()) {
    W e = W::make_map(true);
    if (!q.evidence.source.empty()) e.add("source", W::str(q.evidence.source));
    if (!q.evidence.quote.empty()) e.add("quote", W::str(q.evidence.quote));
    if (!q.evidence.judgment.empty()) e.add("judgment", W::str(q.evidence.judgment));
    m.add("evidence", std::move(e));
  }
  const auto& u = q.uncertainty;
  if (u.present()) {
    W x = W::make_map(true);
    switch (u.kind) {
      case Uncertainty::Kind::range: {
        W r = W::make_list(true);
        r.push(W::num(u.low));
        r.push(W::num(u.high));
        x.add("range", std::move(r));
        break;
      }
      case Uncertainty::Kind::uniform:
        x.add("distribution", W::str("uniform"));
        x.add("low", W::num(u.low));
        x.add("high", W::num(u.high));
        break;
      case Uncertainty::Kind::triangular:
        x.add("distribution", W::str("triangular"));
        x.add("low", W::num(u.low));
        x.add("mode", W::num(u.mode));
        x.add("high", W::num(u.high));
        break;
      case Uncertainty::Kind::normal:
        x.add("distribution", W::str("normal"));
        x.add("mean", W::num(u.mean));
        x.add("sd", W::num(u.sd));
        x.add("low", W::num(u.low));
        // An unbounded upper bound is the default for capability and has no JSON spelling.
        if (std::isfinite(u.high) || !std::isinf(field_high)) x.add("high", W::num(u.high));
        break;
      case Uncertainty::Kind::none: break;
    }
    m.add("uncertainty", std::move(x));
  }
  return m;
}

// A categorical no-deal point: the option's name, with its evidence (it takes no uncertainty).
W no_deal_option(const Quantity& q, const Issue& is) {
  const bool ok = q.value >= 0 && q.value < static_cast<double>(is.options.size());
  W name = W::str(ok ? is.options[static_cast<std::size_t>(q.value)] : std::string{});
  if (!q.evidence.present() && q.evidence.quote.empty()) return name;
  W m = quantity(q, 1);
  m.list.front() = std::move(name);  // "value" is the first key
  return m;
}

W tree(const Scenario& s) {
  constexpr double inf = HUGE_VAL;
  W top = W::make_map();
  top.add("entente", W::raw_num("1"));
  if (!s.title.empty()) top.add("title", W::str(s.title));
  if (!s.as_of.empty()) top.add("as_of", W::str(s.as_of));
  if (!s.description.empty()) top.add("description", W::str(s.description));
  if (!s.sources.empty()) {
    W list = W::make_list();
    for (const auto& src : s.sources) {
      W m = W::make_map();
      m.add("id", W::str(src.id));
      if (!src.title.empty()) m.add("title", W::str(src.title));
      if (!src.publisher.empty()) m.add("publisher", W::str(src.publisher));
      if (!src.date.empty()) m.add("date", W::str(src.date));
      if (!src.url.empty()) m.add("url", W::str(src.url));
      if (!src.file.empty()) m.add("file", W::str(src.file));
      list.push(std::move(m));
    }
    top.add("sources", std::move(list));
  }
  W issues = W::make_list();
  for (const auto& is : s.issues) {
    W m = W::make_map();
    m.add("id", W::str(is.id));
    m.add("name", W::str(is.name));
    if (!is.description.empty()) m.add("description", W::str(is.description));
    if (!is.keywords.empty()) {
      W kw = W::make_list(true);
      for (const auto& k : is.keywords) kw.push(W::str(k));
      m.add("keywords", std::move(kw));
    }
    if (is.kind == Issue::Kind::categorical) {
      W opts = W::make_list(true);
      for (const auto& o : is.options) opts.push(W::str(o));
      m.add("options", std::move(opts));
    } else {
      W scale = W::make_map(true);
      scale.add("min", W::num(is.min));
      scale.add("max", W::num(is.max));
      m.add("scale", std::move(scale));
      if (!is.points.empty()) {
        W pts = W::make_list();
        for (const auto& p : is.points) {
          W pm = W::make_map(true);
          pm.add("value", W::num(p.value));
          pm.add("label", W::str(p.label));
          pts.push(std::move(pm));
        }
        m.add("points", std::move(pts));
      }
      if (is.status_quo) m.add("status_quo", W::num(*is.status_quo));
    }
    if (const auto& r = is.decision_rule) {
      W dr = W::make_map();
      if (!r->name.empty()) dr.add("name", W::str(r->name));
      W voters = W::make_list();
      for (const auto& v : r->voters) {
        W vm = W::make_map(true);
        vm.add("actor", W::str(v.actor));
        vm.add("weight", W::num(v.weight));
        voters.push(std::move(vm));
      }
      dr.add("voters", std::move(voters));
      dr.add("quota", W::num(r->quota));
      if (r->min_voters) dr.add("min_voters", W::raw_num(fmt::format("{}", r->min_voters)));
      if (r->voters_suffice) dr.add("voters_suffice", W::raw_num(fmt::format("{}", r->voters_suffice)));
      if (!r->veto_players.empty()) {
        W vp = W::make_list(true);
        for (const auto& id : r->veto_players) vp.push(W::str(id));
        dr.add("veto_players", std::move(vp));
      }
      if (!r->agenda_setter.empty()) dr.add("agenda_setter", W::str(r->agenda_setter));
      if (r->unanimous_amendment) dr.add("unanimous_amendment", W::raw_num("true"));
      m.add("decision_rule", std::move(dr));
    }
    issues.push(std::move(m));
  }
  top.add("issues", std::move(issues));
  W actors = W::make_list();
  for (const auto& a : s.actors) {
    W m = W::make_map();
    m.add("id", W::str(a.id));
    m.add("name", W::str(a.name));
    if (!a.description.empty()) m.add("description", W::str(a.description));
    if (!a.aliases.empty()) {
      W al = W::make_list(true);
      for (const auto& k : a.aliases) al.push(W::str(k));
      m.add("aliases", std::move(al));
    }
    m.add("capability", quantity(a.capability, inf));
    if (a.veto) {
      if (a.veto->all) {
        m.add("veto", W::raw_num("true"));  // a bare YAML/JSON literal, like a number
      } else {
        W ids = W::make_list(true);
        for (const auto& id : a.veto->issues) ids.push(W::str(id));
        m.add("veto", std::move(ids));
      }
    }
    if (a.no_deal_cost) m.add("no_deal_cost", quantity(*a.no_deal_cost, inf));
    W stances = W::make_map();
    for (std::size_t i = 0; i < a.stances.size() && i < s.issues.size(); ++i) {
      const auto& st = a.stances[i];
      if (!st) continue;
      const auto& is = s.issues[i];
      W sm = W::make_map();
      if (is.kind == Issue::Kind::categorical) {
        W u = W::make_map();
        for (std::size_t o = 0; o < is.options.size() && o < st->utilities.size(); ++o)
          u.add(is.options[o], quantity(st->utilities[o], 1));
        // Short utility maps read best on one line.
        bool simple = true;
        for (const auto& v : u.list) simple = simple && v.scalar();
        u.flow = simple;
        sm.add("utilities", std::move(u));
        if (st->no_deal) sm.add("no_deal", no_deal_option(*st->no_deal, is));
      } else {
        sm.add("position", quantity(st->position, is.max));
        if (st->no_deal) sm.add("no_deal", quantity(*st->no_deal, is.max));
      }
      sm.add("salience", quantity(st->salience, 1));
      if (st->capability) sm.add("capability", quantity(*st->capability, inf));
      stances.add(is.id, std::move(sm));
    }
    m.add("issues", std::move(stances));
    actors.push(std::move(m));
  }
  top.add("actors", std::move(actors));
  if (!s.model_params.empty()) {
    W models = W::make_map();
    for (const auto& [model, params] : s.model_params) {
      W pm = W::make_map(true);
      for (const auto& [k, v] : params) pm.add(k, W::str(v));
      models.add(model, std::move(pm));
    }
    top.add("models", std::move(models));
  }
  if (s.seed) top.add("seed", W::raw_num(fmt::format("{}", *s.seed)));
  return top;
}

}  // namespace

std::string to_yaml(const Scenario& scenario) {
  std::string out = "# entente scenario (docs/scenario-format.md)\n";
  yaml_block(tree(scenario), 0, out);
  return out;
}

std::string to_json(const Scenario& scenario) {
  std::string out;
  json_render(tree(scenario), 0, out);
  out += '\n';
  return out;
}

}  // namespace entente
