// The scenario format of issue 13: veto, no_deal, no_deal_cost. Parsing, validation errors (each
// with its file:line:column), exact round trips through the writers, and the Monte Carlo inputs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "entente/analysis.hpp"
#include "entente/scenario.hpp"
#include "scenario/scenario_eq.hpp"

using namespace entente;

namespace {

std::string data(const std::string& f) { return std::string(ENTENTE_TEST_DATA) + "/deal/" + f; }

// "line:column" (1-based) of the n-th occurrence of `token` in `text`.
std::string where(const std::string& text, const std::string& token, int n = 1) {
  std::size_t at = std::string::npos, from = 0;
  for (int k = 0; k < n; ++k) {
    at = text.find(token, from);
    if (at == std::string::npos) return "not found";
    from = at + 1;
  }
  int line = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++line;
      start = i + 1;
    }
  return std::to_string(line) + ":" + std::to_string(at - start + 1);
}

// The one-issue scenario with a placeholder for the line under test.
std::string scenario_with(const std::string& veto, const std::string& stance_x, const std::string& extra = "") {
  return "issues:\n"
         "  - id: x\n"
         "    scale: {min: 0, max: 100}\n"
         "  - id: v\n"
         "    options: [p, q]\n"
         "actors:\n"
         "  - id: a\n"
         "    capability: 1\n" +
         veto +
         "    issues:\n"
         "      x: " + stance_x + "\n"
         "      v: {utilities: {p: 1}, salience: 1}\n" + extra;
}

// Parses `yaml` expecting exactly one diagnostic; returns "line:col field: expected / found".
std::string single_error(const std::string& yaml) {
  try {
    (void)parse_scenario(yaml, "bad.yaml");
  } catch (const InputError& e) {
    if (e.diagnostics().size() != 1) {
      std::string all;
      for (const auto& d : e.diagnostics()) all += d.to_string() + "\n";
      return "more than one diagnostic:\n" + all;
    }
    const Diagnostic& d = e.diagnostics()[0];
    return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.field + ": " + d.expected +
           " / " + d.found;
  }
  return "no error";
}

}  // namespace

TEST(DealFormat, ParsesVetoNoDealAndCost) {
  const Scenario s = load_scenario(data("two_issues.yaml"));
  const Actor& a = s.actors[0];
  ASSERT_TRUE(a.veto);
  EXPECT_TRUE(a.veto->all);
  ASSERT_TRUE(a.no_deal_cost);
  EXPECT_EQ(a.no_deal_cost->value, 0.05);
  EXPECT_EQ(a.stances[0]->no_deal->value, 45.0);
  EXPECT_FALSE(a.stances[1]->no_deal);  // the status quo applies
  EXPECT_EQ(a.stances[2]->no_deal->value, 1.0);  // q, by index
  const Actor& b = s.actors[1];
  ASSERT_TRUE(b.veto);
  EXPECT_FALSE(b.veto->all);
  EXPECT_EQ(b.veto->issues, (std::vector<std::string>{"x", "v"}));
  EXPECT_FALSE(b.no_deal_cost);
  EXPECT_FALSE(s.actors[2].veto);
  // veto: false is the same as no veto.
  const Scenario f = parse_scenario(scenario_with("    veto: false\n", "{position: 0, salience: 1}"), "f.yaml");
  EXPECT_FALSE(f.actors[0].veto);
}

TEST(DealFormat, ValidationErrorsNameFileLineAndField) {
  // An unknown issue in a veto list, at the id itself.
  {
    const std::string y = scenario_with("    veto: [x, nato]\n", "{position: 0, salience: 1, no_deal: 10}");
    EXPECT_EQ(single_error(y), where(y, "nato") + " actors.a.veto[1]: the id of an issue / unknown issue 'nato'");
  }
  // A veto on an issue the actor holds no stance on.
  {
    const std::string y =
        scenario_with("    veto: [x]\n", "{position: 0, salience: 1, no_deal: 10}",
                      "  - id: b\n    capability: 1\n    veto: [v]\n    issues:\n      x: {position: 9, salience: 1}\n");
    EXPECT_EQ(single_error(y), where(y, "[v]") +
                                   " actors.b.veto[0]: an issue on which 'b' holds a stance (a veto needs its position) "
                                   "/ no stance on 'v'");
  }
  // A numeric issue with a veto player, no status_quo and no no_deal point: at the stance's position.
  {
    const std::string y = scenario_with("    veto: true\n", "{position: 7, salience: 1}");
    EXPECT_EQ(single_error(y), where(y, "7") +
                                   " actors.a.issues.x.no_deal: a no_deal point on [0, 100], since 'a' is a veto player "
                                   "and issue 'x' has no status_quo / nothing");
  }
  // A no-deal point off the scale.
  {
    const std::string y = scenario_with("", "{position: 0, salience: 1, no_deal: 140}");
    EXPECT_EQ(single_error(y), where(y, "140") + " actors.a.issues.x.no_deal: a number in [0, 100] / 140");
  }
  // Its uncertainty off the scale.
  {
    const std::string y = scenario_with("", "{position: 0, salience: 1, no_deal: {value: 50, uncertainty: {range: [40, 120]}}}");
    EXPECT_EQ(single_error(y), where(y, "50") +
                                   " actors.a.issues.x.no_deal.uncertainty: bounds within the field's bounds [0, 100] / [40, 120]");
  }
  // An option the categorical issue does not have, with a suggestion.
  {
    std::string y = scenario_with("", "{position: 0, salience: 1}");
    y.replace(y.find("salience: 1}\n", y.find("v: {")), 13, "salience: 1, no_deal: qq}\n");
    try {
      (void)parse_scenario(y, "bad.yaml");
      ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
      ASSERT_EQ(e.diagnostics().size(), 1u);
      const auto& d = e.diagnostics()[0];
      EXPECT_EQ(std::to_string(d.where.line) + ":" + std::to_string(d.where.column), where(y, "qq"));
      EXPECT_EQ(d.field, "actors.a.issues.v.no_deal");
      EXPECT_EQ(d.found, "unknown option 'qq'");
      EXPECT_EQ(d.message, "did you mean 'q'?");
    }
  }
  // A categorical no-deal point takes no uncertainty.
  {
    std::string y = scenario_with("", "{position: 0, salience: 1}");
    y.replace(y.find("salience: 1}\n", y.find("v: {")), 13, "salience: 1, no_deal: {value: p, uncertainty: {range: [0, 1]}}}\n");
    EXPECT_EQ(single_error(y), where(y, "{range") +
                                   " actors.a.issues.v.no_deal.uncertainty: no uncertainty on a categorical no_deal (it "
                                   "names one option) / a map");
  }
  // A negative no-deal cost.
  {
    const std::string y = scenario_with("    no_deal_cost: -0.2\n", "{position: 0, salience: 1}");
    EXPECT_EQ(single_error(y), where(y, "-0.2") + " actors.a.no_deal_cost: a number >= 0 / -0.2");
  }
  // veto must be true, false or a list.
  {
    const std::string y = scenario_with("    veto: maybe\n", "{position: 0, salience: 1}");
    EXPECT_EQ(single_error(y), where(y, "maybe") + " actors.a.veto: true, false or a list of issue ids / 'maybe'");
  }
  // A no-deal point on an issue that does not exist is an unknown issue like any stance.
  {
    const std::string y = scenario_with("", "{position: 0, salience: 1}") + "      zz: {position: 0, salience: 1, no_deal: 3}\n";
    EXPECT_EQ(single_error(y), where(y, "zz") + " actors.a.issues.zz: the id of an issue / unknown issue 'zz'");
  }
  // An empty veto list says nothing: rejected rather than read as "no veto".
  {
    const std::string y = scenario_with("    veto: []\n", "{position: 0, salience: 1}");
    EXPECT_EQ(single_error(y), where(y, "[]") + " actors.a.veto: at least one issue id (or true, or leave veto out) / an empty list");
  }
}

TEST(DealFormat, ValidateChecksScenariosBuiltInCode) {
  Scenario s = load_scenario(data("two_issues.yaml"));
  s.actors[1].veto->issues.push_back("nowhere");
  s.actors[0].stances[0]->no_deal->value = -3;
  try {
    validate(s);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[0].field, "actors.a.issues.x.no_deal");
    EXPECT_EQ(e.diagnostics()[1].field, "actors.b.veto[2]");
  }
}

TEST(DealFormat, RoundTripOfTheNewFields) {
  const Scenario s = load_scenario(data("two_issues.yaml"));
  const std::string yaml = to_yaml(s);
  EXPECT_NE(yaml.find("    veto: true\n    no_deal_cost: 0.05\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    veto: [x, v]\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("        no_deal: 45\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("        no_deal: q\n"), std::string::npos) << yaml;
  const Scenario back = parse_scenario(yaml, "back.yaml");
  EXPECT_EQ(entente::testing::scenario_diff(s, back), "");
  EXPECT_EQ(to_yaml(back), yaml);
  const std::string json = to_json(s);
  EXPECT_TRUE(nlohmann::json::accept(json)) << json;
  const auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["actors"][0]["veto"], true);
  EXPECT_EQ(j["actors"][1]["veto"], (nlohmann::json{"x", "v"}));
  EXPECT_EQ(j["actors"][0]["issues"]["v"]["no_deal"], "q");
  EXPECT_EQ(entente::testing::scenario_diff(s, parse_scenario(json, "back.json")), "");
  // With evidence and uncertainty, as every number.
  Scenario t = s;
  t.actors[0].stances[0]->no_deal->evidence.judgment = "expects to hold: \"45\"";
  t.actors[0].stances[0]->no_deal->uncertainty = Uncertainty{Uncertainty::Kind::triangular, 30, 60, 45, 0, 0};
  t.actors[0].stances[2]->no_deal->evidence.judgment = "the venue stays";
  t.actors[0].no_deal_cost->uncertainty = Uncertainty{Uncertainty::Kind::normal, 0, 1, 0, 0.05, 0.02};
  const std::string y2 = to_yaml(t);
  EXPECT_NE(y2.find("no_deal: {value: q, evidence: {judgment: the venue stays}}"), std::string::npos) << y2;
  EXPECT_EQ(entente::testing::scenario_diff(t, parse_scenario(y2, "t.yaml")), "");
  EXPECT_EQ(entente::testing::scenario_diff(t, parse_scenario(to_json(t), "t.json")), "");
}

TEST(DealFormat, MissingEvidenceListsTheNewNumbers) {
  const Scenario s = load_scenario(data("two_issues.yaml"));
  std::vector<std::string> fields;
  for (const auto& m : missing_evidence(s)) fields.push_back(m.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "actors.a.no_deal_cost"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "actors.a.issues.x.no_deal"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "actors.a.issues.v.no_deal"), fields.end());
}

TEST(DealFormat, NoDealInputsAreDrawnAfterEveryOtherInput) {
  Scenario s = load_scenario(data("one_issue.yaml"));
  s.actors[0].capability.uncertainty = Uncertainty{Uncertainty::Kind::range, 0.5, 2, 0, 0, 0};
  Quantity cost;
  cost.value = 0.1;
  cost.uncertainty = Uncertainty{Uncertainty::Kind::range, 0, 0.3, 0, 0, 0};
  s.actors[1].no_deal_cost = cost;
  validate(s);
  const auto inputs = uncertain_inputs(s);
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_EQ(inputs[0].path, "a.capability");
  EXPECT_EQ(inputs[1].path, "b.no_deal_cost");
  EXPECT_EQ(inputs[1].field, UncertainInput::Field::no_deal_cost);
  EXPECT_EQ(inputs[1].low, 0);
  EXPECT_EQ(inputs[2].path, "b.x.no_deal");
  EXPECT_EQ(inputs[2].field, UncertainInput::Field::no_deal);
  EXPECT_EQ(inputs[2].low, 0);
  EXPECT_EQ(inputs[2].high, 100);
  EXPECT_EQ(input_value(s, inputs[2]), 30);
  // The draws of the inputs before them are those of the scenario without them.
  Scenario plain = s;
  plain.actors[1].no_deal_cost.reset();
  plain.actors[1].stances[0]->no_deal->uncertainty = {};
  for (std::uint64_t d = 0; d < 50; ++d) {
    const Scenario a = draw_scenario(s, 5, d), b = draw_scenario(plain, 5, d);
    EXPECT_EQ(a.actors[0].capability.value, b.actors[0].capability.value);
    const double nd = a.actors[1].stances[0]->no_deal->value;
    EXPECT_GE(nd, 20);
    EXPECT_LE(nd, 60);
    EXPECT_GE(a.actors[1].no_deal_cost->value, 0);
    EXPECT_LE(a.actors[1].no_deal_cost->value, 0.3);
  }
  Scenario t = s;
  set_input_value(t, inputs[1], 0.25);
  EXPECT_EQ(t.actors[1].no_deal_cost->value, 0.25);
}
