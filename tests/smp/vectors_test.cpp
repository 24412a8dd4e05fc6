// KTAB's own trajectories (tests/data/smp, from /work/shared/specs/vectors/smp): every turn of
// every file, positions, ideals and win probabilities within 1e-5 on the 0-100 scale, same turns.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "entente/model.hpp"
#include "entente/scenario.hpp"

namespace {

struct Case {
  std::string input;    // file in tests/data/ktab
  std::string vectors;  // prefix in tests/data/smp
  std::vector<std::pair<std::string, std::string>> params;
};

std::vector<Case> cases() {
  const std::string soe = "SOE-Pol-Comp.csv";
  return {
      {soe, "SOE-Pol-Comp", {}},
      {soe, "SOE-Pol-Comp_vpm-Square", {{"VictoryProbModel", "Square"}}},
      {soe, "SOE-Pol-Comp_pce-MarkovIncentive", {{"PCEModel", "MarkovIncentive"}}},
      {soe, "SOE-Pol-Comp_pce-MarkovUniform", {{"PCEModel", "MarkovUniform"}}},
      {soe, "SOE-Pol-Comp_vr-Binary", {{"VotingRule", "Binary"}}},
      {soe, "SOE-Pol-Comp_vr-PropCbc", {{"VotingRule", "PropCbc"}}},
      {soe, "SOE-Pol-Comp_bigRRng-Max", {{"BigRRange", "Max"}}},
      {soe, "SOE-Pol-Comp_tpc-FullCommit", {{"ThirdPartyCommit", "FullCommit"}}},
      {soe, "SOE-Pol-Comp_tpc-NoCommit", {{"ThirdPartyCommit", "NoCommit"}}},
      {soe, "SOE-Pol-Comp_ivb-S1P1", {{"InterVecBrgn", "S1P1"}}},
      {soe, "SOE-Pol-Comp_ivb-S2PMax", {{"InterVecBrgn", "S2PMax"}}},
      {soe, "SOE-Pol-Comp_brgn-InitRcvr", {{"BargnModel", "InitRcvrInterp"}}},
      {soe, "SOE-Pol-Comp_brgn-PWComp", {{"BargnModel", "PWCompInterp"}}},
      {"dummyData_3Dim.csv", "dummyData_3Dim", {}},
  };
}

std::vector<std::vector<std::string>> read_rows(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

class SmpVectors : public ::testing::TestWithParam<Case> {};

TEST_P(SmpVectors, ReproducesKtab) {
  const Case& c = GetParam();
  const std::string data = ENTENTE_TEST_DATA;
  const auto sc = entente::load_scenario(data + "/ktab/" + c.input);  // the library's KTAB importer
  entente::Params p;
  for (const auto& [k, v] : c.params) p.set(k, v);
  const auto res = entente::run_model(sc, "smp", p, 0);

  std::map<std::string, std::size_t> actor;
  for (std::size_t a = 0; a < sc.actors.size(); ++a) actor[sc.actors[a].id] = a;
  std::map<std::string, std::size_t> dim;
  for (std::size_t k = 0; k < sc.issues.size(); ++k) dim[sc.issues[k].name] = k;

  const auto pos = read_rows(data + "/smp/" + c.vectors + "_positions.csv");
  const auto win = read_rows(data + "/smp/" + c.vectors + "_winprob.csv");
  const int last = std::stoi(pos.back().at(0));
  ASSERT_EQ(res.trace.rounds.size(), static_cast<std::size_t>(last + 1)) << "number of turns";
  ASSERT_EQ(pos.size(), res.trace.rounds.size() * sc.actors.size() * sc.issues.size());
  double worst = 0;
  for (const auto& r : pos) {
    const auto t = static_cast<std::size_t>(std::stoi(r.at(0)));
    const auto& round = res.trace.rounds.at(t);
    ASSERT_EQ(round.index, static_cast<int>(t));
    const std::size_t a = actor.at(r.at(1)), k = dim.at(r.at(2));
    const double x = round.actors("position")->data.at(k).at(a);
    const double y = round.actors("ideal")->data.at(k).at(a);
    worst = std::max({worst, std::fabs(x - std::stod(r.at(3))), std::fabs(y - std::stod(r.at(4)))});
    ASSERT_NEAR(x, std::stod(r.at(3)), 1e-5) << "turn " << t << " actor " << r.at(1) << " dim " << r.at(2);
    ASSERT_NEAR(y, std::stod(r.at(4)), 1e-5) << "turn " << t << " actor " << r.at(1) << " dim " << r.at(2);
  }
  ASSERT_EQ(win.size(), res.trace.rounds.size() * sc.actors.size());
  for (const auto& r : win) {
    const auto t = static_cast<std::size_t>(std::stoi(r.at(0)));
    const auto* s = res.trace.rounds.at(t).actors("prob_of_position");
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->data.size(), 1u);
    const double v = s->data[0].at(actor.at(r.at(1)));
    worst = std::max(worst, std::fabs(v - std::stod(r.at(2))));
    ASSERT_NEAR(v, std::stod(r.at(2)), 1e-5) << "turn " << t << " actor " << r.at(1);
  }
  // The files carry 6 decimals: agreement should be at the printed precision.
  EXPECT_LE(worst, 5.0000001e-7);
}


INSTANTIATE_TEST_SUITE_P(All, SmpVectors, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string s = info.param.vectors;
  for (auto& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
});

}  // namespace
