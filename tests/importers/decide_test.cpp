// Decide files (tests/data/decide). Counts from specs/exchange.md section 2; numbers read off the files.
#include <gtest/gtest.h>

#include "common.hpp"

namespace entente::test {
namespace {

std::size_t stance_count(const Scenario& s) {
  std::size_t n = 0;
  for (const auto& a : s.actors)
    for (const auto& st : a.stances) n += st.has_value();
  return n;
}

TEST(DecideImport, CountsMatchTheSpecTable) {
  struct Row {
    const char* file;
    std::size_t actors, issues, rows;
  };
  // exchange.md section 2, "Datasets": actors x issues (#D rows).
  for (const Row& r : {Row{"sample_data.txt", 10, 6, 60}, Row{"cop21.csv", 15, 13, 181},
                       Row{"copenhagen.csv", 11, 7, 75}, Row{"data_short.csv", 15, 3, 45},
                       Row{"verkiezing_2012.csv", 11, 11, 108}}) {
    SCOPED_TRACE(r.file);
    const Scenario s = import_data(std::string("decide/") + r.file);
    EXPECT_EQ(s.format, "decide");
    EXPECT_EQ(s.actors.size(), r.actors);
    EXPECT_EQ(s.issues.size(), r.issues);
    EXPECT_EQ(stance_count(s), r.rows);
    for (std::size_t a = 0; a < s.actors.size(); ++a)
      for (std::size_t i = 0; i < s.issues.size(); ++i)
        if (const auto* st = s.stance(a, i)) {
          ASSERT_TRUE(st->capability.has_value());  // Decide's power is per row
          EXPECT_LE(st->salience.value, 1.0);
          EXPECT_GE(st->position.value, s.issues[i].min);
          EXPECT_LE(st->position.value, s.issues[i].max);
        }
  }
}

TEST(DecideImport, SampleDataScaleFromMarksAndRowValues) {
  const Scenario s = import_data("decide/sample_data.txt");
  // '#M' 'tol-hoogte' 0.5 and 7: the scale; unlabelled, so no points.
  const auto& is = s.issues[s.issue_index("tol-hoogte")];
  EXPECT_DOUBLE_EQ(is.min, 0.5);
  EXPECT_DOUBLE_EQ(is.max, 7);
  EXPECT_TRUE(is.points.empty());
  EXPECT_EQ(s.issues[0].id, "tolheffing-binnenstad");
  // Line 30: '#D' 'Willems' 'tol-hoogte' 3.0 0.7 1.0
  const auto& st = stance_of(s, "Willems", "tol-hoogte");
  EXPECT_DOUBLE_EQ(st.position.value, 3.0);
  EXPECT_DOUBLE_EQ(st.salience.value, 0.7);
  EXPECT_DOUBLE_EQ(st.capability->value, 1.0);
  EXPECT_EQ(st.position.where.line, 30);
  // The comment field of '#A' 'Willems' 'Willems' 'Test' becomes the description.
  EXPECT_EQ(s.actors[0].description, "Test");
  // Surplus issue field ('Wat is dit voor onzin?') kept as the description.
  EXPECT_EQ(s.issues[s.issue_index("wanneer-tol")].description, "Wat is dit voor onzin?");
}

TEST(DecideImport, Cop21OrderAndRowOrder) {
  const Scenario s = import_data("decide/cop21.csv");
  // Actor order = #A order: African_grp, AILAC2, AOSISs, ALBA, ...
  EXPECT_EQ(s.actors[0].id, "African_grp");
  EXPECT_EQ(s.actors[2].id, "AOSISs");
  EXPECT_EQ(s.actors[3].id, "ALBA");
  EXPECT_EQ(s.issues[0].id, "differentiation");
  EXPECT_EQ(s.issues[0].name, "differentiation");
  const auto& af = stance_of(s, "African_grp", "differentiation");
  EXPECT_DOUBLE_EQ(af.position.value, 70);
  EXPECT_DOUBLE_EQ(af.salience.value, 0.75);
  EXPECT_DOUBLE_EQ(af.capability->value, 0.25);
  EXPECT_DOUBLE_EQ(s.actors[0].capability.value, 0.25);
  // #D row order differs from actor order (ALBA's row precedes AOSISs's): the rows' lines keep it.
  EXPECT_LT(stance_of(s, "ALBA", "differentiation").position.where.line,
            stance_of(s, "AOSISs", "differentiation").position.where.line);
  // 7 actors lack amb2050/amb2100: absent, not zero.
  std::size_t absent = 0;
  const auto i = s.issue_index("amb2050");
  for (std::size_t a = 0; a < s.actors.size(); ++a) absent += s.stance(a, i) == nullptr;
  EXPECT_EQ(absent, 7u);
}

TEST(DecideImport, DataShortLabelledPoints) {
  const Scenario s = import_data("decide/data_short.csv");
  EXPECT_EQ(s.title, "CoP21 Paris negotiations (power scores based on expert judgements)");
  const auto& d = s.issues[s.issue_index("differentiation")];
  ASSERT_EQ(d.points.size(), 5u);
  EXPECT_DOUBLE_EQ(d.points[0].value, 0);
  EXPECT_EQ(d.points[0].label, "No explicit differentiation (self-differentiation)");
  EXPECT_DOUBLE_EQ(d.points[4].value, 100);
  EXPECT_EQ(d.points[4].label, "Annexes I and II of the Convention");
  EXPECT_DOUBLE_EQ(d.min, 0);
  EXPECT_DOUBLE_EQ(d.max, 100);
  EXPECT_EQ(s.actors[s.actor_index("LDCs_BGD")].name, "LDCs_represented_by_Bangladesh");
  // Last line "#D;USA;legal;40;1;1" (no final line break).
  const auto& usa = stance_of(s, "USA", "legal");
  EXPECT_DOUBLE_EQ(usa.position.value, 40);
  EXPECT_DOUBLE_EQ(usa.salience.value, 1);
}

TEST(DecideImport, VerkiezingActorWithoutDataIsKept) {
  const Scenario s = import_data("decide/verkiezing_2012.csv");
  const auto a = s.actor_index("50");  // "50+" is not an id: slugged, name kept
  EXPECT_EQ(s.actors[a].name, "50+");
  for (const auto& st : s.actors[a].stances) EXPECT_FALSE(st.has_value());
  EXPECT_DOUBLE_EQ(s.actors[a].capability.value, 0);
  const auto& sp = stance_of(s, "SP", "hypotheek");  // #D;SP;hypotheek;90;0.6;0.464159
  EXPECT_DOUBLE_EQ(sp.position.value, 90);
  EXPECT_DOUBLE_EQ(sp.salience.value, 0.6);
  EXPECT_DOUBLE_EQ(sp.capability->value, 0.464159);
}

TEST(DecideImport, CopenhagenIdsWithSpacesAreSlugged) {
  const Scenario s = import_data("decide/copenhagen.csv");
  const auto a = s.actor_index("eu_incl_norway");
  EXPECT_EQ(s.actors[a].name, "EU (incl Norway)");
  // Russia lacks Commitments and Extra.
  EXPECT_EQ(s.stance(s.actor_index("Russia"), s.issue_index("Commitments")), nullptr);
}

TEST(DecideImport, CopenhagenWithErrorsGivesBothErrorsInOnePass) {
  const auto ds = diagnostics_of([] { (void)import_data("decide/copenhagen_with_errors.csv"); });
  ASSERT_EQ(ds.size(), 2u);
  // Line 86: "#D<TAB>Russia<TAB>Control<TAB>160<TAB>0.1<TAB>0.013": 160 starts at column 19
  // (#D = 1-2, tab 3, Russia 4-9, tab 10, Control 11-17, tab 18).
  EXPECT_EQ(ds[0].where.line, 86);
  EXPECT_EQ(ds[0].where.column, 19);
  EXPECT_NE(ds[0].where.file.find("copenhagen_with_errors.csv"), std::string::npos);
  EXPECT_EQ(ds[0].field, "#D row: position of 'Russia' on 'Control'");
  EXPECT_EQ(ds[0].expected, "a number in [0, 100] (the issue's scale, no #M rows)");
  EXPECT_EQ(ds[0].found, "160");
  // Line 87: "#D China India Control 75 0.75 -0.247": -0.247 starts at column 32
  // (China India 4-14, tab 15, Control 16-22, tab 23, 75 24-25, tab 26, 0.75 27-30, tab 31).
  EXPECT_EQ(ds[1].where.line, 87);
  EXPECT_EQ(ds[1].where.column, 32);
  EXPECT_EQ(ds[1].field, "#D row: power of 'China India' on 'Control'");
  EXPECT_EQ(ds[1].expected, "a number in [0, 100]");
  EXPECT_EQ(ds[1].found, "-0.247");
}

TEST(DecideImport, StructuralErrorsAreCollected) {
  const auto ds = diagnostics_of([] {
    (void)detail::import_decide("#A;a;A\n#A;b;B\n#P;p;P\n#M;p;0\n#M;p;10;ten\n"
                                "#D;a;p;5;0.5;1\n"
                                "#D;c;p;5;0.5;1\n"     // unknown actor (line 7)
                                "#D;a;p;6;0.5;1\n"     // duplicate (line 8)
                                "#D;b;p;x;0.5;1\n"     // not a number (line 9)
                                "#D;b;q;5;0.5\n"       // unknown issue, missing power (line 10)
                                "#X;what\n",           // unknown tag (line 11)
                                "e.csv");
  });
  ASSERT_EQ(ds.size(), 6u);
  EXPECT_EQ(ds[0].where.line, 11);  // pass 1 reports row types first
  EXPECT_EQ(ds[0].found, "'#X'");
  EXPECT_EQ(ds[1].where.line, 7);
  EXPECT_EQ(ds[1].where.column, 4);
  EXPECT_EQ(ds[2].where.line, 8);
  EXPECT_NE(ds[2].found.find("line 6"), std::string::npos);
  EXPECT_EQ(ds[3].where.line, 9);
  EXPECT_EQ(ds[3].where.column, 8);
  EXPECT_EQ(ds[4].where.line, 10);
  EXPECT_EQ(ds[5].where.line, 10);
  EXPECT_EQ(ds[5].found, "the end of the row");
}

TEST(DecideImport, PercentSalienceAndIssuesWithoutDataAndCrOnly) {
  const Scenario s = detail::parse_any("#A;a;A\r#A;b;B\r#P;p;P\r#P;empty;nobody\r#P;q;Q\r"
                                       "#D;a;p;5;50;1\r#D;b;p;7;100;2\r#D;b;q;1;80;2\r",
                                       "pct.csv");
  EXPECT_EQ(s.format, "decide");
  ASSERT_EQ(s.issues.size(), 2u);  // 'empty' has no #D row: dropped
  EXPECT_EQ(s.issues[1].id, "q");
  EXPECT_DOUBLE_EQ(stance_of(s, "a", "p").salience.value, 0.5);
  EXPECT_DOUBLE_EQ(stance_of(s, "b", "q").salience.value, 0.8);
  EXPECT_EQ(stance_of(s, "b", "q").salience.where.line, 8);
  EXPECT_DOUBLE_EQ(s.actors[1].capability.value, 2);
}

}  // namespace
}  // namespace entente::test
