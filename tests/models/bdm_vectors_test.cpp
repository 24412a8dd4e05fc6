// The reference trajectories (specs/bdm.md section 4.4): every median, mean, position and risk
// exponent of 10 rounds on 5 case tables, default variant and capitulation=on, fast and direct.
#include <gtest/gtest.h>

#include <cmath>

#include "bdm_test_util.hpp"
#include "entente/model.hpp"

namespace {

using bdm_test::matches_printed;

void check_file(const std::string& vector_file, const entente::Params& extra) {
  const auto sets = bdm_test::read_vectors(bdm_test::data("bdm/" + vector_file));
  ASSERT_EQ(sets.size(), 5u);
  for (const auto& v : sets) {
    SCOPED_TRACE(v.dataset);
    const auto sc = bdm_test::load_case(bdm_test::data(v.dataset));
    ASSERT_EQ(static_cast<int>(sc.actors.size()), v.n);
    for (const char* algorithm : {"fast", "direct"}) {
      SCOPED_TRACE(algorithm);
      entente::Params p = extra;
      p.set("algorithm", algorithm);
      const auto res = entente::run_model(sc, "bdm", p);
      ASSERT_EQ(res.trace.rounds.size(), v.rows.size());
      int checked = 0;
      for (std::size_t t = 0; t < v.rows.size(); ++t) {
        SCOPED_TRACE("round " + std::to_string(t));
        const auto& row = v.rows[t];
        const auto& round = res.trace.rounds[t];
        ASSERT_EQ(static_cast<std::size_t>(2 * v.n + 3), row.size());
        EXPECT_EQ(round.index, static_cast<int>(row[0]));
        EXPECT_TRUE(matches_printed(round.issues("median")->data[0], row[1]))
            << round.issues("median")->data[0] << " vs " << row[1];
        EXPECT_TRUE(matches_printed(round.issues("mean")->data[0], row[2]))
            << round.issues("mean")->data[0] << " vs " << row[2];
        for (int i = 0; i < v.n; ++i) {
          const double x = round.actors("position")->data[0][static_cast<std::size_t>(i)];
          const double r = round.actors("risk")->data[0][static_cast<std::size_t>(i)];
          EXPECT_TRUE(matches_printed(x, row[static_cast<std::size_t>(3 + i)])) << "x" << i << " " << x;
          EXPECT_TRUE(matches_printed(r, row[static_cast<std::size_t>(3 + v.n + i)])) << "r" << i << " " << r;
          checked += 2;
        }
      }
      EXPECT_EQ(checked, 2 * v.n * static_cast<int>(v.rows.size()));
      // Forecast = the median after the last round.
      EXPECT_TRUE(matches_printed(res.forecasts[0].value, v.rows.back()[1]));
      EXPECT_TRUE(matches_printed(*res.forecasts[0].extra("median"), v.rows.back()[1]));
      EXPECT_TRUE(matches_printed(*res.forecasts[0].extra("mean"), v.rows.back()[2]));
    }
  }
}

TEST(BdmVectors, ReferenceTrajectories) { check_file("scholz2011_reference_10rounds.txt", {}); }

TEST(BdmVectors, CapitulationFixedTrajectories) {
  check_file("scholz2011_capfix_reference_10rounds.txt", {{"capitulation", "on"}});
}

TEST(BdmVectors, ToleranceIsHalfUnitOfTenthDigit) {
  // 7.242130958 stands for [7.2421309575, 7.2421309585]; 1e-9 relative adds about 7e-9.
  EXPECT_TRUE(matches_printed(7.2421309584, 7.242130958));
  EXPECT_TRUE(matches_printed(7.242130958 + 7e-9, 7.242130958));
  EXPECT_FALSE(matches_printed(7.242130958 + 8e-9, 7.242130958));
  EXPECT_FALSE(matches_printed(7.24213097, 7.242130958));
  EXPECT_TRUE(matches_printed(std::nan(""), std::nan("")));
  EXPECT_FALSE(matches_printed(0.5, std::nan("")));
}

}  // namespace
