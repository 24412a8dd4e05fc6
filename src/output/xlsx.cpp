#include "output/xlsx.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "entente/diagnostics.hpp"
#include "scenario/dynload.hpp"

namespace entente {

namespace {

constexpr std::size_t kMaxText = 32767;  // Excel's limit on a cell's characters
constexpr std::size_t kMaxRows = 1'048'576;
constexpr std::size_t kMaxColumns = 16'384;

// Valid UTF-8 without control characters (XML 1.0 cannot carry them), cut at kMaxText code points.
std::string clean_text(const std::string& s) {
  static const char replacement[] = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(s.size());
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size() && chars < kMaxText;) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len == 1 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') ok = false;
    if (ok && len == 1 && b == 0x7F) ok = false;
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += replacement;
      i += 1;
    }
    ++chars;
  }
  return out;
}

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string utf8_prefix(const std::string& s, std::size_t chars) {
  std::size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == chars) break;
      ++n;
    }
  }
  return s.substr(0, i);
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Excel's rules for sheet names: 1-31 characters, none of []:*?/\, not starting or ending with an
// apostrophe, not "History", unique ignoring case.
std::string sheet_name(const std::string& wanted, std::size_t index, std::set<std::string>& used) {
  std::string n = clean_text(wanted);
  for (auto& c : n)
    if (c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/' || c == '\\' || c == '\n' ||
        c == '\r' || c == '\t')
      c = '_';
  while (!n.empty() && n.front() == '\'') n.erase(n.begin());
  while (!n.empty() && n.back() == '\'') n.pop_back();
  if (n.empty()) n = fmt::format("Sheet{}", index + 1);
  if (lower(n) == "history") n += "_";
  n = utf8_prefix(n, 31);
  std::string candidate = n;
  for (int k = 2; used.count(lower(candidate)) != 0; ++k) {
    const std::string suffix = fmt::format(" ({})", k);
    candidate = utf8_prefix(n, 31 - suffix.size()) + suffix;
  }
  used.insert(lower(candidate));
  return candidate;
}

struct TempFile {
  std::string path;
  TempFile() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "entente-xlsx-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file in " + tmpl);
    ::close(fd);
    path = tmpl;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

// libxlsxwriter, opened on first use (scenario/dynload.hpp).
#ifndef ENTENTE_XLSXWRITER_SONAME
#define ENTENTE_XLSXWRITER_SONAME "libxlsxwriter.so.4"
#endif
#define ENTENTE_XLSXWRITER_FUNCTIONS(X)                                                                \
  X(lxw_strerror) X(workbook_new_opt) X(workbook_set_properties) X(workbook_add_format) X(format_set_bold) \
  X(workbook_add_worksheet) X(worksheet_write_string) X(worksheet_write_number) X(worksheet_freeze_panes) \
  X(worksheet_set_column) X(workbook_close)
struct XlsxWriter {
  ENTENTE_XLSXWRITER_FUNCTIONS(ENTENTE_DYNLOAD_MEMBER)
  XlsxWriter() {
    const detail::SharedLibrary lib(ENTENTE_XLSXWRITER_SONAME, "libxlsxwriter4", "writing XLSX");
    ENTENTE_XLSXWRITER_FUNCTIONS(ENTENTE_DYNLOAD_BIND)
  }
};
const XlsxWriter& xlsxwriter() {
  static const XlsxWriter api;
  return api;
}

void check(lxw_error e, const char* what) {
  if (e != LXW_NO_ERROR) throw std::runtime_error(fmt::format("xlsx: {}: {}", what, xlsxwriter().lxw_strerror(e)));
}

}  // namespace

std::string write_xlsx(const std::vector<XlsxSheet>& sheets) {
  for (const auto& s : sheets) {
    if (s.rows.size() + (s.header.empty() ? 0 : 1) > kMaxRows)
      throw ResourceError(fmt::format("table '{}' has {} rows; an XLSX sheet holds at most {}", s.name,
                                      s.rows.size(), kMaxRows));
    std::size_t cols = s.header.size();
    for (const auto& r : s.rows) cols = std::max(cols, r.size());
    if (cols > kMaxColumns)
      throw ResourceError(fmt::format("table '{}' has {} columns; an XLSX sheet holds at most {}", s.name, cols,
                                      kMaxColumns));
  }
  const auto& x = xlsxwriter();
  TempFile tmp;
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  lxw_workbook* book = x.workbook_new_opt(tmp.path.c_str(), &options);
  if (book == nullptr) throw std::runtime_error("xlsx: cannot start a workbook at " + tmp.path);
  try {
    lxw_doc_properties props{};
    props.created = 946684800;  // 2000-01-01T00:00:00Z: the same sheets give the same bytes
    check(x.workbook_set_properties(book, &props), "properties");
    lxw_format* bold = x.workbook_add_format(book);
    x.format_set_bold(bold);
    std::set<std::string> used;
    const std::vector<XlsxSheet> none = {XlsxSheet{}};
    const auto& list = sheets.empty() ? none : sheets;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const XlsxSheet& s = list[i];
      const std::string name = sheet_name(s.name, i, used);
      lxw_worksheet* ws = x.workbook_add_worksheet(book, name.c_str());
      if (ws == nullptr) throw std::runtime_error(fmt::format("xlsx: cannot add sheet '{}'", name));
      std::vector<std::size_t> width;  // characters per column, for readable column widths
      const auto note = [&](std::size_t c, std::size_t w) {
        if (width.size() <= c) width.resize(c + 1, 0);
        width[c] = std::max(width[c], w);
      };
      lxw_row_t row = 0;
      if (!s.header.empty()) {
        for (std::size_t c = 0; c < s.header.size(); ++c) {
          const std::string text = clean_text(s.header[c]);
          check(x.worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), text.c_str(), bold), "header");
          note(c, utf8_length(text));
        }
        x.worksheet_freeze_panes(ws, 1, 0);
        ++row;
      }
      for (const auto& r : s.rows) {
        for (std::size_t c = 0; c < r.size(); ++c) {
          const auto col = static_cast<lxw_col_t>(c);
          if (const auto* v = std::get_if<double>(&r[c])) {
            if (std::isfinite(*v)) {
              check(x.worksheet_write_number(ws, row, col, *v, nullptr), "number");
              note(c, fmt::format("{}", *v).size());
            } else {
              const char* t = std::isnan(*v) ? "NaN" : *v > 0 ? "Infinity" : "-Infinity";
              check(x.worksheet_write_string(ws, row, col, t, nullptr), "text");
              note(c, 9);
            }
          } else if (const auto* t = std::get_if<std::string>(&r[c])) {
            if (t->empty()) continue;
            const std::string text = clean_text(*t);
            check(x.worksheet_write_string(ws, row, col, text.c_str(), nullptr), "text");
            note(c, utf8_length(text));
          }
        }
        ++row;
      }
      for (std::size_t c = 0; c < width.size(); ++c) {
        const double w = std::clamp(static_cast<double>(width[c]) + 2, 8.0, 60.0);
        check(x.worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr), "width");
      }
    }
  } catch (...) {
    x.workbook_close(book);
    throw;
  }
  check(x.workbook_close(book), "writing the file");
  std::ifstream in(tmp.path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in) throw std::runtime_error("xlsx: cannot read back " + tmp.path);
  return ss.str();
}

}  // namespace entente
