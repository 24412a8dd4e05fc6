// `--format xlsx` for forecast, simulate, sensitivity and backtest: the workbook the presentation
// layer writes is read back with the project's own XLSX reader (src/scenario/workbook.cpp), one
// sheet per table, and the figures are number cells (not text).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "common.hpp"
#include "entente/output.hpp"
#include "entente/requests.hpp"
#include "scenario/workbook.hpp"

namespace entente::test {
namespace {

using detail::Workbook;

const detail::Table& sheet(const Workbook& wb, const std::string& name) {
  for (const auto& t : wb.sheets)
    if (t.sheet == name) return t;
  throw std::logic_error("no sheet " + name);
}

// The column of a header in row 1.
std::size_t column(const detail::Table& t, const std::string& header) {
  const auto& cells = t.rows.at(0).cells;
  for (std::size_t k = 0; k < cells.size(); ++k)
    if (cells[k].text == header) return k;
  throw std::logic_error("no column " + header + " in sheet " + t.sheet);
}

// The first data row whose column `key` holds `value`.
const detail::TableRow& row_where(const detail::Table& t, const std::string& key, const std::string& value) {
  const std::size_t k = column(t, key);
  for (std::size_t r = 1; r < t.rows.size(); ++r)
    if (k < t.rows[r].cells.size() && t.rows[r].cells[k].text == value) return t.rows[r];
  throw std::logic_error("no row " + key + "=" + value + " in sheet " + t.sheet);
}

double number_at(const detail::Table& t, const detail::TableRow& row, const std::string& header) {
  const detail::Cell& c = row.cells.at(column(t, header));
  EXPECT_EQ(c.kind, detail::Cell::Kind::number) << t.sheet << "!" << header << " holds '" << c.text << "'";
  return c.number;
}

ScenarioSource three() { return ScenarioSource{data_path("analysis/three.yaml"), {}, {}, nullptr, {}}; }

// three.yaml, issue x: capabilities a 1, b 2, c 1; saliences 1, 0.5, 1; positions 0, 100, 40.
// Compromise = sum(c s x) / sum(c s) = (1*0 + 1*100 + 1*40) / (1 + 1 + 1) = 140 / 3.
constexpr double kCompromiseX = 140.0 / 3.0;

TEST(XlsxExport, ForecastIsOneSheetWithNumbers) {
  ForecastRequest req;
  req.scenario = three();
  req.models.models = {"compromise"};
  const Workbook wb = detail::read_workbook(render(forecast(req), Format::xlsx), "forecast.xlsx");
  ASSERT_EQ(wb.sheets.size(), 1u);
  const auto& t = sheet(wb, "forecasts");
  EXPECT_NEAR(number_at(t, row_where(t, "issue", "x"), "value"), kCompromiseX, 1e-9);
}

TEST(XlsxExport, SimulateHasASheetPerTable) {
  SimulateRequest req;
  req.scenario = three();
  req.models.models = {"compromise"};
  req.models.seed = 3;
  req.draws = 40;
  req.threads = 1;
  const Workbook wb = detail::read_workbook(render(simulate(req), Format::xlsx), "simulate.xlsx");
  const auto& fc = sheet(wb, "forecast");
  const auto& x = row_where(fc, "issue", "x");
  EXPECT_EQ(number_at(fc, x, "n"), 40);
  // Positions stay within [0, 100]: so does every draw's weighted mean, hence the quantiles.
  const double q05 = number_at(fc, x, "q05"), q95 = number_at(fc, x, "q95");
  EXPECT_LE(0, q05);
  EXPECT_LE(q05, q95);
  EXPECT_LE(q95, 100);
  // The histogram's counts add up to the draws.
  const auto& hist = sheet(wb, "histogram");
  double total = 0;
  for (std::size_t r = 1; r < hist.rows.size(); ++r) total += number_at(hist, hist.rows[r], "count");
  EXPECT_EQ(total, 40);
  // The categorical issue has its own rows in "options", one per option; the compromise model
  // gives no forecast of a categorical issue, so no draw counts (n = 0, shares 0).
  const auto& opts = sheet(wb, "options");
  ASSERT_EQ(opts.rows.size(), 3u);  // header, Istanbul, Geneva
  EXPECT_EQ(number_at(opts, row_where(opts, "option", "Istanbul"), "n"), 0);
  EXPECT_EQ(number_at(opts, row_where(opts, "option", "Geneva"), "share"), 0);
}

TEST(XlsxExport, SensitivityHasASheetPerIssue) {
  SensitivityRequest req;
  req.scenario = three();
  req.models.models = {"compromise"};
  req.threads = 1;
  const Workbook wb = detail::read_workbook(render(sensitivity(req), Format::xlsx), "sensitivity.xlsx");
  ASSERT_EQ(wb.sheets.size(), 2u);  // x and venue
  const auto& x = sheet(wb, "x");
  ASSERT_GE(x.rows.size(), 2u);
  EXPECT_EQ(number_at(x, x.rows[1], "rank"), 1);
  EXPECT_NEAR(number_at(x, x.rows[1], "base forecast"), kCompromiseX, 1e-9);
  EXPECT_GT(number_at(x, x.rows[1], "swing"), 0);
  EXPECT_LE(x.rows.size(), 11u);  // the top 10 and the header
}

TEST(XlsxExport, BacktestHasScoresAndIssues) {
  BacktestRequest req;
  req.file = data_path("deu3/deu3-train-dev.csv");
  const Workbook wb = detail::read_workbook(render(backtest(req), Format::xlsx), "backtest.xlsx");
  const auto& scores = sheet(wb, "scores");
  // The reference value of tests/backtest: equal-capability compromise, train split, MAE 23.301.
  EXPECT_NEAR(number_at(scores, row_where(scores, "split", "train"), "mae"), 23.301, 5e-4);
  EXPECT_GE(wb.sheets.size(), 2u);
}

// The command line: -o FILE.xlsx picks the format; the file is a workbook the reader opens.
TEST(XlsxExport, CommandsWriteWorkbooksByExtension) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("entente_xlsx_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string three_yaml = data_path("analysis/three.yaml");
  const std::vector<std::pair<std::string, std::string>> commands{
      {"forecast", "forecast " + three_yaml + " -m compromise"},
      {"simulate", "simulate " + three_yaml + " -m compromise -n 20 --seed 1 -t 1"},
      {"sensitivity", "sensitivity " + three_yaml + " -m compromise -t 1"},
      {"backtest", "backtest " + data_path("deu3/deu3-train-dev.csv")}};
  for (const auto& [name, args] : commands) {
    const std::string out = (dir / (name + ".xlsx")).string();
    const std::string cmd = std::string(ENTENTE_BINARY) + " " + args + " --no-store -o " + out + " >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << cmd;
    ASSERT_EQ(WEXITSTATUS(status), 0) << cmd;
    const Workbook wb = detail::read_workbook(read_file(out), out);
    ASSERT_FALSE(wb.sheets.empty()) << name;
    bool numbers = false;
    for (const auto& t : wb.sheets)
      for (const auto& r : t.rows)
        for (const auto& c : r.cells) numbers = numbers || c.kind == detail::Cell::Kind::number;
    EXPECT_TRUE(numbers) << name << ": no number cell";
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace entente::test
