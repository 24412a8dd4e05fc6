// Test helpers for the bdm model: a tiny case-table reader (test-only, so these tests do not
// depend on the importers), the vector-file reader and the tolerance for 10-digit numbers.
#pragma once
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "entente/scenario.hpp"

namespace bdm_test {

inline std::string data(const std::string& rel) { return std::string(ENTENTE_TEST_DATA) + "/" + rel; }

inline std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream ss(line);
  while (std::getline(ss, cell, sep)) out.push_back(cell);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

// One-issue stakeholder table, read by the library's importer (which divides salience by 100
// when the file's maximum exceeds 1, as the vector files did). Actor ids are set to the names,
// so tests can name actors as the published tables do ("Belgium").
inline entente::Scenario load_case(const std::string& path) {
  entente::Scenario sc = entente::load_scenario(path);
  for (auto& a : sc.actors) a.id = a.name;
  return sc;
}

// A scenario with one issue from vectors of positions, capabilities and saliences.
inline entente::Scenario make_scenario(const std::vector<double>& x, const std::vector<double>& c,
                                       const std::vector<double>& s) {
  entente::Scenario sc;
  entente::Issue issue;
  issue.id = "q";
  issue.min = 0;
  issue.max = 100;
  sc.issues.push_back(issue);
  for (std::size_t i = 0; i < x.size(); ++i) {
    entente::Actor a;
    a.id = a.name = "a" + std::to_string(i);
    a.capability.value = c[i];
    entente::Stance st;
    st.position.value = x[i];
    st.salience.value = s[i];
    a.stances.emplace_back(st);
    sc.actors.push_back(a);
  }
  return sc;
}

// One dataset of a vector file: rows of round, median, mean, x0.., r0.. (NaN for empty cells).
struct VectorSet {
  std::string dataset;  // e.g. "cases/bdm1994_emission_standards_actors.csv"
  int n = 0;
  std::vector<std::vector<double>> rows;
};

inline std::vector<VectorSet> read_vectors(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<VectorSet> sets;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# dataset ", 0) == 0) {
      VectorSet v;
      std::istringstream ss(line.substr(10));
      std::string nfield;
      ss >> v.dataset >> nfield;
      v.n = std::stoi(nfield.substr(2));
      sets.push_back(v);
    } else if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) && !sets.empty()) {
      std::vector<double> row;
      for (const auto& cell : split(line, ',')) row.push_back(cell.empty() ? std::nan("") : std::stod(cell));
      sets.back().rows.push_back(row);
    }
  }
  return sets;
}

// The files print 10 significant digits (%.10g), so a printed value p stands for a true value
// within half a unit of its 10th digit, 0.5 * 10^(floor(log10|p|) - 9). We allow that plus 1e-9
// relative for the different summation order of our sums; nothing looser.
inline bool matches_printed(double value, double printed) {
  if (std::isnan(printed)) return std::isnan(value);
  if (printed == 0) return std::fabs(value) <= 1e-300;
  const double half_unit = 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(printed))) - 9);
  return std::fabs(value - printed) <= half_unit + 1e-9 * std::fabs(printed);
}

}  // namespace bdm_test
