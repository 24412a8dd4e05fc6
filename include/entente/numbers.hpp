// The one number policy (implemented with the presentation layer, usable by every layer that
// writes a number into text): JSON and CSV keep full precision (the shortest text that reads back
// to the same double); text for people shows what a reader needs: two decimals at most, three
// significant digits below 1.
#pragma once
#include <string>

namespace entente {
[[nodiscard]] std::string format_number(double v);   // full precision; "" for NaN
[[nodiscard]] std::string display_number(double v);  // for people; "n/a" for NaN and infinities
[[nodiscard]] std::string display_percent(double p); // 0.853 -> "85%"
}  // namespace entente
