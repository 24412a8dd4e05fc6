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

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// One-issue stakeholder table (CSV or TSV; Actor/Stakeholder/Name, Capability/Resources/c,
// Position/x, Salience/s). Salience is divided by 100 when the file's maximum exceeds 1.
inline entente::Scenario load_case(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const char sep = line.find('\t') != std::string::npos ? '\t' : ',';
  const auto header = split(line, sep);
  auto col = [&](std::initializer_list<const char*> names) {
    for (std::size_t i = 0; i < header.size(); ++i)
      for (const char* n : names)
        if (lower(header[i]) == n) return i;
    throw std::runtime_error("missing column in " + path);
  };
  const std::size_t ni = col({"actor", "stakeholder", "name"}), ci = col({"capability", "resources", "c"}),
                    pi = col({"position", "x"}), si = col({"salience", "s"});
  entente::Scenario sc;
  sc.origin = path;
  entente::Issue issue;
  issue.id = "issue";
  issue.name = "issue";
  std::vector<double> sal;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t,") == std::string::npos) continue;
    const auto cells = split(line, sep);
    entente::Actor a;
    a.id = a.name = cells.at(ni);
    a.capability.value = std::stod(cells.at(ci));
    entente::Stance st;
    st.position.value = std::stod(cells.at(pi));
    sal.push_back(std::stod(cells.at(si)));
    a.stances.emplace_back(st);
    sc.actors.push_back(a);
  }
  const double smax = *std::max_element(sal.begin(), sal.end());
  double lo = 1e300, hi = -1e300;
  for (std::size_t k = 0; k < sc.actors.size(); ++k) {
    auto& st = *sc.actors[k].stances[0];
    st.salience.value = smax > 1 ? sal[k] / 100 : sal[k];
    lo = std::min(lo, st.position.value);
    hi = std::max(hi, st.position.value);
  }
  issue.min = lo;
  issue.max = hi;
  sc.issues.push_back(issue);
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
