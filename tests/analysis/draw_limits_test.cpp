// Finding 7 of issue 18: `sd: 1e308` on a capability made exchange fail with "decimal28: not a
// finite number" (exit 1) and bdm blame the file's line for a drawn inf. A draw that leaves the
// doubles is now a draw error naming the input and its distribution, at the input's line.
#include <gtest/gtest.h>

#include "entente/analysis.hpp"
#include "entente/scenario.hpp"

namespace entente {
namespace {

TEST(DrawLimits, NonFiniteDrawIsAnInputErrorNamingTheDistribution) {
  const Scenario s = parse_scenario(R"(title: t
issues:
  - id: i
    scale: {min: 0, max: 100}
actors:
  - id: a
    capability: {value: 60, uncertainty: {distribution: normal, sd: 1e308}}
    issues: {i: {position: 10, salience: 1}}
  - id: b
    capability: 1
    issues: {i: {position: 90, salience: 1}}
)",
                                    "wide.yaml");
  // |z| > 1.8 makes 1e308 * z overflow; within a few draws one does (P(|z| > 1.8) = 0.072 each).
  bool refused = false;
  for (std::uint64_t draw = 0; draw < 200 && !refused; ++draw) {
    try {
      (void)draw_scenario(s, 1, draw);
    } catch (const InputError& e) {
      refused = true;
      const Diagnostic& d = e.diagnostics().front();
      EXPECT_EQ(d.field, "a.capability");
      EXPECT_EQ(d.where.line, 7);
      EXPECT_NE(d.found.find("inf"), std::string::npos) << d.found;
      EXPECT_NE(d.found.find("normal with sd 1e+308"), std::string::npos) << d.found;
    }
  }
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace entente
