// Bad input never crashes or hangs the parser: thousands of mutated and truncated variants of
// valid files either parse or throw InputError, nothing else. (tests/fuzz/ has a libFuzzer
// entry point for longer runs; this is what CI runs.)
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "entente/random.hpp"
#include "entente/scenario.hpp"

using namespace entente;

namespace {

std::string read_file(const std::string& name) {
  std::ifstream in(std::string(ENTENTE_TEST_DATA) + "/scenario/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string escaped(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (c >= 0x20 && c < 0x7f) || c == '\n' ? std::string(1, static_cast<char>(c)) : fmt::format("\\x{:02x}", c);
  return out;
}

// "" if parsing succeeded or threw InputError; otherwise what else happened.
std::string outcome(const std::string& text, const std::string& name, bool* parsed = nullptr) {
  if (parsed) *parsed = false;
  try {
    (void)parse_scenario(text, name);
    if (parsed) *parsed = true;
  } catch (const InputError& e) {
    if (e.diagnostics().empty()) return "InputError without diagnostics";
    for (const auto& d : e.diagnostics())
      if (d.where.file != name) return "diagnostic without the file name: " + d.to_string();
  } catch (const std::exception& e) {
    return std::string("unexpected exception: ") + e.what();
  } catch (...) {
    return "unexpected non-standard exception";
  }
  return {};
}

const std::vector<std::string> kTokens = {
    "{", "}", "[", "]", ":", ": ", "- ", ",", "&a ", "*a", "&b [*a, *a]", "!!str ", "!!float ", "!x ", "\n", "  ",
    "\t", "'", "\"", "#", "? ", "|", ">", ".nan", ".inf", "-1e999", "1e-999", "\xff", "\xc3", "<<: *a", "---\n",
    "...", "%YAML 1.2\n", "~", "null", "value:", "id: x", "issues:", "actors:", "0x1F", "-", "\\u0000", "\r\n"};

std::string mutate(std::string s, Rng& rng) {
  const int n = 1 + static_cast<int>(rng.below(4));
  for (int k = 0; k < n; ++k) {
    const std::size_t at = s.empty() ? 0 : rng.below(s.size() + 1);
    switch (rng.below(6)) {
      case 0:  // change one byte to anything
        if (!s.empty()) s[std::min(at, s.size() - 1)] = static_cast<char>(rng.below(256));
        break;
      case 1: {  // delete a range
        const std::size_t len = rng.below(40);
        s.erase(at, len);
        break;
      }
      case 2:  // insert a YAML-significant token
        s.insert(at, kTokens[rng.below(kTokens.size())]);
        break;
      case 3: {  // duplicate a range somewhere else
        const std::size_t len = rng.below(80);
        const std::string piece = s.substr(at, len);
        s.insert(s.empty() ? 0 : rng.below(s.size() + 1), piece);
        break;
      }
      case 4:  // truncate
        s.resize(at);
        break;
      default: {  // swap two lines' worth of text
        const std::size_t b = s.empty() ? 0 : rng.below(s.size() + 1);
        if (at < b) std::reverse(s.begin() + static_cast<std::ptrdiff_t>(at), s.begin() + static_cast<std::ptrdiff_t>(std::min(b, at + 30)));
        break;
      }
    }
  }
  return s;
}

}  // namespace

TEST(Robustness, MutatedValidFilesParseOrThrowInputError) {
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"m.yaml", read_file("istanbul.yaml")}, {"m.json", read_file("istanbul.json")},
      {"m.yaml", read_file("evidenced.yaml")}, {"m.yaml", read_file("five_mistakes.yaml")}};
  for (const auto& [name, text] : seeds) ASSERT_FALSE(text.empty()) << name;
  Rng rng(20250528);
  int parsed = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    const auto& [name, text] = seeds[static_cast<std::size_t>(i) % seeds.size()];
    const std::string variant = mutate(text, rng);
    bool ok = false;
    const std::string what = outcome(variant, name, &ok);
    ASSERT_EQ(what, "") << "variant " << i << ":\n" << escaped(variant);
    ++(ok ? parsed : rejected);
  }
  // Both outcomes occur: the mutations are neither all harmless nor all fatal.
  EXPECT_GT(parsed, 50);
  EXPECT_GT(rejected, 1000);
}

TEST(Robustness, EveryTruncation) {
  const std::string text = read_file("istanbul.yaml");
  for (std::size_t n = 0; n <= text.size(); n += 3) ASSERT_EQ(outcome(text.substr(0, n), "t.yaml"), "") << n;
  const std::string json = read_file("istanbul.json");
  for (std::size_t n = 0; n <= json.size(); n += 3) ASSERT_EQ(outcome(json.substr(0, n), "t.json"), "") << n;
}

RC_GTEST_PROP(RobustnessProperty, TokenSoupParsesOrThrowsInputError, ()) {
  const auto ix = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, kTokens.size()));
  std::string text = "issues:\n  - id: t\nactors:\n  - ";
  for (auto i : ix) text += kTokens[i];
  RC_ASSERT(outcome(text, "p.yaml") == "");
}

RC_GTEST_PROP(RobustnessProperty, ArbitraryBytesParseOrThrowInputError, (const std::string& bytes)) {
  RC_ASSERT(outcome(bytes, "p.yaml") == "");
}

TEST(Robustness, AliasBombIsRejectedQuickly) {
  // A classic "billion laughs" shape inside the schema: 200 aliases of one actor, each with
  // 200 utilities. The walk is bounded by the text size, so this ends at once.
  std::string text = "issues:\n  - id: v\n    options: [";
  for (int k = 0; k < 200; ++k) text += fmt::format("{}o{}", k ? ", " : "", k);
  text += "]\nactors:\n  - &a {id: x, capability: 1, issues: {v: {salience: 1, utilities: {";
  for (int k = 0; k < 200; ++k) text += fmt::format("{}o{}: 0.5", k ? ", " : "", k);
  text += "}}}}\n";
  for (int k = 0; k < 200; ++k) text += "  - *a\n";
  try {
    (void)parse_scenario(text, "bomb.yaml");
    FAIL() << "accepted an alias bomb";
  } catch (const InputError& e) {
    EXPECT_NE(e.diagnostics()[0].found.find("expands far beyond its text"), std::string::npos) << e.what();
  }
  // Nested anchors (yaml-cpp shares aliased nodes, so loading is linear too).
  std::string nest = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int k = 1; k < 12; ++k) {
    nest += fmt::format("a{}: &a{} [", k, k);
    for (int j = 0; j < 10; ++j) nest += fmt::format("{}*a{}", j ? ", " : "", k - 1);
    nest += "]\n";
  }
  nest += "issues: *a11\nactors: *a11\n";
  EXPECT_THROW((void)parse_scenario(nest, "nest.yaml"), InputError);
}

TEST(Robustness, DeepNestingIsAnInputError) {
  EXPECT_EQ(outcome("issues: " + std::string(100000, '['), "deep.yaml"), "");
  EXPECT_EQ(outcome("issues: " + std::string(5000, '{') + std::string(5000, '}'), "deep.yaml"), "");
  std::string block;
  for (int k = 0; k < 3000; ++k) block += std::string(static_cast<std::size_t>(k), ' ') + "a:\n";
  EXPECT_EQ(outcome(block, "deep.yaml"), "");
}

TEST(Robustness, HugeDocumentIsRefused) {
  const std::string huge = "title: " + std::string((16u << 20) + 1, 'x');
  try {
    (void)parse_scenario(huge, "huge.yaml");
    FAIL() << "accepted a document over 16 MiB";
  } catch (const InputError& e) {
    EXPECT_NE(e.diagnostics()[0].expected.find("16 MiB"), std::string::npos);
  }
}

TEST(Robustness, ManyErrorsAreCapped) {
  std::string text = "issues:\n  - id: t\nactors:\n";
  for (int k = 0; k < 1000; ++k) text += fmt::format("  - {{id: a{}, capability: -1, issues: {{t: {{position: 1, salience: 1}}}}}}\n", k);
  try {
    (void)parse_scenario(text, "many.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_LE(e.diagnostics().size(), 201u);
    EXPECT_EQ(e.diagnostics().back().message, "too many errors; stopped reporting");
  }
}
