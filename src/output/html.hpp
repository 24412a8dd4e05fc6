// Internal: SVG charts and HTML helpers shared by the HTML report and the web server. Every chart
// is a standalone <svg> element (no script, no external reference) with all text escaped.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "entente/model.hpp"
#include "entente/report.hpp"
#include "entente/scenario.hpp"

namespace entente::report {

// Escapes text for HTML/XML element content and quoted attribute values.
[[nodiscard]] std::string escape(std::string_view text);
// A URL safe to put in href: only http(s) URLs are kept (no javascript: or data:), else "".
[[nodiscard]] std::string safe_url(std::string_view url);
// A number for people: up to 4 significant digits, never "nan".
[[nodiscard]] std::string show(double v);
// A colour for series k (actors, models), from a palette readable on white.
[[nodiscard]] const char* colour(std::size_t k);

// The issue's scale with its labelled points, each actor's position (circle area ~ capability x
// salience) and each model's forecast as a marked line. Categorical issues: utilities and the
// models' option probabilities.
[[nodiscard]] std::string issue_chart(const Scenario& scenario, std::size_t issue, const std::vector<Result>& results);
// Positions over rounds (one line per actor) with the median and mean (IssueSeries) in bold.
// Empty string if the result has no trace with positions for this issue.
[[nodiscard]] std::string trajectory_chart(const Scenario& scenario, std::size_t issue, const Result& result);
// Histogram of a forecast's values over simulation draws; marks the point forecast if defined.
[[nodiscard]] std::string histogram_chart(const Issue& issue, const std::vector<double>& values, double point,
                                          bool has_point);
// Tornado: the forecast's swing as each input goes from low to high, largest first.
[[nodiscard]] std::string tornado_chart(const Issue& issue, const Tornado& tornado);

}  // namespace entente::report
