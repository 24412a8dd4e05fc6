// Internal: the parsers behind load_scenario. Each returns an unvalidated Scenario or throws
// InputError with every problem it found (file, line, column, field, expected, found).
#pragma once
#include <string>
#include <string_view>

#include "entente/scenario.hpp"

namespace entente::detail {

// Native format: YAML, or the same structure as JSON (src/scenario/native.cpp).
Scenario parse_native(std::string_view text, const std::string& name);
// One-issue stakeholder tables: CSV/TSV with Actor/Capability/Position/Salience-like headers.
Scenario import_cases_table(std::string_view text, const std::string& name);
// Decide (#A/#P/#M/#D/#O rows, ';' or tab separated).
Scenario import_decide(std::string_view text, const std::string& name);
// KTAB SMP CSV and XML layouts (multi-dimensional).
Scenario import_ktab_csv(std::string_view text, const std::string& name);
Scenario import_ktab_xml(std::string_view text, const std::string& name);

// Guesses the format from the content (and the name's extension) and dispatches.
Scenario parse_any(std::string_view text, const std::string& name);

// Bounds on what any scenario input may hold (docs/limits.md), checked before memory grows with
// it: bytes and nesting before parsing, counts right after.
inline constexpr std::size_t kMaxScenarioBytes = 16u << 20;
inline constexpr std::size_t kMaxNesting = 64;  // [ and { levels in JSON or flow-style YAML
inline constexpr std::size_t kMaxActors = 10000, kMaxIssues = 1000, kMaxSources = 100000;
// Offset of the first byte that is not part of well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF), or npos.
std::size_t invalid_utf8_at(std::string_view s);

}  // namespace entente::detail
