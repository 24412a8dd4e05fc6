// Test-only: a minimal reader of KTAB's SMP CSV layout (smp-algorithm.md section 2), so the
// reference vectors can be checked independently of the library's importer.
#pragma once
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "entente/scenario.hpp"

namespace smp_test {

inline std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, field_start = true;
  for (char ch : line) {
    if (field_start && ch == '"') {
      quoted = true;
      field_start = false;
      continue;
    }
    field_start = false;
    if (quoted) {
      if (ch == '"') quoted = false;
      else cur += ch;
      continue;
    }
    if (ch == ',') {
      out.push_back(cur);
      cur.clear();
      field_start = true;
      continue;
    }
    if (ch != '\r') cur += ch;
  }
  out.push_back(cur);
  return out;
}

inline entente::Scenario read_ktab_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    rows.push_back(split_csv(line));
  }
  const int n = std::stoi(rows.at(0).at(2));
  const int d = std::stoi(rows.at(0).at(3));
  entente::Scenario sc;
  sc.title = rows[0][0];
  sc.format = "ktab-csv";
  sc.origin = path;
  for (int k = 0; k < d; ++k) {
    entente::Issue is;
    is.name = rows.at(1).at(static_cast<std::size_t>(3 + 2 * k));
    is.id = "dim" + std::to_string(k);
    sc.issues.push_back(is);
  }
  for (int a = 0; a < n; ++a) {
    const auto& r = rows.at(static_cast<std::size_t>(2 + a));
    entente::Actor act;
    act.id = r.at(0);
    act.name = r.at(0);
    act.description = r.at(1);
    act.capability.value = std::stod(r.at(2));
    for (int k = 0; k < d; ++k) {
      entente::Stance st;
      st.position.value = std::stod(r.at(static_cast<std::size_t>(3 + 2 * k)));
      st.salience.value = std::stod(r.at(static_cast<std::size_t>(4 + 2 * k))) / 100.0;
      act.stances.emplace_back(st);
    }
    sc.actors.push_back(act);
  }
  return sc;
}

}  // namespace smp_test
