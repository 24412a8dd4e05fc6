// validate() on built Scenarios (as importers and what-if edits produce them) and the
// evidence listing.
#include <algorithm>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "entente/edit.hpp"
#include "entente/scenario.hpp"

using namespace entente;

namespace {

std::string data(const std::string& name) { return std::string(ENTENTE_TEST_DATA) + "/scenario/" + name; }

// Two actors on one numeric issue (0-100) and one categorical issue, built in code.
Scenario built() {
  Scenario s;
  s.origin = "built";
  Issue tax;
  tax.id = "tax";
  tax.name = "Tax";
  Issue venue;
  venue.id = "venue";
  venue.kind = Issue::Kind::categorical;
  venue.options = {"A", "B"};
  s.issues = {tax, venue};
  for (const char* id : {"a", "b"}) {
    Actor a;
    a.id = id;
    a.capability.value = 10;
    Stance st;
    st.position.value = 50;
    st.salience.value = 0.5;
    Stance cat;
    cat.salience.value = 0.5;
    cat.utilities.resize(2);
    cat.utilities[0].value = 1;
    a.stances = {st, cat};
    s.actors.push_back(a);
  }
  return s;
}

std::vector<Diagnostic> problems(const Scenario& s) {
  try {
    validate(s);
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}

bool has_field(const std::vector<Diagnostic>& ds, const std::string& field, const std::string& expected = {}) {
  for (const auto& d : ds)
    if (d.field == field && d.expected.find(expected) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(Validate, BuiltScenarioIsValid) { EXPECT_NO_THROW(validate(built())); }

TEST(Validate, ListsEveryProblemAtOnce) {
  Scenario s = built();
  s.actors[0].stances[0]->position.value = std::numeric_limits<double>::quiet_NaN();
  s.actors[0].stances[0]->position.where = {"f.csv", 4, 2};
  s.actors[1].capability.value = -1;
  s.actors[1].stances[1]->salience.value = 1.5;
  s.actors[1].id = "a";
  const auto ds = problems(s);
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_TRUE(has_field(ds, "actors.a.issues.tax.position", "a finite number"));
  EXPECT_EQ(ds[0].where.file, "f.csv");  // Quantity::where is used when known
  EXPECT_EQ(ds[0].where.line, 4);
  EXPECT_TRUE(has_field(ds, "actors.a.capability", "a number >= 0"));
  EXPECT_TRUE(has_field(ds, "actors.a.issues.venue.salience", "a number in [0, 1]"));
  EXPECT_TRUE(has_field(ds, "actors.a.id", "a unique actor id"));
}

TEST(Validate, Empty) {
  Scenario s = built();
  s.actors.clear();
  EXPECT_TRUE(has_field(problems(s), "actors", "at least one actor"));
  s = built();
  s.issues.clear();
  for (auto& a : s.actors) a.stances.clear();
  EXPECT_TRUE(has_field(problems(s), "issues", "at least one issue"));
}

TEST(Validate, StanceSlotsMatchIssues) {
  Scenario s = built();
  s.actors[0].stances.pop_back();
  EXPECT_TRUE(has_field(problems(s), "actors.a.issues", "one stance slot per issue (2)"));
}

TEST(Validate, IssueNobodyHolds) {
  Scenario s = built();
  for (auto& a : s.actors) a.stances[0].reset();
  EXPECT_TRUE(has_field(problems(s), "issues.tax", "at least one actor with a stance"));
}

TEST(Validate, IdsAndOptions) {
  Scenario s = built();
  s.issues[1].id = "tax";
  s.issues[1].options = {"A", "A"};
  s.sources = {Source{"x", "", "", "", "", "", {}}, Source{"x", "", "", "", "", "", {}}};
  s.actors[0].id = "";
  const auto ds = problems(s);
  EXPECT_TRUE(has_field(ds, "issues.tax.id", "a unique issue id"));
  EXPECT_TRUE(has_field(ds, "issues.tax.options[1]", "unique option names"));
  EXPECT_TRUE(has_field(ds, "sources.x.id", "a unique source id"));
  EXPECT_TRUE(has_field(ds, "actors[0].id", "a non-empty id"));
}

TEST(Validate, ScaleAndPoints) {
  Scenario s = built();
  s.issues[0].min = 5;
  s.issues[0].max = 5;
  EXPECT_TRUE(has_field(problems(s), "issues.tax.scale", "min < max"));
  s = built();
  s.issues[0].points = {{150, "far"}};
  s.issues[0].status_quo = -1;
  const auto ds = problems(s);
  EXPECT_TRUE(has_field(ds, "issues.tax.points[0].value", "a number in [0, 100]"));
  EXPECT_TRUE(has_field(ds, "issues.tax.status_quo", "a number in [0, 100]"));
}

TEST(Validate, CategoricalConsistency) {
  Scenario s = built();
  s.actors[0].stances[1]->utilities.pop_back();
  s.actors[1].stances[1]->utilities[1].value = 2;
  s.actors[1].stances[0]->utilities.resize(1);
  const auto ds = problems(s);
  EXPECT_TRUE(has_field(ds, "actors.a.issues.venue.utilities", "one utility per option (2)"));
  EXPECT_TRUE(has_field(ds, "actors.b.issues.venue.utilities.B", "a number in [0, 1]"));
  EXPECT_TRUE(has_field(ds, "actors.b.issues.tax.utilities", "no utilities on a numeric issue"));
}

TEST(Validate, Uncertainty) {
  Scenario s = built();
  auto& pos = s.actors[0].stances[0]->position;
  pos.uncertainty.kind = Uncertainty::Kind::range;
  pos.uncertainty.low = 60;  // does not contain 50
  pos.uncertainty.high = 70;
  auto& cap = s.actors[0].capability;  // normal with default bounds [0, inf) is fine
  cap.uncertainty = {Uncertainty::Kind::normal, 0, std::numeric_limits<double>::infinity(), 0, 10, 2};
  auto& sal = s.actors[1].stances[0]->salience;
  sal.uncertainty = {Uncertainty::Kind::normal, 0, std::numeric_limits<double>::infinity(), 0, 0.5, 0.1};
  auto& cap_b = s.actors[1].capability;
  cap_b.uncertainty = {Uncertainty::Kind::normal, 0, 20, 0, 10, 0};  // sd 0
  auto& tri = s.actors[1].stances[0]->position;
  tri.uncertainty = {Uncertainty::Kind::triangular, 40, 60, 70, 0, 0};  // mode outside
  const auto ds = problems(s);
  EXPECT_EQ(ds.size(), 4u);
  EXPECT_TRUE(has_field(ds, "actors.a.issues.tax.position.uncertainty", "contain the value 50"));
  EXPECT_TRUE(has_field(ds, "actors.b.issues.tax.salience.uncertainty", "finite bounds"));  // inf on [0,1]
  EXPECT_TRUE(has_field(ds, "actors.b.capability.uncertainty.sd", "a number > 0"));
  EXPECT_TRUE(has_field(ds, "actors.b.issues.tax.position.uncertainty.mode", "a number in [40, 60]"));
}

TEST(Validate, EvidenceSource) {
  Scenario s = built();
  s.actors[0].capability.evidence.source = "nope";
  EXPECT_TRUE(has_field(problems(s), "actors.a.capability.evidence.source", "an entry in sources"));
  s.sources.push_back(Source{"nope", "", "", "", "", "", {}});
  EXPECT_NO_THROW(validate(s));
}

TEST(Validate, WhatIfEditsAreValidated) {
  const Scenario s = load_scenario(data("istanbul.yaml"));
  EXPECT_THROW((void)set_value(s, "russia", "regions", "position", 150), InputError);
  EXPECT_THROW((void)set_value(s, "russia", "regions", "salience", -0.1), InputError);
  EXPECT_NO_THROW((void)set_value(s, "russia", "regions", "position", 90));
  // Dropping both actors empties the scenario.
  EXPECT_THROW((void)drop_actor(drop_actor(s, "russia"), "ukraine"), InputError);
}

// A categorical stance's utility of one option is an edit like any other: set, marked as the
// analyst's, range-checked; an unknown option or a numeric issue names the field.
TEST(Validate, UtilityEditSetsOneOptionAndMarksIt) {
  const Scenario s = load_scenario(data("istanbul.yaml"));
  const std::size_t venue = s.issue_index("venue");
  const std::size_t russia = s.actor_index("russia");
  const Scenario e = set_value(s, "russia", "venue", "utility:Geneva", 0.75, SourceLocation{"<test>", 0, 0}, "set x");
  const auto& opts = s.issues[venue].options;
  const auto g = static_cast<std::size_t>(std::find(opts.begin(), opts.end(), "Geneva") - opts.begin());
  ASSERT_LT(g, opts.size());
  EXPECT_DOUBLE_EQ(e.stance(russia, venue)->utilities[g].value, 0.75);
  EXPECT_EQ(e.stance(russia, venue)->utilities[g].edit, "set x");
  for (std::size_t o = 0; o < opts.size(); ++o) {  // the other options keep the file's values
    if (o != g) {
      EXPECT_DOUBLE_EQ(e.stance(russia, venue)->utilities[o].value, s.stance(russia, venue)->utilities[o].value);
    }
  }
  EXPECT_THROW((void)set_value(s, "russia", "venue", "utility:Paris", 0.5), InputError);
  EXPECT_THROW((void)set_value(s, "russia", "venue", "utility:Geneva", 1.5), InputError);
  EXPECT_THROW((void)set_value(s, "russia", "regions", "utility:Geneva", 0.5), InputError);
  const Scenario a = apply_assignment(s, "russia.venue.utility:Geneva=0.25");
  EXPECT_DOUBLE_EQ(a.stance(russia, venue)->utilities[g].value, 0.25);
}

TEST(MissingEvidence, ListsEveryUnsourcedNumberInOrder) {
  const Scenario s = load_scenario(data("istanbul.yaml"));
  const auto missing = missing_evidence(s);
  // Read off istanbul.yaml: Russia's capability, regions position and salience have evidence;
  // everything else does not (categorical utilities, including implicit and ranked ones, too).
  const std::vector<std::string> want = {
      "actors.russia.issues.regions.capability",   "actors.russia.issues.venue.utilities.Istanbul",
      "actors.russia.issues.venue.utilities.Vatican", "actors.russia.issues.venue.utilities.Geneva",
      "actors.russia.issues.venue.salience",       "actors.ukraine.capability",
      "actors.ukraine.issues.regions.position",    "actors.ukraine.issues.regions.salience",
      "actors.ukraine.issues.venue.utilities.Istanbul", "actors.ukraine.issues.venue.utilities.Vatican",
      "actors.ukraine.issues.venue.utilities.Geneva", "actors.ukraine.issues.venue.salience"};
  ASSERT_EQ(missing.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_EQ(missing[k].field, want[k]);
  // Locations point at the numbers: Ukraine's capability value "60" is on line 42.
  EXPECT_EQ(missing[5].where.file, data("istanbul.yaml"));
  EXPECT_EQ(missing[5].where.line, 42);
}

TEST(MissingEvidence, NoneWhenEverythingIsSourced) {
  EXPECT_TRUE(missing_evidence(load_scenario(data("evidenced.yaml"))).empty());
}
