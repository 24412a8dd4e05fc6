// The scenario reader's YAML tree (src/scenario/yaml_tree.hpp) against yaml-cpp's own YAML::Load,
// the reference it replaces: on every file the tests hold, on hand-written corner cases and on
// random token soup, the two must agree node for node (type, tag, text, mark, children in
// order), or both reject the text.
#include <gtest/gtest.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>

#include "scenario/yaml_tree.hpp"

namespace {

using entente::detail::yaml::Node;
using entente::detail::yaml::Tree;

// Compares up to `budget` node visits and 64 levels (aliases can make a tree a DAG much larger
// than its text, or a cycle).
bool same(const YAML::Node& ref, const Node& got, std::string& why, std::size_t& budget, const std::string& path) {
  if (budget == 0 || std::count(path.begin(), path.end(), '/') > 64) return true;
  --budget;
  auto fail = [&](const std::string& what) {
    why = path + ": " + what;
    return false;
  };
  if (ref.Type() != got.Type()) return fail("type " + std::to_string(ref.Type()) + " vs " + std::to_string(got.Type()));
  if (!ref.IsDefined()) return true;
  if (ref.Tag() != got.Tag()) return fail("tag '" + ref.Tag() + "' vs '" + got.Tag() + "'");
  if (ref.Scalar() != got.Scalar()) return fail("scalar '" + ref.Scalar() + "' vs '" + got.Scalar() + "'");
  const auto a = ref.Mark(), b = got.Mark();
  if (a.pos != b.pos || a.line != b.line || a.column != b.column)
    return fail("mark " + std::to_string(a.line) + ":" + std::to_string(a.column) + " vs " + std::to_string(b.line) + ":" +
                std::to_string(b.column));
  if (ref.size() != got.size()) return fail("size " + std::to_string(ref.size()) + " vs " + std::to_string(got.size()));
  if (ref.IsSequence()) {
    for (std::size_t k = 0; k < ref.size(); ++k)
      if (!same(ref[k], got[k], why, budget, path + "/" + std::to_string(k))) return false;
  } else if (ref.IsMap()) {
    auto g = got.begin();
    std::size_t k = 0;
    for (auto r = ref.begin(); r != ref.end(); ++r, ++g, ++k) {
      if (g == got.end()) return fail("fewer pairs");
      if (!same(r->first, g->first, why, budget, path + "/key" + std::to_string(k))) return false;
      if (!same(r->second, g->second, why, budget, path + "/value" + std::to_string(k))) return false;
    }
    if (g != got.end()) return fail("more pairs");
  }
  return true;
}

struct Sink : YAML::EventHandler {
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Empty when both agree; otherwise what differs.
std::string compare(const std::string& text) {
  YAML::Node ref;
  bool ref_threw = false;
  try {
    ref = YAML::Load(text);
  } catch (const YAML::Exception&) {
    ref_threw = true;
  }
  std::optional<Tree> tree;
  bool got_threw = false;
  try {
    tree.emplace(text);
  } catch (const YAML::Exception&) {
    got_threw = true;
  }
  // YAML::Load reads the first document only; the tree also reads a second one, if any (as the
  // reader did before it: two passes of yaml-cpp's parser with an event sink, the reference here).
  bool second = false, second_threw = false;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    Sink sink;
    if (parser.HandleNextDocument(sink)) second = parser.HandleNextDocument(sink);
  } catch (const YAML::Exception&) {
    second_threw = true;
  }
  if (ref_threw) return got_threw ? "" : "YAML::Load rejects it, the tree accepts it";
  if (got_threw) return second_threw ? "" : "the tree rejects it, yaml-cpp's parser accepts it";
  if (second_threw) return "yaml-cpp's parser rejects a second document, the tree accepts it";
  if (second != tree->has_second()) return "a second document: yaml-cpp and the tree disagree";
  // No document at all: YAML::Load gives a null node, the tree an undefined root (the reader
  // rejects both as an empty document).
  if (!tree->root().IsDefined()) return ref.IsNull() && ref.Mark().line == -1 ? "" : "the tree found no document";
  std::string why;
  std::size_t budget = 200000;
  if (!same(ref, tree->root(), why, budget, "root")) return why;
  return "";
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(YamlTree, AgreesWithYamlCppOnEveryYamlAndJsonFileOfTheTests) {
  std::size_t files = 0;
  for (const auto* root : {ENTENTE_TEST_DATA, ENTENTE_TEST_DATA "/../fuzz/corpus"}) {
    if (!std::filesystem::exists(root)) continue;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (!e.is_regular_file() || e.file_size() > (1u << 20)) continue;
      const auto ext = e.path().extension().string();
      const bool corpus = e.path().string().find("/corpus/") != std::string::npos;
      if (!corpus && ext != ".yaml" && ext != ".yml" && ext != ".json") continue;
      const std::string text = slurp(e.path());
      if (text.find('\0') != std::string::npos) continue;  // rejected before parsing
      EXPECT_EQ(compare(text), "") << e.path();
      ++files;
    }
  }
  EXPECT_GT(files, 30u);
}

TEST(YamlTree, AgreesWithYamlCppOnCornerCases) {
  const char* cases[] = {
      "",
      "# only a comment\n",
      "a: 1\n",
      "a:\nb: ~\nc: null\nd: 'null'\ne: \"x\"\nf: !!str 5\ng: !custom x\n",
      "a: 1\na: 2\na: 3\n",                        // duplicate keys, all kept in order
      "x: &anchor {p: 1, q: [1, 2]}\ny: *anchor\nz: *anchor\n",  // aliases share the anchored node
      "- &s hello\n- *s\n- [*s, *s]\n",
      "? [complex, key]\n: value\n? {m: 1}\n: 2\n",  // non-scalar keys
      "{\"json\": [1, 2.5, -3e2, true, null, \"s\"], \"nested\": {\"a\": {\"b\": []}}}",
      "[]",
      "{}",
      "scalar at top",
      "a: |\n  block\n  text\nb: >\n  folded\n  text\n",
      "a: [1, 2\n",            // syntax error
      "a: *nowhere\n",         // unknown alias
      "a: 1\n---\nb: 2\n",      // a second document
      "--- a\n...\n",
      "\"\",",                  // a flow node followed by junk (what hangs LoadAll)
      "a:\n  - b: 1\n    c: 2\n  - d\n",
      "key: value # comment\n'quoted key': 2\n\"dq\": 3\n",
      "&a [*a]",                // an alias inside its own anchor
  };
  for (const char* c : cases) EXPECT_EQ(compare(c), "") << c;
}

TEST(YamlTree, SecondDocumentAndEmptyText) {
  {
    Tree t("a: 1\n---\nb: 2\n");
    EXPECT_TRUE(t.has_second());
    EXPECT_EQ(t.second_start().line, 1);
    EXPECT_TRUE(t.root().IsMap());
  }
  {
    Tree t("a: 1\n");
    EXPECT_FALSE(t.has_second());
  }
  {
    Tree t("");
    EXPECT_FALSE(t.root().IsDefined());
    EXPECT_FALSE(t.has_second());
  }
  {
    // A missing key and indexing out of range give undefined nodes, as in yaml-cpp.
    Tree t("[1, 2]");
    EXPECT_FALSE(t.root()[2].IsDefined());
    EXPECT_EQ(t.root()[1].Scalar(), "2");
    EXPECT_EQ(t.root().begin(), t.root().end());  // a sequence has no pairs
    EXPECT_EQ(Node().Mark().line, -1);
  }
}

TEST(YamlTree, AgreesWithYamlCppOnRandomTokenSoup) {
  // Token soup rather than characters: most of it is still YAML, so the trees get compared.
  static const char* tokens[] = {"a", "b", "key", "1", "2.5", "-", "- ", ": ", ":", ",", "[", "]", "{", "}", "\n", "\n  ",
                                 "  ", "\"q\"", "'s'", "&x ", "*x", "&y ", "*y", "!!str ", "? ", "---\n", "...\n", "#c\n", "~",
                                 "null", "|\n  t\n", ">\n  f\n", "a: ", "\n- ", "\n  b: "};
  std::mt19937 rng(20251124);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof tokens / sizeof *tokens - 1), length(0, 24);
  std::size_t accepted = 0;
  for (int n = 0; n < 5000; ++n) {
    std::string text;
    for (std::size_t k = length(rng); k > 0; --k) text += tokens[pick(rng)];
    ASSERT_EQ(compare(text), "") << text;
    try {
      Tree t(text);
      accepted += t.root().IsDefined();
    } catch (const YAML::Exception&) {
    }
  }
  EXPECT_GT(accepted, 500u);  // enough documents that the trees were compared, not just errors
}

}  // namespace
