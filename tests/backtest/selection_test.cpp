// Selection without peeking: candidates are chosen (and fitted) on the named splits only, the held-out
// splits are scored once, `test` is refused; and the candidate forms (spreads, P(no change),
// whole proposals, power-index capabilities) on the DEU data.
#include <gtest/gtest.h>

#include "support/cli.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "entente/backtest.hpp"

namespace {

const std::string deu_dir = std::string(ENTENTE_TEST_DATA) + "/deu3";
const std::string deu = deu_dir + "/deu3-train-dev.csv";

const entente::BacktestScore* find(const entente::CandidateReport& c, const std::string& split) {
  for (const auto& s : c.scores)
    if (s.split == split) return &s;
  return nullptr;
}

const std::vector<std::string> candidates = {
    "compromise/cap=vote-weights", "compromise/cap=vote-weights/spread=residuals",
    "compromise/cap=vote-weights/spread=laplace/p0=at-sq-fit", "nbs/cap=vote-weights/spread=normal/p0=base"};

entente::BacktestOptions selecting(std::vector<std::string> on) {
  entente::BacktestOptions o;
  o.candidates = candidates;
  o.select_on = std::move(on);
  o.bootstrap = 100;
  return o;
}

TEST(Selection, RefusesTest) {
  for (const char* name : {"test", "TEST", "Test"}) {
    auto o = selecting({"train", name});
    EXPECT_THROW((void)entente::backtest(deu, o), entente::InputError) << name;
  }
  auto o = selecting({"nosuchsplit"});
  EXPECT_THROW((void)entente::backtest(deu, o), entente::InputError);
}

TEST(Selection, ReadsOnlyTheSelectionSplits) {
  const auto r = entente::backtest(deu, selecting({"train"}));
  ASSERT_TRUE(r.selection);
  EXPECT_EQ(r.selection->consulted, std::vector<std::string>{"train"});
  EXPECT_EQ(r.selection->fit_split, "train");
  EXPECT_EQ(r.selection->scored_on, std::vector<std::string>{"dev"});
  EXPECT_EQ(r.selection->values.size(), candidates.size());
  EXPECT_EQ(r.candidate, r.selection->selected);
  // Only the selected candidate carries held-out scores and issues.
  for (const auto& c : r.candidates) {
    const bool chosen = c.candidate.name == r.selection->selected;
    EXPECT_EQ(find(c, "dev") != nullptr, chosen) << c.candidate.name;
    ASSERT_NE(find(c, "train"), nullptr);
    for (const auto& i : c.issues) EXPECT_TRUE(chosen || i.split == "train");
  }
  ASSERT_NE(find(r.candidates[0], "train"), nullptr);
  EXPECT_EQ(find(r.candidates[0], "train")->role, "selection");
}

// Writes the DEU file with every outcome of `split` replaced by 100 - outcome, beside a copy of the
// vote-weight table.
std::string scrambled(const std::string& split) {
  const auto dir = std::filesystem::temp_directory_path() / ("entente-selection-" + split);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(deu_dir + "/eu-council-vote-weights.csv", dir / "eu-council-vote-weights.csv",
                             std::filesystem::copy_options::overwrite_existing);
  std::ifstream in(deu);
  std::ofstream out(dir / "deu.csv");
  std::string line;
  auto chomp = [](std::string& l) {
    if (!l.empty() && l.back() == '\r') l.pop_back();  // the file has CRLF line ends
  };
  std::getline(in, line);
  chomp(line);
  out << line << "\n";
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) header.push_back(f);
  }
  const auto col = [&](const std::string& n) { return std::find(header.begin(), header.end(), n) - header.begin(); };
  const auto out_col = col("out"), split_col = col("split");
  while (std::getline(in, line)) {
    chomp(line);
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (!line.empty() && line.back() == ',') f.emplace_back();
    if (static_cast<std::ptrdiff_t>(f.size()) > split_col && f[static_cast<std::size_t>(split_col)] == split)
      f[static_cast<std::size_t>(out_col)] = std::to_string(100 - std::stod(f[static_cast<std::size_t>(out_col)]));
    for (std::size_t k = 0; k < f.size(); ++k) out << (k ? "," : "") << f[k];
    out << "\n";
  }
  return (dir / "deu.csv").string();
}

TEST(Selection, HeldOutOutcomesCannotChangeTheChoice) {
  // Scramble every dev outcome: selecting on train must choose the same candidate with the same
  // fitted values and the same criterion values; only the dev scores change.
  const auto a = entente::backtest(deu, selecting({"train"}));
  const auto b = entente::backtest(scrambled("dev"), selecting({"train"}));
  EXPECT_EQ(a.selection->selected, b.selection->selected);
  ASSERT_EQ(a.selection->values.size(), b.selection->values.size());
  for (std::size_t k = 0; k < a.selection->values.size(); ++k)
    EXPECT_EQ(a.selection->values[k].second, b.selection->values[k].second);
  for (std::size_t k = 0; k < a.candidates.size(); ++k) EXPECT_EQ(a.candidates[k].fitted, b.candidates[k].fitted);
  EXPECT_NE(find(*std::find_if(a.candidates.begin(), a.candidates.end(), [&](const auto& c) { return c.candidate.name == a.candidate; }), "dev")->mae,
            find(*std::find_if(b.candidates.begin(), b.candidates.end(), [&](const auto& c) { return c.candidate.name == b.candidate; }), "dev")->mae);
  // And scrambling train does change what is fitted (the check above is not vacuous).
  const auto c = entente::backtest(scrambled("train"), selecting({"train"}));
  EXPECT_NE(a.candidates[2].fitted, c.candidates[2].fitted);
}

TEST(Selection, FitsNeedTheTrainSplitAndNeverTest) {
  entente::BacktestOptions o;
  o.candidates = {"compromise/spread=laplace"};
  o.bootstrap = 0;
  const auto r = entente::backtest(deu, o);
  ASSERT_EQ(r.candidates.size(), 1u);
  ASSERT_FALSE(r.candidates[0].fitted.empty());
  EXPECT_EQ(r.candidates[0].fitted[0].first, "scale");
  EXPECT_GT(r.candidates[0].fitted[0].second, 1);
}

TEST(Candidates, ParseAndReject) {
  const auto c = entente::parse_candidate("nbs/cap=banzhaf/loss=linear/spread=residuals/p0=procedural-fit/p0.noise=0.2/scope=proposal");
  EXPECT_EQ(c.model, "nbs");
  EXPECT_EQ(c.capability, "banzhaf");
  EXPECT_EQ(c.params.text("loss"), "linear");
  EXPECT_EQ(c.spread, "residuals");
  EXPECT_EQ(c.p0, "procedural-fit");
  EXPECT_EQ(c.p0_params.text("noise"), "0.2");
  EXPECT_EQ(c.scope, "proposal");
  EXPECT_TRUE(c.fitted());
  for (const char* bad : {"nope", "compromise/spread=gamma", "compromise/cap", "compromise/loss=linear", "nbs/loss=cubic",
                          "compromise/p0.noise=1", "compromise/cap=equal/cap=equal"})
    EXPECT_THROW((void)entente::parse_candidate(bad), entente::InputError) << bad;
}

TEST(Candidates, MixtureScoresAreConsistent) {
  entente::BacktestOptions o;
  o.candidates = {"compromise/cap=vote-weights", "compromise/cap=vote-weights/p0=base"};
  o.bootstrap = 0;
  const auto r = entente::backtest(deu, o);
  const auto& point = r.candidates[0];
  const auto& mix = r.candidates[1];
  // A point forecast: CRPS equals MAE. Vote-weight compromise MAE 23.79 / 24.11 (issue 14).
  EXPECT_DOUBLE_EQ(find(point, "train")->crps, find(point, "train")->mae);
  EXPECT_NEAR(find(point, "train")->mae, 23.788, 5e-4);
  EXPECT_NEAR(find(point, "dev")->mae, 24.110, 5e-4);
  EXPECT_TRUE(std::isnan(find(point, "train")->brier));
  // p0=base: the train share of issues with a reference point that ended there. 18 of the 103
  // train issues with rp end exactly at it (counted with a separate script): 18/103.
  ASSERT_EQ(mix.fitted.size(), 1u);
  EXPECT_NEAR(mix.fitted[0].second, 18.0 / 103, 1e-12);
  EXPECT_EQ(find(mix, "train")->n_status_quo, 103);
  // Its Brier score on train is that of a constant forecast p = 18/103: p(1-p) = 0.14420...
  const double p = 18.0 / 103;
  EXPECT_NEAR(find(mix, "train")->brier, p * (1 - p), 1e-12);
  // The baseline (a point, never exactly at rp on train) has Brier = the base rate.
  EXPECT_NEAR(find(mix, "train")->baseline_brier, p, 1e-12);
}

TEST(Candidates, WholeProposalsAndPowerIndices) {
  entente::BacktestOptions o;
  o.candidates = {"exchange/cap=vote-weights", "exchange/cap=vote-weights/scope=proposal", "compromise/cap=shapley-shubik",
                  "compromise/cap=banzhaf", "procedural/cap=vote-weights/p0=model"};
  o.bootstrap = 0;
  const auto r = entente::backtest(deu, o);
  // Issue by issue the exchange model has nothing to trade: it equals the compromise.
  EXPECT_NEAR(find(r.candidates[0], "train")->mae, 23.788, 5e-4);
  // Whole proposals: same issues scored, different forecasts.
  EXPECT_EQ(find(r.candidates[1], "train")->n, 140);
  EXPECT_NE(find(r.candidates[1], "train")->mae, find(r.candidates[0], "train")->mae);
  EXPECT_EQ(find(r.candidates[2], "all")->n, 245);
  EXPECT_NE(find(r.candidates[2], "all")->mae, find(r.candidates[3], "all")->mae);
  EXPECT_FALSE(std::isnan(find(r.candidates[4], "train")->brier));
}

TEST(Deu, DecisionRulesOfThePeriods) {
  entente::BacktestOptions o;
  const auto cases = entente::load_deu(deu, o);
  int cns = 0, cod = 0;
  for (const auto& c : cases) {
    const auto& r = c.scenario.issues[0].decision_rule;
    ASSERT_TRUE(r.has_value()) << c.scenario.issues[0].id;
    double total = 0;
    for (const auto& v : r->voters) total += v.weight;
    // EU-15: 87 votes; EU-25/27 under Nice: 321/345; EU-28 double majority: population.
    if (r->name.find("EU-15") != std::string::npos) {
      EXPECT_EQ(r->voters.size(), 15u);
      EXPECT_EQ(total, 87);
      if (r->name.find("QMV") != std::string::npos) {
        EXPECT_EQ(r->quota, 62);
      }
    }
    if (r->name.find("EU-27 (Nice)") != std::string::npos) {
      EXPECT_EQ(total, 345);
      if (r->name.find("QMV") != std::string::npos) {
        EXPECT_EQ(r->quota, 255);
        EXPECT_EQ(r->min_voters, 14);
      }
    }
    if (r->name.find("double majority") != std::string::npos && r->name.find("QMV") != std::string::npos) {
      EXPECT_EQ(r->voters.size(), 28u);
      EXPECT_EQ(r->min_voters, 16);
      EXPECT_EQ(r->voters_suffice, 25);
    }
    if (r->agenda_setter == "com") ++cns;
    if (!r->veto_players.empty()) ++cod;
  }
  EXPECT_EQ(cns + cod, static_cast<int>(cases.size()));
  EXPECT_GT(cns, 0);
  EXPECT_GT(cod, 0);
}

std::string run(const std::string& args, int& status) {
  auto r = entente::test::run_cli(args);
  status = r.status;
  return r.out;
}

TEST(SelectionCli, JsonNamesTheSelectedAndRefusesTest) {
  int status = 0;
  const auto out = run("backtest " + deu +
                           " --candidates compromise/cap=vote-weights,compromise/cap=vote-weights/spread=residuals,"
                           "compromise/cap=vote-weights/p0=at-sq-fit --select-on train --bootstrap 50 --format json",
                       status);
  ASSERT_EQ(status, 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["selected"], "compromise/cap=vote-weights/spread=residuals");
  EXPECT_EQ(j["splits"]["dev"]["role"], "scored");
  for (const char* key : {"n", "mae", "crps", "hit10"}) EXPECT_TRUE(j["splits"]["dev"].contains(key)) << key;
  EXPECT_EQ(j["selection"]["consulted"], nlohmann::json::array({"train"}));
  EXPECT_TRUE(j["selection"].contains("mde"));
  const auto refused = run("backtest " + deu + " --candidates compromise,mean --select-on train,test", status);
  EXPECT_EQ(status, 2) << refused;
  EXPECT_NE(refused.find("test"), std::string::npos);
}

TEST(SelectionCli, BrierKeyOnlyWhereTheCandidateGivesPNoChange) {
  int status = 0;
  const auto out = run("backtest " + deu + " --candidates compromise/p0=base,compromise --bootstrap 0 --format json", status);
  ASSERT_EQ(status, 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_TRUE(j["candidates"][0]["splits"]["train"].contains("brier_no_change"));
  EXPECT_FALSE(j["candidates"][1]["splits"]["train"].contains("brier_no_change"));
}

}  // namespace
