// Writers: turn Results into text. They read Results and Traces; no model knows about them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "entente/model.hpp"
#include "entente/scenario.hpp"

namespace entente {

enum class Format { table, json, csv };
[[nodiscard]] Format parse_format(std::string_view name);  // throws InputError

// Forecast of several models for every issue of a scenario.
// json: {"scenario": {...}, "issues": [{"id","name","forecasts": {model: {"value", ...extras}}}], "runs": [...]}
[[nodiscard]] std::string write_forecasts(const Scenario& scenario, const std::vector<Result>& results,
                                          Format format);

struct TraceOptions {
  std::string issue;        // only this issue id (empty = all)
  bool events = false;      // also list the events (offers, exchanges, ...)
  std::string event_kind;   // only events of this kind (empty = all)
};
// Round-by-round table of a dynamic model.
[[nodiscard]] std::string write_trace(const Scenario& scenario, const Result& result, Format format,
                                      const TraceOptions& options = {});

// Formats a double the way tables and CSV show it: shortest representation that round-trips.
[[nodiscard]] std::string format_number(double v);

}  // namespace entente
