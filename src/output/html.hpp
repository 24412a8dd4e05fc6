// Internal: HTML helpers shared by the report and the charts (include/entente/report.hpp).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "entente/output.hpp"
#include "entente/report.hpp"

namespace entente::charts {

// Escapes text for HTML/XML element content and quoted attribute values.
[[nodiscard]] std::string escape(std::string_view text);
// A URL safe to put in href: only http(s) URLs are kept (no javascript: or data:), else "".
[[nodiscard]] std::string safe_url(std::string_view url);
// A colour for series k (actors, models), from a palette readable on white.
[[nodiscard]] const char* colour(std::size_t k);

}  // namespace entente::charts
