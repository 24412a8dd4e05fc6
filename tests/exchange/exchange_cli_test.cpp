// `entente trace FILE --model exchange --format csv` against Decide's vector files, through the
// real Decide importer and the generic trace writer (rows: rounds outer, issues by id).
#include <gtest/gtest.h>

#include "support/cli.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {
// stdout of `entente ARGS`.
std::string run(const std::string& args) { return entente::test::run_cli(args, entente::test::Streams::stdout_only).out; }
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> row;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) row.push_back(f);
    rows.push_back(row);
  }
  return rows;
}
void compare(const std::string& input, const std::string& vectors, const std::string& extra = "") {
  const std::string data = ENTENTE_TEST_DATA;
  const auto got = parse_csv(run("trace " + data + "/decide/" + input +
                                 " --model exchange --format csv" + extra));
  std::ifstream in(data + "/exchange/" + vectors);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto want = parse_csv(ss.str());
  ASSERT_EQ(got.size(), want.size());
  ASSERT_EQ(got[0], want[0]);
  for (std::size_t r = 1; r < want.size(); ++r) {
    ASSERT_EQ(got[r].size(), want[r].size());
    EXPECT_EQ(got[r][0], want[r][0]);
    EXPECT_EQ(got[r][1], want[r][1]);
    for (std::size_t c = 2; c < want[r].size(); ++c)
      EXPECT_NEAR(std::stod(got[r][c]), std::stod(want[r][c]), 1e-6) << input << " row " << r << " col " << c;
  }
}
}  // namespace

TEST(ExchangeCli, TraceCsvMatchesDataShortVectors) {
  compare("data_short.csv", "data_short_equal_p0_ties-first_10rounds.csv");
}
TEST(ExchangeCli, TraceCsvMatchesSampleDataVectors) {
  compare("sample_data.txt", "sample_data_equal_p0_ties-first_10rounds.csv");
}
TEST(ExchangeCli, ExchangesListsEveryRealisedExchange) {
  const auto rows = parse_csv(run(std::string("trace ") + ENTENTE_TEST_DATA +
                                  "/decide/data_short.csv --model exchange --format csv --exchanges --rounds 1"));
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "round");
  EXPECT_EQ(rows.size() - 1, 20u);  // Decide realises 20 exchanges in round 1 (vector file)
}
