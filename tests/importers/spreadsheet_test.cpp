// XLSX and ODS input, and the XLSX writer (src/output/xlsx.hpp) read back through the reader.
// Spreadsheets are generated here: with the writer (libxlsxwriter), or from XML parts written out
// in the test and zipped with libzip, so the reader also meets files libxlsxwriter never writes
// (inline strings, rich text, cells without references, prefixed elements, ODS repeats).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cmath>
#include <limits>

#include "common.hpp"
#include "entente/random.hpp"
#include "output/xlsx.hpp"
#include "scenario/import_util.hpp"
#include "scenario/workbook.hpp"
#include "zip_util.hpp"

namespace entente::test {
namespace {

using detail::Cell;
using detail::read_workbook;
using namespace std::string_literals;

std::string all(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += d.to_string() + "\n";
  return out;
}

// The rows of a CSV file as sheet rows: numbers where the text is a number, text otherwise.
XlsxSheet sheet_from_csv(const std::string& name, const std::string& csv_text) {
  std::vector<Diagnostic> problems;
  const detail::Table t = detail::read_text_table(csv_text, "x.csv", problems);
  XlsxSheet s;
  s.name = name;
  for (const auto& c : t.rows.at(0).cells) s.header.push_back(c.text);
  for (std::size_t r = 1; r < t.rows.size(); ++r) {
    if (t.rows[r].blank()) continue;
    std::vector<XlsxCell> row;
    for (const auto& c : t.rows[r].cells) {
      double v = 0;
      if (c.blank()) row.emplace_back(std::monostate{});
      else if (detail::parse_number(c.text, v)) row.emplace_back(v);
      else row.emplace_back(c.text);
    }
    s.rows.push_back(std::move(row));
  }
  return s;
}

void expect_same_values(const Scenario& a, const Scenario& b) {
  ASSERT_EQ(a.issues.size(), b.issues.size());
  ASSERT_EQ(a.actors.size(), b.actors.size());
  for (std::size_t i = 0; i < a.issues.size(); ++i) {
    EXPECT_EQ(a.issues[i].id, b.issues[i].id);
    EXPECT_EQ(a.issues[i].min, b.issues[i].min);
    EXPECT_EQ(a.issues[i].max, b.issues[i].max);
    EXPECT_EQ(a.issues[i].options, b.issues[i].options);
  }
  for (std::size_t k = 0; k < a.actors.size(); ++k) {
    SCOPED_TRACE(a.actors[k].id);
    EXPECT_EQ(a.actors[k].id, b.actors[k].id);
    EXPECT_EQ(a.actors[k].name, b.actors[k].name);
    EXPECT_EQ(a.actors[k].capability.value, b.actors[k].capability.value);
    for (std::size_t i = 0; i < a.issues.size(); ++i) {
      const Stance* x = a.stance(k, i);
      const Stance* y = b.stance(k, i);
      ASSERT_EQ(x == nullptr, y == nullptr);
      if (x == nullptr) continue;
      EXPECT_EQ(x->position.value, y->position.value);
      EXPECT_EQ(x->salience.value, y->salience.value);
      ASSERT_EQ(x->utilities.size(), y->utilities.size());
      for (std::size_t o = 0; o < x->utilities.size(); ++o) EXPECT_EQ(x->utilities[o].value, y->utilities[o].value);
    }
  }
}

// ---- The writer, read back -----------------------------------------------------------------------

TEST(XlsxWriter, RoundTripsThroughTheReader) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<XlsxSheet> sheets = {
      {"Forecast", {"issue", "model", "value"},
       {{"regions"s, "bdm"s, 49.5}, {"nato"s, std::monostate{}, -1e-300}, {"\xC3\xBCn\xC3\xAF code \xE2\x9C\x93"s, 1e20, nan}}},
      {"a/b:c*?[x]", {}, {{1.0, 2.0}, {}, {std::monostate{}, 3.0}}},
      {"forecast", {"x"}, {}},  // the same name as the first, ignoring case
      {"A very long sheet name that Excel would refuse", {"h"}, {{"x\x01y"s}}},
  };
  const std::string bytes = write_xlsx(sheets);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  EXPECT_EQ(write_xlsx(sheets), bytes) << "the same sheets give the same bytes";
  const auto wb = read_workbook(bytes, "out.xlsx");
  EXPECT_EQ(wb.container, "xlsx");
  ASSERT_EQ(wb.sheets.size(), 4u);
  EXPECT_EQ(wb.sheets[0].sheet, "Forecast");
  EXPECT_EQ(wb.sheets[1].sheet, "a_b_c___x_");
  EXPECT_EQ(wb.sheets[2].sheet, "forecast (2)");
  EXPECT_EQ(wb.sheets[3].sheet, "A very long sheet name that Exc");  // 31 characters
  const auto& f = wb.sheets[0];
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows[0].cells.at(2).text, "value");
  EXPECT_EQ(f.rows[0].cells.at(2).kind, Cell::Kind::text);
  EXPECT_EQ(f.rows[1].cells.at(0).text, "regions");
  EXPECT_EQ(f.rows[1].cells.at(2).kind, Cell::Kind::number);
  EXPECT_EQ(f.rows[1].cells.at(2).number, 49.5);
  EXPECT_EQ(f.rows[1].cells.at(2).line, 2);
  EXPECT_EQ(f.rows[1].cells.at(2).column, 3);
  EXPECT_EQ(f.rows[2].cells.at(1).kind, Cell::Kind::blank);  // an empty cell
  EXPECT_EQ(f.rows[2].cells.at(2).number, -1e-300);
  EXPECT_EQ(f.rows[3].cells.at(0).text, "\xC3\xBCn\xC3\xAF code \xE2\x9C\x93");
  EXPECT_EQ(f.rows[3].cells.at(1).number, 1e20);
  EXPECT_EQ(f.rows[3].cells.at(2).text, "NaN");  // Excel has no NaN: written as text
  // Sparse rows: the empty row 2 of the second sheet is absent, row 3 starts with a blank.
  const auto& s = wb.sheets[1];
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[1].line, 3);
  EXPECT_EQ(s.rows[1].cells.at(0).kind, Cell::Kind::blank);
  EXPECT_EQ(s.rows[1].cells.at(1).number, 3.0);
  EXPECT_EQ(wb.sheets[3].rows[1].cells.at(0).text, "x\xEF\xBF\xBDy");  // a control character -> U+FFFD
}

TEST(XlsxWriter, NumbersKeepSixteenSignificantDigits) {
  // libxlsxwriter writes numbers with printf's %.16G (Excel itself shows 15 digits), so a double
  // that needs 17 digits comes back as its 16-digit rounding: documented in docs/importers.md.
  const std::vector<XlsxSheet> sheets = {{"n", {}, {{49.99999999996507, 0.1 + 0.2, 1.0 / 3}}}};
  const auto wb = read_workbook(write_xlsx(sheets), "n.xlsx");
  const auto& r = wb.sheets[0].rows[0].cells;
  EXPECT_EQ(r[0].number, 49.99999999996507);  // 16 digits: exact
  EXPECT_EQ(r[1].number, 0.3);                // 0.30000000000000004 needs 17
  EXPECT_NEAR(r[2].number, 1.0 / 3, 1e-16);
}

TEST(XlsxWriter, EmptyListGivesOneEmptySheet) {
  const auto wb = read_workbook(write_xlsx({}), "e.xlsx");
  ASSERT_EQ(wb.sheets.size(), 1u);
  EXPECT_EQ(wb.sheets[0].sheet, "Sheet1");
  EXPECT_TRUE(wb.sheets[0].rows.empty());
}

// ---- XLSX input -----------------------------------------------------------------------------------

TEST(XlsxInput, JcpoaSheetGivesTheSameScenarioAsTheCsv) {
  const std::string csv = read_file(data_path("import/jcpoa_long.csv"));
  const Scenario from_csv = import_data("import/jcpoa_long.csv");
  const std::string bytes = write_xlsx({sheet_from_csv("JCPOA", csv)});
  const Scenario s = parse_scenario(bytes, "jcpoa.xlsx");  // detected by content, validated
  EXPECT_EQ(s.format, "long-xlsx");
  ASSERT_EQ(s.issues.size(), 2u);
  ASSERT_EQ(s.actors.size(), 7u);
  expect_same_values(from_csv, s);
  // Locations are cells: Iran on sanctions relief is row 9, position in column D.
  const auto& p = stance_of(s, "iran", "sanctions_relief").position;
  EXPECT_EQ(p.where.sheet, "JCPOA");
  EXPECT_EQ(p.where.line, 9);
  EXPECT_EQ(p.where.column, 4);
  EXPECT_EQ(p.where.to_string(), "jcpoa.xlsx:JCPOA!D9");
  // The committed tests/data/import/jcpoa_long.xlsx (used by the browser test) is exactly these
  // bytes: made by this writer from the CSV.
  EXPECT_EQ(read_file(data_path("import/jcpoa_long.xlsx")), bytes);
  // The same through the file, as the CLI reads it.
  const auto dir = std::filesystem::temp_directory_path();
  const auto path = (dir / ("entente_jcpoa_" + std::to_string(::getpid()) + ".xlsx")).string();
  { std::ofstream(path, std::ios::binary) << bytes; }
  expect_same_values(from_csv, load_scenario(path));
  std::filesystem::remove(path);
}

TEST(XlsxInput, OneIssueTablesToo) {
  // columbus.csv as a sheet: the one-issue layout, the same numbers.
  const Scenario from_csv = import_data("cases/columbus.csv");
  const Scenario s = parse_scenario(write_xlsx({sheet_from_csv("Sheet1", read_file(data_path("cases/columbus.csv")))}),
                                    "columbus.xlsx");
  EXPECT_EQ(s.format, "cases-xlsx");
  expect_same_values(from_csv, s);
  EXPECT_EQ(s.actors[1].capability.where.to_string(), "columbus.xlsx:Sheet1!B3");  // "Isabella,70,25,60"
}

TEST(XlsxInput, AMalformedSheetNamesSheetRowAndColumn) {
  XlsxSheet sheet = sheet_from_csv("JCPOA", read_file(data_path("import/jcpoa_long.csv")));
  sheet.rows[5][4] = "a lot"s;  // row 7 (Russia, Centrifuges), column E: salience
  sheet.rows[8][0] = 12.0;      // row 10: an actor named by a number is still a name
  sheet.rows[9][2] = "30 "s;     // row 11: text that is a number is read as the number
  const auto ds = diagnostics_of([&] { (void)parse_scenario(write_xlsx({sheet}), "jcpoa.xlsx"); });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].to_string(),
            "jcpoa.xlsx:JCPOA!E7: error: field 'salience of 'Russia' on 'Centrifuges'': expected a number, found 'a lot'");
  // A sheet name with a space is quoted as Excel quotes it.
  sheet.name = "My data";
  const auto ds2 = diagnostics_of([&] { (void)parse_scenario(write_xlsx({sheet}), "jcpoa.xlsx"); });
  ASSERT_EQ(ds2.size(), 1u);
  EXPECT_EQ(ds2[0].where.to_string(), "jcpoa.xlsx:'My data'!E7");
}

// XML parts of a small workbook written by hand: shared strings with rich text and a phonetic
// run, inline strings, a formula's cached string, a row and cells without references, an element
// prefix (x:), an absolute relationship target, a chart sheet that is not read, a boolean and an
// error cell.
std::vector<std::pair<std::string, std::string>> hand_written_xlsx(const std::string& sheet_data) {
  const std::string ns = "http://schemas.openxmlformats.org/";
  return {
      {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"" + ns + "package/2006/content-types\"/>"},
      {"_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"" + ns +
                          "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + ns +
                          "officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"" + ns + "spreadsheetml/2006/main\" xmlns:r=\"" + ns +
                              "officeDocument/2006/relationships\"><sheets><sheet name=\"Data\" sheetId=\"1\" "
                              "r:id=\"rId1\"/><sheet name=\"Chart\" sheetId=\"2\" r:id=\"rId3\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<?xml version=\"1.0\"?><Relationships xmlns=\"" + ns + "package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" + ns + "officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
       "<Relationship Id=\"rId2\" Type=\"" + ns + "officeDocument/2006/relationships/sharedStrings\" Target=\"strings.xml\"/>"
       "<Relationship Id=\"rId3\" Type=\"" + ns + "officeDocument/2006/relationships/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
       "</Relationships>"},
      {"xl/strings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"" + ns + "spreadsheetml/2006/main\" count=\"3\">"
                         "<si><t>Actor</t></si>"
                         "<si><r><t>Iss</t></r><r><rPr><b/></rPr><t>ue</t></r><rPh sb=\"0\" eb=\"1\"><t>ISSUE</t></rPh></si>"
                         "<si><t xml:space=\"preserve\"> Iran </t></si></sst>"},
      {"xl/worksheets/data.xml", "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"" + ns +
                                     "spreadsheetml/2006/main\"><x:sheetData>" + sheet_data +
                                     "</x:sheetData></x:worksheet>"},
  };
}

const std::string kHandSheet =
    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c>"
    "<x:c r=\"C1\" t=\"inlineStr\"><x:is><x:t>Capability</x:t></x:is></x:c>"
    "<x:c t=\"inlineStr\"><x:is><x:r><x:t>Posi</x:t></x:r><x:r><x:t>tion</x:t></x:r></x:is></x:c>"
    "<x:c t=\"str\"><x:f>\"Sal\"&amp;\"ience\"</x:f><x:v>Salience</x:v></x:c></x:row>"
    "<x:row><x:c r=\"A2\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>Centrifuges</x:t></x:is></x:c>"
    "<x:c r=\"C2\"><x:v>4E1</x:v></x:c><x:c r=\"D2\" s=\"3\"><x:v>19000</x:v></x:c><x:c r=\"E2\"><x:f>0.9</x:f><x:v>0.9</x:v></x:c></x:row>"
    "<x:row r=\"4\"><x:c r=\"A4\" t=\"inlineStr\"><x:is><x:t>USA</x:t></x:is></x:c>"
    "<x:c r=\"B4\" t=\"inlineStr\"><x:is><x:t>centrifuges</x:t></x:is></x:c><x:c r=\"C4\"><x:v>100</x:v></x:c>"
    "<x:c r=\"D4\"><x:v>0</x:v></x:c><x:c r=\"E4\"><x:v>0.8</x:v></x:c><x:c r=\"G4\" s=\"1\"/>"
    "<x:c r=\"H4\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"I4\" t=\"e\"><x:v>#N/A</x:v></x:c></x:row>";

TEST(XlsxInput, HandWrittenPartsAreReadCellByCell) {
  const std::string bytes = make_zip(hand_written_xlsx(kHandSheet));
  const auto wb = read_workbook(bytes, "hand.xlsx");
  ASSERT_EQ(wb.sheets.size(), 1u);  // the chart sheet is not a worksheet
  const auto& t = wb.sheets[0];
  EXPECT_EQ(t.sheet, "Data");
  ASSERT_EQ(t.rows.size(), 3u);
  const auto& h = t.rows[0].cells;
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[0].text, "Actor");
  EXPECT_EQ(h[1].text, "Issue");  // rich text runs joined, the phonetic run left out
  EXPECT_EQ(h[3].text, "Position");
  EXPECT_EQ(h[3].column, 4);  // no reference: the one after C1
  EXPECT_EQ(h[4].text, "Salience");
  EXPECT_EQ(t.rows[1].line, 2);  // no r: the row after 1
  EXPECT_EQ(t.rows[1].cells[0].text, " Iran ");
  EXPECT_EQ(t.rows[1].cells[2].kind, Cell::Kind::number);
  EXPECT_EQ(t.rows[1].cells[2].number, 40);
  EXPECT_EQ(t.rows[1].cells[2].text, "4E1");
  EXPECT_EQ(t.rows[2].line, 4);
  const auto& r4 = t.rows[2].cells;
  ASSERT_EQ(r4.size(), 9u);  // up to I4; the styled empty G4 is a blank
  EXPECT_EQ(r4[6].kind, Cell::Kind::blank);
  EXPECT_EQ(r4[6].column, 7);
  EXPECT_EQ(r4[7].kind, Cell::Kind::boolean);
  EXPECT_EQ(r4[7].text, "TRUE");
  EXPECT_EQ(r4[8].kind, Cell::Kind::error);
  EXPECT_EQ(r4[8].text, "#N/A");
  // As a scenario: two actors on one issue ("centrifuges" matches "Centrifuges"), the extra cells
  // under no header are a warning.
  const Scenario s = parse_scenario(bytes, "hand.xlsx");
  ASSERT_EQ(s.actors.size(), 2u);
  ASSERT_EQ(s.issues.size(), 1u);
  EXPECT_EQ(s.actors[0].name, "Iran");
  EXPECT_DOUBLE_EQ(stance_of(s, "usa", "centrifuges").salience.value, 0.8);
  bool headerless = false;
  for (const auto& w : s.warnings) headerless = headerless || w.message.find("without a header") != std::string::npos;
  EXPECT_TRUE(headerless) << all(s.warnings);
}

TEST(XlsxInput, BrokenPartsAreInputErrorsNamingTheCell) {
  // A shared-string index beyond the table.
  std::string bad = kHandSheet;
  const std::string index2 = "<x:v>2</x:v>";
  bad.replace(bad.find(index2), index2.size(), "<x:v>7</x:v>");
  auto ds = diagnostics_of([&] { (void)parse_scenario(make_zip(hand_written_xlsx(bad)), "b.xlsx"); });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].where.to_string(), "b.xlsx:Data!A2");
  EXPECT_EQ(ds[0].expected, "a shared-string index below 3");
  // A boolean where a number belongs.
  std::string boolean = kHandSheet;
  const std::string e4 = "<x:c r=\"E4\"><x:v>0.8</x:v>";
  boolean.replace(boolean.find(e4), e4.size(), "<x:c r=\"E4\" t=\"b\"><x:v>0</x:v>");
  ds = diagnostics_of([&] { (void)parse_scenario(make_zip(hand_written_xlsx(boolean)), "b.xlsx"); });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].to_string(),
            "b.xlsx:Data!E4: error: field 'salience of 'USA' on 'Centrifuges'': expected a number, found the boolean FALSE");
  // Malformed XML, a reference on the wrong row, a missing sheet part.
  ds = diagnostics_of([&] { (void)parse_scenario(make_zip(hand_written_xlsx("<x:row><x:c>")), "b.xlsx"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].expected.find("well-formed XML"), std::string::npos);
  ds = diagnostics_of([&] {
    (void)parse_scenario(make_zip(hand_written_xlsx("<x:row r=\"2\"><x:c r=\"B3\"><x:v>1</x:v></x:c></x:row>")), "b.xlsx");
  });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].found, "'B3'");
  auto parts = hand_written_xlsx(kHandSheet);
  parts.pop_back();
  ds = diagnostics_of([&] { (void)parse_scenario(make_zip(parts), "b.xlsx"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].found, "no such part in the archive");
}

TEST(XlsxInput, WorkbookOfActorsIssuesAndStances) {
  const std::vector<XlsxSheet> sheets = {
      {"Read me", {"This workbook holds a scenario"}, {}},
      {"Actors", {"Actor", "Capability", "Notes"},
       {{"Russia"s, 100.0, "largest army"s}, {"Ukraine"s, 60.0, std::monostate{}}, {"USA"s, 80.0, std::monostate{}}}},
      {"Issues", {"Issue", "Min", "Max", "Options", "Description"},
       {{"Regions"s, 0.0, 100.0, std::monostate{}, "the four regions"s}, {"Venue"s, std::monostate{}, std::monostate{}, "Istanbul; Vatican; Geneva"s}}},
      {"Stances", {"Actor", "Issue", "Position", "Salience"},
       {{"Russia"s, "Regions"s, 100.0, 0.95}, {"Ukraine"s, "Regions"s, 0.0, 1.0}, {"Russia"s, "Venue"s, "Istanbul"s, 0.3},
        {"Ukraine"s, "Venue"s, "Vatican"s, 0.2}}},
  };
  const Scenario s = parse_scenario(write_xlsx(sheets), "book.xlsx");
  EXPECT_EQ(s.format, "workbook-xlsx");
  ASSERT_EQ(s.actors.size(), 3u);
  ASSERT_EQ(s.issues.size(), 2u);
  EXPECT_DOUBLE_EQ(s.actors[0].capability.value, 100);
  EXPECT_EQ(s.actors[0].capability.evidence.judgment, "largest army");
  EXPECT_EQ(s.actors[0].capability.where.to_string(), "book.xlsx:Actors!B2");
  EXPECT_EQ(s.issues[0].description, "the four regions");
  EXPECT_DOUBLE_EQ(s.issues[0].max, 100);
  EXPECT_FALSE(s.issues[0].scale_from_data);
  EXPECT_EQ(s.issues[1].kind, Issue::Kind::categorical);
  EXPECT_EQ(s.issues[1].options.size(), 3u);
  EXPECT_EQ(stance_of(s, "ukraine", "venue").utilities[1].value, 1.0);
  // USA is declared but holds no stance: kept, absent everywhere. The read-me sheet is a warning.
  EXPECT_EQ(s.stance(2, 0), nullptr);
  ASSERT_EQ(s.warnings.size(), 1u) << all(s.warnings);
  EXPECT_EQ(s.warnings[0].to_string("warning"), "book.xlsx:'Read me': warning: field 'sheet': sheet 'Read me' is not read: ignored");
  // A stance for an actor the actors sheet does not have.
  auto bad = sheets;
  bad[3].rows.push_back({"Oman"s, "Regions"s, 50.0, 0.1});
  const auto ds = diagnostics_of([&] { (void)parse_scenario(write_xlsx(bad), "book.xlsx"); });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].where.to_string(), "book.xlsx:Stances!A6");
  EXPECT_EQ(ds[0].expected, "an actor of the actors sheet");
}

TEST(XlsxInput, SeveralDataSheetsWithoutTheWorkbookNamesAreAnError) {
  XlsxSheet a = sheet_from_csv("One", read_file(data_path("import/jcpoa_long.csv")));
  XlsxSheet b = a;
  b.name = "Two";
  const auto ds = diagnostics_of([&] { (void)parse_scenario(write_xlsx({a, b}), "two.xlsx"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].found.find("'One' and 'Two'"), std::string::npos) << ds[0].found;
  // One data sheet among others: read, the others named in warnings.
  const XlsxSheet notes{"Notes", {"who", "when"}, {{"me"s, "today"s}}};
  const Scenario s = parse_scenario(write_xlsx({notes, a}), "one.xlsx");
  EXPECT_EQ(s.actors.size(), 7u);
  EXPECT_EQ(s.warnings.front().where.sheet, "Notes");
}

// ---- ODS input ------------------------------------------------------------------------------------

std::string ods_content(const std::string& rows) {
  return "<?xml version=\"1.0\"?><office:document-content "
         "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
         "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
         "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
         "<office:body><office:spreadsheet><table:table table:name=\"JCPOA\">"
         "<table:table-column table:number-columns-repeated=\"1024\"/>" +
         rows + "</table:table></office:spreadsheet></office:body></office:document-content>";
}

std::string ods(const std::string& rows) {
  return make_zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", ods_content(rows)}}, true);
}

std::string text_cell(const std::string& t) {
  return "<table:table-cell office:value-type=\"string\"><text:p>" + t + "</text:p></table:table-cell>";
}
std::string float_cell(const std::string& v, const std::string& extra = "") {
  return "<table:table-cell office:value-type=\"float\" office:value=\"" + v + "\"" + extra + "><text:p>" + v +
         "</text:p></table:table-cell>";
}

TEST(OdsInput, RepeatsGroupsAndValueTypes) {
  const std::string rows =
      "<table:table-row>" + text_cell("Actor") + text_cell("Issue") + text_cell("Capability") + text_cell("Position") +
      text_cell("Salience") + "<table:table-cell table:number-columns-repeated=\"1019\"/></table:table-row>"
      "<table:table-row>" + text_cell("United<text:s/>States") + text_cell("Centrifuges") + float_cell("100") +
      float_cell("0") +
      "<table:table-cell office:value-type=\"percentage\" office:value=\"0.8\"><text:p>80%</text:p></table:table-cell>"
      "<table:table-cell table:number-columns-repeated=\"1019\"/></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
      "<table:table-row-group><table:table-row>" + text_cell("<text:span>Iran</text:span>") + text_cell("Centrifuges") +
      float_cell("40", " table:number-columns-repeated=\"2\"") + float_cell("0.9") +
      "<table:table-cell table:number-columns-repeated=\"2\"/>"  // blanks kept only because data follows
      "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"><text:p>TRUE</text:p></table:table-cell>"
      "</table:table-row></table:table-row-group>"
      "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
  const std::string bytes = ods(rows);
  const auto wb = read_workbook(bytes, "j.ods");
  EXPECT_EQ(wb.container, "ods");
  ASSERT_EQ(wb.sheets.size(), 1u);
  const auto& t = wb.sheets[0];
  ASSERT_EQ(t.rows.size(), 3u);  // rows 1, 2 and 5; the blank runs are not kept
  EXPECT_EQ(t.rows[0].cells.size(), 5u);
  EXPECT_EQ(t.rows[1].cells[0].text, "United States");
  EXPECT_EQ(t.rows[1].cells[4].number, 0.8);
  EXPECT_EQ(t.rows[1].cells[4].text, "0.8");
  EXPECT_EQ(t.rows[2].line, 5);
  ASSERT_EQ(t.rows[2].cells.size(), 8u);
  EXPECT_EQ(t.rows[2].cells[3].number, 40);  // the repeated cell
  EXPECT_EQ(t.rows[2].cells[3].column, 4);
  EXPECT_EQ(t.rows[2].cells[7].kind, Cell::Kind::boolean);
  // As a scenario (the boolean at H5 sits under no header: a warning).
  const Scenario s = parse_scenario(bytes, "j.ods");
  EXPECT_EQ(s.format, "long-ods");
  EXPECT_DOUBLE_EQ(stance_of(s, "iran", "centrifuges").position.value, 40);
  EXPECT_EQ(stance_of(s, "iran", "centrifuges").position.where.to_string(), "j.ods:JCPOA!D5");
  EXPECT_DOUBLE_EQ(stance_of(s, "united_states", "centrifuges").salience.value, 0.8);
}

// ---- Limits and things that are not spreadsheets -------------------------------------------------

TEST(SpreadsheetLimits, AZipBombIsRefusedBeforeInflating) {
  // 65 MiB of zeros deflate to about 65 KB; the declared size is checked before inflating.
  auto parts = hand_written_xlsx(kHandSheet);
  parts.back().second = std::string((65u << 20), '\0');
  const std::string bytes = make_zip(parts);
  EXPECT_LT(bytes.size(), 1u << 20);
  const auto t0 = std::chrono::steady_clock::now();
  const auto ds = diagnostics_of([&] { (void)parse_scenario(bytes, "bomb.xlsx"); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].expected, "XML parts of at most 64 MiB");
  EXPECT_NE(ds[0].message.find("refused before inflating"), std::string::npos);
  EXPECT_LT(seconds, 1.0);
}

TEST(SpreadsheetLimits, APartWithMillionsOfElementsIsRefusedBeforeParsing) {
  // 7 million empty rows: 56 MB of XML (a few hundred KB zipped) that would parse into a tree of
  // several hundred MB.
  auto parts = hand_written_xlsx("");
  std::string rows;
  rows.reserve(7'000'000 * 8);
  for (int k = 0; k < 7'000'000; ++k) rows += "<x:row/>";
  parts.back().second.insert(parts.back().second.find("</x:sheetData>"), rows);
  const auto ds = diagnostics_of([&] { (void)parse_scenario(make_zip(parts), "rows.xlsx"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].expected, "at most 6000000 XML elements and attributes in a part");
}

TEST(SpreadsheetLimits, RepeatedCellsCannotExpandWithoutBound) {
  // One row of 1000 non-blank cells repeated a million times: a billion cells if expanded.
  const std::string rows =
      "<table:table-row table:number-rows-repeated=\"1000000\">" + float_cell("1", " table:number-columns-repeated=\"1000\"") +
      "</table:table-row>";
  const auto ds = diagnostics_of([&] { (void)parse_scenario(ods(rows), "many.ods"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].expected, "at most 1000000 cells");
  // One cell at Excel's last address is fine (rows are sparse).
  const std::string far = "<x:row r=\"1048576\"><x:c r=\"XFD1048576\"><x:v>1</x:v></x:c></x:row>";
  const auto wb = read_workbook(make_zip(hand_written_xlsx(far)), "far.xlsx");
  EXPECT_EQ(wb.sheets[0].rows.at(0).cells.size(), 16384u);
  const std::string beyond = "<x:row r=\"1\"><x:c r=\"XFE1\"><x:v>1</x:v></x:c></x:row>";
  EXPECT_THROW((void)read_workbook(make_zip(hand_written_xlsx(beyond)), "b.xlsx"), InputError);
}

TEST(SpreadsheetLimits, NotASpreadsheet) {
  auto ds = diagnostics_of([] { (void)parse_scenario(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12), "old.xls"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].found.find(".xls"), std::string::npos);
  ds = diagnostics_of([] { (void)parse_scenario(make_zip({{"readme.txt", "hello"}}), "x.zip"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].found, "a zip archive of something else");
  ds = diagnostics_of([] {
    (void)parse_scenario(make_zip({{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", "<x/>"}}), "t.odt");
  });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].found.find("opendocument.text"), std::string::npos);
  const std::string good = write_xlsx({sheet_from_csv("J", read_file(data_path("import/jcpoa_long.csv")))});
  ds = diagnostics_of([&] { (void)parse_scenario(good.substr(0, good.size() / 2), "half.xlsx"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].where.file, "half.xlsx");
}

// ---- Robustness -------------------------------------------------------------------------------------

std::string outcome(const std::string& bytes, const std::string& name, bool* parsed = nullptr) {
  if (parsed != nullptr) *parsed = false;
  try {
    const Scenario s = parse_scenario(bytes, name);
    if (parsed != nullptr) *parsed = true;
    for (const auto& a : s.actors)
      if (a.stances.size() != s.issues.size()) return "inconsistent stances";
  } catch (const InputError& e) {
    if (e.diagnostics().empty()) return "InputError without diagnostics";
    for (const auto& d : e.diagnostics())
      if (d.where.file != name) return "diagnostic without the file name: " + d.to_string();
  } catch (const std::exception& e) {
    return std::string("unexpected exception: ") + e.what();
  }
  return {};
}

std::string mutate(std::string s, Rng& rng, const std::string& alphabet) {
  const int edits = 1 + static_cast<int>(rng.below(4));
  for (int e = 0; e < edits; ++e) {
    const std::size_t n = s.size();
    const auto pos = n == 0 ? 0 : static_cast<std::size_t>(rng.below(n));
    switch (rng.below(5)) {
      case 0:
        if (n) s[pos] = alphabet[rng.below(alphabet.size())];
        break;
      case 1: s.insert(pos, 1, alphabet[rng.below(alphabet.size())]); break;
      case 2:
        if (n) s.erase(pos, 1 + rng.below(30));
        break;
      case 3:
        if (n) s.insert(pos, s.substr(rng.below(n), 1 + rng.below(60)));
        break;
      default:
        if (n) s[pos] = static_cast<char>(rng.below(256));
        break;
    }
  }
  return s;
}

TEST(SpreadsheetRobustness, MutatedArchivesAndPartsGiveAScenarioOrAnInputError) {
  const std::string xlsx = write_xlsx({sheet_from_csv("JCPOA", read_file(data_path("import/jcpoa_long.csv")))});
  Rng rng(15, 1);
  // ENTENTE_FUZZ_ITERATIONS=N multiplies the variants for a longer search by hand.
  const char* env = std::getenv("ENTENTE_FUZZ_ITERATIONS");
  const int scale = env ? std::max(1, std::atoi(env) / 60) : 1;
  // Bytes of the archive itself (mostly caught by libzip's checks, CRC included).
  for (int k = 0; k < 300 * scale; ++k) ASSERT_EQ(outcome(mutate(xlsx, rng, "PK\x03\x04\x01\x00<>/\"= "), "m.xlsx"), "") << k;
  for (std::size_t n = 0; n < xlsx.size(); n += 97) ASSERT_EQ(outcome(xlsx.substr(0, n), "t.xlsx"), "") << n;
  // The XML inside an intact archive: every part of the hand-written workbook, and ODS content.
  const std::string xml_alphabet = "<>/=\"' x:ctrvsie0123456789AB&;#\n";
  int parsed = 0, rejected = 0;
  for (int k = 0; k < 400 * scale; ++k) {
    auto parts = hand_written_xlsx(kHandSheet);
    auto& part = parts[1 + rng.below(parts.size() - 1)].second;
    part = mutate(part, rng, xml_alphabet);
    bool ok = false;
    const std::string what = outcome(make_zip(parts), "p.xlsx", &ok);
    ASSERT_EQ(what, "") << k << ": " << part;
    ++(ok ? parsed : rejected);
  }
  EXPECT_GT(parsed, 10);
  EXPECT_GT(rejected, 10);
  const std::string ods_rows = "<table:table-row>" + text_cell("Actor") + text_cell("Issue") + text_cell("Capability") +
                               text_cell("Position") + text_cell("Salience") + "</table:table-row><table:table-row>" +
                               text_cell("A") + text_cell("T") + float_cell("1", " table:number-columns-repeated=\"2\"") +
                               float_cell("0.5") + "</table:table-row><table:table-row table:number-rows-repeated=\"3\">" +
                               text_cell("B") + text_cell("T") + float_cell("2") + float_cell("3") + float_cell("0.5") +
                               "</table:table-row>";
  for (int k = 0; k < 200 * scale; ++k) {
    const std::string content = mutate(ods_content(ods_rows), rng, xml_alphabet + "table-rowcel");
    ASSERT_EQ(outcome(make_zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", content}}),
                      "p.ods"),
              "")
        << k << ": " << content;
  }
}

}  // namespace
}  // namespace entente::test
