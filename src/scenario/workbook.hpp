// Internal: XLSX and ODS workbooks read into Tables (one per sheet), with libzip and pugixml.
// Bounded: an archive's parts are checked against size limits before they are inflated, and the
// cells a sheet may expand to are counted, so a zip bomb or a sheet of a million repeated cells is
// refused with a clear error instead of filling memory.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "scenario/table.hpp"

namespace entente::detail {

struct Workbook {
  std::string container;     // "xlsx" or "ods"
  std::vector<Table> sheets;  // in the workbook's order; Table::sheet is the sheet's name
};

// Limits (documented in docs/importers.md).
inline constexpr std::size_t kMaxWorkbookBytes = 64u << 20;  // the file itself
inline constexpr std::size_t kMaxPartBytes = 64u << 20;      // one inflated XML part
inline constexpr std::size_t kMaxInflatedBytes = 256u << 20; // all parts read
inline constexpr std::size_t kMaxCells = 1'000'000;          // cells kept (blanks inside rows included), ~60 MB
// Elements and attributes of one XML part ('<' and '=' counted before parsing): bounds the
// parsed tree (about 60 bytes a node) at a few hundred MB; a sheet of 1,000,000 cells needs ~6M.
inline constexpr std::size_t kMaxMarkup = 6'000'000;
inline constexpr int kMaxRows = 1'048'576;                   // Excel's limits
inline constexpr int kMaxColumns = 16'384;

// A zip archive (local file header "PK\3\4", or an empty archive "PK\5\6").
[[nodiscard]] bool looks_like_zip(std::string_view bytes);
// An OLE compound file: Excel 97-2003 .xls, or an encrypted .xlsx.
[[nodiscard]] bool looks_like_ole(std::string_view bytes);

// Reads every worksheet. Throws InputError (naming the file, and the sheet and cell when the
// problem is in one) for anything that is not a readable XLSX or ODS file.
[[nodiscard]] Workbook read_workbook(std::string_view bytes, const std::string& file);

}  // namespace entente::detail
