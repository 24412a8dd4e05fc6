// Internal: XLSX output (libxlsxwriter) for `--format xlsx`: one sheet per table, numbers as
// numbers, text as text. The presentation layer builds the sheets; this only writes them.
#pragma once
#include <string>
#include <variant>
#include <vector>

namespace entente {

// A cell: empty, a number (written as an Excel number; NaN and infinities as the text "NaN",
// "Infinity", "-Infinity", which Excel has no number for) or text.
using XlsxCell = std::variant<std::monostate, double, std::string>;

struct XlsxSheet {
  std::string name;                         // made valid for Excel: []:*?/\ become '_', at most 31
                                            // characters, unique ignoring case ("x (2)")
  std::vector<std::string> header;          // bold, frozen first row (none if empty)
  std::vector<std::vector<XlsxCell>> rows;  // rows may differ in length
};

// The .xlsx file's bytes. The same sheets give the same bytes (the document's creation date is
// fixed at 2000-01-01, so outputs can be compared and cached). Text is kept as UTF-8; invalid
// UTF-8 bytes and control characters other than tab and line breaks become U+FFFD, text longer
// than Excel's 32,767 characters is cut there. At least one sheet is written (an empty "Sheet1"
// when `sheets` is empty). Throws ResourceError if a table exceeds Excel's 1,048,576 rows or
// 16,384 columns, std::runtime_error if the library fails (e.g. no temporary directory).
[[nodiscard]] std::string write_xlsx(const std::vector<XlsxSheet>& sheets);

}  // namespace entente
