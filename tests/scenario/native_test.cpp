// The native format: every feature parses as SCHEMA.md says, every rule is rejected with
// file:line:column, field, expected and found.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "entente/scenario.hpp"
#include "scenario/scenario_eq.hpp"

using namespace entente;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string data(const std::string& name) { return std::string(ENTENTE_TEST_DATA) + "/scenario/" + name; }

std::vector<Diagnostic> errors(const std::string& text, const std::string& name = "t.yaml") {
  try {
    (void)parse_scenario(text, name);
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}

// Line and column (1-based) of the n-th occurrence of `needle` in `text`: where the offending
// token was written, found independently of the parser.
std::pair<int, int> position_of(const std::string& text, const std::string& needle, int nth = 0) {
  std::size_t at = text.find(needle);
  for (int k = 0; k < nth && at != std::string::npos; ++k) at = text.find(needle, at + 1);
  EXPECT_NE(at, std::string::npos) << needle;
  int line = 1, col = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

// Asserts the file is rejected with exactly one diagnostic, at `needle`, naming field,
// expected and found; returns it for further checks.
Diagnostic expect_one_error(const std::string& text, const std::string& needle, const std::string& field,
                            const std::string& expected, const std::string& found, int nth = 0) {
  const auto ds = errors(text);
  std::string all;
  for (const auto& d : ds) all += d.to_string() + "\n";
  EXPECT_EQ(ds.size(), 1u) << all;
  if (ds.empty()) return {};
  const auto& d = ds[0];
  const auto [line, col] = position_of(text, needle, nth);
  EXPECT_EQ(d.where.file, "t.yaml");
  EXPECT_EQ(d.where.line, line) << all;
  EXPECT_EQ(d.where.column, col) << all;
  EXPECT_EQ(d.field, field) << all;
  EXPECT_NE(d.expected.find(expected), std::string::npos) << all;
  EXPECT_NE(d.found.find(found), std::string::npos) << all;
  // The one-line message carries all of it.
  const std::string msg = d.to_string();
  EXPECT_NE(msg.find(fmt::format("t.yaml:{}:{}: error: field '{}'", line, col, field)), std::string::npos) << msg;
  return d;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A minimal valid scenario that the rejection tests break one thing at a time.
const std::string kBase = R"(title: Base
issues:
  - id: tax
    scale: {min: 0, max: 10}
actors:
  - id: left
    capability: 40
    issues:
      tax:
        position: 7
        salience: 0.8
  - id: right
    capability: 60
    issues:
      tax: {position: 2, salience: 0.6}
)";

}  // namespace

// ---- features ---------------------------------------------------------------------------------

TEST(NativeParse, BaseIsValid) {
  const Scenario s = parse_scenario(kBase, "t.yaml");
  ASSERT_EQ(s.issues.size(), 1u);
  ASSERT_EQ(s.actors.size(), 2u);
  EXPECT_EQ(s.format, "yaml");
  EXPECT_EQ(s.origin, "t.yaml");
  EXPECT_EQ(s.issues[0].name, "tax");  // name defaults to the id
  EXPECT_EQ(s.actors[0].name, "left");
  EXPECT_EQ(s.issues[0].min, 0);
  EXPECT_EQ(s.issues[0].max, 10);
  EXPECT_EQ(s.actors[1].stances[0]->position.value, 2);
  EXPECT_DOUBLE_EQ(s.actors[1].stances[0]->salience.value, 0.6);
  EXPECT_FALSE(s.seed.has_value());
  // Where each number was written.
  const auto [l, c] = position_of(kBase, "40");
  EXPECT_EQ(s.actors[0].capability.where.line, l);
  EXPECT_EQ(s.actors[0].capability.where.column, c);
  const auto [l2, c2] = position_of(kBase, "0.6");
  EXPECT_EQ(s.actors[1].stances[0]->salience.where.line, l2);
  EXPECT_EQ(s.actors[1].stances[0]->salience.where.column, c2);
}

TEST(NativeParse, DefaultScaleIsZeroToHundred) {
  const Scenario s = parse_scenario(replace(kBase, "    scale: {min: 0, max: 10}\n", ""), "t.yaml");
  EXPECT_EQ(s.issues[0].min, 0);
  EXPECT_EQ(s.issues[0].max, 100);
}

TEST(NativeParse, EveryFeatureOfTheIstanbulExample) {
  const Scenario s = load_scenario(data("istanbul.yaml"));
  EXPECT_EQ(s.title, "Istanbul talks, second round");
  EXPECT_EQ(s.as_of, "2025-05-28");
  EXPECT_EQ(s.description, "Russia proposed a second round of direct talks in Istanbul on 2 June 2025.\n");
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0].id, "asiae");
  EXPECT_EQ(s.sources[0].publisher, "The Asia Business Daily");
  EXPECT_EQ(s.sources[0].date, "2025-05-28");
  EXPECT_EQ(s.sources[0].file, "seed/istanbul-talks-2025-05-28.txt");
  EXPECT_EQ(s.sources[0].url, "");

  ASSERT_EQ(s.issues.size(), 2u);
  const Issue& regions = s.issues[0];
  EXPECT_EQ(regions.kind, Issue::Kind::numeric);
  EXPECT_EQ(regions.name, "The four regions");
  ASSERT_EQ(regions.points.size(), 2u);  // written 100 first, sorted by value
  EXPECT_EQ(regions.points[0].value, 0);
  EXPECT_EQ(regions.points[0].label, "Ukraine holds all four regions");
  EXPECT_EQ(regions.points[1].label, "Russia's full claim recognised");
  ASSERT_TRUE(regions.status_quo.has_value());
  EXPECT_EQ(*regions.status_quo, 40);
  const Issue& venue = s.issues[1];
  EXPECT_EQ(venue.kind, Issue::Kind::categorical);
  EXPECT_EQ(venue.options, (std::vector<std::string>{"Istanbul", "Vatican", "Geneva"}));

  ASSERT_EQ(s.actors.size(), 2u);
  const Actor& ru = s.actors[0];
  EXPECT_EQ(ru.capability.value, 100);
  EXPECT_EQ(ru.capability.evidence.judgment, "largest army in the conflict");
  EXPECT_EQ(ru.capability.uncertainty.kind, Uncertainty::Kind::range);
  EXPECT_EQ(ru.capability.uncertainty.low, 80);
  EXPECT_EQ(ru.capability.uncertainty.high, 120);
  const Stance& ru_reg = *ru.stances[0];
  EXPECT_EQ(ru_reg.position.value, 100);
  EXPECT_EQ(ru_reg.position.evidence.source, "asiae");
  EXPECT_EQ(ru_reg.position.evidence.quote, "insisting that Ukraine fully cede the four eastern regions");
  // salience_scale 100: 95 -> 0.95, the range [85, 100] -> [0.85, 1].
  EXPECT_DOUBLE_EQ(ru_reg.salience.value, 0.95);
  EXPECT_DOUBLE_EQ(ru_reg.salience.uncertainty.low, 0.85);
  EXPECT_DOUBLE_EQ(ru_reg.salience.uncertainty.high, 1.0);
  EXPECT_EQ(ru_reg.salience.evidence.judgment, "core war aim");
  ASSERT_TRUE(ru_reg.capability.has_value());
  EXPECT_EQ(ru_reg.capability->value, 120);
  EXPECT_EQ(s.capability(0, 0), 120);
  EXPECT_EQ(s.capability(0, 1), 100);
  // Utilities indexed like the options: Istanbul 1, Vatican 0, Geneva 0.3.
  const Stance& ru_venue = *ru.stances[1];
  ASSERT_EQ(ru_venue.utilities.size(), 3u);
  EXPECT_EQ(ru_venue.utilities[0].value, 1.0);
  EXPECT_EQ(ru_venue.utilities[1].value, 0.0);
  EXPECT_DOUBLE_EQ(ru_venue.utilities[2].value, 0.3);
  EXPECT_DOUBLE_EQ(ru_venue.salience.value, 0.3);

  const Actor& ua = s.actors[1];
  // normal: mean defaults to the value, bounds to capability's [0, inf).
  EXPECT_EQ(ua.capability.uncertainty.kind, Uncertainty::Kind::normal);
  EXPECT_EQ(ua.capability.uncertainty.sd, 10);
  EXPECT_EQ(ua.capability.uncertainty.mean, 60);
  EXPECT_EQ(ua.capability.uncertainty.low, 0);
  EXPECT_TRUE(std::isinf(ua.capability.uncertainty.high));
  const Stance& ua_reg = *ua.stances[0];
  EXPECT_EQ(ua_reg.position.uncertainty.kind, Uncertainty::Kind::triangular);
  EXPECT_EQ(ua_reg.position.uncertainty.mode, 0);
  EXPECT_EQ(ua_reg.position.uncertainty.high, 20);
  EXPECT_EQ(ua_reg.salience.uncertainty.kind, Uncertainty::Kind::uniform);
  EXPECT_DOUBLE_EQ(ua_reg.salience.uncertainty.low, 0.9);
  EXPECT_DOUBLE_EQ(ua_reg.salience.value, 1.0);
  EXPECT_FALSE(ua_reg.capability.has_value());
  // ranking [Vatican, Geneva, Istanbul] with n = 3: (n-1-rank)/(n-1) = 1, 0.5, 0.
  const Stance& ua_venue = *ua.stances[1];
  EXPECT_EQ(ua_venue.utilities[1].value, 1.0);
  EXPECT_EQ(ua_venue.utilities[2].value, 0.5);
  EXPECT_EQ(ua_venue.utilities[0].value, 0.0);

  ASSERT_EQ(s.model_params.count("bdm"), 1u);
  EXPECT_EQ(s.model_params.at("bdm").at("rounds"), "10");
  ASSERT_TRUE(s.seed.has_value());
  EXPECT_EQ(*s.seed, 42u);
  EXPECT_EQ(s.origin, data("istanbul.yaml"));
}

TEST(NativeParse, JsonAndYamlOfTheSameScenarioAreEqual) {
  const Scenario y = load_scenario(data("istanbul.yaml"));
  const Scenario j = load_scenario(data("istanbul.json"));
  EXPECT_EQ(j.format, "json");
  EXPECT_EQ(entente::testing::scenario_diff(y, j), "");
}

TEST(NativeParse, AbsentStanceIsNullopt) {
  const std::string text = R"(issues:
  - id: a
  - id: b
actors:
  - id: x
    capability: 1
    issues: {a: {position: 5, salience: 1}}
  - id: y
    capability: 1
    issues: {b: {position: 5, salience: 1}}
)";
  const Scenario s = parse_scenario(text, "t.yaml");
  EXPECT_TRUE(s.actors[0].stances[0].has_value());
  EXPECT_FALSE(s.actors[0].stances[1].has_value());
  EXPECT_EQ(s.stance(1, 0), nullptr);
}

TEST(NativeParse, NumberSyntaxes) {
  // Exponents, a leading '+', a trailing dot and explicit YAML tags are numbers.
  const Scenario s = parse_scenario(replace(replace(kBase, "capability: 40", "capability: 4e1"), "position: 7",
                                            "position: +7."),
                                    "t.yaml");
  EXPECT_EQ(s.actors[0].capability.value, 40);
  EXPECT_EQ(s.actors[0].stances[0]->position.value, 7);
  const Scenario t = parse_scenario(replace(kBase, "capability: 40", "capability: !!float 40"), "t.yaml");
  EXPECT_EQ(t.actors[0].capability.value, 40);
}

TEST(NativeParse, ModelValuesAreStrings) {
  const Scenario s = parse_scenario(kBase + "models:\n  smp: {bigR: 0.5, vote: \"cond-pairwise\", flag: true}\n",
                                    "t.yaml");
  EXPECT_EQ(s.model_params.at("smp").at("bigR"), "0.5");
  EXPECT_EQ(s.model_params.at("smp").at("vote"), "cond-pairwise");
  EXPECT_EQ(s.model_params.at("smp").at("flag"), "true");
}

// ---- rejections: one test per rule --------------------------------------------------------------

TEST(NativeReject, PositionOutsideScale) {
  expect_one_error(replace(kBase, "position: 7", "position: 70"), "70", "actors.left.issues.tax.position",
                   "a number in [0, 10]", "70");
}

TEST(NativeReject, NegativeCapability) {
  expect_one_error(replace(kBase, "capability: 40", "capability: -5"), "-5", "actors.left.capability",
                   "a number >= 0", "-5");
}

TEST(NativeReject, NegativePerIssueCapability) {
  expect_one_error(replace(kBase, "salience: 0.8", "salience: 0.8\n        capability: -3"), "-3",
                   "actors.left.issues.tax.capability", "a number >= 0", "-3");
}

TEST(NativeReject, SalienceAboveOne) {
  expect_one_error(replace(kBase, "salience: 0.8", "salience: 1.7"), "1.7", "actors.left.issues.tax.salience",
                   "a number in [0, 1]", "1.7");
}

TEST(NativeReject, SalienceAboveHundredWithScale100) {
  std::string text = "salience_scale: 100\n" + replace(replace(kBase, "salience: 0.8", "salience: 170"),
                                                       "salience: 0.6", "salience: 60");
  const auto d = expect_one_error(text, "170", "actors.left.issues.tax.salience", "[0, 100]", "170");
  EXPECT_NE(d.message.find("1.7"), std::string::npos) << d.message;
  // And the same file is fine with 70.
  EXPECT_NO_THROW((void)parse_scenario(replace(text, "170", "70"), "t.yaml"));
}

TEST(NativeReject, NaN) {
  expect_one_error(replace(kBase, "position: 7", "position: .nan"), ".nan", "actors.left.issues.tax.position",
                   "a finite number", ".nan");
}

TEST(NativeReject, Infinity) {
  expect_one_error(replace(kBase, "capability: 40", "capability: .inf"), ".inf", "actors.left.capability",
                   "a finite number", ".inf");
  expect_one_error(replace(kBase, "capability: 40", "capability: 1e999"), "1e999", "actors.left.capability",
                   "a finite number", "1e999");
}

TEST(NativeReject, UncertaintyNotContainingTheValue) {
  expect_one_error(replace(kBase, "capability: 40", "capability: {value: 40, uncertainty: {range: [50, 60]}}"), "40",
                   "actors.left.capability.uncertainty", "contain the value 40", "[50, 60]");
}

TEST(NativeReject, UncertaintyBeyondTheFieldBounds) {
  expect_one_error(replace(kBase, "salience: 0.8", "salience: {value: 0.8, uncertainty: {range: [0.5, 1.2]}}"), "0.8",
                   "actors.left.issues.tax.salience.uncertainty", "within the field's bounds [0, 1]", "[0.5, 1.2]");
}

TEST(NativeReject, TriangularModeOutsideBounds) {
  expect_one_error(
      replace(kBase, "position: 7", "position: {value: 7, uncertainty: {distribution: triangular, low: 5, mode: 9.5, high: 9}}"),
      "7,", "actors.left.issues.tax.position.uncertainty.mode", "a number in [5, 9]", "9.5");
}

TEST(NativeReject, NormalWithoutSd) {
  expect_one_error(replace(kBase, "position: 7", "position: {value: 7, uncertainty: {distribution: normal}}"),
                   "{distribution", "actors.left.issues.tax.position.uncertainty.sd", "a number", "nothing");
}

TEST(NativeReject, UnknownDistribution) {
  expect_one_error(replace(kBase, "position: 7", "position: {value: 7, uncertainty: {distribution: gaussian, sd: 1}}"),
                   "gaussian", "actors.left.issues.tax.position.uncertainty.distribution",
                   "uniform, triangular or normal", "'gaussian'");
}

TEST(NativeReject, RangeAndDistributionTogether) {
  expect_one_error(
      replace(kBase, "position: 7", "position: {value: 7, uncertainty: {range: [6, 8], distribution: uniform}}"),
      "{range", "actors.left.issues.tax.position.uncertainty", "exactly one of 'range' or 'distribution'", "both");
}

TEST(NativeReject, EvidenceSourceNotInSources) {
  expect_one_error(replace(kBase, "salience: 0.8", "salience: {value: 0.8, evidence: {source: nowhere, quote: \"q\"}}"),
                   "0.8", "actors.left.issues.tax.salience.evidence.source", "an entry in sources", "'nowhere'");
}

TEST(NativeReject, EvidenceWithoutSourceOrJudgment) {
  expect_one_error(replace(kBase, "salience: 0.8", "salience: {value: 0.8, evidence: {}}"), "{}",
                   "actors.left.issues.tax.salience.evidence", "a source (with its quote) or a judgment", "neither");
}

TEST(NativeReject, EmptyScenario) {
  const std::string text = "title: Empty\nissues:\n  - id: tax\nactors: []\n";
  expect_one_error(text, "[]", "actors", "at least one actor", "none");
  const std::string no_issues = "issues: []\nactors:\n  - id: a\n    capability: 1\n";
  expect_one_error(no_issues, "[]", "issues", "at least one issue", "none");
}

TEST(NativeReject, IssueNobodyHolds) {
  const std::string text = replace(kBase, "actors:", "  - id: vat\n    name: VAT\nactors:");
  expect_one_error(text, "id: vat", "issues.vat", "at least one actor with a stance", "no actor holds a position");
}

TEST(NativeReject, CategoricalStanceWithPosition) {
  const std::string text = R"(issues:
  - id: venue
    options: [Istanbul, Geneva]
actors:
  - id: a
    capability: 1
    issues:
      venue: {position: 0.123, utilities: {Istanbul: 1}, salience: 1}
)";
  expect_one_error(text, "0.123", "actors.a.issues.venue.position", "a categorical stance takes no position",
                   "0.123");
}

TEST(NativeReject, NumericStanceWithUtilities) {
  expect_one_error(replace(kBase, "salience: 0.8", "salience: 0.8\n        utilities: {A: 1}"), "{A: 1}",
                   "actors.left.issues.tax.utilities", "a numeric stance takes no utilities", "a map");
}

TEST(NativeReject, CategoricalStanceWithoutUtilities) {
  const std::string text = R"(issues:
  - id: venue
    options: [Istanbul, Geneva]
actors:
  - id: a
    capability: 1
    issues:
      venue: {salience: 1}
)";
  expect_one_error(text, "{salience", "actors.a.issues.venue.utilities", "utilities", "nothing");
}

TEST(NativeReject, UnknownOptionInUtilitiesAndRanking) {
  const std::string text = R"(issues:
  - id: venue
    options: [Istanbul, Geneva]
actors:
  - id: a
    capability: 1
    issues:
      venue: {utilities: {Istambul: 1}, salience: 1}
)";
  const auto d = expect_one_error(text, "Istambul", "actors.a.issues.venue.utilities.Istambul",
                                  "an option of issue 'venue'", "unknown option 'Istambul'");
  EXPECT_NE(d.message.find("did you mean 'Istanbul'?"), std::string::npos);
  expect_one_error(replace(text, "utilities: {Istambul: 1}", "ranking: [Geneva, Paris]"), "Paris",
                   "actors.a.issues.venue.ranking[1]", "an option of issue 'venue'", "unknown option 'Paris'");
}

TEST(NativeReject, DuplicateOption) {
  const std::string text = R"(issues:
  - id: venue
    options: [Istanbul, Geneva, Istanbul]
actors:
  - id: a
    capability: 1
    issues:
      venue: {ranking: [Geneva], salience: 1}
)";
  expect_one_error(text, "Istanbul]", "issues.venue.options[2]", "unique option names", "a second option 'Istanbul'");
}

TEST(NativeReject, TooFewOptions) {
  const std::string text = R"(issues:
  - id: venue
    options: [Istanbul]
actors:
  - id: a
    capability: 1
    issues:
      venue: {ranking: [Istanbul], salience: 1}
)";
  expect_one_error(text, "[Istanbul]", "issues.venue.options", "at least 2 options", "1");
}

TEST(NativeReject, UnknownKeySuggestsTheClosest) {
  const auto d = expect_one_error(replace(kBase, "salience: 0.8", "salinece: 0.8\n        salience: 0.8"), "salinece",
                                  "actors.left.issues.tax.salinece", "one of the keys position, salience",
                                  "unknown key 'salinece'");
  EXPECT_EQ(d.message, "did you mean 'salience'?");
}

TEST(NativeReject, MisspeltRequiredKeyIsOneError) {
  // "capabilty" is unknown; the missing "capability" is not reported a second time.
  const auto d = expect_one_error(replace(kBase, "capability: 40", "capabilty: 40"), "capabilty",
                                  "actors.left.capabilty", "one of the keys", "unknown key 'capabilty'");
  EXPECT_EQ(d.message, "did you mean 'capability'?");
}

TEST(NativeReject, UnknownTopLevelKey) {
  expect_one_error("titel: x\n" + kBase, "titel", "titel", "one of the keys entente, title", "unknown key 'titel'");
}

TEST(NativeReject, DuplicateKey) {
  expect_one_error(replace(kBase, "position: 7", "position: 7\n        position: 8"), "position", "actors.left.issues.tax.position",
                   "each key once", "a second 'position'", 1);
}

TEST(NativeReject, MissingRequiredKey) {
  expect_one_error(replace(kBase, "    capability: 40\n", ""), "id: left", "actors.left.capability", "a number >= 0",
                   "nothing");
  expect_one_error(replace(kBase, "        position: 7\n", ""), "salience: 0.8", "actors.left.issues.tax.position",
                   "a number in [0, 10]", "nothing");
}

TEST(NativeReject, DuplicateIds) {
  expect_one_error(replace(kBase, "id: right", "id: left"), "left", "actors.left.id", "a unique actor id",
                   "a second actor 'left'", 1);
  const std::string issues = replace(kBase, "actors:", "  - id: tax\nactors:");
  expect_one_error(issues, "tax", "issues.tax.id", "a unique issue id", "a second issue 'tax'", 1);
  const std::string sources = "sources:\n  - id: s1\n  - id: s1\n" + kBase;
  expect_one_error(sources, "s1", "sources.s1.id", "a unique source id", "a second source 's1'", 1);
}

TEST(NativeReject, BadIssueId) {
  std::string text = kBase;
  for (auto at = text.find("tax"); at != std::string::npos; at = text.find("tax", at + 8)) text.replace(at, 3, "tax rate");
  expect_one_error(text, "tax rate", "issues.tax rate.id",
                   "letters, digits, '_' and '-'", "'tax rate'");
}

TEST(NativeReject, ActorIdWithDot) {
  expect_one_error(replace(kBase, "id: left", "id: l.eft"), "l.eft", "actors.l.eft.id", "without '.'", "'l.eft'");
}

TEST(NativeReject, UnknownIssueInStances) {
  const auto d = expect_one_error(replace(kBase, "      tax:\n        position: 7", "      taks:\n        position: 7") +
                                      "",
                                  "taks", "actors.left.issues.taks", "the id of an issue", "unknown issue 'taks'");
  EXPECT_EQ(d.message, "did you mean 'tax'?");
}

TEST(NativeReject, QuotedNumberIsAString) {
  expect_one_error(replace(kBase, "capability: 40", "capability: \"40\""), "\"40\"", "actors.left.capability",
                   "a number", "\"40\"");
}

TEST(NativeReject, WrongType) {
  expect_one_error(replace(kBase, "capability: 40", "capability: [1, 2]"), "[1, 2]", "actors.left.capability",
                   "a number or {value, evidence, uncertainty}", "a list");
  expect_one_error(replace(kBase, "capability: 40", "capability: lots"), "lots", "actors.left.capability", "a number",
                   "'lots'");
}

TEST(NativeReject, ScaleAndPoints) {
  expect_one_error(replace(kBase, "{min: 0, max: 10}", "{min: 10, max: 0}"), "{min: 10", "issues.tax.scale",
                   "min < max", "min 10, max 0");
  expect_one_error(replace(kBase, "{min: 0, max: 10}", "{min: 0, max: 10}\n    points: [{value: 11, label: over}]"),
                   "11", "issues.tax.points[0].value", "a number in [0, 10]", "11");
  expect_one_error(replace(kBase, "{min: 0, max: 10}", "{min: 0, max: 10}\n    status_quo: -1"), "-1",
                   "issues.tax.status_quo", "a number in [0, 10]", "-1");
}

TEST(NativeReject, CategoricalIssueWithScale) {
  const std::string text = R"(issues:
  - id: venue
    options: [Istanbul, Geneva]
    scale: {min: 0, max: 1}
actors:
  - id: a
    capability: 1
    issues:
      venue: {ranking: [Geneva], salience: 1}
)";
  expect_one_error(text, "{min", "issues.venue.scale", "no scale", "a map");
}

TEST(NativeReject, VersionDateAndSeed) {
  expect_one_error("entente: 2\n" + kBase, "2", "entente", "format version 1", "2");
  expect_one_error("as_of: 2025-13-01\n" + kBase, "2025-13-01", "as_of", "a date YYYY-MM-DD", "'2025-13-01'");
  expect_one_error("seed: -4\n" + kBase, "-4", "seed", "a whole number >= 0", "-4");
  expect_one_error("salience_scale: 10\n" + kBase, "10", "salience_scale", "1 or 100", "10");
}

TEST(NativeReject, YamlSyntaxErrorHasTheParserMark) {
  const std::string text = "title: x\nissues: [a, b\nactors: {\n";
  const auto ds = errors(text);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].where.file, "t.yaml");
  EXPECT_GT(ds[0].where.line, 1);
  EXPECT_GT(ds[0].where.column, 0);
  EXPECT_EQ(ds[0].expected, "valid YAML or JSON");
  EXPECT_FALSE(ds[0].message.empty());
}

TEST(NativeReject, NotAScenarioAtAll) {
  for (const std::string& text : std::vector<std::string>{"", "   \n", "# only a comment\n", "- a\n- b\n", "just words", "42",
                                 std::string("ab\0cd", 5), "a: 1\n---\nb: 2\n"}) {
    const auto ds = errors(text);
    ASSERT_EQ(ds.size(), 1u) << text;
    EXPECT_EQ(ds[0].where.file, "t.yaml");
    EXPECT_FALSE(ds[0].expected.empty());
    EXPECT_FALSE(ds[0].found.empty());
  }
  EXPECT_EQ(errors("")[0].found, "an empty file");  // caught by format detection before the YAML parser
  EXPECT_EQ(errors("- a\n")[0].found, "a list");
  EXPECT_EQ(errors(std::string("ab\0cd", 5))[0].found, "a NUL byte (binary data)");
  EXPECT_EQ(errors("a: 1\n---\nb: 2\n")[0].found, "more content after the first document");
  EXPECT_EQ(errors("{\"a\": 1},")[0].found, "more content after the first document");
}

// ---- all errors in one pass -----------------------------------------------------------------------

TEST(NativeReject, FiveMistakesGiveFiveDiagnostics) {
  const std::string path = data("five_mistakes.yaml");
  const std::string text = read_file(path);
  std::vector<Diagnostic> ds;
  try {
    (void)load_scenario(path);
  } catch (const InputError& e) {
    ds = e.diagnostics();
  }
  std::string all;
  for (const auto& d : ds) all += d.to_string() + "\n";
  ASSERT_EQ(ds.size(), 5u) << all;
  // In file order: capability -5, position 70 on 0..10, misspelt key, unknown source, unknown key.
  const std::vector<std::pair<std::string, std::string>> want = {
      {"-5", "actors.left.capability"},
      {"70", "actors.left.issues.tax.position"},
      {"capabilty", "actors.right.capabilty"},
      {"0.6", "actors.right.issues.tax.salience.evidence.source"},
      {"colour", "actors.right.issues.tax.colour"}};
  for (std::size_t k = 0; k < want.size(); ++k) {
    const auto [line, col] = position_of(text, want[k].first);
    EXPECT_EQ(ds[k].where.file, path);
    EXPECT_EQ(ds[k].where.line, line) << all;
    EXPECT_EQ(ds[k].where.column, col) << all;
    EXPECT_EQ(ds[k].field, want[k].second) << all;
  }
}

TEST(NativeReject, JsonErrorsHaveLineAndColumnToo) {
  const std::string text = "{\"issues\": [{\"id\": \"tax\"}],\n \"actors\": [{\"id\": \"a\", \"capability\": -1,\n"
                           "  \"issues\": {\"tax\": {\"position\": 500, \"salience\": 1}}}]}\n";
  const auto ds = errors(text, "t.json");
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].where.line, 2);
  EXPECT_EQ(ds[0].where.column, position_of(text, "-1").second);
  EXPECT_EQ(ds[0].field, "actors.a.capability");
  EXPECT_EQ(ds[1].where.line, 3);
  EXPECT_EQ(ds[1].where.column, position_of(text, "500").second);
  EXPECT_EQ(ds[1].field, "actors.a.issues.tax.position");
}
