// KTAB's spatial model (SMP) inputs: the CSV layout (smpread.cpp csvRead) and the XML layout
// (smpSchema.xsd). Each dimension becomes an issue on KTAB's 0-100 scale; saliences (0-100 in
// KTAB) are divided by 100. Actor and dimension order are kept exactly (the smp model reproduces
// KTAB's trajectories from them). See specs/smp-algorithm.md section 2.
#include <fmt/format.h>
#include <pugixml.hpp>

#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "scenario/formats.hpp"
#include "scenario/import_util.hpp"

namespace entente::detail {

namespace {

constexpr double max_capability = 1e8;  // KTAB's reader limit

bool parse_count(std::string_view text, long& out) {
  const auto t = trim(text);
  if (t.empty()) return false;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  return ec == std::errc() && p == t.data() + t.size();
}

std::vector<csv::Row> nonblank(std::vector<csv::Row> rows) {
  std::vector<csv::Row> out;
  for (auto& r : rows)
    if (!r.blank()) out.push_back(std::move(r));
  return out;
}

// Shared checks and conversion of one actor's numbers.
struct ActorIn {
  std::string name, description;
  SourceLocation where;
  Quantity capability;
  std::vector<Quantity> position, salience;  // raw 0-100 values
};

void check_actor(const ActorIn& a, DiagnosticSink& sink) {
  if (a.capability.value < 0 || a.capability.value > max_capability)
    sink.add(a.capability.where, fmt::format("capability of '{}'", a.name), "a number in [0, 1e8]",
             fmt::format("{}", a.capability.value));
  double total = 0;
  for (std::size_t k = 0; k < a.position.size(); ++k) {
    if (a.position[k].value < 0 || a.position[k].value > 100)
      sink.add(a.position[k].where, fmt::format("position of '{}' on dimension {}", a.name, k + 1),
               "a number in [0, 100]", fmt::format("{}", a.position[k].value));
    if (a.salience[k].value < 0 || a.salience[k].value > 100)
      sink.add(a.salience[k].where, fmt::format("salience of '{}' on dimension {}", a.name, k + 1),
               "a number in [0, 100]", fmt::format("{}", a.salience[k].value));
    total += a.salience[k].value;
  }
  // KTAB requires an actor's saliences to add up to at most 100 (a small tolerance for rounding).
  if (total > 100 + 1e-9 && !a.salience.empty())
    sink.add(a.salience.back().where, fmt::format("saliences of '{}'", a.name), "a total of at most 100",
             fmt::format("{}", total));
}

Scenario build(std::vector<ActorIn> actors, const std::vector<std::pair<std::string, SourceLocation>>& dims) {
  Scenario s;
  IdAllocator issue_ids, actor_ids;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    Issue is;
    const std::string fallback = fmt::format("dim{}", k + 1);
    is.name = dims[k].first.empty() ? fallback : dims[k].first;
    is.id = issue_ids.take(valid_id(is.name) ? is.name : slug(is.name, fallback));
    is.min = 0;
    is.max = 100;
    is.where = dims[k].second;
    s.issues.push_back(std::move(is));
  }
  for (auto& in : actors) {
    Actor a;
    a.id = actor_ids.take(valid_id(in.name) ? in.name : slug(in.name, "actor"));
    a.name = in.name;
    a.description = in.description;
    a.where = in.where;
    a.capability = in.capability;
    for (std::size_t k = 0; k < dims.size(); ++k) {
      Stance st;
      st.position = in.position[k];
      st.salience = in.salience[k];
      st.salience.value /= 100;
      a.stances.emplace_back(std::move(st));
    }
    s.actors.push_back(std::move(a));
  }
  return s;
}

}  // namespace

bool looks_like_ktab_csv(std::string_view text) {
  std::vector<Diagnostic> ignore;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t start = 0;
  while (start < text.size() && (text[start] == '\r' || text[start] == '\n')) ++start;
  const auto end = text.find_first_of("\r\n", start);
  const auto rows =
      csv::read(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), {}, "", ignore);
  if (rows.empty() || rows.front().fields.size() < 4) return false;
  long n = 0, d = 0;
  return parse_count(rows.front().fields[2].text, n) && parse_count(rows.front().fields[3].text, d);
}

Scenario import_ktab_csv(std::string_view text, const std::string& name) {
  DiagnosticSink sink;
  std::vector<Diagnostic> problems;
  const auto rows = nonblank(csv::read(text, {',', '"'}, name, problems));
  for (auto& p : problems) sink.add(std::move(p));
  if (rows.empty()) {
    sink.add({name, 1, 1}, "line 1", "'scenario name, description, number of actors, number of dimensions'",
             "an empty file");
    sink.throw_if_any();
  }
  const auto& first = rows.front();
  const auto end_of = [&](const csv::Row& r) {
    const auto& last = r.fields.back();
    return SourceLocation{name, r.line, last.column + static_cast<int>(last.text.size()) + 1};
  };
  long n = 0, d = 0;
  if (first.fields.size() < 4) {
    sink.add(end_of(first), "line 1", "4 fields: scenario name, description, number of actors, number of dimensions",
             fmt::format("{} fields", first.fields.size()));
  } else {
    if (!parse_count(first.fields[2].text, n) || n < 1)
      sink.add(at(name, first.fields[2]), "number of actors", "a whole number >= 1", show(first.fields[2].text));
    if (!parse_count(first.fields[3].text, d) || d < 1 || d > 10000)
      sink.add(at(name, first.fields[3]), "number of dimensions", "a whole number >= 1", show(first.fields[3].text));
  }
  if (rows.size() < 2)
    sink.add({name, first.line + 1, 1}, "line 2", "a header line (Actor, Description, Capability, Position, Salience...)",
             "the end of the file");
  sink.throw_if_any();

  Scenario s;
  const auto dn = static_cast<std::size_t>(d);
  const auto an = static_cast<std::size_t>(n);
  std::vector<std::pair<std::string, SourceLocation>> dims;
  // Only the dimension names are read from the header: the cell before each salience column.
  const auto& header = rows[1];
  for (std::size_t k = 0; k < dn; ++k) {
    const std::size_t c = 3 + 2 * k;
    if (c < header.fields.size())
      dims.emplace_back(std::string(trim(header.fields[c].text)), at(name, header.fields[c]));
    else
      dims.emplace_back(std::string(), SourceLocation{name, header.line, 0});
  }

  const std::size_t found = rows.size() - 2;
  if (found != an)
    sink.add(found == 0 ? SourceLocation{name, header.line + 1, 1} : SourceLocation{name, rows.back().line, 1},
             "actor rows", fmt::format("{} actor rows (line 1 says {} actors)", an, an), fmt::format("{} row{}", found, found == 1 ? "" : "s"));

  std::vector<ActorIn> actors;
  for (std::size_t r = 2; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const std::size_t need = 3 + 2 * dn;
    if (row.fields.size() < need) {
      sink.add(end_of(row), "actor row", fmt::format("{} fields: name, description, capability, then position and "
                                                     "salience for each of the {} dimensions", need, dn),
               fmt::format("{} fields", row.fields.size()));
      continue;
    }
    ActorIn a;
    a.name = std::string(trim(row.fields[0].text));
    a.description = std::string(trim(row.fields[1].text));
    a.where = at(name, row.fields[0]);
    bool ok = true;
    if (a.name.empty()) {
      sink.add(at(name, row.fields[0]), "actor name", "a name", "an empty field");
      ok = false;
    }
    const auto number = [&](std::size_t c, const std::string& what, Quantity& q) {
      double v = 0;
      if (!parse_number(row.fields[c].text, v)) {
        sink.add(at(name, row.fields[c]), what, "a number", show(row.fields[c].text));
        ok = false;
      }
      q = quantity(v, at(name, row.fields[c]));
    };
    number(2, fmt::format("capability of '{}'", a.name), a.capability);
    a.position.resize(dn);
    a.salience.resize(dn);
    for (std::size_t k = 0; k < dn; ++k) {
      number(3 + 2 * k, fmt::format("position of '{}' on dimension {}", a.name, k + 1), a.position[k]);
      number(4 + 2 * k, fmt::format("salience of '{}' on dimension {}", a.name, k + 1), a.salience[k]);
    }
    if (!ok) continue;
    check_actor(a, sink);
    actors.push_back(std::move(a));
  }
  sink.throw_if_any();

  s = build(std::move(actors), dims);
  s.origin = name;
  s.format = "ktab-csv";
  s.title = std::string(trim(first.fields[0].text));
  s.description = std::string(trim(first.fields[1].text));
  return s;
}

// ---- XML ------------------------------------------------------------------------------------

namespace {

// Location of an element's text (or of the element itself when empty).
SourceLocation where_of(const LineIndex& index, const std::string& file, const pugi::xml_node& node) {
  for (auto c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) return index.at(file, static_cast<std::size_t>(c.offset_debug()));
  // offset_debug of an element points at its name, just after '<'.
  const auto off = node.offset_debug();
  return index.at(file, off > 0 ? static_cast<std::size_t>(off - 1) : 0);
}

std::string text_of(const pugi::xml_node& node) { return std::string(trim(node.child_value())); }

// The schema's enumeration names differ from KTAB's code for two options (smp.md section 7):
// the code's names are the ones the model knows.
std::string canonical_param_value(const std::string& key, const std::string& v) {
  if (key == "VotingRule" && v == "Proportional") return "Prop";
  if (key == "BigRAdjust" && v == "No") return "None";
  return v;
}

}  // namespace

Scenario import_ktab_xml(std::string_view text, const std::string& name) {
  DiagnosticSink sink;
  const LineIndex index(text);
  pugi::xml_document doc;
  const auto parsed = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    sink.add(index.at(name, parsed.offset > 0 ? static_cast<std::size_t>(parsed.offset) : 0), "XML",
             "well-formed XML", parsed.description());
    sink.throw_if_any();
  }
  const auto root = doc.child("Scenario");
  if (!root) {
    sink.add({name, 1, 1}, "root element", "<Scenario> (KTAB SMP XML)",
             doc.document_element() ? fmt::format("<{}>", doc.document_element().name()) : "no element");
    sink.throw_if_any();
  }

  Scenario s;
  s.origin = name;
  s.format = "ktab-xml";
  s.title = text_of(root.child("name"));
  s.description = text_of(root.child("desc"));

  if (const auto seed = root.child("prngSeed")) {
    const std::string t = text_of(seed);
    if (!t.empty()) {
      std::uint64_t v = 0;
      const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc() || p != t.data() + t.size())
        sink.add(where_of(index, name, seed), "prngSeed", "a whole number in [0, 2^64)", show(t));
      else
        s.seed = v;
    }
  }
  if (const auto mp = root.child("ModelParameters")) {
    auto& params = s.model_params["smp"];
    for (const auto& p : mp.children()) {
      if (p.type() != pugi::node_element) continue;
      const std::string key = p.name();
      const std::string value = text_of(p);
      if (value.empty()) {
        sink.add(where_of(index, name, p), fmt::format("ModelParameters.{}", key), "an option name", "an empty element");
        continue;
      }
      params[key] = canonical_param_value(key, value);
    }
  }

  std::vector<std::pair<std::string, SourceLocation>> dims;
  if (const auto dn = root.child("Dimensions"))
    for (const auto& d : dn.children("dName")) dims.emplace_back(text_of(d), where_of(index, name, d));

  const auto actors_node = root.child("Actors");
  if (!actors_node)
    sink.add(where_of(index, name, root), "Actors", "an <Actors> element with <Actor> entries", "none");
  std::vector<ActorIn> actors;
  std::map<std::string, std::size_t> actor_by_name;
  std::set<std::string> invalid_names;  // actors already reported: no second error for their pairs
  std::size_t k_actor = 0;
  for (const auto& an : actors_node.children("Actor")) {
    ++k_actor;
    ActorIn a;
    a.name = text_of(an.child("name"));
    a.description = text_of(an.child("description"));
    a.where = where_of(index, name, an);
    const std::string who = a.name.empty() ? fmt::format("actor {}", k_actor) : fmt::format("'{}'", a.name);
    bool ok = true;
    if (a.name.empty()) {
      sink.add(an.child("name") ? where_of(index, name, an.child("name")) : a.where, fmt::format("{}: name", who),
               "a name", "none");
      ok = false;
    }
    const auto number = [&](const pugi::xml_node& node, const std::string& what, Quantity& q) {
      double v = 0;
      const std::string t = text_of(node);
      q.where = where_of(index, name, node);
      if (!parse_number(t, v)) {
        sink.add(q.where, what, "a number", t.empty() ? fmt::format("an empty <{}>", node.name()) : show(t));
        ok = false;
      }
      q.value = v;
    };
    if (const auto c = an.child("capability"))
      number(c, fmt::format("capability of {}", who), a.capability);
    else {
      sink.add(a.where, fmt::format("capability of {}", who), "a <capability> element", "none");
      ok = false;
    }
    for (const auto& c : an.child("Position").children("dCoord")) {
      a.position.emplace_back();
      number(c, fmt::format("position of {} on dimension {} (<dCoord> {})", who, a.position.size(), a.position.size()),
             a.position.back());
    }
    for (const auto& c : an.child("Salience").children("dSal")) {
      a.salience.emplace_back();
      number(c, fmt::format("salience of {} on dimension {} (<dSal> {})", who, a.salience.size(), a.salience.size()),
             a.salience.back());
    }
    // Without <Dimensions>, the first actor's coordinates say how many there are.
    if (dims.empty() && k_actor == 1)
      for (std::size_t k = 0; k < a.position.size(); ++k) dims.emplace_back(std::string(), SourceLocation{name, 0, 0});
    if (a.position.size() != dims.size()) {
      sink.add(where_of(index, name, an.child("Position") ? an.child("Position") : an),
               fmt::format("position of {}", who), fmt::format("{} <dCoord> elements (one per dimension)", dims.size()),
               fmt::format("{}", a.position.size()));
      ok = false;
    }
    if (a.salience.size() != dims.size()) {
      sink.add(where_of(index, name, an.child("Salience") ? an.child("Salience") : an),
               fmt::format("salience of {}", who), fmt::format("{} <dSal> elements (one per dimension)", dims.size()),
               fmt::format("{}", a.salience.size()));
      ok = false;
    }
    if (!ok) {
      if (!a.name.empty()) invalid_names.insert(a.name);
      continue;
    }
    check_actor(a, sink);
    actor_by_name.emplace(a.name, actors.size());
    actors.push_back(std::move(a));
  }
  if (k_actor == 0 && actors_node) sink.add(where_of(index, name, actors_node), "Actors", "at least one <Actor>", "none");
  if (dims.empty() && k_actor > 0) sink.add(where_of(index, name, root), "Dimensions", "at least one dimension", "none");

  // The accommodation matrix (KTAB's only non-CSV feature): stored for the smp model as
  // "adjusting:reference:adjust;..." with actor ids (the smp model's IdealAdjustment format), in file order.
  std::vector<std::tuple<std::size_t, std::size_t, std::string>> pairs;
  if (const auto ia = root.child("IdealAdjustment")) {
    for (const auto& p : ia.children("iaPair")) {
      const auto find = [&](const char* tag) -> std::optional<std::size_t> {
        const auto node = p.child(tag);
        const std::string who = text_of(node);
        const auto it = actor_by_name.find(who);
        if (it == actor_by_name.end()) {
          if (invalid_names.count(who) != 0) return std::nullopt;
          sink.add(where_of(index, name, node ? node : p), fmt::format("IdealAdjustment.{}", tag), "the name of an actor",
                   who.empty() ? "none" : show(who));
          return std::nullopt;
        }
        return it->second;
      };
      const auto i = find("adjustingIdeal");
      const auto j = find("referencePos");
      double v = 0;
      const auto adj = p.child("adjust");
      if (!parse_number(text_of(adj), v) || v < 0 || v > 1) {
        sink.add(where_of(index, name, adj ? adj : p), "IdealAdjustment.adjust", "a number in [0, 1]",
                 text_of(adj).empty() ? "none" : show(text_of(adj)));
        continue;
      }
      if (i && j) pairs.emplace_back(*i, *j, text_of(adj));
    }
  }
  sink.throw_if_any();

  Scenario built = build(std::move(actors), dims);
  s.issues = std::move(built.issues);
  s.actors = std::move(built.actors);
  if (!pairs.empty()) {
    std::string v;
    for (const auto& [i, j, a] : pairs)
      v += fmt::format("{}{}:{}:{}", v.empty() ? "" : ";", s.actors[i].id, s.actors[j].id, a);
    s.model_params["smp"]["IdealAdjustment"] = v;
  }
  return s;
}

}  // namespace entente::detail
