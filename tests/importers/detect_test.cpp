// Format detection, and robustness: mutated inputs give a scenario or an InputError, nothing else.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "common.hpp"
#include "entente/random.hpp"
#include "scenario/import_util.hpp"

namespace entente::test {
namespace {

TEST(Detect, ContentDecidesTheFormat) {
  EXPECT_EQ(import_data("cases/columbus.csv").format, "cases-csv");
  EXPECT_EQ(import_data("cases/argentina_eum.tsv").format, "cases-csv");
  EXPECT_EQ(import_data("decide/sample_data.txt").format, "decide");
  EXPECT_EQ(import_data("decide/data_short.csv").format, "decide");
  EXPECT_EQ(import_data("ktab/SOE-Policy.csv").format, "ktab-csv");
  EXPECT_EQ(import_data("ktab/smpExample-fixed.xml").format, "ktab-xml");
  // The extension does not override the content.
  const std::string cases = read_file(data_path("cases/columbus.csv"));
  EXPECT_EQ(detail::parse_any(cases, "columbus.yaml").format, "cases-csv");
  EXPECT_EQ(detail::parse_any(cases, "noext").format, "cases-csv");
  const std::string decide = read_file(data_path("decide/copenhagen.csv"));
  EXPECT_EQ(detail::parse_any(decide, "x.xml").format, "decide");
}

TEST(Detect, UnrecognisedTablesGetAClearDiagnostic) {
  for (const char* name : {"t.csv", "t.tsv", "t.txt"}) {
    const auto ds = diagnostics_of([&] { (void)detail::parse_any("foo,bar\n1,2\n", name); });
    ASSERT_EQ(ds.size(), 1u) << name;
    EXPECT_EQ(ds[0].field, "format");
    EXPECT_NE(ds[0].expected.find("Decide"), std::string::npos);
    EXPECT_NE(ds[0].expected.find("KTAB"), std::string::npos);
    EXPECT_EQ(ds[0].where.file, name);
  }
  const auto xml = diagnostics_of([] { (void)detail::parse_any("<?xml version=\"1.0\"?><foo/>", "f.xml"); });
  ASSERT_EQ(xml.size(), 1u);
  EXPECT_EQ(xml[0].found, "XML without <Scenario>");
  const auto empty = diagnostics_of([] { (void)detail::parse_any(" \n\r\n", "e.yaml"); });
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].found, "an empty file");
  // The KTAB schema and KTAB's logs are not scenarios.
  EXPECT_THROW(import_data("ktab/smpSchema.xsd"), InputError);
}

TEST(Detect, YamlCommentIsNotDecide) {
  // "# ..." is a YAML comment, not a Decide row: goes to the native parser (whatever it says).
  try {
    (void)detail::parse_any("# a scenario\ntitle: x\n", "s.yaml");
  } catch (const InputError&) {
  }
  EXPECT_FALSE(detail::looks_like_decide("# a scenario\ntitle: x\n"));
}

// Files the robustness test mutates: one of each shape.
std::vector<std::string> seed_files() {
  return {"cases/bdm1994_emission_standards_actors.csv", "cases/mugabe_full.csv", "cases/argentina_eum.tsv",
          "decide/sample_data.txt", "decide/data_short.csv", "decide/copenhagen_with_errors.csv",
          "ktab/SOE-Pol-Comp.csv", "ktab/dummyData_6Dim.csv", "ktab/smpExample-fixed.xml",
          "ktab/dummyData_3Dim.xml", "import/jcpoa_long.csv", "import/panel_alice.csv"};
}

std::string mutate(std::string s, Rng& rng) {
  static const std::string alphabet = ",;\t\"'#ADPM/\r\n 0123456789.-+eE<>/x\xC3\xA9";
  const int edits = 1 + static_cast<int>(rng.below(6));
  for (int e = 0; e < edits; ++e) {
    const std::size_t n = s.size();
    const auto pos = n == 0 ? 0 : static_cast<std::size_t>(rng.below(n));
    switch (rng.below(6)) {
      case 0:  // flip to a structural character
        if (n) s[pos] = alphabet[rng.below(alphabet.size())];
        break;
      case 1:  // insert
        s.insert(pos, 1, alphabet[rng.below(alphabet.size())]);
        break;
      case 2:  // delete a range
        if (n) s.erase(pos, 1 + rng.below(40));
        break;
      case 3:  // truncate
        s.resize(pos);
        break;
      case 4: {  // duplicate a slice
        if (n) s.insert(pos, s.substr(rng.below(n), 1 + rng.below(80)));
        break;
      }
      default:  // random byte
        if (n) s[pos] = static_cast<char>(rng.below(256));
        break;
    }
  }
  return s;
}

TEST(Robustness, MutatedInputsGiveAScenarioOrAnInputError) {
  int ok = 0, rejected = 0;
  // ENTENTE_FUZZ_ITERATIONS=N runs a longer search by hand; CI uses the default.
  const char* env = std::getenv("ENTENTE_FUZZ_ITERATIONS");
  const int iterations = env ? std::max(1, std::atoi(env)) : 60;
  for (const auto& file : seed_files()) {
    const std::string original = read_file(data_path(file));
    const std::string name = std::filesystem::path(file).filename().string();
    Rng rng(2024, std::hash<std::string>{}(file));
    for (int k = 0; k < iterations; ++k) {
      const std::string text = mutate(original, rng);
      try {
        const Scenario s = parse_scenario(text, name);
        // Whatever was imported is consistent.
        for (const auto& a : s.actors) ASSERT_EQ(a.stances.size(), s.issues.size()) << file << " #" << k;
        ++ok;
      } catch (const InputError& e) {
        ASSERT_FALSE(e.diagnostics().empty());
        ++rejected;
      } catch (const std::exception& e) {
        FAIL() << file << " mutation " << k << ": " << e.what();
      }
    }
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(rejected, 0);
}

TEST(Robustness, EveryTruncationOfASmallFile) {
  for (const char* file : {"decide/data_short.csv", "ktab/SOE-Pol-Comp.csv", "cases/columbus.csv", "import/panel_bob.csv"}) {
    const std::string text = read_file(data_path(file));
    for (std::size_t n = 0; n <= text.size(); n += 7) {
      try {
        (void)parse_scenario(text.substr(0, n), file);
      } catch (const InputError&) {
      }
    }
  }
  const std::string xml = read_file(data_path("ktab/smpExample-fixed.xml"));
  for (std::size_t n = 0; n <= xml.size(); n += 37) {
    try {
      (void)parse_scenario(xml.substr(0, n), "x.xml");
    } catch (const InputError&) {
    }
  }
}

}  // namespace
}  // namespace entente::test

namespace entente::test {
namespace {
// Arbitrary text after the start of each importable format: a scenario or an InputError. (Names
// are table/XML names: text that falls through to YAML is the native parser's to test; yaml-cpp
// 0.7 exhausts memory on a document that starts with ',', e.g. ",x" in a .yaml file.)
RC_GTEST_PROP(RobustnessProperty, AnyTextGivesAScenarioOrAnInputError, (const std::string& body)) {
  const auto prefix = *rc::gen::elementOf(std::vector<std::string>{
      "", "#A;", "'#D'\t", "Actor,Capability,Position,Salience\n", "S,d,3,1,\n", "<Scenario>",
      "Actor,Issue,Capability,Position,Salience,Min,Max,Options,Ranking,Utility: a\n"});
  const auto name = *rc::gen::elementOf(std::vector<std::string>{"f.csv", "f.tsv", "f.xml"});
  try {
    (void)parse_scenario(prefix + body, name);
  } catch (const InputError&) {
  }
}
}  // namespace
}  // namespace entente::test
