// Internal: the DEU data read once, turned into scenarios for any capability and scope.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "entente/backtest.hpp"
#include "entente/power.hpp"

namespace entente::detail {

struct DeuRow {
  std::string id, proposal, split, title;
  std::string introduced, final_act;  // intro_iso, finact_iso as written (the ledger dates forecasts by them)
  double outcome = 0;
  std::optional<double> status_quo;
  std::string date;  // final act (ISO), else introduction
  int year = 0;      // year of the final act, else of the introduction
  bool codecision = false, unanimity = false;
  struct Position {
    std::string code, name;
    double x = 0, s = 0;  // position 0-100, salience 0-1
    SourceLocation where;
  };
  std::vector<Position> positions;  // in the DEU actor order
};

struct VoteWeights {
  std::map<std::string, std::map<std::string, double>> table;  // country -> column -> value
  [[nodiscard]] double get(const std::string& country, int year) const;  // the "vote-weights" capability
  [[nodiscard]] double column(const std::string& country, const std::string& col) const;  // 0 if blank
  [[nodiscard]] double population(const std::string& country) const;  // largest population cell (units of 100)
};

class DeuData {
 public:
  // Reads and checks the file (every bad cell reported at once); keeps the issues with an outcome
  // in [0, 100] and at least options.min_actors positions. The vote-weight table is read when it
  // exists (required by vote-weights, power-index capabilities and decision rules).
  DeuData(const std::string& path, const BacktestOptions& options);
  [[nodiscard]] const std::vector<DeuRow>& rows() const noexcept { return rows_; }
  [[nodiscard]] bool has_rules() const noexcept { return have_weights_; }
  // One scenario per row, in row order.
  [[nodiscard]] std::vector<DeuCase> cases(const std::string& capability) const;
  // One scenario per proposal (first appearance order); members()[p] = its row indices.
  [[nodiscard]] std::vector<DeuProposal> proposals(const std::string& capability) const;
  [[nodiscard]] const std::vector<std::vector<std::size_t>>& members() const noexcept { return members_; }
  // The decision rule of a row (nullopt without the vote-weight table or a date).
  [[nodiscard]] std::optional<DecisionRule> rule(const DeuRow& row) const;

 private:
  [[nodiscard]] Scenario scenario(const std::vector<std::size_t>& rows, const std::string& capability, bool per_issue_capability) const;
  [[nodiscard]] double capability(const DeuRow& row, const std::string& code, const std::string& cap) const;
  std::string path_;
  std::string weights_file_;
  std::vector<DeuRow> rows_;
  std::vector<std::vector<std::size_t>> members_;
  VoteWeights weights_;
  bool have_weights_ = false;
  mutable std::map<std::string, std::vector<ActorPower>> power_;  // by rule name
};

// Throws InputError unless `capability` is one of the four choices.
void check_capability(const std::string& capability);

}  // namespace entente::detail
