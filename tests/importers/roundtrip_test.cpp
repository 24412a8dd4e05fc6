// Every importable data file loads (validated), and its native YAML/JSON reads back identical.
#include <gtest/gtest.h>

#include <filesystem>

#include "common.hpp"

namespace entente::test {
namespace {

std::vector<std::string> importable_files() {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const char* dir : {"cases", "decide", "ktab"})
    for (const auto& e : fs::recursive_directory_iterator(data_path(dir))) {
      const auto ext = e.path().extension().string();
      const auto fname = e.path().filename().string();
      if (!e.is_regular_file() || fname == "SOURCES.md" || ext == ".xsd" || fname.rfind("20170530_ref", 0) == 0) continue;
      if (fname == "copenhagen_with_errors.csv" || fname == "smpExample.xml") continue;  // broken on purpose
      out.push_back(e.path().string());
    }
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same(const Scenario& a, const Scenario& b) {
  ASSERT_EQ(a.issues.size(), b.issues.size());
  ASSERT_EQ(a.actors.size(), b.actors.size());
  for (std::size_t i = 0; i < a.issues.size(); ++i) {
    EXPECT_EQ(a.issues[i].id, b.issues[i].id);
    EXPECT_EQ(a.issues[i].name, b.issues[i].name);
    EXPECT_EQ(a.issues[i].min, b.issues[i].min);
    EXPECT_EQ(a.issues[i].max, b.issues[i].max);
    ASSERT_EQ(a.issues[i].points.size(), b.issues[i].points.size());
  }
  for (std::size_t k = 0; k < a.actors.size(); ++k) {
    const auto &x = a.actors[k], &y = b.actors[k];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.capability.value, y.capability.value);
    for (std::size_t i = 0; i < a.issues.size(); ++i) {
      ASSERT_EQ(x.stances[i].has_value(), y.stances[i].has_value());
      if (!x.stances[i]) continue;
      EXPECT_EQ(x.stances[i]->position.value, y.stances[i]->position.value);
      EXPECT_EQ(x.stances[i]->salience.value, y.stances[i]->salience.value);
      ASSERT_EQ(x.stances[i]->capability.has_value(), y.stances[i]->capability.has_value());
      if (x.stances[i]->capability) {
        EXPECT_EQ(x.stances[i]->capability->value, y.stances[i]->capability->value);
      }
    }
  }
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.model_params, b.model_params);
}

TEST(RoundTrip, EveryDataFileLoadsValidatedAndSurvivesYamlAndJson) {
  const auto files = importable_files();
  EXPECT_EQ(files.size(), 13u + 5u + 24u);  // 13 tables; 5 good Decide files; 22 KTAB CSV + 2 good XML
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    Scenario s;
    ASSERT_NO_THROW(s = load_scenario(f));
    EXPECT_EQ(s.origin, f);
    Scenario y, j;
    ASSERT_NO_THROW(y = parse_scenario(to_yaml(s), "roundtrip.yaml")) << to_yaml(s).substr(0, 2000);
    ASSERT_NO_THROW(j = parse_scenario(to_json(s), "roundtrip.json"));
    expect_same(s, y);
    expect_same(s, j);
  }
}

}  // namespace
}  // namespace entente::test
