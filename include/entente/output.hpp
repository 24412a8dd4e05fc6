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
  // Only these actor series (empty = all). Series recorded once per round rather than per issue
  // (data.size() == 1, e.g. smp's "prob_of_position") print without the issue column.
  std::vector<std::string> series;
};
// Round-by-round table of a dynamic model.
[[nodiscard]] std::string write_trace(const Scenario& scenario, const Result& result, Format format,
                                      const TraceOptions& options = {});

// A plain table (header + rows of cells), rendered as aligned text or CSV.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
[[nodiscard]] std::string render(const Table& table, Format format);  // table or csv
[[nodiscard]] std::string csv_escape(const std::string& cell);

// Formats a double the way tables and CSV show it: shortest representation that round-trips.
[[nodiscard]] std::string format_number(double v);

}  // namespace entente
