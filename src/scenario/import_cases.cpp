// One-issue stakeholder tables (the classic BDM input): a header row naming the columns, then one
// row per actor with capability, position and salience. Header names and units vary by source.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "scenario/formats.hpp"
#include "scenario/import_util.hpp"

namespace entente::detail {

namespace {

enum Role { role_actor, role_capability, role_position, role_salience, role_count };

// Header names per role, compared case-insensitively after trimming and dropping a trailing
// "(...)" unit note, e.g. "Salience (0-100)".
const std::array<std::vector<std::string_view>, role_count>& synonyms() {
  static const std::array<std::vector<std::string_view>, role_count> s{{
      {"actor", "actors", "stakeholder", "stakeholders", "name", "actor name", "player", "party"},
      {"capability", "capabilities", "resources", "c", "influence", "power", "clout", "weight"},
      {"position", "x", "pos", "stance"},
      {"salience", "s", "importance", "sal"},
  }};
  return s;
}

const char* role_label(int r) {
  switch (r) {
    case role_actor: return "Actor (or Stakeholder, Name)";
    case role_capability: return "Capability (or Resources, c, Influence, Power)";
    case role_position: return "Position (or x)";
    default: return "Salience (or s)";
  }
}

std::string normalise_header(std::string_view h) {
  h = trim(h);
  if (const auto p = h.find_first_of("(["); p != std::string_view::npos && p > 0) h = trim(h.substr(0, p));
  std::string out(h);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

int role_of(std::string_view header) {
  const std::string h = normalise_header(header);
  for (int r = 0; r < role_count; ++r)
    for (auto name : synonyms()[static_cast<std::size_t>(r)])
      if (h == name) return r;
  return -1;
}

// The delimiter of the header line: the most frequent of tab, comma and semicolon outside quotes.
char guess_delimiter(std::string_view text) {
  std::size_t tabs = 0, commas = 0, semis = 0;
  bool in_quotes = false;
  std::size_t i = 0;
  // Skip leading blank lines and a BOM.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size() && (text[i] == '\r' || text[i] == '\n' || text[i] == ' ')) ++i;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    if (c == '\r' || c == '\n') break;
    tabs += c == '\t';
    commas += c == ',';
    semis += c == ';';
  }
  if (tabs >= commas && tabs >= semis && tabs > 0) return '\t';
  if (semis > commas) return ';';
  return ',';
}

}  // namespace

bool looks_like_cases_header(std::string_view text) {
  const char delim = guess_delimiter(text);
  std::vector<Diagnostic> ignore;
  // Only the first line matters; cut the text there to keep detection cheap.
  std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (start < text.size() && (text[start] == '\r' || text[start] == '\n' || text[start] == ' ')) ++start;
  const auto end = text.find_first_of("\r\n", start);
  const auto rows = csv::read(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start),
                              {delim, '"'}, "", ignore);
  if (rows.empty()) return false;
  bool has[role_count] = {};
  for (const auto& f : rows.front().fields) {
    const int r = role_of(f.text);
    if (r >= 0) has[r] = true;
  }
  return has[role_actor] && has[role_position];
}

Scenario import_cases_table(std::string_view text, const std::string& name) {
  DiagnosticSink sink;
  const char delim = guess_delimiter(text);
  std::vector<Diagnostic> problems;
  const auto rows = csv::read(text, {delim, '"'}, name, problems);
  for (auto& p : problems) sink.add(std::move(p));

  Scenario s;
  s.origin = name;
  s.format = "cases-csv";
  const std::string stem = std::filesystem::path(name).stem().string();
  s.title = stem.empty() ? "Imported table" : stem;

  std::size_t r0 = 0;
  while (r0 < rows.size() && rows[r0].blank()) ++r0;
  if (r0 == rows.size()) {
    sink.add({name, 1, 1}, "header", "a header row (Actor, Capability, Position, Salience)", "an empty file");
    sink.throw_if_any();
  }
  const auto& header = rows[r0];
  std::array<int, role_count> col{-1, -1, -1, -1};
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const int r = role_of(header.fields[k].text);
    // The first column of a role wins; later duplicates (mugabe_full.csv repeats Position) are
    // ignored like any unknown column.
    if (r >= 0 && col[static_cast<std::size_t>(r)] < 0) col[static_cast<std::size_t>(r)] = static_cast<int>(k);
  }
  std::string found_headers;
  for (const auto& f : header.fields) found_headers += (found_headers.empty() ? "" : ", ") + show(f.text);
  bool missing_column = false;
  for (int r = 0; r < role_count; ++r)
    if (col[static_cast<std::size_t>(r)] < 0) {
      sink.add({name, header.line, 1}, "header", fmt::format("a column named {}", role_label(r)),
               "columns " + found_headers);
      missing_column = true;
    }
  if (missing_column) sink.throw_if_any();

  Issue issue;
  issue.id = "issue";
  issue.name = s.title;
  issue.where = {name, header.line, 1};

  IdAllocator ids;
  struct RowData {
    Actor actor;
    Quantity position, salience;
  };
  std::vector<RowData> data;
  for (std::size_t r = r0 + 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.blank()) continue;
    const auto cell = [&](int role) -> const csv::Field* {
      const auto k = static_cast<std::size_t>(col[static_cast<std::size_t>(role)]);
      return k < row.fields.size() ? &row.fields[k] : nullptr;
    };
    const auto missing = [&](int role) {
      const auto& last = row.fields.back();
      sink.add({name, row.line, last.column + static_cast<int>(last.text.size()) + 1},
               std::string(header.fields[static_cast<std::size_t>(col[static_cast<std::size_t>(role)])].text.empty()
                               ? role_label(role)
                               : trim(header.fields[static_cast<std::size_t>(col[static_cast<std::size_t>(role)])].text)),
               "a value", "the end of the row", fmt::format("row has {} fields", row.fields.size()));
    };
    RowData d;
    bool ok = true;
    if (const auto* f = cell(role_actor)) {
      d.actor.name = std::string(trim(f->text));
      d.actor.where = at(name, *f);
      if (d.actor.name.empty()) {
        sink.add(at(name, *f), "actor name", "a name", "an empty field");
        ok = false;
      }
    } else {
      missing(role_actor);
      ok = false;
    }
    const auto number = [&](int role, Quantity& q, const char* what) {
      const auto* f = cell(role);
      if (f == nullptr) {
        missing(role);
        ok = false;
        return;
      }
      double v = 0;
      if (!parse_number(f->text, v)) {
        sink.add(at(name, *f), fmt::format("{} of '{}'", what, d.actor.name), "a number", show(f->text));
        ok = false;
        return;
      }
      q = quantity(v, at(name, *f));
    };
    number(role_capability, d.actor.capability, "capability");
    number(role_position, d.position, "position");
    number(role_salience, d.salience, "salience");
    if (!ok) continue;
    if (d.actor.capability.value < 0)
      sink.add(d.actor.capability.where, fmt::format("capability of '{}'", d.actor.name), "a number >= 0",
               fmt::format("{}", d.actor.capability.value));
    if (d.salience.value < 0 || d.salience.value > 100)
      sink.add(d.salience.where, fmt::format("salience of '{}'", d.actor.name), "a number in [0, 1] or [0, 100]",
               fmt::format("{}", d.salience.value));
    data.push_back(std::move(d));
  }
  if (data.empty() && sink.empty()) sink.add({name, header.line, 1}, "rows", "at least one actor row", "none");
  sink.throw_if_any();

  // Saliences in 0-100 (any above 1) are divided by 100: the rule of the reference vectors.
  const bool percent = std::any_of(data.begin(), data.end(), [](const RowData& d) { return d.salience.value > 1; });
  double lo = data.front().position.value, hi = lo;
  for (const auto& d : data) {
    lo = std::min(lo, d.position.value);
    hi = std::max(hi, d.position.value);
  }
  // The table says nothing about the scale: the positions' range is the best guess. A table where
  // everyone agrees gets a unit margin so the scale is not empty.
  if (lo == hi) {
    lo -= 1;
    hi += 1;
  }
  issue.min = lo;
  issue.max = hi;
  s.issues.push_back(std::move(issue));

  for (auto& d : data) {
    d.actor.id = ids.take(slug(d.actor.name, "actor"));
    Stance st;
    st.position = d.position;
    st.salience = d.salience;
    if (percent) st.salience.value /= 100;
    d.actor.stances.emplace_back(std::move(st));
    s.actors.push_back(std::move(d.actor));
  }
  return s;
}

}  // namespace entente::detail
