// KTAB CSV and XML inputs (tests/data/ktab). Counts from specs/smp.md and shared/data/SOURCES.md.
#include <gtest/gtest.h>

#include "common.hpp"

namespace entente::test {
namespace {

TEST(KtabImport, EveryCsvImportsWithTheRightShape) {
  struct Row {
    std::string file;
    std::size_t actors, dims;
  };
  std::vector<Row> rows = {{"SOE-Policy.csv", 26, 1},     {"SOE-Competitive.csv", 34, 1},
                           {"SOE-Pol-Comp.csv", 13, 2},   {"dummyData_3Dim.csv", 7, 3},
                           {"dummyData_3Dim-no-final-comma.csv", 7, 3}, {"dummyData_6Dim.csv", 27, 6},
                           {"dummyData-a040.csv", 40, 1}, {"dummyData-a080.csv", 80, 1},
                           {"dummyData-a160.csv", 160, 1}};
  // synthetic/synth-aNNN-dD.csv: NNN actors, D dimensions.
  for (int n : {10, 25, 50, 100})
    for (int d : {1, 2, 3})
      rows.push_back({"synthetic/synth-a" + std::string(n < 100 ? "0" : "") + (n < 10 ? "0" : "") +
                          std::to_string(n) + "-d" + std::to_string(d) + ".csv",
                      static_cast<std::size_t>(n), static_cast<std::size_t>(d)});
  rows.push_back({"synthetic/synth-a200-d2.csv", 200, 2});
  for (const auto& r : rows) {
    SCOPED_TRACE(r.file);
    const Scenario s = import_data("ktab/" + r.file);
    EXPECT_EQ(s.format, "ktab-csv");
    EXPECT_EQ(s.actors.size(), r.actors);
    ASSERT_EQ(s.issues.size(), r.dims);
    for (const auto& is : s.issues) {
      EXPECT_EQ(is.min, 0);
      EXPECT_EQ(is.max, 100);
    }
    for (const auto& a : s.actors) {
      double total = 0;
      for (const auto& st : a.stances) {
        ASSERT_TRUE(st.has_value());
        total += st->salience.value;
      }
      EXPECT_LE(total, 1.0 + 1e-12);
    }
  }
}

TEST(KtabImport, SoePolCompNumbers) {
  const Scenario s = import_data("ktab/SOE-Pol-Comp.csv");
  EXPECT_EQ(s.title, "China Policy/Competitive; scen 2");
  ASSERT_EQ(s.issues.size(), 2u);
  // Header cells 3 and 5: "Policy Position", "Competitive Position".
  EXPECT_EQ(s.issues[0].name, "Policy Position");
  EXPECT_EQ(s.issues[0].id, "policy_position");
  EXPECT_EQ(s.issues[1].name, "Competitive Position");
  // Line 3: "XJ,Xi Jinping,                            100.0,30,24.0,20,48.0, "
  EXPECT_EQ(s.actors[0].id, "XJ");
  EXPECT_EQ(s.actors[0].description, "Xi Jinping");
  EXPECT_DOUBLE_EQ(s.actors[0].capability.value, 100);
  EXPECT_EQ(s.actors[0].capability.where.line, 3);
  const std::string text = read_file(data_path("ktab/SOE-Pol-Comp.csv"));
  const auto line3 = text.find("XJ,");
  EXPECT_EQ(s.actors[0].capability.where.column, static_cast<int>(text.find("100.0", line3) - line3 + 1));
  EXPECT_DOUBLE_EQ(s.actors[0].stances[0]->position.value, 30);
  EXPECT_DOUBLE_EQ(s.actors[0].stances[0]->salience.value, 0.24);
  EXPECT_DOUBLE_EQ(s.actors[0].stances[1]->position.value, 20);
  EXPECT_DOUBLE_EQ(s.actors[0].stances[1]->salience.value, 0.48);
  // Line 4: "LK,Li Keqiang,                             60.2,45,44.7,65,41.3, "
  EXPECT_DOUBLE_EQ(s.actors[1].capability.value, 60.2);
  EXPECT_DOUBLE_EQ(s.actors[1].stances[1]->salience.value, 41.3 / 100);
}

TEST(KtabImport, DummyData3DimCsvAndXmlAgree) {
  // "SActor-00, Random Spatial Actor, 102.543, 75.79, 49.53,  6.37,  5.91, 70.45, 28.15,"
  const Scenario c = import_data("ktab/dummyData_3Dim.csv");
  const Scenario n = import_data("ktab/dummyData_3Dim-no-final-comma.csv");
  const Scenario x = import_data("ktab/dummyData_3Dim.xml");
  EXPECT_EQ(x.format, "ktab-xml");
  EXPECT_EQ(c.actors[0].id, "SActor-00");
  EXPECT_DOUBLE_EQ(c.actors[0].capability.value, 102.543);
  EXPECT_DOUBLE_EQ(c.actors[0].stances[0]->position.value, 75.79);
  EXPECT_DOUBLE_EQ(c.actors[0].stances[0]->salience.value, 49.53 / 100);
  EXPECT_DOUBLE_EQ(c.actors[0].stances[2]->salience.value, 28.15 / 100);
  EXPECT_EQ(c.issues[1].id, "Pstn2");
  for (const Scenario* other : {&n, &x}) {
    ASSERT_EQ(other->actors.size(), c.actors.size());
    ASSERT_EQ(other->issues.size(), c.issues.size());
    for (std::size_t a = 0; a < c.actors.size(); ++a) {
      EXPECT_EQ(other->actors[a].id, c.actors[a].id);
      EXPECT_EQ(other->actors[a].capability.value, c.actors[a].capability.value);
      for (std::size_t i = 0; i < c.issues.size(); ++i) {
        EXPECT_EQ(other->actors[a].stances[i]->position.value, c.actors[a].stances[i]->position.value);
        EXPECT_EQ(other->actors[a].stances[i]->salience.value, c.actors[a].stances[i]->salience.value);
      }
    }
  }
  // <prngSeed>03707583219545544125</prngSeed>; no ModelParameters, no IdealAdjustment (KTAB
  // itself refuses the file for the latter; entente uses the identity).
  ASSERT_TRUE(x.seed.has_value());
  EXPECT_EQ(*x.seed, 3707583219545544125ULL);
  EXPECT_TRUE(x.model_params.empty());
  EXPECT_FALSE(c.seed.has_value());
}

TEST(KtabImport, SmpExampleFixedXml) {
  const Scenario s = import_data("ktab/smpExample-fixed.xml");
  EXPECT_EQ(s.title, "DummyData_3Dim");
  ASSERT_EQ(s.actors.size(), 5u);
  ASSERT_EQ(s.issues.size(), 3u);
  EXPECT_EQ(s.issues[2].id, "YADN");
  EXPECT_EQ(s.actors[0].id, "Alice");
  EXPECT_DOUBLE_EQ(s.actors[0].capability.value, 117.7);
  EXPECT_DOUBLE_EQ(s.actors[0].stances[0]->position.value, 52.8);
  EXPECT_EQ(s.actors[0].stances[0]->position.where.line, 32);
  EXPECT_EQ(s.actors[0].stances[0]->position.where.column, 17);  // after 8 blanks and "<dCoord>"
  EXPECT_DOUBLE_EQ(s.actors[0].stances[0]->salience.value, 0.323);
  EXPECT_DOUBLE_EQ(s.actors[4].stances[2]->salience.value, 0.158);
  ASSERT_TRUE(s.seed.has_value());
  EXPECT_EQ(*s.seed, 3507583219545544127ULL);
  const auto& p = s.model_params.at("smp");
  EXPECT_EQ(p.size(), 10u);  // the 9 options + the accommodation matrix
  EXPECT_EQ(p.at("VictoryProbModel"), "Linear");
  EXPECT_EQ(p.at("PCEModel"), "MarkovIncentive");
  EXPECT_EQ(p.at("StateTransitions"), "Stochastic");
  EXPECT_EQ(p.at("VotingRule"), "PropCbc");
  EXPECT_EQ(p.at("BargnModel"), "InitOnlyInterp");
  EXPECT_EQ(p.at("IdealAdjustment"),
            "Alice:Alice:0.87;Bob:Bob:0.75;Bob:Alice:0.07;Carol:Carol:0.65;Carol:David:0.13;David:David:0.57");
}

TEST(KtabImport, SmpExampleBlankCoordinateIsAPreciseError) {
  const auto ds = diagnostics_of([] { (void)import_data("ktab/smpExample.xml"); });
  ASSERT_EQ(ds.size(), 1u);
  // Line 32: "        <dCoord></dCoord>"
  EXPECT_EQ(ds[0].where.line, 32);
  EXPECT_EQ(ds[0].where.column, 9);
  EXPECT_EQ(ds[0].field, "position of 'Alice' on dimension 1 (<dCoord> 1)");
  EXPECT_EQ(ds[0].expected, "a number");
  EXPECT_EQ(ds[0].found, "an empty <dCoord>");
}

TEST(KtabImport, SchemaAliasesAreMappedToKtabsOptionNames) {
  const std::string xml =
      "<Scenario><name>t</name><desc/><prngSeed/>"
      "<ModelParameters><VotingRule>Proportional</VotingRule><BigRAdjust>No</BigRAdjust></ModelParameters>"
      "<Dimensions><dName>d one</dName></Dimensions><Actors>"
      "<Actor><name>A</name><description/><capability>1</capability><Position><dCoord>10</dCoord></Position>"
      "<Salience><dSal>50</dSal></Salience></Actor>"
      "<Actor><name>B b</name><description/><capability>2</capability><Position><dCoord>90</dCoord></Position>"
      "<Salience><dSal>60</dSal></Salience></Actor></Actors></Scenario>";
  const Scenario s = detail::parse_any(xml, "alias.xml");
  EXPECT_EQ(s.model_params.at("smp").at("VotingRule"), "Prop");
  EXPECT_EQ(s.model_params.at("smp").at("BigRAdjust"), "None");
  EXPECT_FALSE(s.seed.has_value());
  EXPECT_EQ(s.issues[0].id, "d_one");
  EXPECT_EQ(s.actors[1].id, "b_b");
}

TEST(KtabImport, CsvErrorsAreCollected) {
  const auto ds = diagnostics_of([] {
    (void)detail::import_ktab_csv("S,desc,3,2,\n"
                                  "Actor,Description,Power,P1,S1,P2,S2,\n"
                                  "A,a,10,50,60,50,50,\n"     // saliences total 110 (line 3)
                                  "B,b,-1,101,10,20,10,\n"   // capability, position (line 4)
                                  "C,c,10,20,x\n",           // too few fields (line 5)
                                  "k.csv");
  });
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds[0].where.line, 3);
  EXPECT_EQ(ds[0].expected, "a total of at most 100");
  EXPECT_EQ(ds[1].where.line, 4);
  EXPECT_EQ(ds[1].where.column, 5);
  EXPECT_EQ(ds[2].where.line, 4);
  EXPECT_EQ(ds[2].where.column, 8);
  EXPECT_EQ(ds[3].where.line, 5);
}

TEST(KtabImport, ActorCountMustMatchLineOne) {
  const auto ds = diagnostics_of([] {
    (void)detail::import_ktab_csv("S,desc,3,1\nA,D,C,P,S\nA,a,1,50,50\nB,b,1,50,50\n", "k.csv");
  });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].expected, "3 actor rows (line 1 says 3 actors)");
  EXPECT_EQ(ds[0].found, "2 rows");
}

TEST(KtabImport, MalformedXmlIsAnInputError) {
  const auto ds = diagnostics_of([] { (void)detail::import_ktab_xml("<Scenario>\n<name>x</nam>\n", "m.xml"); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].where.line, 2);
}

}  // namespace
}  // namespace entente::test
