// Round 1 of the EC emission-standards case step by step (specs/bdm.md sections 4.1-4.3): the
// normalisers, probabilities, first-pass utilities, danger sums, risk exponents and the octant
// values e1/e2, from the straightforward round and (where it reports them) the fast one.
// Each expected value is checked to half a unit of the last decimal the spec prints.
#include <gtest/gtest.h>

#include <cmath>

#include "bdm_test_util.hpp"
#include "models/bdm_core.hpp"

namespace {

using namespace entente::bdm;

// Actor order of the table: NL BE LU DE FR IT UK IE DK GR.
enum { NL, BE, LU, DE, FR, IT, UK, IE, DK, GR };

struct Ec {
  Problem pb;
  std::vector<double> x;
  double delta = 0;
  Ec() {
    const auto sc = bdm_test::load_case(bdm_test::data("cases/bdm1994_emission_standards_actors.csv"));
    for (const auto& a : sc.actors) {
      pb.c.push_back(a.capability.value);
      pb.s.push_back(a.stances[0]->salience.value);
      x.push_back(a.stances[0]->position.value);
    }
    delta = 6;
  }
};

// |v - expected| <= half a unit of the `decimals`-th decimal (the spec's printed precision).
void near_printed(double v, double expected, int decimals) {
  EXPECT_NEAR(v, expected, 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9));
}

TEST(BdmRound1, InputsAsInTable1) {
  const Ec ec;
  ASSERT_EQ(ec.x.size(), 10u);
  EXPECT_EQ(ec.x, (std::vector<double>{4, 7, 4, 4, 10, 10, 10, 7, 4, 7}));
  double sum_c = 0;
  for (double c : ec.pb.c) sum_c += c;
  EXPECT_NEAR(sum_c, 1.01, 1e-12);  // "Capabilities sum to 1.01"
}

TEST(BdmRound1, RiskPass) {
  const Ec ec;
  const auto d = round_details(ec.pb, ec.x, ec.delta, Options{});
  near_printed(d.z1, 28.233, 3);
  near_printed(d.p1[BE][FR], 0.00603903, 8);
  near_printed(d.p1[FR][BE], 0.00595048, 8);
  near_printed(d.p1[NL][FR], 0.00878405, 8);
  // Belgium's first-pass EU: challenging / being challenged.
  near_printed(d.eu1[BE][NL], -0.5878, 4);
  near_printed(d.eu1[NL][BE], 0.2035, 4);
  near_printed(d.eu1[BE][LU], 0.6030, 4);
  near_printed(d.eu1[LU][BE], 0.2035, 4);
  near_printed(d.eu1[BE][DK], -0.9848, 4);
  near_printed(d.eu1[DK][BE], 0.2035, 4);
  near_printed(d.eu1[BE][FR], -0.1928, 4);
  near_printed(d.eu1[FR][BE], 0.2048, 4);
  // With every r = 1, EU(a->b) = 2 d_ab [1 - 2 s_b (1 - P(a,b))] (spec 1.2 check value).
  for (std::size_t a = 0; a < 10; ++a)
    for (std::size_t b = 0; b < 10; ++b) {
      if (a == b) continue;
      const double dab = std::fabs(ec.x[a] - ec.x[b]) / 6;
      EXPECT_NEAR(d.eu1[a][b], 2 * dab * (1 - 2 * ec.pb.s[b] * (1 - d.p1[a][b])), 1e-14);
    }
  const double danger[10] = {-5.249283, 1.428336, 5.437679, -5.249283, -2.093933,
                             -2.093933, -8.640899, 5.607084, -8.811603, -2.750413};
  const double r[10] = {1.405653, 0.754196, 0.508864, 1.405653, 1.046524, 1.046524, 1.964898, 0.5, 2, 1.112125};
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);
    near_printed(d.danger[static_cast<std::size_t>(i)], danger[i], 6);
    near_printed(d.r[static_cast<std::size_t>(i)], r[i], 6);
  }
  // The most threatened (Ireland) gets R = +1, r = 0.5; the safest (Denmark) R = -1, r = 2.
  EXPECT_DOUBLE_EQ(d.R[IE], 1.0);
  EXPECT_DOUBLE_EQ(d.R[DK], -1.0);
}

TEST(BdmRound1, MainPassAndOctants) {
  const Ec ec;
  const auto d = round_details(ec.pb, ec.x, ec.delta, Options{});
  near_printed(d.z, 28.33346034, 8);
  near_printed(d.p[BE][FR], 0.00731387, 8);
  near_printed(d.p[FR][BE], 0.00458258, 8);

  struct Pt {
    int i, j;
    double e1, e2;
  };
  const Pt pts[] = {
      // Belgium
      {BE, NL, -0.4725, 0.2423}, {BE, LU, 0.6060, 0.2423}, {BE, DE, -0.4725, 0.2423}, {BE, FR, -0.1148, 0.2433},
      {BE, IT, -0.1148, 0.2433}, {BE, UK, -0.6550, 0.2433}, {BE, IE, 0, 0}, {BE, DK, -0.8320, 0.2423}, {BE, GR, 0, 0},
      // France
      {FR, NL, -1.2255, -0.4425}, {FR, BE, 0.1937, -0.2057}, {FR, LU, 1.1460, -0.4425}, {FR, DE, -1.2255, -0.4425},
      {FR, IT, 0, 0}, {FR, UK, 0, 0}, {FR, IE, 0.7977, -0.2057}, {FR, DK, -2.0160, -0.4425}, {FR, GR, -0.4103, -0.2057},
      // Netherlands
      {NL, BE, 0.1027, -0.7247}, {NL, FR, -0.8692, -1.6523}, {NL, IT, -0.8692, -1.6523}, {NL, UK, -2.0587, -1.6523},
      {NL, IE, 0.7306, -0.7247}, {NL, GR, -0.5252, -0.7247}, {NL, LU, 0, 0}, {NL, DE, 0, 0}, {NL, DK, 0, 0},
      // Luxembourg
      {LU, BE, 0.2455, 0.5422}, {LU, FR, 0.4321, 2.0206}, {LU, IT, 0.4321, 2.0206}, {LU, UK, -0.7574, 2.0206},
      {LU, IE, 0.6880, 0.5422}, {LU, GR, -0.1970, 0.5422},
  };
  for (const auto& p : pts) {
    SCOPED_TRACE(std::to_string(p.i) + " vs " + std::to_string(p.j));
    near_printed(d.e1[static_cast<std::size_t>(p.i)][static_cast<std::size_t>(p.j)], p.e1, 4);
    near_printed(d.e2[static_cast<std::size_t>(p.i)][static_cast<std::size_t>(p.j)], p.e2, 4);
  }
  // Belgium's compromise towards France: |e1/e2| = 0.1148305/0.2432966, x = 7 + 3 * 0.47198.
  near_printed(d.e1[BE][FR], -0.1148305, 7);
  near_printed(d.e2[BE][FR], 0.2432966, 7);
  EXPECT_NEAR(d.x[BE], 8.415932315, 5e-10 + 1e-9 * 8.4);
}

TEST(BdmRound1, MovesOfTable43) {
  // Round 1: BE <- FR compromise 8.415932315; LU <- BE confrontation 7; IE <- LU confrontation 4.
  const Ec ec;
  const auto d = round_details(ec.pb, ec.x, ec.delta, Options{});
  int selected = 0;
  for (const auto& f : d.offers) {
    if (!f.selected) continue;
    ++selected;
    if (f.to == BE) {
      EXPECT_EQ(f.from, FR);
      EXPECT_EQ(f.type, OfferType::compromise);
    } else if (f.to == LU) {
      EXPECT_EQ(f.from, BE);
      EXPECT_EQ(f.type, OfferType::confrontation);
      EXPECT_EQ(f.new_position, 7);
    } else if (f.to == IE) {
      EXPECT_EQ(f.from, LU);
      EXPECT_EQ(f.type, OfferType::confrontation);
      EXPECT_EQ(f.new_position, 4);
    } else {
      ADD_FAILURE() << "unexpected move of actor " << f.to;
    }
  }
  EXPECT_EQ(selected, 3);
  // France and Italy both offer Belgium the same compromise; the first in input order wins.
  const auto it = std::find_if(d.offers.begin(), d.offers.end(), [](const Offer& f) { return f.to == BE && f.from == IT; });
  ASSERT_NE(it, d.offers.end());
  EXPECT_FALSE(it->selected);
}

TEST(BdmRound1, FastPathReportsTheSameDetails) {
  const Ec ec;
  const auto d = round_details(ec.pb, ec.x, ec.delta, Options{});
  const auto f = round_fast(ec.pb, ec.x, ec.delta, Options{});
  EXPECT_NEAR(f.z1, d.z1, 1e-12 * d.z1);
  EXPECT_NEAR(f.z, d.z, 1e-12 * d.z);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_NEAR(f.danger[i], d.danger[i], 1e-12);
    EXPECT_NEAR(f.r[i], d.r[i], 1e-12);
    EXPECT_NEAR(f.x[i], d.x[i], 1e-12);
  }
  ASSERT_EQ(f.offers.size(), d.offers.size());
  for (std::size_t k = 0; k < f.offers.size(); ++k) {
    EXPECT_EQ(f.offers[k].to, d.offers[k].to);
    EXPECT_EQ(f.offers[k].from, d.offers[k].from);
    EXPECT_EQ(f.offers[k].type, d.offers[k].type);
    EXPECT_EQ(f.offers[k].selected, d.offers[k].selected);
    EXPECT_NEAR(f.offers[k].new_position, d.offers[k].new_position, 1e-12);
  }
}

TEST(BdmRound1, TenRoundsOfTable43) {
  // Section 4.3: medians and means per round, and who moves where.
  const Ec ec;
  const auto run = run_issue(ec.pb, ec.x, 6, Options{});
  ASSERT_EQ(run.rounds.size(), 11u);
  const double median[11] = {7, 8.415932315, 9.610859134, 9.961979590, 9.961979590, 9.961979590,
                             7.472046362, 8.824593855, 9.671129770, 9.671129770, 7};
  const double mean[11] = {7.389955687, 7.461314378, 7.552500866, 7.590144997, 7.358130531, 7.349173990,
                           7.414877545, 7.510457184, 7.572447098, 7.324989066, 7.242130958};
  for (std::size_t t = 0; t < 11; ++t) {
    EXPECT_TRUE(bdm_test::matches_printed(run.rounds[t].median, median[t])) << t;
    EXPECT_TRUE(bdm_test::matches_printed(run.rounds[t].mean, mean[t])) << t;
  }
  // Round 4: Belgium compromises towards the Netherlands (the compromise key), not France.
  for (const auto& f : run.rounds[4].offers)
    if (f.selected && f.to == BE) {
      EXPECT_EQ(f.from, NL);
      EXPECT_EQ(f.type, OfferType::compromise);
      EXPECT_TRUE(bdm_test::matches_printed(f.new_position, 4.800881141));
    }
}

}  // namespace
