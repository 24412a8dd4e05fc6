// Decide (Stokman's exchange model, foarsitter/decide-exchange-model) input files: rows tagged
// #A actor, #P issue, #M labelled scale point, #D actor-issue data, #O description, #/ comment.
// Separated by ';' or tab, fields optionally quoted with '. Follows the parsing rules of
// specs/exchange-algorithm.md section 1 (the exchange model depends on the same numbers and order).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "scenario/formats.hpp"
#include "scenario/import_util.hpp"

namespace entente::detail {

namespace {

bool is_tag_char(char c) { return c == 'A' || c == 'P' || c == 'M' || c == 'D' || c == 'O' || c == '/'; }
bool is_delim(char c) { return c == ';' || c == '\t' || c == ','; }

// Strips a BOM and returns the text of the first `max_lines` non-blank lines.
std::vector<std::string_view> first_lines(std::string_view text, std::size_t max_lines) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < max_lines) {
    const auto e = text.find_first_of("\r\n", i);
    const auto line = text.substr(i, e == std::string_view::npos ? std::string_view::npos : e - i);
    if (!trim(line).empty()) out.push_back(line);
    if (e == std::string_view::npos) break;
    i = e + 1;
  }
  return out;
}

// Parses the row tag at the start of a line: "#A;", "'#A'\t", "#/" at the end of the line.
// Returns the delimiter following it ('\0' at end of line), and the quote char used (or '\0').
bool tag_at_start(std::string_view line, char& delim, char& quote) {
  line = trim(line);
  quote = '\0';
  if (!line.empty() && (line[0] == '\'' || line[0] == '"')) {
    quote = line[0];
    line.remove_prefix(1);
  }
  if (line.size() < 2 || line[0] != '#' || !is_tag_char(line[1])) return false;
  line.remove_prefix(2);
  if (quote != '\0') {
    if (line.empty() || line[0] != quote) return false;
    line.remove_prefix(1);
  }
  if (line.empty()) {
    delim = '\0';
    return true;
  }
  delim = line[0];
  return is_delim(delim);
}

struct Dialect {
  char delimiter = ';';
  char quote = '"';
};

// Like Python's csv.Sniffer for the shapes Decide files take: the delimiter after the first tag.
Dialect sniff(std::string_view text) {
  Dialect d;
  bool have_delim = false, have_quote = false;
  for (auto line : first_lines(text, 50)) {
    char delim = '\0', quote = '\0';
    if (!tag_at_start(line, delim, quote)) continue;
    if (!have_quote && quote != '\0') {
      d.quote = quote;
      have_quote = true;
    }
    if (!have_delim && delim != '\0') {
      d.delimiter = delim;
      have_delim = true;
    }
    if (have_delim && have_quote) break;
  }
  if (!have_quote) {
    // Unquoted files may still quote a field with ' (as the tab-separated Decide exports do).
    for (auto line : first_lines(text, 50))
      if (line.find('\'') != std::string_view::npos && line.find('"') == std::string_view::npos) {
        d.quote = '\'';
        break;
      }
  }
  return d;
}

struct Num {
  double value = 0;
  SourceLocation where;
};

struct DataRow {
  std::size_t actor = 0, issue = 0;
  Num position, salience, power;
  int line = 0;
};

std::string join_from(const csv::Row& row, std::size_t first) {
  std::string out;
  for (std::size_t k = first; k < row.fields.size(); ++k) {
    const auto t = trim(row.fields[k].text);
    if (t.empty()) continue;
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace

bool looks_like_decide(std::string_view text) {
  const auto lines = first_lines(text, 30);
  if (lines.empty()) return false;
  char delim = '\0', quote = '\0';
  if (tag_at_start(lines.front(), delim, quote)) return true;
  // A file whose first line is unusual: most lines still carry tags.
  std::size_t tagged = 0;
  for (auto l : lines) tagged += tag_at_start(l, delim, quote) ? 1 : 0;
  return tagged * 2 > lines.size();
}

Scenario import_decide(std::string_view text, const std::string& name) {
  DiagnosticSink sink;
  const Dialect dialect = sniff(text);
  std::vector<Diagnostic> problems;
  const auto rows = csv::read(text, {dialect.delimiter, dialect.quote}, name, problems);
  for (auto& p : problems) sink.add(std::move(p));

  Scenario s;
  s.origin = name;
  s.format = "decide";

  struct ActorRow {
    std::string id, name, comment;
    SourceLocation where;
  };
  struct IssueRow {
    std::string id, name, description;
    SourceLocation where;
  };
  std::vector<ActorRow> actors;
  std::vector<IssueRow> issues;
  std::map<std::string, std::size_t> actor_of, issue_of;
  std::vector<std::string> descriptions;
  std::vector<const csv::Row*> m_rows, d_rows;

  const auto missing = [&](const csv::Row& row, const char* tag, const char* what) {
    const auto& last = row.fields.back();
    sink.add({name, row.line, last.column + static_cast<int>(last.text.size()) + (last.quoted ? 2 : 0) + 1},
             fmt::format("{} row: {}", tag, what), fmt::format("a {} field", what), "the end of the row");
  };

  // Pass 1: actors and issues in order of first appearance (#M/#D may name them before or after).
  for (const auto& row : rows) {
    if (row.blank()) continue;
    const auto& f = row.fields;
    const std::string tag(trim(f[0].text));
    const auto text_at = [&](std::size_t k) { return k < f.size() ? std::string(trim(f[k].text)) : std::string(); };
    if (tag == "#A" || tag == "#P") {
      const bool is_actor = tag == "#A";
      if (f.size() < 2 || text_at(1).empty()) {
        if (f.size() < 2)
          missing(row, tag.c_str(), "id");
        else
          sink.add(at(name, f[1]), fmt::format("{} row: id", tag), "an id", "an empty field");
        continue;
      }
      const std::string id = text_at(1);
      // A repeated id keeps its first place; the later row's text wins (as Decide's dict does).
      if (is_actor) {
        auto [it, fresh] = actor_of.emplace(id, actors.size());
        if (fresh) actors.push_back({id, {}, {}, at(name, f[0])});
        auto& a = actors[it->second];
        a.name = text_at(2).empty() ? id : text_at(2);
        a.comment = join_from(row, 3);
      } else {
        auto [it, fresh] = issue_of.emplace(id, issues.size());
        if (fresh) issues.push_back({id, {}, {}, at(name, f[0])});
        auto& is = issues[it->second];
        is.name = text_at(2).empty() ? id : text_at(2);
        // Decide folds surplus fields into the description; kept apart from the name here.
        is.description = join_from(row, 3);
        if (is.description == is.name) is.description.clear();
      }
    } else if (tag == "#M") {
      m_rows.push_back(&row);
    } else if (tag == "#D") {
      d_rows.push_back(&row);
    } else if (tag == "#O") {
      descriptions.push_back(join_from(row, 1));
    } else if (tag == "#/") {
      // comment
    } else {
      sink.add(at(name, f[0]), "row type", "#A, #P, #M, #D, #O or #/", show(f[0].text));
    }
  }

  const auto number = [&](const csv::Row& row, std::size_t k, const char* tag, const char* what, Num& out) {
    if (k >= row.fields.size()) {
      missing(row, tag, what);
      return false;
    }
    const auto& fld = row.fields[k];
    if (!parse_number(fld.text, out.value)) {
      sink.add(at(name, fld), fmt::format("{} row: {}", tag, what), "a number", show(fld.text));
      return false;
    }
    out.where = at(name, fld);
    return true;
  };
  const auto lookup = [&](const csv::Row& row, std::size_t k, const char* tag, const char* what,
                          const std::map<std::string, std::size_t>& table, const char* table_tag, std::size_t& out) {
    if (k >= row.fields.size()) {
      missing(row, tag, what);
      return false;
    }
    const std::string id(trim(row.fields[k].text));
    const auto it = table.find(id);
    if (it == table.end()) {
      sink.add(at(name, row.fields[k]), fmt::format("{} row: {}", tag, what),
               fmt::format("the id of a {} row", table_tag), show(id));
      return false;
    }
    out = it->second;
    return true;
  };

  // Pass 2: scale points. lower/upper = min/max of an issue's #M values (default 0-100).
  std::vector<std::vector<Num>> marks(issues.size());
  std::vector<std::vector<ScalePoint>> points(issues.size());
  for (const auto* row : m_rows) {
    std::size_t i = 0;
    Num v;
    if (!lookup(*row, 1, "#M", "issue id", issue_of, "#P", i)) continue;
    if (!number(*row, 2, "#M", "value", v)) continue;
    marks[i].push_back(v);
    std::string label = join_from(*row, 3);
    // Unlabelled points only set the scale; labelled ones become the issue's points.
    if (!label.empty()) points[i].push_back({v.value, std::move(label)});
  }
  std::vector<double> lower(issues.size(), 0.0), upper(issues.size(), 100.0);
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (marks[i].empty()) continue;
    lower[i] = upper[i] = marks[i].front().value;
    for (const auto& m : marks[i]) {
      lower[i] = std::min(lower[i], m.value);
      upper[i] = std::max(upper[i], m.value);
    }
    if (lower[i] == upper[i])
      sink.add(marks[i].front().where, fmt::format("#M rows of issue '{}'", issues[i].id),
               "at least two different values (the ends of the scale)", fmt::format("only {}", lower[i]));
  }

  // Pass 3: actor-issue data.
  std::vector<DataRow> data;
  std::map<std::pair<std::size_t, std::size_t>, int> seen;
  for (const auto* row : d_rows) {
    DataRow d;
    d.line = row->line;
    bool ok = lookup(*row, 1, "#D", "actor id", actor_of, "#A", d.actor);
    ok = lookup(*row, 2, "#D", "issue id", issue_of, "#P", d.issue) && ok;
    ok = number(*row, 3, "#D", "position", d.position) && ok;
    ok = number(*row, 4, "#D", "salience", d.salience) && ok;
    ok = number(*row, 5, "#D", "power", d.power) && ok;
    if (!ok) continue;
    const std::string who = fmt::format("'{}' on '{}'", actors[d.actor].id, issues[d.issue].id);
    const auto [it, fresh] = seen.emplace(std::make_pair(d.actor, d.issue), d.line);
    if (!fresh) {
      sink.add(at(name, row->fields[1]), fmt::format("#D row: {}", who), "one #D row per actor and issue",
               fmt::format("a second row (the first is on line {})", it->second));
      continue;
    }
    if (d.position.value < lower[d.issue] || d.position.value > upper[d.issue])
      sink.add(d.position.where, fmt::format("#D row: position of {}", who),
               fmt::format("a number in [{}, {}] (the issue's scale{})", lower[d.issue], upper[d.issue],
                           marks[d.issue].empty() ? ", no #M rows" : " from its #M rows"),
               fmt::format("{}", d.position.value));
    if (d.salience.value < 0 || d.salience.value > 100)
      sink.add(d.salience.where, fmt::format("#D row: salience of {}", who), "a number in [0, 1] (or [0, 100])",
               fmt::format("{}", d.salience.value));
    if (d.power.value < 0 || d.power.value > 100)
      sink.add(d.power.where, fmt::format("#D row: power of {}", who), "a number in [0, 100]",
               fmt::format("{}", d.power.value));
    data.push_back(d);
  }
  if (actors.empty()) sink.add({name, 0, 0}, "#A rows", "at least one actor (#A row)", "none");
  if (issues.empty()) sink.add({name, 0, 0}, "#P rows", "at least one issue (#P row)", "none");
  sink.throw_if_any();

  // Saliences written in 0-100 (any above 1) are divided by 100, as for every importer.
  const bool percent = std::any_of(data.begin(), data.end(), [](const DataRow& d) { return d.salience.value > 1; });

  // Issues without any #D row take no part in Decide; they are dropped (a scenario issue needs a
  // position). Issue order = order of first appearance of the remaining ones.
  std::vector<bool> used(issues.size(), false);
  for (const auto& d : data) used[d.issue] = true;
  std::vector<std::size_t> new_index(issues.size(), 0);
  IdAllocator issue_ids, actor_ids;
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (!used[i]) continue;
    new_index[i] = s.issues.size();
    Issue is;
    is.id = issue_ids.take(valid_id(issues[i].id) ? issues[i].id : slug(issues[i].id, "issue"));
    is.name = issues[i].name;
    is.description = issues[i].description;
    is.min = lower[i];
    is.max = upper[i];
    is.points = points[i];
    std::stable_sort(is.points.begin(), is.points.end(),
                     [](const ScalePoint& a, const ScalePoint& b) { return a.value < b.value; });
    is.where = issues[i].where;
    s.issues.push_back(std::move(is));
  }
  for (const auto& a : actors) {
    Actor actor;
    actor.id = actor_ids.take(valid_id(a.id) ? a.id : slug(a.id, "actor"));
    actor.name = a.name;
    actor.description = a.comment;
    actor.where = a.where;
    actor.stances.resize(s.issues.size());
    s.actors.push_back(std::move(actor));
  }
  // Decide's power is per row; the actor's general capability is the largest of its powers (Decide
  // files repeat one power on every row, so this is that power), 0 for an actor without rows.
  for (const auto& d : data) {
    auto& actor = s.actors[d.actor];
    Stance st;
    st.position = quantity(d.position.value, d.position.where);
    st.salience = quantity(percent ? d.salience.value / 100 : d.salience.value, d.salience.where);
    st.capability = quantity(d.power.value, d.power.where);
    actor.stances[new_index[d.issue]] = std::move(st);
    if (d.power.value > actor.capability.value || !actor.capability.where.line) {
      actor.capability = quantity(std::max(actor.capability.value, d.power.value), d.power.where);
    }
  }

  const std::string stem = std::filesystem::path(name).stem().string();
  if (!descriptions.empty() && !descriptions.front().empty()) {
    s.title = descriptions.front();
    for (std::size_t k = 1; k < descriptions.size(); ++k)
      s.description += (s.description.empty() ? "" : "\n") + descriptions[k];
  } else {
    s.title = stem.empty() ? "Decide data" : stem;
  }
  return s;
}

}  // namespace entente::detail
