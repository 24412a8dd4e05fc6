// The scenario: stakeholders, issues, and for each (actor, issue) a position and salience, each
// number with its evidence and uncertainty. Immutable once loaded and validated; models read it.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entente/diagnostics.hpp"

namespace entente {

// Where a number comes from: a quoted source, or the analyst's judgment.
struct Evidence {
  std::string source;    // id of a Scenario::sources entry (empty if none)
  std::string quote;     // the exact words of the source
  std::string judgment;  // the analyst's reason, when no source says it
  [[nodiscard]] bool present() const noexcept { return !source.empty() || !judgment.empty(); }
};

// How uncertain a number is. Bounds are on the number's own scale (salience already in 0-1).
struct Uncertainty {
  enum class Kind { none, range, uniform, triangular, normal };
  Kind kind = Kind::none;
  double low = 0;   // range / uniform / triangular lower bound; normal: truncation bound
  double high = 0;  // upper bound (same)
  double mode = 0;  // triangular
  double mean = 0;  // normal (defaults to the value)
  double sd = 0;    // normal
  [[nodiscard]] bool present() const noexcept { return kind != Kind::none; }
};

// A number of the scenario with its provenance.
struct Quantity {
  double value = 0;
  Evidence evidence;
  Uncertainty uncertainty;
  SourceLocation where;  // where it was written (for diagnostics and evidence listings)
  std::string edit;      // the what-if that set it ("set russia.nato.salience=0.3"); empty = as read
};

struct Source {
  std::string id, title, publisher, date, url, file;
  SourceLocation where;  // of its `date` (or the entry), for the no-look-ahead check
};

struct ScalePoint {
  double value = 0;
  std::string label;
};

// How a change from the status quo is decided (optional; read by the `procedural` model and the
// power-index capabilities, docs/models/procedural.md): a voting body with weighted votes, veto
// players, and an agenda setter who makes the proposal. Ids may name actors without a position on
// the issue (members who stated none); the model's `absent` parameter says how they vote.
struct DecisionRule {
  struct Voter {
    std::string actor;
    double weight = 1;
  };
  std::string name;             // e.g. "consultation, QMV, EU-27 (Nice)"
  std::vector<Voter> voters;    // the voting body
  double quota = 0;             // a change passes with yes-weight >= quota ...
  int min_voters = 0;           // ... from at least this many voters,
  int voters_suffice = 0;       // or (> 0) from at least this many voters whatever their weight
  std::vector<std::string> veto_players;  // each must also prefer the change (e.g. a second chamber)
  std::string agenda_setter;    // who proposes ("" = nobody: the change is bargained)
  bool unanimous_amendment = false;  // the body may amend the setter's proposal by unanimity
  SourceLocation where;
};

struct Issue {
  enum class Kind { numeric, categorical };
  std::string id, name, description;
  Kind kind = Kind::numeric;
  double min = 0, max = 100;          // numeric scale
  std::vector<ScalePoint> points;     // labelled points, sorted by value
  std::optional<double> status_quo;   // reference point / disagreement point
  std::vector<std::string> options;   // categorical: named options, e.g. venues
  std::vector<std::string> keywords;  // words that name the issue in news text (`entente news`)
  SourceLocation where;
  bool scale_from_data = false;       // importers: no scale was given, min/max are the positions' range
  std::optional<DecisionRule> decision_rule;  // numeric issues: who must agree to leave the status quo
};

// One actor's stance on one issue.
struct Stance {
  Quantity position;                      // numeric issues: on [issue.min, issue.max]
  Quantity salience;                      // always 0-1 in the model
  std::optional<Quantity> capability;     // per-issue clout, overrides Actor::capability (Decide, DEU)
  std::vector<Quantity> utilities;        // categorical issues: utility of each option, in [0,1]
  // Where this actor expects the issue to end if there is no agreement (numeric: a point on the
  // scale; categorical: the index of an option, without uncertainty). nullopt: the issue's
  // status_quo (categorical: no option, utility 0). Used by the deal analysis (include/entente/deal.hpp).
  std::optional<Quantity> no_deal{};  // (initialised: brace-initialised Stances may leave it out)
};

// A veto player: its acceptance is needed for the whole package (`veto: true`) or for the listed
// issues (`veto: [issue ids]`).
struct Veto {
  bool all = false;
  std::vector<std::string> issues;  // issue ids (when !all)
  SourceLocation where;
};

struct Actor {
  std::string id, name, description;
  Quantity capability;
  std::vector<std::optional<Stance>> stances;  // indexed like Scenario::issues; nullopt = absent
  std::vector<std::string> aliases;  // other names of the actor in news text (`entente news`)
  SourceLocation where;
  std::optional<Veto> veto{};              // nullopt: not a veto player
  std::optional<Quantity> no_deal_cost{};  // what no agreement costs it beyond its no_deal points (>= 0); nullopt = 0
};

struct Scenario {
  std::string title, as_of, description;
  std::vector<Source> sources;
  std::vector<Issue> issues;
  std::vector<Actor> actors;
  // Model parameters stored with the scenario (e.g. KTAB's XML ModelParameters): model -> key -> value.
  // Command-line parameters override them.
  std::map<std::string, std::map<std::string, std::string>> model_params;
  std::optional<std::uint64_t> seed;  // a seed stored with the scenario (KTAB prngSeed)
  double salience_scale = 1;          // the file's salience scale (1 or 100); Stance::salience is always 0-1
  std::string origin;                 // file it was read from
  std::string format;                 // "yaml", "json", "cases-csv", "long-csv", "long-xlsx", "decide", ... (docs/importers.md)
  // Importers' warnings: things read as documented but worth a look (an ignored column, a scale
  // taken from the data). Front ends show them; they never stop a run. Not written by to_yaml.
  std::vector<Diagnostic> warnings;

  [[nodiscard]] std::size_t issue_index(std::string_view id) const;  // throws InputError if unknown
  [[nodiscard]] std::size_t actor_index(std::string_view id) const;  // throws InputError if unknown
  [[nodiscard]] const Stance* stance(std::size_t actor, std::size_t issue) const {
    const auto& s = actors[actor].stances[issue];
    return s ? &*s : nullptr;
  }
  // Capability of an actor on an issue (per-issue override if present).
  [[nodiscard]] double capability(std::size_t actor, std::size_t issue) const;
};

// ---- Loading, validation, writing -------------------------------------------------------------

// Reads any supported format (auto-detected from content and extension) and validates it.
// Throws InputError with every problem found in the file.
[[nodiscard]] Scenario load_scenario(const std::string& path);
// Same, from text in memory; `name` is used in diagnostics and for format detection.
[[nodiscard]] Scenario parse_scenario(std::string_view text, const std::string& name);
// Validates invariants (ids, ranges, NaN, empty, issues nobody holds, ...). Throws InputError.
void validate(const Scenario& scenario);

// One number that lacks evidence, for `validate --evidence`.
struct MissingEvidence {
  std::string field;  // e.g. "actors.russia.issues.nato.salience"
  SourceLocation where;
};
[[nodiscard]] std::vector<MissingEvidence> missing_evidence(const Scenario& scenario);

// Native format writers (the YAML written is readable by load_scenario, round-trip exact).
[[nodiscard]] std::string to_yaml(const Scenario& scenario);
[[nodiscard]] std::string to_json(const Scenario& scenario);

// Where a value falls among the issue's labelled points, in words, e.g.
// "between \"Ukraine holds all four regions\" (0) and \"...\" (50), nearer the first".
[[nodiscard]] std::string describe_position(const Issue& issue, double value);

}  // namespace entente
