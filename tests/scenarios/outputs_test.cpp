// Issue 12, "outputs that never mislead", end to end through the built binary on the Istanbul
// scenario. Expected figures come from the issue's own report (bdm's regions forecast: 89 at round
// 10, 40 at rounds 8 and 9), from the scenario file (its seed, its salience scale) or from
// arithmetic written out here on numbers the same run prints elsewhere (the trace).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/cli.hpp"
namespace {

const std::string kScenario = ENTENTE_SOURCE_DIR "/scenarios/istanbul-2025.yaml";

using entente::test::CliRun;

// stdout only unless `merge` (stderr too).
CliRun run(const std::string& args, bool merge = false) {
  return entente::test::run_cli(args, merge ? entente::test::Streams::both : entente::test::Streams::stdout_only);
}

std::string row(const std::string& out, const std::string& issue) {
  const auto at = out.find("\n" + issue + " ");
  if (at == std::string::npos) return {};
  return out.substr(at + 1, out.find('\n', at + 1) - at - 1);
}

std::string temp(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("entente-outputs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json issue_of(const nlohmann::json& doc, const std::string& id) {
  for (const auto& i : doc["issues"])
    if (i["id"] == id) return i;
  return {};
}

TEST(OutputsNeverMislead, BdmRegionsCycleIsShownInTheTable) {
  const CliRun r = run("forecast " + kScenario + " -m bdm --no-store");
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string regions = row(r.out, "regions");
  EXPECT_NE(regions.find("89.01, cycles 40\u219489.01, period 3"), std::string::npos) << regions;
  // A settled issue carries no warning.
  EXPECT_EQ(row(r.out, "nato").find("cycles"), std::string::npos);
  EXPECT_NE(r.out.find("Not settled"), std::string::npos);
}

TEST(OutputsNeverMislead, ConvergenceFieldsInJsonAgreeWithTheTrace) {
  const CliRun f = run("forecast " + kScenario + " -m bdm --no-store -f json");
  ASSERT_EQ(f.status, 0);
  const auto doc = nlohmann::json::parse(f.out);
  const auto bdm = issue_of(doc, "regions")["forecasts"]["bdm"];
  EXPECT_EQ(bdm["settled"], false);
  EXPECT_EQ(bdm["convergence"]["state"], "cycle");
  EXPECT_EQ(bdm["convergence"]["period"], 3);
  EXPECT_EQ(issue_of(doc, "nato")["forecasts"]["bdm"]["convergence"]["state"], "settled");
  // The trace's median at rounds 8, 9, 10 is the cycle: 40, 40, 89.0088...
  const CliRun t = run("trace " + kScenario + " -m bdm --issue regions --no-store -f json");
  ASSERT_EQ(t.status, 0);
  const auto tr = nlohmann::json::parse(t.out);
  const double r8 = tr["rounds"][8]["median"][0], r9 = tr["rounds"][9]["median"][0], r10 = tr["rounds"][10]["median"][0];
  EXPECT_NEAR(r8, 40, 1e-9);
  EXPECT_NEAR(r9, 40, 1e-9);
  EXPECT_NEAR(r10, 89.0088, 1e-4);
  EXPECT_DOUBLE_EQ(bdm["value"].get<double>(), r10);
  EXPECT_DOUBLE_EQ(bdm["convergence"]["low"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(bdm["convergence"]["high"].get<double>(), r10);
  // --settle mean-of-cycle: (40 + 40 + 89.0088...) / 3 = 56.336...
  const CliRun m = run("forecast " + kScenario + " -m bdm --settle mean-of-cycle --no-store -f json");
  ASSERT_EQ(m.status, 0);
  const auto mean = issue_of(nlohmann::json::parse(m.out), "regions")["forecasts"]["bdm"];
  EXPECT_NEAR(mean["value"].get<double>(), (r8 + r9 + r10) / 3, 1e-9);
  EXPECT_EQ(mean["convergence"]["summary"], "mean_of_cycle");
}

TEST(OutputsNeverMislead, CsvCarriesConvergenceColumns) {
  const CliRun r = run("forecast " + kScenario + " -m bdm --no-store -f csv");
  ASSERT_EQ(r.status, 0);
  const std::string header = r.out.substr(0, r.out.find('\n'));
  for (const char* col : {"settled", "convergence", "period", "cycle_low", "cycle_high"})
    EXPECT_NE(header.find(col), std::string::npos) << col << " in " << header;
  EXPECT_NE(r.out.find("\nregions,bdm,"), std::string::npos);
  const auto at = r.out.find("\nregions,bdm,");
  EXPECT_NE(r.out.substr(at, r.out.find('\n', at + 1) - at).find(",cycle,3,40,"), std::string::npos);
}

TEST(OutputsNeverMislead, ScenarioSeedIsUsedAndNamed) {
  // The file says `seed: 20250528`; without --seed that is the seed, and the output says so.
  const CliRun r = run("simulate " + kScenario + " -m compromise -n 50 --no-store -f json");
  ASSERT_EQ(r.status, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["seed"], 20250528u);
  EXPECT_EQ(doc["provenance"]["seed_from"], "scenario");
  const CliRun given = run("simulate " + kScenario + " -m compromise -n 50 --seed 7 --no-store -f json");
  EXPECT_EQ(nlohmann::json::parse(given.out)["provenance"]["seed_from"], "request");
}

TEST(OutputsNeverMislead, WhatIfsAreNamedInEveryOutput) {
  // Drops are applied before sets, and listed in that order.
  const std::string set = "--set russia.regions.position=50 --drop vatican";
  const CliRun t = run("forecast " + kScenario + " -m compromise --no-store " + set);
  ASSERT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("what-ifs: drop vatican; set russia.regions.position=50"), std::string::npos) << t.out;
  const auto j = nlohmann::json::parse(run("forecast " + kScenario + " -m compromise --no-store -f json " + set).out);
  EXPECT_EQ(j["provenance"]["edits"].size(), 2u);
  // Saved runs name them in the store.
  const std::string store = temp("runs.sqlite");
  std::filesystem::remove(store);
  ASSERT_EQ(run("forecast " + kScenario + " -m compromise --store " + store + " " + set).status, 0);
  const auto runs = nlohmann::json::parse(run("runs list -f json --store " + store).out);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_NE(runs[0]["note"].get<std::string>().find("set russia.regions.position=50"), std::string::npos);
  // compare labels side B with its edits.
  const CliRun c = run("compare " + kScenario + " --set russia.regions.position=50 -m compromise --no-store");
  EXPECT_NE(c.out.find("[set russia.regions.position=50]"), std::string::npos) << c.out;
  // The report names them and says how to make it again.
  const std::string html = temp("report.html");
  ASSERT_EQ(run("report " + kScenario + " -m compromise --draws 20 -o " + html + " " + set).status, 0);
  const std::string text = slurp(html);
  EXPECT_NE(text.find("set russia.regions.position=50"), std::string::npos);
  EXPECT_NE(text.find("--draws 20"), std::string::npos);
}

TEST(OutputsNeverMislead, SalienceEditsUseTheFilesScaleAndErrorsPointAtTheCommandLine) {
  // tests/data/scenario/istanbul.yaml declares salience_scale: 100, so 60 means 0.6.
  const std::string file = std::string(ENTENTE_TEST_DATA) + "/scenario/istanbul.yaml";
  const CliRun ok = run("forecast " + file + " -m compromise --no-store --set russia.regions.salience=60", true);
  EXPECT_EQ(ok.status, 0) << ok.out;
  const CliRun bad = run("forecast " + file + " -m compromise --no-store --set russia.regions.salience=160", true);
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("<command line>"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("russia.regions.salience"), std::string::npos) << bad.out;
  // On the Istanbul scenario (salience on [0, 1]) 5 is out of range, with the same kind of message.
  const CliRun bad01 = run("forecast " + kScenario + " -m compromise --no-store --set russia.regions.salience=5", true);
  EXPECT_EQ(bad01.status, 2);
  EXPECT_NE(bad01.out.find("[0, 1]"), std::string::npos) << bad01.out;
}

TEST(OutputsNeverMislead, OutputFileExtensionChoosesTheFormat) {
  const std::string csv = temp("out.csv");
  ASSERT_EQ(run("forecast " + kScenario + " -m compromise --no-store -o " + csv).status, 0);
  EXPECT_EQ(slurp(csv).rfind("issue,model,value,", 0), 0u) << slurp(csv).substr(0, 80);
  const std::string json = temp("out.json");
  ASSERT_EQ(run("forecast " + kScenario + " -m compromise --no-store -o " + json).status, 0);
  EXPECT_TRUE(nlohmann::json::accept(slurp(json)));
}

TEST(OutputsNeverMislead, TraceOffersFollowTheIssueFilter) {
  const CliRun r = run("trace " + kScenario + " -m bdm --issue regions --offers --no-store -f json");
  ASSERT_EQ(r.status, 0);
  const auto doc = nlohmann::json::parse(r.out);
  std::size_t offers = 0;
  for (const auto& round : doc["rounds"])
    for (const auto& e : round.value("events", nlohmann::json::array())) {
      ++offers;
      EXPECT_EQ(e["issue"], "regions") << e.dump();
    }
  EXPECT_GT(offers, 0u);
  // Without --offers, none are recorded or shown.
  const auto quiet = nlohmann::json::parse(run("trace " + kScenario + " -m bdm --issue regions --no-store -f json").out);
  for (const auto& round : quiet["rounds"]) EXPECT_FALSE(round.contains("events"));
}

TEST(OutputsNeverMislead, CategoricalIssuesAreOptionSharesNeverMeans) {
  // smp forecasts the categorical venue issue; its simulation reports each option's share.
  const CliRun r = run("simulate " + kScenario + " -m smp -n 20 -p max_turns=20 --no-store -f json");
  ASSERT_EQ(r.status, 0);
  const auto venue = issue_of(nlohmann::json::parse(r.out), "venue");
  EXPECT_EQ(venue["kind"], "categorical");
  EXPECT_FALSE(venue.contains("forecast"));  // no mean/quantiles of option numbers
  double total = 0;
  for (const auto& o : venue["options"]) total += o["share"].get<double>();
  EXPECT_NEAR(total, 1, 1e-12);
  // The table names options with their share.
  const CliRun t = run("simulate " + kScenario + " -m smp -n 20 -p max_turns=20 --no-store");
  EXPECT_NE(t.out.find("Istanbul"), std::string::npos);
}

TEST(OutputsNeverMislead, SensitivityIsShortByDefault) {
  const CliRun r = run("sensitivity " + kScenario + " -m compromise --no-store -f json");
  ASSERT_EQ(r.status, 0);
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& is : doc["issues"]) {
    EXPECT_LE(is["ranking"].size(), 10u) << is["id"];
    for (const auto& e : is["ranking"]) EXPECT_NE(e["swing"].get<double>(), 0) << e.dump();
  }
}

TEST(OutputsNeverMislead, OptionsDocIsGeneratedFromTheDeclarations) {
  // docs/models/options.md is `entente models --format markdown`, so the docs cannot drift.
  const CliRun r = run("models --format markdown");
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(slurp(ENTENTE_SOURCE_DIR "/docs/models/options.md"), r.out)
      << "regenerate: entente models --format markdown > docs/models/options.md";
}

}  // namespace

namespace {
// `import --drop/--set` writes the edited scenario: forecasting the file gives what the same
// what-ifs give on the original, each set value keeps the what-if as its evidence, and the dropped
// actor is gone. A bad what-if is an input error at <command line> (exit 2), nothing written.
TEST(Outputs, ImportAppliesWhatIfs) {
  const std::string talks = ENTENTE_SOURCE_DIR "/tests/data/web/talks.yaml";
  const std::string out = temp("edited.yaml");
  const std::string edits = " --set south.budget.salience=0.3 --drop east";
  const CliRun imp = run("import " + talks + edits + " -o " + out, true);
  ASSERT_EQ(imp.status, 0) << imp.out;
  const std::string yaml = slurp(out);
  EXPECT_NE(yaml.find("what-if by the analyst (set south.budget.salience=0.3)"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("id: east"), std::string::npos);
  const CliRun a = run("forecast " + out + " -m compromise -m nbs -f json --no-store");
  const CliRun b = run("forecast " + talks + edits + " -m compromise -m nbs -f json --no-store");
  ASSERT_EQ(a.status, 0);
  ASSERT_EQ(b.status, 0);
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  for (const char* m : {"compromise", "nbs"})
    EXPECT_EQ(ja["issues"][0]["forecasts"][m]["value"], jb["issues"][0]["forecasts"][m]["value"]) << m;
  const std::string never = temp("never.yaml");
  const CliRun bad = run("import " + talks + " --set south.nope.salience=0.3 -o " + never, true);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("<command line>"), std::string::npos) << bad.out;
  EXPECT_FALSE(std::filesystem::exists(never));
}
}  // namespace

namespace {
// Issue 18, finding 9: text from a file never reaches the terminal with its control characters
// (an ESC sequence in a title could clear the analyst's screen or forge output): the table shows
// them escaped, and a diagnostic quoting a bad value carries no raw ESC either.
TEST(Outputs, ControlCharactersNeverReachTheTerminalRaw) {
  const std::string talks = slurp(ENTENTE_SOURCE_DIR "/tests/data/web/talks.yaml");
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = talks;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    return t;
  };
  const std::string titled = temp("control-title.yaml");
  std::ofstream(titled) << replaced("title: Budget talks (test scenario for the report, the server and the web UI)", "title: \"Budget \\e[2Jtalks\\a\"");
  const CliRun table = run("forecast " + titled + " -m compromise --no-store", true);
  ASSERT_EQ(table.status, 0) << table.out;
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.out.find('\a'), std::string::npos);
  EXPECT_NE(table.out.find("\\x1b[2J"), std::string::npos) << table.out;  // visible, not obeyed
  const std::string valued = temp("control-value.yaml");
  std::ofstream(valued) << replaced("position: {value: 20,", "position: {value: \"\\e[2Jx\",");
  const CliRun bad = run("forecast " + valued + " -m compromise --no-store", true);
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_EQ(bad.out.find('\x1b'), std::string::npos) << bad.out;
}
}  // namespace
