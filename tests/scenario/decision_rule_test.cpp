// An issue's decision_rule: parsed, validated (errors name the field), written and read back.
#include <gtest/gtest.h>

#include <string>

#include "entente/model.hpp"
#include "entente/scenario.hpp"
#include "scenario/scenario_eq.hpp"

using namespace entente;

namespace {

const std::string kRule = R"(entente: 1
title: rule
issues:
  - id: tax
    status_quo: 0
    decision_rule:
      name: council, two thirds
      voters:
        - {actor: a, weight: 2}
        - {actor: b, weight: 1}
        - {actor: silent, weight: 1}
      quota: 3
      min_voters: 2
      veto_players: [p]
      agenda_setter: s
      unanimous_amendment: true
actors:
  - {id: a, name: A, capability: 1, issues: {tax: {position: 60, salience: 1}}}
  - {id: b, name: B, capability: 1, issues: {tax: {position: 80, salience: 1}}}
  - {id: p, name: P, capability: 1, issues: {tax: {position: 40, salience: 1}}}
  - {id: s, name: S, capability: 1, issues: {tax: {position: 100, salience: 1}}}
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::vector<Diagnostic> problems(const std::string& text) {
  try {
    (void)parse_scenario(text, "t.yaml");
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}

bool has(const std::vector<Diagnostic>& ds, const std::string& field) {
  for (const auto& d : ds)
    if (d.field == field && d.where.line > 0) return true;
  return false;
}

TEST(DecisionRule, Parsed) {
  const Scenario s = parse_scenario(kRule, "t.yaml");
  ASSERT_TRUE(s.issues[0].decision_rule);
  const auto& r = *s.issues[0].decision_rule;
  EXPECT_EQ(r.name, "council, two thirds");
  ASSERT_EQ(r.voters.size(), 3u);
  EXPECT_EQ(r.voters[0].actor, "a");
  EXPECT_EQ(r.voters[0].weight, 2);
  EXPECT_EQ(r.voters[2].actor, "silent");  // a member without a position
  EXPECT_EQ(r.quota, 3);
  EXPECT_EQ(r.min_voters, 2);
  EXPECT_EQ(r.veto_players, std::vector<std::string>{"p"});
  EXPECT_EQ(r.agenda_setter, "s");
  EXPECT_TRUE(r.unanimous_amendment);
}

TEST(DecisionRule, RoundTripsThroughYamlAndJson) {
  const Scenario s = parse_scenario(kRule, "t.yaml");
  EXPECT_EQ(entente::testing::scenario_diff(s, parse_scenario(to_yaml(s), "back.yaml")), "");
  EXPECT_EQ(entente::testing::scenario_diff(s, parse_scenario(to_json(s), "back.json")), "");
}

TEST(DecisionRule, ProceduralModelReadsIt) {
  // Win set from q = 0: yes needs weight >= 3 from >= 2 voters among a (60, weight 2), b (80, 1) and
  // the silent member (supports any change by default): a + silent suffice, so the pivot is a at 60
  // -> y < 120; veto player p at 40 -> y < 80. The setter at 100 proposes 80; unanimous amendment
  // pulls it back to the highest positioned voter only if 80 lies beyond all voters: b is at 80, so 80.
  const Scenario s = parse_scenario(kRule, "t.yaml");
  EXPECT_DOUBLE_EQ(run_model(s, "procedural", {{"noise", "0"}}).forecasts[0].value, 80);
}

TEST(DecisionRule, ValidationNamesTheField) {
  const std::string f = "issues.tax.decision_rule";
  EXPECT_TRUE(has(problems(replace(kRule, "quota: 3", "quota: 5")), f + ".quota"));  // above the total weight 4
  EXPECT_TRUE(has(problems(replace(kRule, "quota: 3", "quota: 0")), f + ".quota"));
  EXPECT_TRUE(has(problems(replace(kRule, "{actor: b, weight: 1}", "{actor: a, weight: 1}")), f + ".voters[1].actor"));
  EXPECT_TRUE(has(problems(replace(kRule, "{actor: b, weight: 1}", "{actor: b, weight: -1}")), f + ".voters[1].weight"));
  EXPECT_TRUE(has(problems(replace(kRule, "min_voters: 2", "min_voters: 4")), f + ".min_voters"));
  EXPECT_TRUE(has(problems(replace(kRule, "unanimous_amendment: true", "unanimous_amendment: maybe")), f + ".unanimous_amendment"));
  EXPECT_TRUE(has(problems(replace(kRule, "      agenda_setter: s\n", "")), f + ".unanimous_amendment"));
  EXPECT_TRUE(has(problems(replace(kRule, "      quota: 3\n", "")), f + ".quota"));
  EXPECT_TRUE(has(problems(replace(kRule, "quota: 3", "quorum: 3")), f + ".quorum"));
}

}  // namespace
