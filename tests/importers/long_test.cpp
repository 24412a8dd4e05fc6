// The long format: one row per actor and issue (tests/data/import). Expected numbers are read off
// the files by hand; columns are counted in characters from 1.
#include <gtest/gtest.h>

#include <algorithm>

#include "common.hpp"

namespace entente::test {
namespace {

bool has_warning(const Scenario& s, const std::string& needle) {
  return std::any_of(s.warnings.begin(), s.warnings.end(), [&](const Diagnostic& d) {
    return d.to_string("warning").find(needle) != std::string::npos;
  });
}

std::string all(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += d.to_string() + "\n";
  return out;
}

TEST(LongFormat, JcpoaSheetIsTwoIssuesOfSevenActors) {
  // The sheet of issue 15: "Actor,Issue,Capability,Position,Salience", two issues on different
  // scales, seven actors. It was once read as one issue with 14 actors iran, iran_2, ...
  const Scenario s = import_data("import/jcpoa_long.csv");
  EXPECT_EQ(s.format, "long-csv");
  ASSERT_EQ(s.issues.size(), 2u);
  EXPECT_EQ(s.issues[0].id, "centrifuges");
  EXPECT_EQ(s.issues[0].name, "Centrifuges");
  EXPECT_EQ(s.issues[1].id, "sanctions_relief");
  ASSERT_EQ(s.actors.size(), 7u);
  const std::vector<std::string> ids = {"iran", "united_states", "united_kingdom", "france", "germany", "russia", "china"};
  for (std::size_t a = 0; a < 7; ++a) {
    EXPECT_EQ(s.actors[a].id, ids[a]);
    ASSERT_EQ(s.actors[a].stances.size(), 2u);
    EXPECT_TRUE(s.actors[a].stances[0].has_value());
    EXPECT_TRUE(s.actors[a].stances[1].has_value());
  }
  // Line 9: "Iran,Sanctions relief,40,100,95". Saliences go above 1, so all are divided by 100.
  const auto& iran = stance_of(s, "iran", "sanctions_relief");
  EXPECT_DOUBLE_EQ(iran.position.value, 100);
  EXPECT_DOUBLE_EQ(iran.salience.value, 0.95);
  EXPECT_EQ(iran.position.where.line, 9);
  EXPECT_EQ(iran.position.where.column, 26);
  EXPECT_EQ(iran.salience.where.column, 30);
  EXPECT_DOUBLE_EQ(stance_of(s, "iran", "centrifuges").position.value, 19000);
  EXPECT_DOUBLE_EQ(stance_of(s, "china", "centrifuges").salience.value, 0.2);
  EXPECT_DOUBLE_EQ(s.actors[s.actor_index("united_states")].capability.value, 100);
  // Each issue its own scale: the range of its positions (0..19000 and 20..100), said in a warning.
  EXPECT_DOUBLE_EQ(s.issues[0].min, 0);
  EXPECT_DOUBLE_EQ(s.issues[0].max, 19000);
  EXPECT_DOUBLE_EQ(s.issues[1].min, 20);
  EXPECT_DOUBLE_EQ(s.issues[1].max, 100);
  EXPECT_TRUE(s.issues[0].scale_from_data);
  EXPECT_TRUE(has_warning(s, "field 'scale of 'Centrifuges'': no scale given"));
  EXPECT_TRUE(has_warning(s, "[20, 100]"));
  // And it validates as a scenario.
  const Scenario v = load_scenario(data_path("import/jcpoa_long.csv"));
  EXPECT_EQ(v.actors.size(), 7u);
}

TEST(LongFormat, AnyColumnOrderDelimiterAndSynonymsGiveTheSameScenario) {
  const Scenario a = import_data("import/jcpoa_long.csv");
  // The same numbers, columns reordered and renamed, ';'-separated, rows shuffled, a unit note.
  const Scenario b = detail::parse_any(
      "Sal (0-100);DIMENSION;pos;Stakeholder;power\n"
      "95;Sanctions relief;100;Iran;40\n"
      "90;Centrifuges;19000;Iran;40\n"
      "80;Centrifuges;0;United States;100\n"
      "70;Sanctions relief;20;United States;100\n"
      "50;Centrifuges;3000;United Kingdom;30\n"
      "40;Sanctions relief;50;United Kingdom;30\n"
      "60;Centrifuges;1500;France;30\n"
      "50;Sanctions relief;35;France;30\n"
      "40;Centrifuges;4000;Germany;35\n"
      "50;Sanctions relief;60;Germany;35\n"
      "30;Centrifuges;10000;Russia;60\n"
      "60;Sanctions relief;90;Russia;60\n"
      "20;Centrifuges;8000;China;70\n"
      "40;Sanctions relief;85;China;70\n",
      "b.csv");
  EXPECT_EQ(b.format, "long-csv");
  ASSERT_EQ(b.actors.size(), a.actors.size());
  // Issues in order of first appearance: here sanctions relief comes first.
  ASSERT_EQ(b.issues.size(), 2u);
  EXPECT_EQ(b.issues[0].id, "sanctions_relief");
  for (const auto& actor : a.actors)
    for (const auto& issue : a.issues) {
      SCOPED_TRACE(actor.id + "/" + issue.id);
      const auto& x = stance_of(a, actor.id, issue.id);
      const auto& y = stance_of(b, actor.id, issue.id);
      EXPECT_EQ(x.position.value, y.position.value);
      EXPECT_EQ(x.salience.value, y.salience.value);
      EXPECT_EQ(actor.capability.value, b.actors[b.actor_index(actor.id)].capability.value);
    }
}

TEST(LongFormat, ScaleFromColumnsOrFromThePositionHeader) {
  const Scenario s = detail::parse_any("Actor,Issue,Capability,Position,Salience,Min,Max\n"
                                       "A,Tax,1,20,0.5,0,100\n"
                                       "B,Tax,1,60,0.5,,\n"
                                       "A,Cap,1,3,0.5,-10,10\n"
                                       "B,Cap,1,4,0.5,-10,10\n",
                                       "s.csv");
  EXPECT_DOUBLE_EQ(s.issues[0].min, 0);
  EXPECT_DOUBLE_EQ(s.issues[0].max, 100);
  EXPECT_DOUBLE_EQ(s.issues[1].min, -10);
  EXPECT_DOUBLE_EQ(s.issues[1].max, 10);
  EXPECT_FALSE(s.issues[0].scale_from_data);
  EXPECT_TRUE(s.warnings.empty()) << all(s.warnings);
  // A range in the Position header sets the scale of every issue without Min/Max.
  const Scenario h = detail::parse_any("Actor,Issue,Capability,Position (0-100),Salience\nA,T,1,20,0.5\nB,T,1,60,0.5\n", "h.csv");
  EXPECT_DOUBLE_EQ(h.issues[0].min, 0);
  EXPECT_DOUBLE_EQ(h.issues[0].max, 100);
  EXPECT_FALSE(h.issues[0].scale_from_data);
  // Half a scale is an error.
  const auto ds = diagnostics_of([] { (void)detail::parse_any("Actor,Issue,Capability,Position,Salience,Min\nA,T,1,2,0.5,0\n", "m.csv"); });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].expected, "both a Min and a Max");
  EXPECT_EQ(ds[0].where.line, 2);
  EXPECT_EQ(ds[0].where.column, 13);
}

TEST(LongFormat, MixedScalesDuplicateRowsAndDifferingCapabilitiesAreErrors) {
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Issue,Capability,Position,Salience,Min,Max\n"
                            "A,Tax,1,20,0.5,0,100\n"
                            "B,Tax,1,60,0.5,0,20000\n"  // mixed scales: 20000 vs 100
                            "A,Tax,1,30,0.5,,\n"        // a second row for A on Tax
                            "A,Cap,2,3,0.5,0,10\n",     // A's capability 2, not 1
                            "e.csv");
  });
  ASSERT_EQ(ds.size(), 3u) << all(ds);
  // In file order, each naming line and column.
  EXPECT_EQ(ds[0].to_string(),
            "e.csv:3:18: error: field 'scale of 'Tax'': expected the same Max on every row of the issue (100 at line 2), "
            "found 20000 (one issue has one scale: mixed scales mean mixed issues or a typo)");
  EXPECT_EQ(ds[1].to_string(),
            "e.csv:4:1: error: field 'actor 'A' on 'Tax'': expected one row per actor and issue, found a second row (the "
            "first is at line 2)");
  EXPECT_EQ(ds[2].where.line, 5);
  EXPECT_EQ(ds[2].where.column, 7);
  EXPECT_EQ(ds[2].field, "capability of 'A'");
  EXPECT_NE(ds[2].message.find("Issue capability"), std::string::npos);
}

TEST(LongFormat, CapabilityOnOneRowIsEnoughAndIssueCapabilityIsPerStance) {
  const Scenario s = detail::parse_any("Actor,Issue,Capability,Issue capability,Position,Salience\n"
                                       "A,T,,,20,0.5\n"
                                       "A,U,3,5,1,0.5\n"
                                       "B,T,2,,60,0.5\n"
                                       "B,U,,,2,0.5\n",
                                       "c.csv");
  EXPECT_DOUBLE_EQ(s.actors[0].capability.value, 3);
  EXPECT_EQ(s.actors[0].capability.where.line, 3);
  EXPECT_FALSE(stance_of(s, "a", "t").capability.has_value());
  ASSERT_TRUE(stance_of(s, "a", "u").capability.has_value());
  EXPECT_DOUBLE_EQ(stance_of(s, "a", "u").capability->value, 5);
  // No row gives C a capability: an error at its first row's empty cell.
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Issue,Capability,Position,Salience\nC,T,,1,0.5\nC,U,,2,0.5\nD,T,1,2,0.5\n", "n.csv");
  });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].field, "capability of 'C'");
  EXPECT_EQ(ds[0].where.line, 2);
  EXPECT_EQ(ds[0].where.column, 5);
}

TEST(LongFormat, UnknownColumnsAreWarningsAndRepeatedColumnsErrors) {
  const Scenario s = detail::parse_any("Actor,Issue,Region,Capability,Position,Salience,# my notes\n"
                                       "A,T,EU,1,20,0.5,whatever\nB,T,EU,1,30,0.5,\n",
                                       "u.csv");
  ASSERT_EQ(s.issues.size(), 1u);
  const auto w = std::find_if(s.warnings.begin(), s.warnings.end(),
                              [](const Diagnostic& d) { return d.message.find("'Region'") != std::string::npos; });
  ASSERT_NE(w, s.warnings.end()) << all(s.warnings);
  EXPECT_EQ(w->where.line, 1);
  EXPECT_EQ(w->where.column, 13);
  EXPECT_NE(w->message.find("ignored"), std::string::npos);
  // The '#' column is ignored without a warning.
  EXPECT_FALSE(has_warning(s, "my notes"));
  // Two Position columns in a long table: which one? An error naming both.
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Issue,Capability,Position,Salience,Pos\nA,T,1,2,0.5,3\n", "r.csv");
  });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].where.column, 42);
  EXPECT_EQ(ds[0].expected, "one column for Position (or x)");
  EXPECT_NE(ds[0].found.find("'Position' at line 1"), std::string::npos) << ds[0].found;
}

TEST(LongFormat, MalformedCellsNameRowAndColumn) {
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Issue,Capability,Position,Salience\n"
                            "Iran,Centrifuges,40,19000,90\n"
                            "Iran,Sanctions,40,lots,95\n"
                            "Oman,,1,2,3\n"
                            "Qatar,Sanctions,1,2,170\n",
                            "bad.csv");
  });
  ASSERT_EQ(ds.size(), 3u) << all(ds);
  EXPECT_EQ(ds[0].to_string(),
            "bad.csv:3:19: error: field 'position of 'Iran' on 'Sanctions'': expected a number (an option's name needs "
            "the issue's options in an Options column), found 'lots'");
  EXPECT_EQ(ds[1].to_string(), "bad.csv:4:6: error: field 'issue of 'Oman'': expected an issue name, found an empty field");
  EXPECT_EQ(ds[2].where.line, 5);
  EXPECT_EQ(ds[2].where.column, 21);
  EXPECT_EQ(ds[2].expected, "a number in [0, 1] or [0, 100]");
}

TEST(LongFormat, NeverMistakenForAOneIssueTable) {
  using detail::TableLayout;
  EXPECT_EQ(detail::text_table_layout("Actor,Issue,Capability,Position,Salience\n"), TableLayout::long_format);
  EXPECT_EQ(detail::text_table_layout("Salience\tPosition\tTopic\tName\tPower\n"), TableLayout::long_format);
  EXPECT_EQ(detail::text_table_layout("Actor,Capability,Position,Salience\n"), TableLayout::one_issue);
  EXPECT_EQ(detail::text_table_layout("Name\tx\tc\ts\n"), TableLayout::one_issue);
  EXPECT_EQ(detail::text_table_layout("foo,bar\n"), TableLayout::none);
  // A long sheet whose issue column has a name entente does not know is read as a one-issue table:
  // its repeated actors are then an error that says what is missing, never iran_2.
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Item,Capability,Position,Salience\n"
                            "Iran,Centrifuges,40,19000,90\n"
                            "Iran,Sanctions relief,40,100,95\n",
                            "item.csv");
  });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].where.line, 3);
  EXPECT_EQ(ds[0].expected, "one row per actor");
  EXPECT_NE(ds[0].message.find("needs an Issue column"), std::string::npos);
}

TEST(LongFormat, CategoricalIssuesFromOptionsRankingsAndUtilities) {
  // Venue has options Istanbul; Vatican; Geneva (n = 3). A ranking gives rank r utility
  // (n-1-r)/(n-1): best 1, second 0.5, unranked 0. An option as position: 1 for it, 0 others.
  const Scenario s = detail::parse_any(
      "Actor,Issue,Capability,Position,Salience,Options,Ranking,Utility: Istanbul,Utility: Vatican,Utility: Geneva\n"
      "Russia,Venue,100,Istanbul,0.3,Istanbul; Vatican; Geneva,,,,\n"
      "Ukraine,Venue,60,,0.2,,Vatican > Geneva,,,\n"
      "USA,Venue,80,,0.1,,,0.5,1,\n"
      "Russia,Regions,100,100,0.9,,,,,\n"
      "Ukraine,Regions,60,0,1,,,,,\n",
      "v.csv");
  ASSERT_EQ(s.issues.size(), 2u);
  const Issue& venue = s.issues[0];
  EXPECT_EQ(venue.kind, Issue::Kind::categorical);
  EXPECT_EQ(venue.options, (std::vector<std::string>{"Istanbul", "Vatican", "Geneva"}));
  EXPECT_EQ(s.issues[1].kind, Issue::Kind::numeric);
  const auto utilities = [&](const std::string& actor) {
    std::vector<double> u;
    for (const auto& q : stance_of(s, actor, "venue").utilities) u.push_back(q.value);
    return u;
  };
  EXPECT_EQ(utilities("russia"), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(utilities("ukraine"), (std::vector<double>{0, 1, 0.5}));
  EXPECT_EQ(utilities("usa"), (std::vector<double>{0.5, 1, 0}));  // Geneva left blank: 0
  EXPECT_EQ(stance_of(s, "usa", "venue").utilities[1].where.column, 25);
  // USA has no stance on Regions.
  EXPECT_EQ(s.stance(s.actor_index("usa"), s.issue_index("regions")), nullptr);
  (void)load_scenario(data_path("import/panel_alice.csv"));  // categorical and numeric, validated
}

TEST(LongFormat, CategoricalMistakesAreErrors) {
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Issue,Capability,Position,Salience,Options,Ranking,Utility: Geneva\n"
                            "A,Venue,1,Paris,0.5,Istanbul;Geneva,,\n"       // not an option
                            "B,Venue,1,Istanbul,0.5,,Geneva > Istanbul,\n"  // position and ranking
                            "C,Venue,1,,0.5,,Geneva > Geneva,\n"            // twice
                            "D,Venue,1,,0.5,,,1.5\n"                        // utility above 1
                            "E,Venue,1,3,0.5,,,\n",                         // a number
                            "c.csv");
  });
  ASSERT_EQ(ds.size(), 5u) << all(ds);
  EXPECT_EQ(ds[0].expected, "one of the options Istanbul, Geneva");
  EXPECT_EQ(ds[0].found, "'Paris'");
  EXPECT_EQ(ds[1].expected, "only one of a Position, a Ranking or utilities");
  EXPECT_EQ(ds[2].expected, "each option once");
  EXPECT_EQ(ds[3].where.column, 18);
  EXPECT_EQ(ds[3].expected, "a number in [0, 1]");
  EXPECT_EQ(ds[4].where.line, 6);
}

TEST(LongFormat, EvidenceColumns) {
  const Scenario s = detail::parse_any(
      "Actor,Issue,Capability,Position,Salience,Source,Quote,Notes\n"
      "Iran,Enrichment,40,3.67,0.9,Reuters 2015-07-14,\"capped at 3.67 percent\",\n"
      "USA,Enrichment,100,0,0.8,,,the administration's stated line\n",
      "e.csv");
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0].id, "reuters_2015-07-14");
  EXPECT_EQ(s.sources[0].title, "Reuters 2015-07-14");
  const auto& iran = stance_of(s, "iran", "enrichment");
  EXPECT_EQ(iran.position.evidence.source, "reuters_2015-07-14");
  EXPECT_EQ(iran.position.evidence.quote, "capped at 3.67 percent");
  EXPECT_EQ(iran.salience.evidence.source, "reuters_2015-07-14");
  EXPECT_EQ(stance_of(s, "usa", "enrichment").position.evidence.judgment, "the administration's stated line");
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Issue,Capability,Position,Salience,Quote\nA,T,1,2,0.5,words\n", "q.csv");
  });
  ASSERT_EQ(ds.size(), 1u) << all(ds);
  EXPECT_EQ(ds[0].field, "quote");
}

TEST(LongFormat, SalienceUnitsFromTheHeaderNote) {
  // "(0-100)": divided by 100 even when every salience is at most 1; "(0-1)": never, and 50 is an error.
  const Scenario p = detail::parse_any("Actor,Issue,Capability,Position,Salience (0-100)\nA,T,1,2,1\nB,T,1,3,0.5\n", "p.csv");
  EXPECT_DOUBLE_EQ(stance_of(p, "a", "t").salience.value, 0.01);
  const auto ds = diagnostics_of([] {
    (void)detail::parse_any("Actor,Issue,Capability,Position,Salience (0-1)\nA,T,1,2,50\n", "u.csv");
  });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].expected, "a number in [0, 1] (the header's scale)");
  // "(0-10)": divided by 10.
  const Scenario ten = detail::parse_any("Actor,Issue,Capability,Position,Salience (0-10)\nA,T,1,2,5\nB,T,1,3,10\n", "t.csv");
  EXPECT_DOUBLE_EQ(stance_of(ten, "a", "t").salience.value, 0.5);
  // No note, saliences up to 9: read as 0-100 as always, with a warning that they might not be.
  const Scenario nine = detail::parse_any("Actor,Issue,Capability,Position,Salience\nA,T,1,2,9\nB,T,1,3,4\n", "n.csv");
  EXPECT_DOUBLE_EQ(stance_of(nine, "a", "t").salience.value, 0.09);
  EXPECT_TRUE(has_warning(nine, "n.csv:1:33: warning: field 'salience': saliences read as 0-100")) << all(nine.warnings);
}

TEST(LongFormat, OneIssueTablesWarnAboutTheirIgnoredColumns) {
  // mugabe_full.csv: "Actor,Capability,Position,Salience,Flexibility,Veto,Fixed,Position".
  const Scenario s = import_data("cases/mugabe_full.csv");
  EXPECT_TRUE(has_warning(s, "column 'Flexibility' is not read")) << all(s.warnings);
  EXPECT_TRUE(has_warning(s, "a second column for Position (or x), 'Position': ignored"));
  EXPECT_TRUE(has_warning(s, "no scale given"));
}

}  // namespace
}  // namespace entente::test
