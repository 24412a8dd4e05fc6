// The "In words" lines under the forecast table.
#include <gtest/gtest.h>

#include "entente/output.hpp"
#include "entente/requests.hpp"

namespace entente {
namespace {

std::string table_for(const std::string& points) {
  const std::string text = R"(issues:
  - id: x
    name: X
    scale: {min: 0, max: 100}
)" + points + R"(actors:
  - {id: a, capability: 1, issues: {x: {position: 0, salience: 1}}}
  - {id: b, capability: 3, issues: {x: {position: 100, salience: 1}}}
)";
  ForecastRequest req;
  req.scenario.text = text;
  req.scenario.name = "words.yaml";
  req.models.models = {"compromise"};
  return render(forecast(req), Format::table);
}

// compromise = (0 * 1 * 1 + 100 * 3 * 1) / (1 * 1 + 3 * 1) = 75, by hand.
TEST(ForecastWords, ANumberAloneWhenTheIssueHasNoLabelledPoints) {
  const std::string s = table_for("");
  EXPECT_NE(s.find("  X (x): 75\n"), std::string::npos) << s;
}

TEST(ForecastWords, TheLabelsAroundTheNumberWhenThereArePoints) {
  const std::string s = table_for("    points: [{value: 0, label: none}, {value: 100, label: all}]\n");
  EXPECT_NE(s.find("  X (x): 75: between \"none\" (0) and \"all\" (100)"), std::string::npos) << s;
}

}  // namespace
}  // namespace entente
