// The terminal table shows counts in full: `runs list` showed a 3,000,000-draw run as "3e+06".
#include <gtest/gtest.h>

#include "entente/output.hpp"

using namespace entente;

TEST(TableCells, CountsShowEveryDigitAndMeasuresKeepFourSignificantOnes) {
  Table t;
  t.header = {"draws", "value"};
  t.rows.push_back({Cell::integer(3000000), Cell::num(3000000)});
  t.rows.push_back({Cell::integer(-12), Cell::num(1234567.89)});
  const std::string s = render(t, Format::table);
  EXPECT_NE(s.find("3000000"), std::string::npos) << s;
  EXPECT_NE(s.find("3e+06"), std::string::npos) << s;  // a measure of that size keeps its 4 digits
  EXPECT_NE(s.find("-12"), std::string::npos) << s;
  EXPECT_NE(s.find("1.235e+06"), std::string::npos) << s;
  // CSV and JSON were always exact.
  EXPECT_NE(render(t, Format::csv).find("3000000,3000000"), std::string::npos) << render(t, Format::csv);
}
