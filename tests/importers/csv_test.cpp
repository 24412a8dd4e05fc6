#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "scenario/csv.hpp"

namespace entente::csv {
namespace {

std::vector<Row> rd(std::string_view text, Options o = {}) { return read(text, o, "t.csv"); }

std::vector<std::vector<std::string>> texts(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : rows) {
    out.emplace_back();
    for (const auto& f : r.fields) out.back().push_back(f.text);
  }
  return out;
}

using Table = std::vector<std::vector<std::string>>;

TEST(Csv, PlainFieldsWithLineAndColumn) {
  const auto rows = rd("a,bb,ccc\n1,2,3\n");
  EXPECT_EQ(texts(rows), (Table{{"a", "bb", "ccc"}, {"1", "2", "3"}}));
  EXPECT_EQ(rows[0].fields[2].line, 1);
  EXPECT_EQ(rows[0].fields[2].column, 6);  // a , b b , c
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].fields[1].column, 3);
}

TEST(Csv, QuotedFieldsWithDelimiterEscapedQuoteAndNewline) {
  const auto rows = rd("\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",z\nnext,row\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(texts(rows)[0], (std::vector<std::string>{"x,y", "say \"hi\"", "two\nlines", "z"}));
  EXPECT_TRUE(rows[0].fields[0].quoted);
  EXPECT_FALSE(rows[0].fields[3].quoted);
  // The quoted line break moves the following field to line 2, column 7 ("lines"," = 7 chars).
  EXPECT_EQ(rows[0].fields[3].line, 2);
  EXPECT_EQ(rows[0].fields[3].column, 8);
  EXPECT_EQ(rows[1].line, 3);
}

TEST(Csv, LineEndingsCrLfAndCrlfAreAllRecordEnds) {
  for (const std::string nl : {"\n", "\r", "\r\n"}) {
    const auto rows = rd("a,b" + nl + "c,d" + nl + "e,f");
    EXPECT_EQ(texts(rows), (Table{{"a", "b"}, {"c", "d"}, {"e", "f"}})) << int(nl[0]);
    EXPECT_EQ(rows[2].line, 3);
  }
  // Mixed, and a CRLF inside quotes kept as is.
  const auto rows = rd("a\r\nb\rc\n\"q\r\nr\"\n");
  EXPECT_EQ(texts(rows), (Table{{"a"}, {"b"}, {"c"}, {"q\r\nr"}}));
  EXPECT_EQ(rows[3].line, 4);
}

TEST(Csv, ByteOrderMarkIsSkippedAndNotAColumn) {
  const auto rows = rd("\xEF\xBB\xBF" "Actor,x\n");
  EXPECT_EQ(rows[0].fields[0].text, "Actor");
  EXPECT_EQ(rows[0].fields[0].column, 1);
  EXPECT_EQ(rows[0].fields[1].column, 7);
}

TEST(Csv, EmptyInputBlankLinesAndTrailingDelimiters) {
  EXPECT_TRUE(rd("").empty());
  const auto rows = rd("a,\n\n ,\t\nb");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(texts(rows)[0], (std::vector<std::string>{"a", ""}));
  EXPECT_TRUE(rows[1].blank());
  EXPECT_TRUE(rows[2].blank());
  EXPECT_FALSE(rows[3].blank());
  // No phantom row after a final line break.
  EXPECT_EQ(rd("a\n").size(), 1u);
  EXPECT_EQ(rd("a\r\n").size(), 1u);
}

TEST(Csv, QuoteOnlyOpensAtFieldStart) {
  EXPECT_EQ(texts(rd("ab\"c,d")), (Table{{"ab\"c", "d"}}));
  EXPECT_EQ(texts(rd(" \"x\",y")), (Table{{" \"x\"", "y"}}));
  // Text after a closing quote is kept (as Python's csv module does).
  EXPECT_EQ(texts(rd("\"ab\"cd,e")), (Table{{"abcd", "e"}}));
}

TEST(Csv, UnterminatedQuoteIsReportedWithItsPosition) {
  std::vector<Diagnostic> problems;
  const auto rows = read("a,b\nc,\"open\nmore", {}, "f.csv", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].where.file, "f.csv");
  EXPECT_EQ(problems[0].where.line, 2);
  EXPECT_EQ(problems[0].where.column, 3);
  EXPECT_EQ(rows.back().fields.back().text, "open\nmore");
  EXPECT_THROW(read("\"x", {}, "f.csv"), InputError);
}

TEST(Csv, OtherDelimitersAndQuoteCharacters) {
  EXPECT_EQ(texts(rd("'#A'\t'EU (x)'\t''\n", {'\t', '\''})), (Table{{"#A", "EU (x)", ""}}));
  EXPECT_EQ(texts(rd("#A;a;b;;\n", {';', '"'})), (Table{{"#A", "a", "b", "", ""}}));
  EXPECT_EQ(texts(rd("\"a\",b\n", {',', '\0'})), (Table{{"\"a\"", "b"}}));
}

TEST(Csv, ColumnsCountCharactersNotBytes) {
  const auto rows = rd("Çé,x\n");  // two 2-byte characters
  EXPECT_EQ(rows[0].fields[1].column, 4);
}

// Writing any table RFC-4180 style and reading it back gives the same table.
RC_GTEST_PROP(CsvProperty, RoundTripsQuotedTables, ()) {
  const auto cell = rc::gen::container<std::string>(
      rc::gen::elementOf(std::vector<char>{'a', 'b', ',', '"', '\n', '\r', ' ', '1', ';', '\t'}));
  const auto row = rc::gen::resize(6, rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(cell)));
  const auto table = *rc::gen::resize(8, rc::gen::nonEmpty(rc::gen::container<Table>(row)));
  const auto nl = *rc::gen::elementOf(std::vector<std::string>{"\n", "\r", "\r\n"});
  std::string text;
  for (const auto& row : table) {
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (k) text += ',';
      text += '"';
      for (char c : row[k]) text += c == '"' ? std::string("\"\"") : std::string(1, c);
      text += '"';
    }
    text += nl;
  }
  RC_ASSERT(texts(read(text, {}, "p.csv")) == table);
}

// Arbitrary bytes never crash the reader, and every field has a sane position.
RC_GTEST_PROP(CsvProperty, AnyInputReads, (const std::string& text)) {
  std::vector<Diagnostic> problems;
  const auto rows = read(text, {',', '"'}, "p.csv", problems);
  for (const auto& r : rows)
    for (const auto& f : r.fields) RC_ASSERT(f.line >= 1 && f.column >= 1);
}

}  // namespace
}  // namespace entente::csv
