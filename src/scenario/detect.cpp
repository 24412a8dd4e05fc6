// STUB: replaced by the importers' format detection.
#include "scenario/formats.hpp"

namespace entente::detail {
Scenario parse_any(std::string_view text, const std::string& name) { return parse_native(text, name); }
}  // namespace entente::detail
