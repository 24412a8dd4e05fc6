// Tables of stances: the one-issue stakeholder table (the classic BDM input), the long format (one
// row per actor and issue) and workbooks of actors/issues/stances sheets. One reader for all of
// them, over Tables (table.hpp), so CSV, XLSX and ODS behave the same and every diagnostic names
// the cell: file:line:column in a text file, file:Sheet!C7 in a workbook.
//
// Nothing is guessed silently: a column that is not read, a scale taken from the data or ids that
// had to be made unique are warnings (Scenario::warnings); a duplicate actor-issue row, a
// capability or scale that differs between rows, or a cell that is not what its column needs are
// errors.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>

#include "scenario/columns.hpp"
#include "scenario/formats.hpp"
#include "scenario/import_util.hpp"
#include "scenario/table.hpp"

namespace entente::detail {

namespace {

constexpr std::size_t kMaxDiagnostics = 200;

std::string num(double v) { return fmt::format("{}", v); }

// A cell's content for "found ...".
std::string describe(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::boolean: return fmt::format("the boolean {}", c.text);
    case Cell::Kind::error: return fmt::format("the error value {}", c.text);
    case Cell::Kind::number: return c.text.empty() ? num(c.number) : c.text;
    default: return show(c.text);
  }
}

struct Declared {
  double value = 0;
  SourceLocation where;
};

struct ActorRec {
  std::string key, name, description;
  SourceLocation where;
  std::optional<Quantity> capability;
  std::optional<SourceLocation> capability_missing;  // first row without one (reported if none gives it)
  bool declared = false;
};

struct IssueRec {
  std::string key, name, description;
  SourceLocation where;
  std::optional<Declared> min, max, status_quo;
  std::vector<std::string> options;      // as declared (Options cell) or from the utility columns used
  std::optional<SourceLocation> options_at;
  bool declared = false;
  bool categorical = false;
  std::vector<std::size_t> utility_columns;  // utility columns used by the issue's rows (indexes into Header::utilities)
};

struct StanceRec {
  std::size_t actor = 0, issue = 0;
  Stance stance;
};

// Column index per role, found in a header row.
struct Header {
  std::size_t row = 0;  // index of the header row in the table
  std::array<std::optional<std::size_t>, role_count> col;
  std::array<std::string, role_count> note;
  std::array<std::string, role_count> text;  // the header as written
  struct Utility {
    std::string option;
    std::size_t col = 0;
    SourceLocation where;
  };
  std::vector<Utility> utilities;
  [[nodiscard]] bool has(Role r) const { return col[static_cast<std::size_t>(r)].has_value(); }
  [[nodiscard]] std::size_t at(Role r) const { return *col[static_cast<std::size_t>(r)]; }
};

// The cell in column k of a row. `present` is false when a text row ends before column k (a sheet
// has every cell: a missing one is blank, at its own address).
Cell cell_at(const Table& t, const TableRow& row, std::size_t k, bool& present) {
  if (k < row.cells.size()) {
    present = true;
    return row.cells[k];
  }
  Cell c;
  c.line = row.line;
  if (t.spreadsheet()) {
    present = true;
    c.column = static_cast<int>(k) + 1;
  } else {
    present = false;
    c.column = row.end_column;
  }
  return c;
}

class Builder {
 public:
  Builder(std::string file, std::string format) : file_(std::move(file)), format_(std::move(format)) {}

  DiagnosticSink sink;
  std::vector<Diagnostic> warnings;

  void error(const SourceLocation& w, std::string field, std::string expected, std::string found,
             std::string message = {}) {
    sink.add(w, std::move(field), std::move(expected), std::move(found), std::move(message));
  }
  // Another cell of the same file, for messages: "line 2" in a text file, "Sheet1!C7" in a workbook.
  [[nodiscard]] std::string ref(const SourceLocation& w) const {
    if (w.file != file_) return w.to_string();
    if (w.sheet.empty()) return w.line > 0 ? fmt::format("line {}", w.line) : w.to_string();
    std::string s = w.to_string();
    return s.substr(std::min(s.size(), file_.size() + 1));
  }

  void warn(const SourceLocation& w, std::string field, std::string message) {
    constexpr std::size_t kMaxWarnings = 50;
    if (warnings.size() == kMaxWarnings)
      warnings.push_back(Diagnostic{SourceLocation{file_}, "", {}, {}, "more warnings not shown"});
    if (warnings.size() > kMaxWarnings) return;
    warnings.push_back(Diagnostic{w, std::move(field), {}, {}, std::move(message)});
  }

  // ---- Headers --------------------------------------------------------------------------------

  // Reads the first non-blank row as the header. `allowed`: the roles this table reads (others
  // are warned about and ignored); `strict`: a second column for a role is an error (else the
  // first wins and the others are warned about, as the historical stakeholder tables need).
  std::optional<Header> header(const Table& t, SheetKind kind, const std::vector<Role>& allowed, bool strict) {
    std::size_t r0 = 0;
    while (r0 < t.rows.size() && t.rows[r0].blank()) ++r0;
    if (r0 == t.rows.size()) return std::nullopt;
    Header h;
    h.row = r0;
    const TableRow& row = t.rows[r0];
    std::size_t width = row.cells.size();  // data may run past the header
    for (std::size_t r = r0 + 1; r < t.rows.size(); ++r) width = std::max(width, t.rows[r].cells.size());
    for (std::size_t k = 0; k < width; ++k) {
      if (k >= row.cells.size() || row.cells[k].blank()) {
        if (column_has_data(t, r0, k))
          warn(k < row.cells.size() ? t.at(row.cells[k]) : t.missing(row, k), "header",
               "a column without a header: ignored (give it a header from docs/importers.md to use it)");
        continue;
      }
      const Cell& c = row.cells[k];
      const std::string written(trim(c.text));
      const ColumnName cn = classify_header(c.text, kind);
      if (cn.role == Role::ignored) continue;
      const bool wanted = std::find(allowed.begin(), allowed.end(), cn.role) != allowed.end();
      if (cn.role == Role::unknown || !wanted) {
        warn(t.at(c), "header",
             fmt::format("column {} is not read{}: ignored (this table reads {}; a header starting with '#' is "
                         "ignored without this warning)",
                         show(written),
                         cn.role == Role::unknown ? "" : fmt::format(" in {}", what(kind)), known(kind, allowed)));
        continue;
      }
      if (cn.role == Role::utility) {
        const std::string key = name_key(cn.option);
        const auto dup = std::find_if(h.utilities.begin(), h.utilities.end(),
                                      [&](const Header::Utility& u) { return name_key(u.option) == key; });
        if (dup != h.utilities.end()) {
          if (strict)
            error(t.at(c), "header", fmt::format("one column for the utility of option '{}'", cn.option),
                  fmt::format("a second one (the first is at {})", ref(dup->where)));
          else
            warn(t.at(c), "header", fmt::format("a second utility column for '{}': ignored", cn.option));
          continue;
        }
        h.utilities.push_back({cn.option, k, t.at(c)});
        continue;
      }
      auto& slot = h.col[static_cast<std::size_t>(cn.role)];
      if (slot) {
        const Cell& first = row.cells[*slot];
        if (strict)
          error(t.at(c), "header", fmt::format("one column for {}", role_label(cn.role)),
                fmt::format("a second one, {} (the first is {} at {})", show(written), show(first.text),
                            ref(t.at(first))));
        else
          warn(t.at(c), "header",
               fmt::format("a second column for {}, {}: ignored (the first, at {}, is read)", role_label(cn.role),
                           show(written), ref(t.at(first))));
        continue;
      }
      slot = k;
      h.note[static_cast<std::size_t>(cn.role)] = cn.note;
      h.text[static_cast<std::size_t>(cn.role)] = written;
    }
    return h;
  }

  // Reports every required role the header lacks; false if any.
  bool require(const Table& t, const Header& h, const std::vector<Role>& roles) {
    std::string found;
    for (const auto& c : t.rows[h.row].cells)
      if (!c.blank()) found += (found.empty() ? "" : ", ") + show(c.text);
    bool ok = true;
    for (Role r : roles)
      if (!h.has(r)) {
        error(t.at(t.rows[h.row].line, 1), "header", fmt::format("a column named {}", role_label(r)),
              found.empty() ? "no columns" : "columns " + found);
        ok = false;
      }
    return ok;
  }

  // ---- Actors and issues ------------------------------------------------------------------------

  std::vector<ActorRec> actors;
  std::vector<IssueRec> issues;
  std::map<std::string, std::size_t> actor_index, issue_index;
  bool actors_declared = false, issues_declared = false;

  // The actor named in a cell, created on first sight (unless an actors sheet declares them).
  std::optional<std::size_t> actor_of(const Table& t, const Cell& c) {
    const std::string name(trim(c.text));
    const std::string key = name_key(name);
    if (const auto it = actor_index.find(key); it != actor_index.end()) return it->second;
    if (actors_declared) {
      error(t.at(c), "actor", "an actor of the actors sheet", show(name), suggestion(name, actors));
      return std::nullopt;
    }
    actor_index.emplace(key, actors.size());
    ActorRec a;
    a.key = key;
    a.name = name;
    a.where = t.at(c);
    actors.push_back(std::move(a));
    return actors.size() - 1;
  }

  std::optional<std::size_t> issue_of(const Table& t, const Cell& c) {
    const std::string name(trim(c.text));
    const std::string key = name_key(name);
    if (const auto it = issue_index.find(key); it != issue_index.end()) return it->second;
    if (issues_declared) {
      error(t.at(c), "issue", "an issue of the issues sheet", show(name), suggestion(name, issues));
      return std::nullopt;
    }
    return add_issue(name, t.at(c));
  }

  std::size_t add_issue(const std::string& name, SourceLocation where) {
    issue_index.emplace(name_key(name), issues.size());
    IssueRec is;
    is.key = name_key(name);
    is.name = name;
    is.where = std::move(where);
    issues.push_back(std::move(is));
    return issues.size() - 1;
  }

  // A per-issue number given on rows (Min, Max, Status quo): every row that gives it must agree.
  void issue_value(const Table& t, const Cell& c, std::optional<Declared>& slot, const std::string& field,
                   const char* what) {
    if (c.blank()) return;
    double v = 0;
    if (!cell_number(c, v)) {
      error(t.at(c), field, "a number", describe(c));
      return;
    }
    if (!slot) {
      slot = Declared{v, t.at(c)};
    } else if (slot->value != v) {
      error(t.at(c), field, fmt::format("the same {} on every row of the issue ({} at {})", what, num(slot->value),
                                        ref(slot->where)),
            num(v), "one issue has one scale: mixed scales mean mixed issues or a typo");
    }
  }

  void issue_options(const Table& t, const Cell& c, IssueRec& is) {
    if (c.blank()) return;
    std::vector<std::string> opts = split_list(c.text, true);
    if (!is.options_at) {
      std::vector<std::string> keys;
      for (const auto& o : opts) {
        if (std::find(keys.begin(), keys.end(), name_key(o)) != keys.end()) {
          error(t.at(c), fmt::format("options of '{}'", is.name), "distinct option names",
                fmt::format("'{}' twice", o));
          return;
        }
        keys.push_back(name_key(o));
      }
      is.options = std::move(opts);
      is.options_at = t.at(c);
      return;
    }
    std::vector<std::string> a, b;
    for (const auto& o : opts) a.push_back(name_key(o));
    for (const auto& o : is.options) b.push_back(name_key(o));
    if (a != b)
      error(t.at(c), fmt::format("options of '{}'", is.name),
            fmt::format("the same options on every row of the issue ({} at {})", fmt::join(is.options, "; "),
                        ref(*is.options_at)),
            show(c.text));
  }

  // ---- Evidence ---------------------------------------------------------------------------------

  std::vector<Source> sources;
  std::map<std::string, std::string> source_by_key;
  IdAllocator source_ids;

  Evidence evidence(const Table& t, const Header& h, const TableRow& row) {
    Evidence e;
    const auto text = [&](Role r) -> std::optional<Cell> {
      if (!h.has(r)) return std::nullopt;
      bool present = false;
      Cell c = cell_at(t, row, h.at(r), present);
      if (c.blank()) return std::nullopt;
      return c;
    };
    if (auto c = text(Role::source)) {
      const std::string title(trim(c->text));
      const std::string key = name_key(title);
      auto it = source_by_key.find(key);
      if (it == source_by_key.end()) {
        Source s;
        s.id = source_ids.take(slug(title, "source"));
        s.title = title;
        sources.push_back(s);
        it = source_by_key.emplace(key, s.id).first;
      }
      e.source = it->second;
    }
    if (auto c = text(Role::quote)) {
      e.quote = std::string(trim(c->text));
      if (e.source.empty()) error(t.at(*c), "quote", "a Source on the same row (a quote needs its source)", "none");
    }
    if (auto c = text(Role::judgment)) e.judgment = std::string(trim(c->text));
    return e;
  }

  // ---- Stances ----------------------------------------------------------------------------------

  std::vector<StanceRec> stances;
  std::optional<double> salience_top;  // from a header note: "(0-100)" -> 100, "(0-10)" -> 10, "(%)" -> 100
  SourceLocation salience_header;
  std::optional<std::pair<double, double>> position_range;  // from a header note: "Position (0-100)"

  // Reads a table of stances: one row per actor (one implicit issue) or per actor and issue.
  void read_stances(const Table& t, SheetKind kind, bool implicit_issue, const std::string& implicit_name) {
    std::vector<Role> allowed = {Role::actor,    Role::capability, Role::position, Role::salience,
                                 Role::min,      Role::max,        Role::status_quo, Role::source,
                                 Role::quote,    Role::judgment};
    if (!implicit_issue)
      allowed.insert(allowed.end(),
                     {Role::issue, Role::issue_capability, Role::options, Role::ranking, Role::utility});
    const auto h = header(t, kind, allowed, !implicit_issue);
    if (!h) {
      error(t.at(1, 1), "header",
            implicit_issue ? "a header row (Actor, Capability, Position, Salience)"
                           : "a header row (Actor, Issue, Capability, Position, Salience)",
            t.spreadsheet() ? "an empty sheet" : "an empty file");
      return;
    }
    std::vector<Role> required = {Role::actor};
    if (!implicit_issue) required.push_back(Role::issue);
    if (!actors_declared) required.push_back(Role::capability);
    if (implicit_issue || (!h->has(Role::ranking) && h->utilities.empty())) required.push_back(Role::position);
    required.push_back(Role::salience);
    // The historical message order of the stakeholder table: capability, position, salience.
    if (!require(t, *h, required)) return;

    const std::string& sal_note = h->note[static_cast<std::size_t>(Role::salience)];
    salience_header = t.at(t.rows[h->row].cells[h->at(Role::salience)]);
    if (!sal_note.empty()) {
      double lo = 0, hi = 0;
      if (sal_note == "%" || name_key(sal_note) == "percent") {
        salience_top = 100;
      } else if (parse_range(sal_note, lo, hi)) {
        if (lo == 0) salience_top = hi;
        else error(salience_header, "header", "a salience scale from 0, such as 'Salience (0-100)'", show(sal_note));
      }
    }
    const std::string& pos_note = h->note[static_cast<std::size_t>(Role::position)];
    if (double lo = 0, hi = 0; !pos_note.empty() && parse_range(pos_note, lo, hi)) position_range = {lo, hi};

    std::size_t implicit = 0;
    if (implicit_issue) {
      implicit = add_issue(implicit_name, t.at(t.rows[h->row].line, 1));
      issues[implicit].key = "\x01implicit";  // never matches a name
    }

    // Pass 1: who and what each row is about, and the per-actor and per-issue cells.
    struct RowRef {
      std::size_t row, actor, issue;
    };
    std::vector<RowRef> refs;
    std::map<std::pair<std::size_t, std::size_t>, SourceLocation> seen;
    for (std::size_t r = h->row + 1; r < t.rows.size(); ++r) {
      const TableRow& row = t.rows[r];
      if (row.blank()) continue;
      if (sink.size() > kMaxDiagnostics) break;
      bool present = false;
      const Cell ac = cell_at(t, row, h->at(Role::actor), present);
      if (ac.blank()) {
        if (!present)
          missing_field(t, *h, row, Role::actor);
        else
          error(t.at(ac), "actor name", "a name", "an empty field");
        continue;
      }
      const auto a = actor_of(t, ac);
      std::optional<std::size_t> i = implicit;
      Cell ic;
      if (!implicit_issue) {
        ic = cell_at(t, row, h->at(Role::issue), present);
        if (ic.blank()) {
          error(t.at(ic), fmt::format("issue of '{}'", trim(ac.text)), "an issue name",
                present ? "an empty field" : "the end of the row");
          continue;
        }
        i = issue_of(t, ic);
      }
      if (!a || !i) continue;
      const auto [it, fresh] = seen.emplace(std::make_pair(*a, *i), t.at(ac));
      if (!fresh) {
        if (implicit_issue)
          error(t.at(ac), fmt::format("actor '{}'", actors[*a].name), "one row per actor",
                fmt::format("a second row (the first is at {})", ref(it->second)),
                "a table with one row per actor and issue needs an Issue column (Issue, Dimension, Topic)");
        else
          error(t.at(ac), fmt::format("actor '{}' on '{}'", actors[*a].name, issues[*i].name),
                "one row per actor and issue", fmt::format("a second row (the first is at {})", ref(it->second)));
        continue;
      }
      refs.push_back({r, *a, *i});
      // The actor's capability: the same on every row that gives it.
      if (h->has(Role::capability)) {
        const Cell cc = cell_at(t, row, h->at(Role::capability), present);
        ActorRec& ar = actors[*a];
        const std::string field = fmt::format("capability of '{}'", ar.name);
        if (!present && implicit_issue) {
          missing_field(t, *h, row, Role::capability);
        } else if (cc.blank()) {
          if (!ar.capability_missing) ar.capability_missing = t.at(cc);
        } else if (double v = 0; !cell_number(cc, v)) {
          error(t.at(cc), field, "a number", describe(cc));
        } else if (v < 0) {
          error(t.at(cc), field, "a number >= 0", num(v));
        } else if (!ar.capability) {
          ar.capability = quantity(v, t.at(cc));
        } else if (ar.capability->value != v) {
          error(t.at(cc), field,
                fmt::format("the same capability on every row of the actor ({} at {})", num(ar.capability->value),
                            ref(ar.capability->where)),
                num(v),
                ar.declared ? "the actors sheet gives it"
                            : "for a capability that differs by issue, use an 'Issue capability' column");
        }
      }
      // The issue's scale, status quo and options: the same on every row that gives them.
      IssueRec& is = issues[*i];
      const std::string ifield = fmt::format("scale of '{}'", is.name);
      if (h->has(Role::min)) issue_value(t, cell_at(t, row, h->at(Role::min), present), is.min, ifield, "Min");
      if (h->has(Role::max)) issue_value(t, cell_at(t, row, h->at(Role::max), present), is.max, ifield, "Max");
      if (h->has(Role::status_quo))
        issue_value(t, cell_at(t, row, h->at(Role::status_quo), present), is.status_quo,
                    fmt::format("status quo of '{}'", is.name), "Status quo");
      if (h->has(Role::options)) issue_options(t, cell_at(t, row, h->at(Role::options), present), is);
      // Categorical rows: any ranking or utility makes the issue categorical.
      if (h->has(Role::ranking) && !cell_at(t, row, h->at(Role::ranking), present).blank()) is.categorical = true;
      for (std::size_t u = 0; u < h->utilities.size(); ++u)
        if (!cell_at(t, row, h->utilities[u].col, present).blank()) {
          is.categorical = true;
          if (std::find(is.utility_columns.begin(), is.utility_columns.end(), u) == is.utility_columns.end())
            is.utility_columns.push_back(u);
        }
    }

    // Between the passes: each issue's kind and options.
    for (auto& is : issues) {
      if (is.options_at) is.categorical = true;
      if (!is.categorical || is.options_at) continue;
      std::sort(is.utility_columns.begin(), is.utility_columns.end());
      for (std::size_t u : is.utility_columns) is.options.push_back(h->utilities[u].option);
    }

    // Pass 2: the stances.
    stances.reserve(stances.size() + refs.size());
    for (const auto& ref : refs) {
      if (sink.size() > kMaxDiagnostics) break;
      const TableRow& row = t.rows[ref.row];
      const ActorRec& ar = actors[ref.actor];
      const IssueRec& is = issues[ref.issue];
      const std::string on = implicit_issue ? std::string() : fmt::format(" on '{}'", is.name);
      StanceRec sr;
      sr.actor = ref.actor;
      sr.issue = ref.issue;
      Stance& st = sr.stance;
      bool ok = true;
      const Evidence ev = evidence(t, *h, row);

      // Position (numeric), or one of position-as-option, ranking, utilities (categorical).
      bool present = false;
      std::optional<Cell> pos, rank;
      bool pos_present = true;
      if (h->has(Role::position)) {
        Cell c = cell_at(t, row, h->at(Role::position), present);
        pos_present = present;
        if (!c.blank()) pos = c;
      }
      if (h->has(Role::ranking)) {
        Cell c = cell_at(t, row, h->at(Role::ranking), present);
        if (!c.blank()) rank = c;
      }
      std::vector<std::size_t> utils;
      for (std::size_t u = 0; u < h->utilities.size(); ++u)
        if (!cell_at(t, row, h->utilities[u].col, present).blank()) utils.push_back(u);

      if (!is.categorical) {
        if (rank || !utils.empty()) {
          // Only reachable if the issue was made numeric by something else; keep the message plain.
          error(rank ? t.at(*rank) : h->utilities[utils.front()].where, fmt::format("stance of '{}'{}", ar.name, on),
                "a Position on a numeric issue", "a ranking or utilities");
          ok = false;
        } else if (!pos_present) {
          missing_field(t, *h, row, Role::position);
          ok = false;
        } else if (!pos) {
          bool p2 = false;
          const Cell c = cell_at(t, row, h->at(Role::position), p2);
          error(t.at(c), fmt::format("position of '{}'{}", ar.name, on), "a number", describe(c));
          ok = false;
        } else if (double v = 0; !cell_number(*pos, v)) {
          error(t.at(*pos), fmt::format("position of '{}'{}", ar.name, on),
                implicit_issue ? "a number"
                               : "a number (an option's name needs the issue's options in an Options column)",
                describe(*pos));
          ok = false;
        } else {
          st.position = quantity(v, t.at(*pos));
          st.position.evidence = ev;
        }
      } else {
        const int forms = (pos ? 1 : 0) + (rank ? 1 : 0) + (utils.empty() ? 0 : 1);
        const std::string field = fmt::format("stance of '{}'{}", ar.name, on);
        if (is.options.empty()) {
          error(rank ? t.at(*rank) : pos ? t.at(*pos) : t.at(row.line, 1), fmt::format("options of '{}'", is.name),
                "the issue's options in an Options column (or Utility: OPTION columns)", "none");
          ok = false;
        } else if (forms == 0) {
          error(t.at(row.line, 1), field, "a Position (an option), a Ranking or Utility: OPTION values", "none");
          ok = false;
        } else if (forms > 1) {
          error(pos ? t.at(*pos) : t.at(*rank), field, "only one of a Position, a Ranking or utilities",
                fmt::format("{} of them", forms));
          ok = false;
        } else {
          ok = categorical_stance(t, *h, is, pos, rank, utils, row, field, st);
          for (auto& u : st.utilities) u.evidence = ev;
        }
      }

      // Salience.
      {
        const Cell c = cell_at(t, row, h->at(Role::salience), present);
        const std::string field = fmt::format("salience of '{}'{}", ar.name, on);
        if (!present) {
          missing_field(t, *h, row, Role::salience);
          ok = false;
        } else if (double v = 0; !cell_number(c, v)) {
          error(t.at(c), field, "a number", describe(c));
          ok = false;
        } else if (v < 0 || v > salience_top.value_or(100)) {
          error(t.at(c), field,
                salience_top ? fmt::format("a number in [0, {}] (the header's scale)", num(*salience_top))
                             : "a number in [0, 1] or [0, 100]",
                num(v));
          ok = false;
        } else {
          st.salience = quantity(v, t.at(c));
          st.salience.evidence = ev;
        }
      }

      if (h->has(Role::issue_capability)) {
        const Cell c = cell_at(t, row, h->at(Role::issue_capability), present);
        if (!c.blank()) {
          const std::string field = fmt::format("issue capability of '{}'{}", ar.name, on);
          if (double v = 0; !cell_number(c, v)) {
            error(t.at(c), field, "a number", describe(c));
          } else if (v < 0) {
            error(t.at(c), field, "a number >= 0", num(v));
          } else {
            st.capability = quantity(v, t.at(c));
            st.capability->evidence = ev;
          }
        }
      }
      if (ok) stances.push_back(std::move(sr));
    }
  }

  bool categorical_stance(const Table& t, const Header& h, const IssueRec& is, const std::optional<Cell>& pos,
                          const std::optional<Cell>& rank, const std::vector<std::size_t>& utils, const TableRow& row,
                          const std::string& field, Stance& st) {
    const std::size_t n = is.options.size();
    const auto option_index = [&](std::string_view name) -> std::optional<std::size_t> {
      const std::string key = name_key(name);
      for (std::size_t o = 0; o < n; ++o)
        if (name_key(is.options[o]) == key) return o;
      return std::nullopt;
    };
    const std::string listed = fmt::format("{}", fmt::join(is.options, ", "));
    if (pos) {
      const auto o = pos->kind == Cell::Kind::text ? option_index(pos->text) : std::nullopt;
      if (!o) {
        error(t.at(*pos), field, fmt::format("one of the options {}", listed), describe(*pos));
        return false;
      }
      for (std::size_t k = 0; k < n; ++k) st.utilities.push_back(quantity(k == *o ? 1.0 : 0.0, t.at(*pos)));
      return true;
    }
    if (rank) {
      // Options best first: rank r of n gets (n-1-r)/(n-1), as the native `ranking`; unranked get 0.
      std::vector<double> u(n, 0.0);
      std::vector<bool> ranked(n, false);
      std::size_t r = 0;
      for (const auto& name : split_list(rank->text, false)) {
        const auto o = option_index(name);
        if (!o) {
          error(t.at(*rank), field, fmt::format("options of the issue ({}) best first", listed),
                fmt::format("'{}'", name));
          return false;
        }
        if (ranked[*o]) {
          error(t.at(*rank), field, "each option once", fmt::format("'{}' twice", name));
          return false;
        }
        ranked[*o] = true;
        u[*o] = n > 1 ? static_cast<double>(n - 1 - r) / static_cast<double>(n - 1) : 1.0;
        ++r;
      }
      for (std::size_t k = 0; k < n; ++k) st.utilities.push_back(quantity(u[k], t.at(*rank)));
      return true;
    }
    // Utility columns: an option left blank has utility 0 (as in the native format).
    st.utilities.assign(n, Quantity{});
    for (auto& q : st.utilities) q.where = t.at(row.line, 1);
    bool ok = true;
    for (std::size_t u : utils) {
      bool present = false;
      const Cell c = cell_at(t, row, h.utilities[u].col, present);
      const auto o = option_index(h.utilities[u].option);
      if (!o) {
        error(t.at(c), field, fmt::format("utilities only for the issue's options ({})", listed),
              fmt::format("a utility for '{}'", h.utilities[u].option));
        ok = false;
        continue;
      }
      double v = 0;
      if (!cell_number(c, v)) {
        error(t.at(c), fmt::format("{}: utility of '{}'", field, is.options[*o]), "a number in [0, 1]", describe(c));
        ok = false;
      } else if (v < 0 || v > 1) {
        error(t.at(c), fmt::format("{}: utility of '{}'", field, is.options[*o]), "a number in [0, 1]", num(v));
        ok = false;
      } else {
        st.utilities[*o] = quantity(v, t.at(c));
      }
    }
    return ok;
  }

  // ---- Declaration sheets -----------------------------------------------------------------------

  void read_actors_sheet(const Table& t) {
    const std::vector<Role> allowed = {Role::actor, Role::capability, Role::description, Role::source, Role::quote,
                                       Role::judgment};
    const auto h = header(t, SheetKind::actors, allowed, true);
    if (!h) {
      error(t.at(1, 1), "header", "a header row (Actor, Capability)", "an empty sheet");
      return;
    }
    if (!require(t, *h, {Role::actor, Role::capability})) return;
    actors_declared = true;
    for (std::size_t r = h->row + 1; r < t.rows.size(); ++r) {
      const TableRow& row = t.rows[r];
      if (row.blank()) continue;
      bool present = false;
      const Cell ac = cell_at(t, row, h->at(Role::actor), present);
      if (ac.blank()) {
        error(t.at(ac), "actor name", "a name", "an empty cell");
        continue;
      }
      const std::string name(trim(ac.text));
      if (const auto it = actor_index.find(name_key(name)); it != actor_index.end()) {
        error(t.at(ac), fmt::format("actor '{}'", name), "one row per actor",
              fmt::format("a second row (the first is at {})", ref(actors[it->second].where)));
        continue;
      }
      ActorRec a;
      a.key = name_key(name);
      a.name = name;
      a.where = t.at(ac);
      a.declared = true;
      const Cell cc = cell_at(t, row, h->at(Role::capability), present);
      const std::string field = fmt::format("capability of '{}'", name);
      if (double v = 0; !cell_number(cc, v)) {
        error(t.at(cc), field, "a number", describe(cc));
      } else if (v < 0) {
        error(t.at(cc), field, "a number >= 0", num(v));
      } else {
        a.capability = quantity(v, t.at(cc));
        a.capability->evidence = evidence(t, *h, row);
      }
      if (h->has(Role::description)) a.description = std::string(trim(cell_at(t, row, h->at(Role::description), present).text));
      actor_index.emplace(a.key, actors.size());
      actors.push_back(std::move(a));
    }
  }

  void read_issues_sheet(const Table& t) {
    const std::vector<Role> allowed = {Role::issue, Role::description, Role::min, Role::max, Role::status_quo,
                                       Role::options};
    const auto h = header(t, SheetKind::issues, allowed, true);
    if (!h) {
      error(t.at(1, 1), "header", "a header row (Issue, Min, Max or Options)", "an empty sheet");
      return;
    }
    if (!require(t, *h, {Role::issue})) return;
    issues_declared = true;
    for (std::size_t r = h->row + 1; r < t.rows.size(); ++r) {
      const TableRow& row = t.rows[r];
      if (row.blank()) continue;
      bool present = false;
      const Cell ic = cell_at(t, row, h->at(Role::issue), present);
      if (ic.blank()) {
        error(t.at(ic), "issue name", "a name", "an empty cell");
        continue;
      }
      const std::string name(trim(ic.text));
      if (const auto it = issue_index.find(name_key(name)); it != issue_index.end()) {
        error(t.at(ic), fmt::format("issue '{}'", name), "one row per issue",
              fmt::format("a second row (the first is at {})", ref(issues[it->second].where)));
        continue;
      }
      const std::size_t i = add_issue(name, t.at(ic));
      IssueRec& is = issues[i];
      is.declared = true;
      const std::string field = fmt::format("scale of '{}'", name);
      if (h->has(Role::min)) issue_value(t, cell_at(t, row, h->at(Role::min), present), is.min, field, "Min");
      if (h->has(Role::max)) issue_value(t, cell_at(t, row, h->at(Role::max), present), is.max, field, "Max");
      if (h->has(Role::status_quo))
        issue_value(t, cell_at(t, row, h->at(Role::status_quo), present), is.status_quo,
                    fmt::format("status quo of '{}'", name), "Status quo");
      if (h->has(Role::options)) issue_options(t, cell_at(t, row, h->at(Role::options), present), is);
      if (h->has(Role::description)) is.description = std::string(trim(cell_at(t, row, h->at(Role::description), present).text));
    }
  }

  // ---- The scenario -----------------------------------------------------------------------------

  Scenario build(const std::string& title, bool implicit_issue) {
    Scenario s;
    s.origin = file_;
    s.format = format_;
    s.title = title;
    if (stances.empty() && sink.empty()) error(SourceLocation{file_, 1, 1}, "rows", "at least one actor row", "none");
    for (const auto& a : actors)
      if (!a.capability && a.capability_missing)
        error(*a.capability_missing, fmt::format("capability of '{}'", a.name),
              "a number (on at least one of the actor's rows)", "an empty field");
    sort_diagnostics();
    sink.throw_if_any();

    // Saliences on the header's scale are divided by its top; without one, saliences in 0-100
    // (any above 1) are divided by 100. A file whose saliences all lie in [0, 10] might be on
    // 0-10: read as 0-100 but said in a warning.
    double divisor = salience_top.value_or(1);
    if (!salience_top) {
      double top = 0;
      for (const auto& r : stances) top = std::max(top, r.stance.salience.value);
      if (top > 1) {
        divisor = 100;
        if (top <= 10)
          warn(salience_header, "salience",
               fmt::format("saliences read as 0-100 (divided by 100), but the largest is {}: if they are on another "
                           "scale, say so in the header, e.g. 'Salience (0-10)'",
                           num(top)));
      }
    }

    IdAllocator issue_ids;
    for (std::size_t i = 0; i < issues.size(); ++i) {
      IssueRec& rec = issues[i];
      Issue is;
      is.id = implicit_issue ? "issue" : issue_ids.take(slug(rec.name, "issue"));
      if (!implicit_issue && is.id != slug(rec.name, "issue"))
        warn(rec.where, fmt::format("issue '{}'", rec.name),
             fmt::format("its id is '{}': another issue's name gives the same id", is.id));
      is.name = rec.name;
      is.description = rec.description;
      is.where = rec.where;
      if (rec.categorical) {
        is.kind = Issue::Kind::categorical;
        is.options = rec.options;
        for (const auto* d : {&rec.min, &rec.max, &rec.status_quo})
          if (*d)
            error((*d)->where, fmt::format("issue '{}'", rec.name), "no scale or status quo on a categorical issue",
                  num((*d)->value), "its options are its scale");
      } else {
        if (rec.min.has_value() != rec.max.has_value()) {
          const auto& given = rec.min ? *rec.min : *rec.max;
          error(given.where, fmt::format("scale of '{}'", rec.name), "both a Min and a Max",
                rec.min ? "only a Min" : "only a Max");
        }
        if (rec.min && rec.max) {
          is.min = rec.min->value;
          is.max = rec.max->value;
          if (!(is.min < is.max))
            error(rec.max->where, fmt::format("scale of '{}'", rec.name),
                  fmt::format("a Max above the Min ({})", num(is.min)), num(is.max));
        } else if (position_range) {
          is.min = position_range->first;
          is.max = position_range->second;
        } else {
          data_scale(i, is);
        }
        if (rec.status_quo) is.status_quo = rec.status_quo->value;
      }
      s.issues.push_back(std::move(is));
    }

    IdAllocator actor_ids;
    for (const auto& rec : actors) {
      Actor a;
      a.id = actor_ids.take(slug(rec.name, "actor"));
      if (a.id != slug(rec.name, "actor"))
        warn(rec.where, fmt::format("actor '{}'", rec.name),
             fmt::format("its id is '{}': another actor's name gives the same id", a.id));
      a.name = rec.name;
      a.description = rec.description;
      a.where = rec.where;
      if (rec.capability) a.capability = *rec.capability;
      else if (rec.declared || !rec.capability_missing) a.capability.where = rec.where;
      a.stances.resize(s.issues.size());
      s.actors.push_back(std::move(a));
    }
    for (auto& sr : stances) {
      if (divisor != 1) sr.stance.salience.value /= divisor;
      s.actors[sr.actor].stances[sr.issue] = std::move(sr.stance);
    }
    s.sources = sources;
    s.warnings = std::move(warnings);
    sort_diagnostics();
    sink.throw_if_any();
    return s;
  }

 private:
  std::string file_, format_;

  // A table says nothing about the scale: the positions' range is the best guess (a unit margin
  // when everyone agrees), and a warning says so.
  void data_scale(std::size_t i, Issue& is) {
    bool any = false;
    double lo = 0, hi = 0;
    for (const auto& sr : stances)
      if (sr.issue == i) {
        const double v = sr.stance.position.value;
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        any = true;
      }
    if (!any) return;  // nobody holds it: validation says so
    if (lo == hi) {
      lo -= 1;
      hi += 1;
    }
    is.min = lo;
    is.max = hi;
    is.scale_from_data = true;
    warn(is.where, fmt::format("scale of '{}'", is.name),
         fmt::format("no scale given: taken as the range of the positions, [{}, {}] (give Min and Max columns, or "
                     "a range in the Position header such as 'Position (0-100)', to set it)",
                     num(lo), num(hi)));
  }

  static bool column_has_data(const Table& t, std::size_t header_row, std::size_t k) {
    for (std::size_t r = header_row + 1; r < t.rows.size(); ++r)
      if (k < t.rows[r].cells.size() && !t.rows[r].cells[k].blank()) return true;
    return false;
  }

  static const char* what(SheetKind kind) {
    switch (kind) {
      case SheetKind::actors: return "an actors sheet";
      case SheetKind::issues: return "an issues sheet";
      default: return "this layout";
    }
  }

  static std::string known(SheetKind kind, const std::vector<Role>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), Role::issue) == allowed.end() && kind == SheetKind::stances)
      return "Actor, Capability, Position, Salience, Min, Max, Status quo, Source, Quote, Judgment";
    return known_columns(kind);
  }

  template <class Rec>
  static std::string suggestion(const std::string& name, const std::vector<Rec>& recs) {
    std::string list;
    std::size_t n = 0;
    for (const auto& r : recs) {
      if (n++ == 8) {
        list += ", ...";
        break;
      }
      list += (list.empty() ? "" : ", ") + r.name;
    }
    (void)name;
    return list.empty() ? std::string() : "known: " + list;
  }

  void missing_field(const Table& t, const Header& h, const TableRow& row, Role role) {
    const std::string& written = h.text[static_cast<std::size_t>(role)];
    error(t.missing(row, h.at(role)), written.empty() ? role_label(role) : written, "a value", "the end of the row",
          fmt::format("row has {} fields", row.cells.size()));
  }

  // "A; B; C", "A | B", "A > B > C", or "A, B, C" (commas only when there is no other separator:
  // an option's name may contain one).
  static std::vector<std::string> split_list(std::string_view text, bool options) {
    std::string seps = ";|";
    if (!options) seps += '>';
    if (text.find_first_of(seps) == std::string_view::npos) seps = ",";
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto end = text.find_first_of(seps, start);
      const auto piece = trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
      if (!piece.empty()) out.emplace_back(piece);
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    return out;
  }

  // File order: diagnostics sorted by position (a sheet's in order of the sheets' first mention).
  void sort_diagnostics() {
    if (sink.empty()) return;
    std::vector<Diagnostic> ds = sink.items();
    std::vector<std::string> sheets;
    for (const auto& d : ds)
      if (std::find(sheets.begin(), sheets.end(), d.where.sheet) == sheets.end()) sheets.push_back(d.where.sheet);
    const auto rank = [&](const Diagnostic& d) {
      return std::find(sheets.begin(), sheets.end(), d.where.sheet) - sheets.begin();
    };
    std::stable_sort(ds.begin(), ds.end(), [&](const Diagnostic& a, const Diagnostic& b) {
      const auto ra = rank(a), rb = rank(b);
      if (ra != rb) return ra < rb;
      return std::make_pair(a.where.line, a.where.column) < std::make_pair(b.where.line, b.where.column);
    });
    if (ds.size() > kMaxDiagnostics) {
      ds.resize(kMaxDiagnostics);
      ds.push_back(Diagnostic{SourceLocation{file_}, "", "", "", "too many errors; stopped reporting"});
    }
    sink = DiagnosticSink{};
    for (auto& d : ds) sink.add(std::move(d));
  }
};

std::string stem_of(const std::string& name) {
  const std::string stem = std::filesystem::path(name).stem().string();
  return stem.empty() ? "Imported table" : stem;
}

}  // namespace

TableLayout table_layout(const TableRow& header) {
  bool actor = false, issue = false, position = false;
  for (const auto& c : header.cells) {
    if (c.blank()) continue;
    const Role r = classify_header(c.text, SheetKind::stances).role;
    actor = actor || r == Role::actor;
    issue = issue || r == Role::issue;
    position = position || r == Role::position;
  }
  if (actor && issue) return TableLayout::long_format;
  if (actor && position) return TableLayout::one_issue;
  return TableLayout::none;
}

TableLayout text_table_layout(std::string_view text) { return table_layout(read_text_header(text)); }

bool looks_like_cases_header(std::string_view text) { return text_table_layout(text) != TableLayout::none; }

Scenario import_table(const Table& t, const std::string& format_suffix) {
  std::size_t r0 = 0;
  while (r0 < t.rows.size() && t.rows[r0].blank()) ++r0;
  const TableLayout layout = r0 < t.rows.size() ? table_layout(t.rows[r0]) : TableLayout::one_issue;
  const bool implicit = layout != TableLayout::long_format;
  Builder b(t.file, (implicit ? "cases-" : "long-") + format_suffix);
  const std::string title = stem_of(t.file);
  b.read_stances(t, SheetKind::stances, implicit, title);
  return b.build(title, implicit);
}

Scenario import_cases_table(std::string_view text, const std::string& name) {
  std::vector<Diagnostic> problems;
  const Table t = read_text_table(text, name, problems);
  if (!problems.empty()) throw InputError(std::move(problems));
  return import_table(t, "csv");
}

Scenario import_workbook_layout(const Table* actors, const Table* issues, const Table& stances,
                                const std::string& name, const std::string& container,
                                std::vector<Diagnostic> warnings) {
  Builder b(name, "workbook-" + container);
  b.warnings = std::move(warnings);
  if (actors != nullptr) b.read_actors_sheet(*actors);
  if (issues != nullptr) b.read_issues_sheet(*issues);
  if (!b.sink.empty()) b.sink.throw_if_any();
  b.read_stances(stances, SheetKind::stances, false, {});
  return b.build(stem_of(name), false);
}

}  // namespace entente::detail
