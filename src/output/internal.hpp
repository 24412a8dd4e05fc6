// Internal helpers of the presentation layer: JSON numbers, the parts every document shares.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "entente/output.hpp"

namespace entente::out {

using json = nlohmann::ordered_json;

// A finite number, or null: JSON documents never hold NaN or infinities.
inline json jnum(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// Text from files, valid UTF-8 in every document (invalid bytes replaced, never a failure).
[[nodiscard]] std::string dump(const json& j, int indent = 2);

[[nodiscard]] json params_json(const Params& params);
// Diagnostics as [{"file", "line", "column", "sheet"?, "field", "expected", "found", "message"}];
// "sheet" only for spreadsheet cells (then line = row, column = column, A = 1).
[[nodiscard]] json diagnostics_json(const std::vector<Diagnostic>& diagnostics, std::string_view severity = "error");
// The importers' warnings of a scenario (Scenario::warnings), as diagnostics_json.
[[nodiscard]] inline json warnings_json(const Scenario& s) { return diagnostics_json(s.warnings, "warning"); }
// {"title", "as_of", "file", "hash"}
[[nodiscard]] json scenario_json(const Scenario& scenario, const Provenance& provenance);
// {"entente", "seed", "seed_from", "settle", "edits", "run_id"?}
[[nodiscard]] json provenance_json(const Provenance& provenance);
// One forecast: value, defined, option | in_words, settled, convergence, extras, probabilities, note.
[[nodiscard]] json forecast_json(const Issue& issue, const Forecast& forecast);
[[nodiscard]] json convergence_json(const Convergence& c);

// The heading of a terminal document: title, as-of date, what-ifs.
[[nodiscard]] std::string heading(const Scenario& scenario, const Provenance& provenance);
// "seed 7 (from the scenario)" and the store's run id, for the foot of a terminal document.
[[nodiscard]] std::string footer(const Provenance& provenance, bool seeded);

[[nodiscard]] const char* settle_name(Settle s) noexcept;
// The issue's name for people: its name, else its id.
[[nodiscard]] inline const std::string& issue_label(const Issue& is) { return is.name.empty() ? is.id : is.name; }
[[nodiscard]] std::string option_name(const Issue& issue, double index);

// The deal analysis (src/output/deal.cpp): one issue's zone ([low, high], [options...] or null),
// and one forecast's check {"acceptable", "blockers", "margins": {veto player: margin}}.
[[nodiscard]] json deal_zone_json(const Issue& issue, const DealZone& zone);
[[nodiscard]] json deal_check_json(const DealModel& check, const std::vector<VetoPlayer>& players);
// "yes" or "no (blocked by a, b)", for people.
[[nodiscard]] std::string deal_words(const DealModel& check);

// Sheets for xlsx (one per table), bytes of the workbook.
[[nodiscard]] std::string xlsx_bytes(const std::vector<Table>& tables);

}  // namespace entente::out
