// STUB (being written): table/json/csv writers.
#include <fmt/format.h>

#include "entente/output.hpp"

namespace entente {
Format parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "json") return Format::json;
  if (name == "csv") return Format::csv;
  throw InputError(Diagnostic{{"<command line>", 0, 0}, "--format", "table, json or csv", fmt::format("'{}'", name), {}});
}
std::string format_number(double v) { return fmt::format("{}", v); }
std::string write_forecasts(const Scenario&, const std::vector<Result>&, Format) { return {}; }
std::string write_trace(const Scenario&, const Result&, Format, const TraceOptions&) { return {}; }
}  // namespace entente
