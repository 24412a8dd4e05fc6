// Stakeholder tables (tests/data/cases). Expected numbers are read off the files by hand.
#include <gtest/gtest.h>

#include "common.hpp"

namespace entente::test {
namespace {

TEST(CasesImport, EveryFileImportsWithTheRightActorCount) {
  // Non-empty lines minus the header (counted with grep -c . on each file).
  const std::vector<std::pair<std::string, std::size_t>> files = {
      {"argentina_eum.tsv", 17},
      {"bdm1994_emission_standards_actors.csv", 10},
      {"bdm1997_sultan_actors.csv", 17},
      {"bdm_china_dmasad_actors.csv", 24},
      {"bdm_honduras_nicaragua_dmasad_actors.csv", 5},
      {"brexit_bayramli.csv", 9},
      {"columbus.csv", 4},
      {"eum_iranian_election_2013.tsv", 8},
      {"greece2015_blog.csv", 11},
      {"mugabe.csv", 32},
      {"mugabe_full.csv", 32},
      {"uk_emu_cons.csv", 9},
      {"uk_emu_labour.csv", 9},
  };
  for (const auto& [file, n] : files) {
    SCOPED_TRACE(file);
    const Scenario s = import_data("cases/" + file);
    EXPECT_EQ(s.format, "cases-csv");
    ASSERT_EQ(s.issues.size(), 1u);
    EXPECT_EQ(s.issues[0].id, "issue");
    EXPECT_EQ(s.actors.size(), n);
    for (const auto& a : s.actors) {
      ASSERT_EQ(a.stances.size(), 1u);
      ASSERT_TRUE(a.stances[0].has_value());
      EXPECT_GE(a.stances[0]->salience.value, 0.0);
      EXPECT_LE(a.stances[0]->salience.value, 1.0);
      EXPECT_GE(a.stances[0]->position.value, s.issues[0].min);
      EXPECT_LE(a.stances[0]->position.value, s.issues[0].max);
      EXPECT_GT(a.stances[0]->position.where.line, 1);
    }
  }
}

TEST(CasesImport, EmissionStandardsNumbersAndLocations) {
  const Scenario s = import_data("cases/bdm1994_emission_standards_actors.csv");
  // Line 3: "Belgium,0.08,7,0.4"
  const auto a = s.actor_index("belgium");
  EXPECT_EQ(s.actors[a].name, "Belgium");
  EXPECT_DOUBLE_EQ(s.actors[a].capability.value, 0.08);
  const auto& st = stance_of(s, "belgium", "issue");
  EXPECT_DOUBLE_EQ(st.position.value, 7);
  EXPECT_DOUBLE_EQ(st.salience.value, 0.4);  // already 0-1: not divided
  EXPECT_EQ(st.salience.where.line, 3);
  EXPECT_EQ(st.salience.where.column, 16);
  EXPECT_EQ(st.position.where.column, 14);
  EXPECT_EQ(s.actors[a].capability.where.column, 9);
  EXPECT_EQ(s.actors[a].where.line, 3);
  EXPECT_FALSE(st.capability.has_value());
  // Scale = range of positions (4..10; the reference vectors' Delta = 6).
  EXPECT_DOUBLE_EQ(s.issues[0].min, 4);
  EXPECT_DOUBLE_EQ(s.issues[0].max, 10);
  // File order kept.
  EXPECT_EQ(s.actors.front().id, "netherlands");
  EXPECT_EQ(s.actors.back().id, "greece");
}

TEST(CasesImport, PercentSalienceIsDividedBy100) {
  // "Stakeholder,Resources,Position,Salience" / "Zeming,80,25,50"
  const Scenario s = import_data("cases/bdm_china_dmasad_actors.csv");
  EXPECT_DOUBLE_EQ(stance_of(s, "zeming", "issue").salience.value, 0.5);
  EXPECT_DOUBLE_EQ(stance_of(s, "zeming", "issue").position.value, 25);
  EXPECT_DOUBLE_EQ(s.actors[s.actor_index("zeming")].capability.value, 80);
  EXPECT_DOUBLE_EQ(stance_of(s, "lipeng", "issue").salience.value, 0.8);
}

TEST(CasesImport, TabSeparatedShortHeaders) {
  // "Name x c s" / "Macri 100 0.159058374 0.99"
  const Scenario s = import_data("cases/argentina_eum.tsv");
  EXPECT_DOUBLE_EQ(s.actors[0].capability.value, 0.159058374);
  EXPECT_DOUBLE_EQ(s.actors[0].stances[0]->position.value, 100);
  EXPECT_DOUBLE_EQ(s.actors[0].stances[0]->salience.value, 0.99);
  EXPECT_EQ(s.actors[1].id, "ucr_alliance");
  EXPECT_EQ(s.actors[1].name, "UCR Alliance");
}

TEST(CasesImport, ExtraColumnsAndADuplicatePositionHeaderAreIgnored) {
  // Header "Actor,Capability,Position,Salience,Flexibility,Veto,Fixed,Position", rows of 7 fields.
  const Scenario full = import_data("cases/mugabe_full.csv");
  const Scenario plain = import_data("cases/mugabe.csv");
  ASSERT_EQ(full.actors.size(), plain.actors.size());
  for (std::size_t a = 0; a < full.actors.size(); ++a) {
    EXPECT_EQ(full.actors[a].id, plain.actors[a].id);
    EXPECT_DOUBLE_EQ(full.actors[a].capability.value, plain.actors[a].capability.value);
    EXPECT_DOUBLE_EQ(full.actors[a].stances[0]->position.value, plain.actors[a].stances[0]->position.value);
    EXPECT_DOUBLE_EQ(full.actors[a].stances[0]->salience.value, plain.actors[a].stances[0]->salience.value);
  }
  // "Mugabe,338.6,100,95,25,1,0": position is the 3rd column, not the Flexibility 25.
  EXPECT_DOUBLE_EQ(full.actors[0].capability.value, 338.6);
  EXPECT_DOUBLE_EQ(full.actors[0].stances[0]->position.value, 100);
  EXPECT_DOUBLE_EQ(full.actors[0].stances[0]->salience.value, 0.95);
}

TEST(CasesImport, LastLineWithoutNewline) {
  // Last line "Dominican Republic,0.0005362,0.5,0.3" has no line break. Max salience 1: not scaled.
  const Scenario s = import_data("cases/bdm_honduras_nicaragua_dmasad_actors.csv");
  ASSERT_EQ(s.actors.size(), 5u);
  EXPECT_EQ(s.actors[4].id, "dominican_republic");
  EXPECT_DOUBLE_EQ(s.actors[4].capability.value, 0.0005362);
  EXPECT_DOUBLE_EQ(s.actors[4].stances[0]->salience.value, 0.3);
  EXPECT_DOUBLE_EQ(s.actors[0].stances[0]->salience.value, 1.0);
  EXPECT_DOUBLE_EQ(s.issues[0].min, 0);
  EXPECT_DOUBLE_EQ(s.issues[0].max, 1);
}

TEST(CasesImport, CrOnlyAndCrlfLineEndsGiveTheSameScenario) {
  const std::string lf = read_file(data_path("cases/bdm1994_emission_standards_actors.csv"));
  std::string cr = lf, crlf;
  for (auto& c : cr)
    if (c == '\n') c = '\r';
  for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const Scenario a = detail::import_cases_table(lf, "t.csv");
  for (const auto& text : {cr, crlf}) {
    const Scenario b = detail::parse_any(text, "t.csv");
    ASSERT_EQ(b.actors.size(), a.actors.size());
    for (std::size_t k = 0; k < a.actors.size(); ++k) {
      EXPECT_EQ(b.actors[k].id, a.actors[k].id);
      EXPECT_EQ(b.actors[k].capability.value, a.actors[k].capability.value);
      EXPECT_EQ(b.actors[k].stances[0]->salience.value, a.actors[k].stances[0]->salience.value);
      EXPECT_EQ(b.actors[k].stances[0]->position.where.line, a.actors[k].stances[0]->position.where.line);
      EXPECT_EQ(b.actors[k].stances[0]->position.where.column, a.actors[k].stances[0]->position.where.column);
    }
  }
}

TEST(CasesImport, DuplicateNamesGetUniqueIdsAndNamesAreKept) {
  const Scenario s = detail::import_cases_table("Actor,Capability,Position,Salience\n"
                                                "\"Party, A\",1,2,0.5\n"
                                                "Party A,1,3,0.5\n"
                                                "party-a,2,4,0.5\n"
                                                "Ünïcode,1,5,0.5\n",
                                                "d.csv");
  ASSERT_EQ(s.actors.size(), 4u);
  EXPECT_EQ(s.actors[0].id, "party_a");
  EXPECT_EQ(s.actors[0].name, "Party, A");
  EXPECT_EQ(s.actors[1].id, "party_a_2");
  EXPECT_EQ(s.actors[2].id, "party-a");
  EXPECT_EQ(s.actors[3].id, "n_code");
  EXPECT_EQ(s.actors[3].name, "Ünïcode");
}

TEST(CasesImport, BadCellsAreAllReportedWithLineAndColumn) {
  const auto ds = diagnostics_of([] {
    (void)detail::import_cases_table("Actor,Capability,Position,Salience\n"
                                     "A,1,x,0.5\n"
                                     "B,-1,3,0.5\n"
                                     "C,1,3\n"
                                     "D,1,3,170\n",
                                     "bad.csv");
  });
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds[0].where.line, 2);
  EXPECT_EQ(ds[0].where.column, 5);
  EXPECT_EQ(ds[0].expected, "a number");
  EXPECT_EQ(ds[0].found, "'x'");
  EXPECT_EQ(ds[1].where.line, 3);
  EXPECT_EQ(ds[1].where.column, 3);
  EXPECT_EQ(ds[2].where.line, 4);
  EXPECT_EQ(ds[2].found, "the end of the row");
  EXPECT_EQ(ds[3].where.line, 5);
  EXPECT_EQ(ds[3].where.column, 7);
}

TEST(CasesImport, MissingColumnsAreNamed) {
  const auto ds = diagnostics_of([] { (void)detail::import_cases_table("Actor,Position\nA,1\n", "m.csv"); });
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_NE(ds[0].expected.find("Capability"), std::string::npos);
  EXPECT_NE(ds[1].expected.find("Salience"), std::string::npos);
  EXPECT_EQ(ds[0].where.line, 1);
}

}  // namespace
}  // namespace entente::test

namespace entente::test {
namespace {
TEST(CasesImport, Windows1252TextIsConvertedToUtf8) {
  // "Côte d’Ivoire" in Windows-1252: ô = 0xF4, ’ = 0x92. Columns count one per byte.
  const Scenario s = detail::parse_any("Actor,Capability,Position,Salience\n"
                                       "C\xF4te d\x92Ivoire,1,20,0.5\n"
                                       "B,2,30,0.5\n",
                                       "w.csv");
  EXPECT_EQ(s.actors[0].name, "C\xC3\xB4te d\xE2\x80\x99Ivoire");
  EXPECT_EQ(s.actors[0].id, "c_te_d_ivoire");
  EXPECT_EQ(s.actors[0].capability.where.column, 15);
  // Valid UTF-8 is left alone.
  const Scenario u = detail::parse_any("Actor,Capability,Position,Salience\nC\xC3\xB4te,1,20,0.5\nB,2,30,0.5\n", "u.csv");
  EXPECT_EQ(u.actors[0].name, "C\xC3\xB4te");
}
}  // namespace
}  // namespace entente::test
