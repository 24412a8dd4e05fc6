// Bounded parsing and text validity (issue 18, findings 4 and 7; docs/limits.md). Each input
// below was accepted before (or failed later with exit 1 / after gigabytes of memory); each is now
// an InputError with a place, before memory grows with the input.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "entente/scenario.hpp"

namespace entente {
namespace {

const Diagnostic& first_error(const std::string& text, const std::string& name) {
  static Diagnostic d;
  try {
    (void)parse_scenario(text, name);
    ADD_FAILURE() << "accepted: " << text.substr(0, 80);
    d = Diagnostic{};
  } catch (const InputError& e) {
    d = e.diagnostics().front();
  }
  return d;
}

const std::string kIssues = "issues:\n  - id: i\n    scale: {min: 0, max: 1}\n";

// Finding 7: invalid UTF-8 in a native YAML title validated, then `forecast -f json` failed with
// a JSON type error (exit 1) and the stored run could not be exported.
TEST(Limits, InvalidUtf8InNativeTextIsRefusedWithItsPlace) {
  const Diagnostic& d = first_error("title: caf\xE9\n" + kIssues, "t.yaml");
  EXPECT_EQ(d.where.line, 1);
  EXPECT_EQ(d.where.column, 11);  // "title: caf" is 10 bytes
  EXPECT_EQ(d.expected, "UTF-8 text");
  EXPECT_NE(d.found.find("0xE9"), std::string::npos) << d.found;
  // UTF-8 encodings of what is not a character: a surrogate (U+D800), above U+10FFFF, overlong '/'.
  for (const std::string bad : {"\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF", "\xF5\x80\x80\x80"}) {
    const Diagnostic& e = first_error("title: x\n" + kIssues + "# " + bad + "\n", "t.yaml");
    EXPECT_EQ(e.where.line, 5) << e.to_string();
    EXPECT_EQ(e.expected, "UTF-8 text");
  }
  EXPECT_EQ(first_error("{\"title\": \"\xFF\"}", "t.json").where.line, 1);
}

TEST(Limits, WellFormedUtf8IsAccepted) {
  // Two-, three- and four-byte characters, the last below U+10FFFF: "é", "€", U+10FFFF itself.
  const Scenario s = parse_scenario("title: caf\xC3\xA9 \xE2\x82\xAC \xF4\x8F\xBF\xBF\n" + kIssues +
                                        "actors:\n  - id: a\n    capability: 1\n    issues: {i: {position: 0.5, salience: 1}}\n",
                                    "t.yaml");
  EXPECT_EQ(s.title, "caf\xC3\xA9 \xE2\x82\xAC \xF4\x8F\xBF\xBF");
}

// Finding 7: KTAB names given as XML character references to a surrogate or past U+10FFFF
// decoded into invalid UTF-8 and failed later (exit 1).
TEST(Limits, KtabNamesWithInvalidCodePointsAreRefused) {
  std::ifstream in(std::string(ENTENTE_TEST_DATA) + "/ktab/dummyData_3Dim.xml", std::ios::binary);
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(xml.find("<name>SActor-00</name>"), std::string::npos);
  EXPECT_NO_THROW((void)parse_scenario(xml, "k.xml"));
  for (const std::string ref : {"&#xD800;", "&#x110000;"}) {
    std::string bad = xml;
    bad.replace(bad.find("SActor-00"), 9, "S" + ref);
    try {
      (void)parse_scenario(bad, "k.xml");
      ADD_FAILURE() << "accepted " << ref;
    } catch (const InputError& e) {
      const Diagnostic& d = e.diagnostics().front();
      EXPECT_EQ(d.where.file, "k.xml");
      EXPECT_EQ(d.found, "invalid UTF-8") << d.to_string();
    } catch (const std::exception& e) {
      ADD_FAILURE() << ref << ": not an InputError: " << e.what();
    }
  }
}

// Finding 1/4 for files: deep nesting is refused by a scan before the recursive parsers see it.
TEST(Limits, DeepNestingIsRefusedWithItsPlace) {
  const Diagnostic& d = first_error("title: t\nissues: " + std::string(1000, '[') + std::string(1000, ']') + "\n", "t.yaml");
  EXPECT_EQ(d.where.line, 2);
  EXPECT_EQ(d.where.column, 9 + 64);  // "issues: " fills columns 1-8; the 65th [ is at 9 + 64
  EXPECT_NE(d.expected.find("64"), std::string::npos);
  // Brackets inside quoted strings do not count.
  const Diagnostic& q = first_error("title: \"" + std::string(100, '[') + "\"\n", "t.yaml");
  EXPECT_EQ(q.expected.find("nesting"), std::string::npos) << q.to_string();
}

// Finding 4: a 100 MB CSV passed 9 GB of memory at 81 s in `validate`. Now refused at once, by
// its size, in every format.
TEST(Limits, OversizedInputIsRefusedAtOnceInEveryFormat) {
  const std::string rows(17u << 20, '\n');
  for (const std::string head : {"Actor,Position,Salience,Capability\n", "name, description, actors, dimensions\n",
                                 "<Scenario>", "title: t\n"}) {
    const auto t0 = std::chrono::steady_clock::now();
    const Diagnostic& d = first_error(head + rows, "big.csv");
    EXPECT_NE(d.expected.find("at most 16 MiB"), std::string::npos) << d.to_string();
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
  }
}

TEST(Limits, OversizedFileIsRefusedBeforeReading) {
  const std::string path = testing::TempDir() + "/entente-huge.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out.seekp((17 << 20) - 1);
    out.put('\n');  // a sparse 17 MiB file
  }
  try {
    (void)load_scenario(path);
    ADD_FAILURE() << "accepted a 17 MiB file";
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics().front().where.file, path);
    EXPECT_NE(e.diagnostics().front().expected.find("16 MiB"), std::string::npos);
  }
  std::remove(path.c_str());
}

// Finding 7: smp on 100,000 actors ran out of memory (exit 1) and bdm ran for minutes. The count
// of actors is bounded at the parse.
TEST(Limits, TooManyActorsIsAnInputError) {
  std::string text = "Actor,Position,Salience,Capability\n";
  for (int a = 0; a < 10001; ++a) text += "a" + std::to_string(a) + ",50,0.5,1\n";
  const Diagnostic& d = first_error(text, "many.csv");
  EXPECT_EQ(d.field, "actors");
  EXPECT_EQ(d.expected, "at most 10000 actors");
  EXPECT_EQ(d.found, "10001");
}

}  // namespace
}  // namespace entente
