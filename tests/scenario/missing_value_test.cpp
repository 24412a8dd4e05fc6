// Issue 18, finding 9: a number written as a map without `value` was reported twice, once as
// "found nan" (a value nobody wrote) and once as "found nothing" without a line: assigning the
// `value` node to a yaml-cpp handle that shared the map's node overwrote the map, place and all.
// Now: one diagnostic per number, at the map's own line and column.
#include <gtest/gtest.h>

#include <string>

#include "entente/diagnostics.hpp"
#include "entente/scenario.hpp"

using namespace entente;

TEST(MissingValue, OneDiagnosticAtTheMapsPlaceAndNoNan) {
  const std::string text =
      "entente: 1\n"                                         // 1
      "title: t\n"                                           // 2
      "issues:\n"                                            // 3
      "  - id: a\n"                                          // 4
      "    scale: {min: 0, max: 100}\n"                      // 5
      "actors:\n"                                            // 6
      "  - id: x\n"                                          // 7
      "    capability: {evidence: {judgment: \"j\"}}\n"      // 8: the map starts at column 17
      "    issues:\n"                                        // 9
      "      a: {position: 10, salience: 0.5}\n"             // 10
      "  - id: y\n"                                          // 11
      "    capability: 3\n"                                  // 12
      "    issues:\n"                                        // 13
      "      a:\n"                                           // 14
      "        position:\n"                                  // 15
      "          evidence: {judgment: \"k\"}\n"              // 16: the block map starts at column 11
      "        salience: 0.5\n";                             // 17
  try {
    (void)parse_scenario(text, "nv.yaml");
    FAIL() << "accepted numbers without a value";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u) << e.what();
    const Diagnostic& cap = e.diagnostics()[0];
    EXPECT_EQ(cap.field, "actors.x.capability.value");
    EXPECT_EQ(cap.where.line, 8);
    EXPECT_EQ(cap.where.column, 17);
    EXPECT_EQ(cap.found, "nothing");
    const Diagnostic& pos = e.diagnostics()[1];
    EXPECT_EQ(pos.field, "actors.y.issues.a.position.value");
    EXPECT_EQ(pos.where.line, 16);
    EXPECT_EQ(pos.where.column, 11);
    for (const auto& d : e.diagnostics()) EXPECT_EQ(d.found.find("nan"), std::string::npos) << d.found;
  }
}
