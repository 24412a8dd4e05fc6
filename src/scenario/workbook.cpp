// XLSX (Office Open XML, ECMA-376 part 1 §18) and ODS (OpenDocument 1.2 §9) spreadsheets: a zip
// archive of XML parts. libzip (opened at first use) opens the archive from memory, pugixml parses
// the parts; only what a scenario needs is read: each worksheet's cells as text, numbers and booleans, with their
// addresses. Formulas are read through their cached values; styles, dates' formats, merged cells
// and charts are ignored.
#include "scenario/workbook.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>

#include "scenario/dynload.hpp"
#include "scenario/formats.hpp"
#include "scenario/import_util.hpp"

namespace entente::detail {

bool looks_like_zip(std::string_view b) {
  return b.size() >= 4 && b[0] == 'P' && b[1] == 'K' && ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
}

bool looks_like_ole(std::string_view b) { return b.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8); }

namespace {

[[noreturn]] void fail(const std::string& file, std::string expected, std::string found, std::string message = {}) {
  throw InputError(Diagnostic{SourceLocation{file}, "", std::move(expected), std::move(found), std::move(message)});
}

// ---- The archive --------------------------------------------------------------------------------

// libzip, opened on first use (scenario/dynload.hpp).
#ifndef ENTENTE_LIBZIP_SONAME
#define ENTENTE_LIBZIP_SONAME "libzip.so.4"
#endif
#define ENTENTE_LIBZIP_FUNCTIONS(X)                                                                     \
  X(zip_discard) X(zip_error_fini) X(zip_error_init) X(zip_error_strerror) X(zip_fclose)               \
  X(zip_file_strerror) X(zip_fopen_index) X(zip_fread) X(zip_get_num_entries) X(zip_name_locate)       \
  X(zip_open_from_source) X(zip_source_buffer_create) X(zip_source_free) X(zip_stat_index)             \
  X(zip_stat_init) X(zip_strerror)
struct LibZip {
  ENTENTE_LIBZIP_FUNCTIONS(ENTENTE_DYNLOAD_MEMBER)
  LibZip() {
    const SharedLibrary lib(ENTENTE_LIBZIP_SONAME, "libzip4", "reading XLSX and ODS workbooks");
    ENTENTE_LIBZIP_FUNCTIONS(ENTENTE_DYNLOAD_BIND)
  }
};
const LibZip& libzip() {
  static const LibZip api;
  return api;
}

class Archive {
 public:
  Archive(std::string_view bytes, std::string file) : z_(libzip()), file_(std::move(file)) {
    zip_error_t err;
    z_.zip_error_init(&err);
    zip_source_t* src = z_.zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src != nullptr) {
      za_ = z_.zip_open_from_source(src, ZIP_RDONLY, &err);
      if (za_ == nullptr) z_.zip_source_free(src);
    }
    if (za_ == nullptr) {
      const std::string why = z_.zip_error_strerror(&err);
      z_.zip_error_fini(&err);
      fail(file_, "a readable zip archive (XLSX and ODS files are zip archives)", "a damaged archive",
           "libzip: " + why);
    }
    z_.zip_error_fini(&err);
    const zip_int64_t n = z_.zip_get_num_entries(za_, 0);
    if (n < 0 || n > 10000) {
      z_.zip_discard(za_);
      za_ = nullptr;
      fail(file_, "at most 10000 parts in the archive", fmt::format("{}", n));
    }
  }
  ~Archive() {
    if (za_ != nullptr) z_.zip_discard(za_);
  }
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  [[nodiscard]] bool has(const std::string& name) const { return locate(name) >= 0; }

  // The part's bytes; nullopt if there is no such part.
  std::optional<std::string> read(const std::string& name) {
    const zip_int64_t idx = locate(name);
    if (idx < 0) return std::nullopt;
    zip_stat_t st;
    z_.zip_stat_init(&st);
    if (z_.zip_stat_index(za_, static_cast<zip_uint64_t>(idx), 0, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0)
      fail(file_, fmt::format("a readable part '{}'", name), "a damaged archive entry");
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE)
      fail(file_, "an unencrypted workbook", fmt::format("an encrypted part '{}'", name),
           "save the workbook without a password");
    // Sizes are checked before anything is inflated: the declared size bounds what is read, so a
    // part that inflates to more than it declares is an error too, never a memory hog.
    if (st.size > kMaxPartBytes)
      fail(file_, fmt::format("XML parts of at most {} MiB", kMaxPartBytes >> 20),
           fmt::format("part '{}' declaring {} bytes uncompressed", name, st.size),
           "refused before inflating (a zip bomb, or a far larger sheet than a scenario needs)");
    if (inflated_ + st.size > kMaxInflatedBytes)
      fail(file_, fmt::format("at most {} MiB of XML in all", kMaxInflatedBytes >> 20),
           fmt::format("{} bytes", inflated_ + st.size), "refused before inflating");
    inflated_ += st.size;
    zip_file_t* f = z_.zip_fopen_index(za_, static_cast<zip_uint64_t>(idx), 0);
    if (f == nullptr)
      fail(file_, fmt::format("a readable part '{}'", name), "an entry libzip cannot open",
           std::string("libzip: ") + z_.zip_strerror(za_));
    std::string out(static_cast<std::size_t>(st.size), '\0');
    std::size_t got = 0;
    bool bad = false;
    while (got < out.size()) {
      const zip_int64_t k = z_.zip_fread(f, out.data() + got, out.size() - got);
      if (k <= 0) {
        bad = k < 0 || got < out.size();
        break;
      }
      got += static_cast<std::size_t>(k);
    }
    // One more byte: must be the end (this also makes libzip check the CRC).
    char extra = 0;
    if (!bad && z_.zip_fread(f, &extra, 1) != 0) bad = true;
    const std::string why = z_.zip_file_strerror(f);
    z_.zip_fclose(f);
    if (bad)
      fail(file_, fmt::format("part '{}' of {} bytes, intact", name, st.size), "a damaged or inconsistent entry",
           "libzip: " + why);
    return out;
  }

 private:
  zip_int64_t locate(const std::string& name) const {
    zip_int64_t i = z_.zip_name_locate(za_, name.c_str(), 0);
    if (i < 0) i = z_.zip_name_locate(za_, name.c_str(), ZIP_FL_NOCASE);
    return i;
  }
  const LibZip& z_;
  std::string file_;
  zip_t* za_ = nullptr;
  std::size_t inflated_ = 0;
};

// ---- XML helpers --------------------------------------------------------------------------------

std::string_view local(const char* name) {
  std::string_view n(name);
  const auto p = n.find(':');
  return p == std::string_view::npos ? n : n.substr(p + 1);
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local(c.name()) == name) return c;
  return {};
}

const char* attr(const pugi::xml_node& n, std::string_view name) {
  for (auto a = n.first_attribute(); a; a = a.next_attribute())
    if (local(a.name()) == name) return a.value();
  return nullptr;
}

// In place: the document points into `text`, which must outlive it (saves a copy of large sheets).
void parse_xml(pugi::xml_document& doc, std::string& text, const std::string& file, const std::string& part) {
  const auto markup = static_cast<std::size_t>(std::count(text.begin(), text.end(), '<') +
                                               std::count(text.begin(), text.end(), '='));
  if (markup > kMaxMarkup)
    fail(file, fmt::format("at most {} XML elements and attributes in a part", kMaxMarkup),
         fmt::format("about {} in part '{}'", markup, part), "refused before parsing");
  const auto r = doc.load_buffer_inplace(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!r)
    fail(file, fmt::format("well-formed XML in part '{}'", part), r.description(),
         fmt::format("at byte {} of the part", r.offset));
}

constexpr int kMaxDepth = 32;

// Text of the descendants named `t` (XLSX rich text runs), skipping phonetic runs (rPh).
void xlsx_text(const pugi::xml_node& n, std::string& out, int depth, const std::string& file) {
  if (depth > kMaxDepth) fail(file, fmt::format("text nested at most {} elements deep", kMaxDepth), "deeper nesting");
  for (auto c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto name = local(c.name());
    if (name == "t") out += c.text().get();
    else if (name != "rPh" && name != "phoneticPr") xlsx_text(c, out, depth + 1, file);
  }
}

bool parse_double(std::string_view s, double& v) {
  s = trim(s);
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(v);
}


// Counts the cells kept, so a sheet that expands to millions of cells is refused.
class Budget {
 public:
  explicit Budget(std::string file) : file_(std::move(file)) {}
  void take(std::size_t n, const std::string& sheet) {
    cells_ += n;
    if (cells_ > kMaxCells)
      throw InputError(Diagnostic{SourceLocation{file_, 0, 0, sheet}, "", fmt::format("at most {} cells", kMaxCells),
                                  "more", "a scenario needs far fewer; remove what is not stances"});
  }

 private:
  std::string file_;
  std::size_t cells_ = 0;
};

// Puts a cell into its row (rows are dense up to their last cell).
void place(TableRow& row, Cell c, Budget& budget, const std::string& sheet) {
  const auto k = static_cast<std::size_t>(c.column - 1);
  if (k >= row.cells.size()) {
    budget.take(k + 1 - row.cells.size(), sheet);
    const std::size_t from = row.cells.size();
    row.cells.resize(k + 1);
    for (std::size_t j = from; j < k; ++j) {
      row.cells[j].line = row.line;
      row.cells[j].column = static_cast<int>(j) + 1;
    }
  }
  row.cells[k] = std::move(c);
}

// ---- XLSX ---------------------------------------------------------------------------------------

std::string join_path(const std::string& base_dir, std::string target) {
  std::string path = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
  // Resolve "." and ".." segments.
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    const std::string seg = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Rel {
  std::string type, target;
};

std::map<std::string, Rel> read_rels(Archive& zip, const std::string& part, const std::string& file) {
  std::map<std::string, Rel> out;
  auto text = zip.read(part);
  if (!text) return out;
  pugi::xml_document doc;
  parse_xml(doc, *text, file, part);
  for (auto r = child(doc, "Relationships").first_child(); r; r = r.next_sibling()) {
    if (r.type() != pugi::node_element || local(r.name()) != "Relationship") continue;
    const char* id = attr(r, "Id");
    const char* target = attr(r, "Target");
    const char* type = attr(r, "Type");
    if (id != nullptr && target != nullptr) out[id] = Rel{type != nullptr ? type : "", target};
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "C7" -> row 7, column 3.
bool parse_ref(std::string_view ref, int& row, int& col) {
  std::size_t i = 0;
  long c = 0, r = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && c <= kMaxColumns) c = c * 26 + (ref[i++] - 'A' + 1);
  if (i == 0 || i == ref.size()) return false;
  const std::size_t digits = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && r <= kMaxRows) r = r * 10 + (ref[i++] - '0');
  if (i != ref.size() || i == digits) return false;
  row = static_cast<int>(r);
  col = static_cast<int>(c);
  return true;
}

Table read_xlsx_sheet(std::string& xml, const std::string& part, const std::string& name,
                      const std::vector<std::string>& shared, const std::string& file, Budget& budget) {
  pugi::xml_document doc;
  parse_xml(doc, xml, file, part);
  Table t;
  t.file = file;
  t.sheet = name;
  const auto data = child(child(doc, "worksheet"), "sheetData");
  std::map<int, TableRow> rows;
  int prev_row = 0;
  for (auto r = data.first_child(); r; r = r.next_sibling()) {
    if (r.type() != pugi::node_element || local(r.name()) != "row") continue;
    int rn = prev_row + 1;
    if (const char* ra = attr(r, "r")) {
      const std::string_view s(ra);
      long v = 0;
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || p != s.data() + s.size() || v < 1 || v > kMaxRows)
        throw InputError(Diagnostic{SourceLocation{file, 0, 0, name}, "row",
                                    fmt::format("a row number in [1, {}]", kMaxRows), show(s), {}});
      rn = static_cast<int>(v);
    }
    prev_row = rn;
    TableRow fresh;
    fresh.line = rn;
    const bool seen = rows.count(rn) != 0;
    TableRow& row = seen ? rows[rn] : fresh;
    int prev_col = 0;
    for (auto c = r.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || local(c.name()) != "c") continue;
      int col = prev_col + 1, rr = rn;
      if (const char* ref = attr(c, "r")) {
        if (!parse_ref(ref, rr, col) || rr != rn || col > kMaxColumns)
          throw InputError(Diagnostic{SourceLocation{file, rn, 0, name}, "cell",
                                      fmt::format("a cell reference on row {} (A{} to XFD{})", rn, rn, rn), show(ref),
                                      {}});
      }
      if (col > kMaxColumns)
        throw InputError(Diagnostic{SourceLocation{file, rn, 0, name}, "cell",
                                    fmt::format("at most {} columns", kMaxColumns), fmt::format("column {}", col), {}});
      prev_col = col;
      Cell cell;
      cell.line = rn;
      cell.column = col;
      const std::string_view type = attr(c, "t") != nullptr ? attr(c, "t") : "n";
      const auto v = child(c, "v");
      const std::string vtext = v ? v.text().get() : "";
      if (type == "s") {
        std::size_t k = 0;
        const std::string_view s = trim(vtext);
        const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), k);
        if (ec != std::errc() || p != s.data() + s.size() || k >= shared.size())
          throw InputError(Diagnostic{SourceLocation{file, rn, col, name}, "cell",
                                      fmt::format("a shared-string index below {}", shared.size()), show(vtext), {}});
        cell.text = shared[k];
        cell.kind = Cell::Kind::text;
      } else if (type == "inlineStr") {
        xlsx_text(child(c, "is"), cell.text, 0, file);
        cell.kind = Cell::Kind::text;
      } else if (type == "str" || type == "d") {
        cell.text = vtext;
        cell.kind = Cell::Kind::text;
      } else if (type == "b") {
        cell.kind = Cell::Kind::boolean;
        cell.number = trim(vtext) == "1" ? 1 : 0;
        cell.text = cell.number != 0 ? "TRUE" : "FALSE";
      } else if (type == "e") {
        cell.kind = Cell::Kind::error;
        cell.text = vtext;
      } else if (v) {  // "n": a number
        cell.text = std::string(trim(vtext));
        if (parse_double(vtext, cell.number)) cell.kind = Cell::Kind::number;
        else cell.kind = Cell::Kind::text;  // not a number after all: its text, read as text
      }
      if (cell.blank()) cell.kind = Cell::Kind::blank;
      if (cell.kind == Cell::Kind::blank && col > static_cast<int>(row.cells.size())) continue;  // styled, empty
      place(row, std::move(cell), budget, name);
    }
    if (!seen && !fresh.cells.empty()) rows.emplace(rn, std::move(fresh));  // rows without cells are not kept
  }
  for (auto& [n, row] : rows) t.rows.push_back(std::move(row));
  return t;
}

Workbook read_xlsx(Archive& zip, const std::string& file) {
  Workbook wb;
  wb.container = "xlsx";
  std::string book = "xl/workbook.xml";
  for (const auto& [id, rel] : read_rels(zip, "_rels/.rels", file))
    if (ends_with(rel.type, "/officeDocument")) book = join_path("", rel.target);
  auto book_xml = zip.read(book);
  if (!book_xml) fail(file, "an XLSX workbook part", fmt::format("no '{}' in the archive", book));
  const std::string dir = book.find('/') == std::string::npos ? "" : book.substr(0, book.rfind('/') + 1);
  const std::string base = book.substr(dir.size());
  const auto rels = read_rels(zip, dir + "_rels/" + base + ".rels", file);

  std::vector<std::string> shared;
  std::string shared_part = dir + "sharedStrings.xml";
  for (const auto& [id, rel] : rels)
    if (ends_with(rel.type, "/sharedStrings")) shared_part = join_path(dir, rel.target);
  if (auto sst = zip.read(shared_part)) {
    pugi::xml_document doc;
    parse_xml(doc, *sst, file, shared_part);
    for (auto si = child(doc, "sst").first_child(); si; si = si.next_sibling()) {
      if (si.type() != pugi::node_element || local(si.name()) != "si") continue;
      std::string s;
      xlsx_text(si, s, 0, file);
      if (shared.size() >= kMaxCells) fail(file, fmt::format("at most {} shared strings", kMaxCells), "more");
      shared.push_back(std::move(s));
    }
  }

  pugi::xml_document doc;
  parse_xml(doc, *book_xml, file, book);
  Budget budget(file);
  for (auto sh = child(child(doc, "workbook"), "sheets").first_child(); sh; sh = sh.next_sibling()) {
    if (sh.type() != pugi::node_element || local(sh.name()) != "sheet") continue;
    const char* name = attr(sh, "name");
    const char* id = attr(sh, "id");  // r:id
    if (name == nullptr || id == nullptr) continue;
    const auto it = rels.find(id);
    std::string part;
    if (it != rels.end()) {
      if (!ends_with(it->second.type, "/worksheet")) continue;  // chart sheets, dialog sheets
      part = join_path(dir, it->second.target);
    } else {
      part = dir + "worksheets/sheet" + std::string(attr(sh, "sheetId") != nullptr ? attr(sh, "sheetId") : "1") + ".xml";
    }
    auto xml = zip.read(part);
    if (!xml) fail(file, fmt::format("the part '{}' of sheet '{}'", part, name), "no such part in the archive");
    wb.sheets.push_back(read_xlsx_sheet(*xml, part, name, shared, file, budget));
  }
  if (wb.sheets.empty()) fail(file, "at least one worksheet", "none");
  return wb;
}

// ---- ODS ----------------------------------------------------------------------------------------

// Text of an ODS cell: its text:p paragraphs joined by line breaks; text:s is spaces, text:tab a
// tab, text:line-break a line break; spans and links are read through.
void ods_text(const pugi::xml_node& n, std::string& out, int depth, const std::string& file) {
  if (depth > kMaxDepth) fail(file, fmt::format("text nested at most {} elements deep", kMaxDepth), "deeper nesting");
  for (auto c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out += c.value();
      continue;
    }
    if (c.type() != pugi::node_element) continue;
    const auto name = local(c.name());
    if (name == "s") {
      int k = 1;
      if (const char* cnt = attr(c, "c")) k = std::clamp(std::atoi(cnt), 1, 1000);
      out.append(static_cast<std::size_t>(k), ' ');
    } else if (name == "tab") {
      out += '\t';
    } else if (name == "line-break") {
      out += '\n';
    } else if (name != "annotation" && name != "note") {
      ods_text(c, out, depth + 1, file);
    }
  }
}

int repeat_of(const pugi::xml_node& n, const char* what) {
  const char* r = attr(n, what);
  if (r == nullptr) return 1;
  long v = std::atol(r);
  return static_cast<int>(std::clamp<long>(v, 1, 1L << 24));
}

Cell ods_cell(const pugi::xml_node& c, const std::string& file) {
  Cell cell;
  const char* type = attr(c, "value-type");
  std::string text;
  bool first = true;
  for (auto p = c.first_child(); p; p = p.next_sibling())
    if (p.type() == pugi::node_element && local(p.name()) == "p") {
      if (!first) text += '\n';
      first = false;
      ods_text(p, text, 0, file);
    }
  const std::string_view t = type != nullptr ? type : "";
  if (t == "float" || t == "percentage" || t == "currency") {
    const char* v = attr(c, "value");
    if (v != nullptr && parse_double(v, cell.number)) {
      cell.kind = Cell::Kind::number;
      cell.text = std::string(trim(v));
      return cell;
    }
  } else if (t == "boolean") {
    const char* v = attr(c, "boolean-value");
    cell.kind = Cell::Kind::boolean;
    cell.number = v != nullptr && std::string_view(v) == "true" ? 1 : 0;
    cell.text = cell.number != 0 ? "TRUE" : "FALSE";
    return cell;
  } else if (t == "date" || t == "time") {
    const char* v = attr(c, t == "date" ? "date-value" : "time-value");
    if (v != nullptr) text = v;
  }
  cell.text = std::move(text);
  cell.kind = trim(cell.text).empty() ? Cell::Kind::blank : Cell::Kind::text;
  return cell;
}

class OdsSheet {
 public:
  OdsSheet(Table& t, Budget& budget, const std::string& file) : t_(t), budget_(budget), file_(file) {}

  void rows(const pugi::xml_node& n, int depth) {
    if (depth > kMaxDepth) fail(file_, fmt::format("row groups nested at most {} deep", kMaxDepth), "deeper nesting");
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto name = local(c.name());
      if (name == "table-row") row(c);
      else if (name == "table-row-group" || name == "table-header-rows" || name == "table-rows") rows(c, depth + 1);
    }
  }

 private:
  void row(const pugi::xml_node& r) {
    const int repeat = repeat_of(r, "number-rows-repeated");
    TableRow tr;
    tr.line = next_row_;
    int col = 1;
    for (auto c = r.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto name = local(c.name());
      if (name != "table-cell" && name != "covered-table-cell") continue;
      const int n = repeat_of(c, "number-columns-repeated");
      Cell cell = ods_cell(c, file_);
      if (!cell.blank()) {  // blank runs (often thousands long) are only kept when data follows
        if (col + n - 1 > kMaxColumns)
          throw InputError(Diagnostic{SourceLocation{file_, next_row_, 0, t_.sheet}, "cell",
                                      fmt::format("at most {} columns", kMaxColumns),
                                      fmt::format("column {}", col + n - 1), {}});
        for (int k = 0; k < n; ++k) {
          Cell copy = cell;
          copy.line = next_row_;
          copy.column = col + k;
          place(tr, std::move(copy), budget_, t_.sheet);
        }
      }
      col += n;
      if (col > kMaxColumns + 1) col = kMaxColumns + 1;
    }
    if (!tr.blank()) {
      if (next_row_ + repeat - 1 > kMaxRows)
        throw InputError(Diagnostic{SourceLocation{file_, 0, 0, t_.sheet}, "row",
                                    fmt::format("at most {} rows", kMaxRows), fmt::format("row {}", next_row_ + repeat - 1),
                                    {}});
      for (int k = 0; k < repeat; ++k) {
        TableRow copy = tr;
        copy.line = next_row_ + k;
        for (auto& cell : copy.cells) cell.line = copy.line;
        budget_.take(copy.cells.size(), t_.sheet);
        t_.rows.push_back(std::move(copy));
      }
    }
    next_row_ = std::min(next_row_ + repeat, kMaxRows + 1);
  }

  Table& t_;
  Budget& budget_;
  const std::string& file_;
  int next_row_ = 1;
};

Workbook read_ods(Archive& zip, const std::string& file) {
  Workbook wb;
  wb.container = "ods";
  auto xml = zip.read("content.xml");
  if (!xml) fail(file, "an ODS spreadsheet's content.xml", "no such part in the archive");
  pugi::xml_document doc;
  parse_xml(doc, *xml, file, "content.xml");
  const auto sheet = child(child(child(doc, "document-content"), "body"), "spreadsheet");
  if (!sheet) fail(file, "an OpenDocument spreadsheet (office:spreadsheet)", "another kind of OpenDocument");
  Budget budget(file);
  for (auto tb = sheet.first_child(); tb; tb = tb.next_sibling()) {
    if (tb.type() != pugi::node_element || local(tb.name()) != "table") continue;
    Table t;
    t.file = file;
    const char* name = attr(tb, "name");
    t.sheet = name != nullptr && *name != '\0' ? name : fmt::format("Sheet{}", wb.sheets.size() + 1);
    OdsSheet(t, budget, file).rows(tb, 0);
    wb.sheets.push_back(std::move(t));
  }
  if (wb.sheets.empty()) fail(file, "at least one sheet", "none");
  return wb;
}

}  // namespace

Workbook read_workbook(std::string_view bytes, const std::string& file) {
  if (bytes.size() > kMaxWorkbookBytes)
    fail(file, fmt::format("a workbook of at most {} MiB", kMaxWorkbookBytes >> 20), fmt::format("{} bytes", bytes.size()));
  Archive zip(bytes, file);
  if (const auto mime = zip.read("mimetype")) {
    const std::string_view m = trim(*mime);
    if (m.rfind("application/vnd.oasis.opendocument.spreadsheet", 0) == 0) return read_ods(zip, file);
    fail(file, "an XLSX or ODS spreadsheet", fmt::format("an archive of type '{}'", std::string(m.substr(0, 80))));
  }
  if (zip.has("_rels/.rels") || zip.has("xl/workbook.xml")) return read_xlsx(zip, file);
  if (zip.has("content.xml")) return read_ods(zip, file);
  fail(file, "an XLSX or ODS spreadsheet (a zip archive with xl/workbook.xml or content.xml)",
       "a zip archive of something else");
}

// ---- Layouts ------------------------------------------------------------------------------------

Scenario import_spreadsheet(std::string_view bytes, const std::string& name) {
  const Workbook wb = read_workbook(bytes, name);
  const auto find = [&](std::initializer_list<std::string_view> keys) -> const Table* {
    for (const auto& t : wb.sheets)
      for (auto k : keys)
        if (name_key(t.sheet) == k) return &t;
    return nullptr;
  };
  const auto non_empty = [](const Table& t) {
    return std::any_of(t.rows.begin(), t.rows.end(), [](const TableRow& r) { return !r.blank(); });
  };
  std::vector<Diagnostic> warnings;
  const auto ignore_others = [&](std::initializer_list<const Table*> used) {
    for (const auto& t : wb.sheets)
      if (std::find(used.begin(), used.end(), &t) == used.end() && non_empty(t))
        warnings.push_back(Diagnostic{SourceLocation{name, 0, 0, t.sheet}, "sheet", {}, {},
                                      fmt::format("sheet '{}' is not read: ignored", t.sheet)});
  };

  if (const Table* stances = find({"stances", "stance", "positions"})) {
    const Table* actors = find({"actors", "stakeholders"});
    const Table* issues = find({"issues", "dimensions"});
    ignore_others({stances, actors, issues});
    return import_workbook_layout(actors, issues, *stances, name, wb.container, std::move(warnings));
  }

  std::vector<const Table*> data;
  std::string names;
  for (const auto& t : wb.sheets) {
    names += (names.empty() ? "" : ", ") + fmt::format("'{}'", t.sheet);
    const auto first = std::find_if(t.rows.begin(), t.rows.end(), [](const TableRow& r) { return !r.blank(); });
    if (first != t.rows.end() && table_layout(*first) != TableLayout::none) data.push_back(&t);
  }
  if (data.empty())
    fail(name,
         "a sheet whose first row names Actor and Issue columns (one row per actor and issue) or Actor and Position "
         "(a one-issue table), or sheets named actors, issues and stances",
         "sheets " + names, "see docs/importers.md");
  if (data.size() > 1)
    fail(name, "one sheet of stances (or sheets named actors, issues and stances)",
         fmt::format("{} sheets that look like stances: '{}' and '{}'", data.size(), data[0]->sheet, data[1]->sheet),
         "keep one, or name the sheets actors, issues and stances");
  ignore_others({data[0]});
  Scenario s = import_table(*data[0], wb.container);
  warnings.insert(warnings.end(), std::make_move_iterator(s.warnings.begin()), std::make_move_iterator(s.warnings.end()));
  s.warnings = std::move(warnings);
  return s;
}

}  // namespace entente::detail
