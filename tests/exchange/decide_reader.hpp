// Test-only reader of Decide input files (#A/#P/#M/#D rows, ';' or tab separated, fields may be
// quoted with '). Used until/besides the real importer (src/scenario/) so the exchange tests do
// not depend on it. Keeps what the exchange model needs: actor and issue order, #M scale
// (lower = first, upper = max), per-issue power in Stance::capability.
#pragma once
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "entente/scenario.hpp"

namespace entente::testing {

inline Scenario read_decide_for_tests(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  Scenario sc;
  sc.origin = path;
  sc.format = "decide";
  std::map<std::string, bool> has_points;
  struct Row {
    std::string actor, issue;
    double pos, sal, pow;
  };
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const char delim = line.find('\t') != std::string::npos ? '\t' : ';';
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, delim)) {
      while (!field.empty() && field.front() == ' ') field.erase(0, 1);
      while (!field.empty() && field.back() == ' ') field.pop_back();
      if (field.size() >= 2 && field.front() == '\'' && field.back() == '\'') field = field.substr(1, field.size() - 2);
      f.push_back(field);
    }
    if (f.empty()) continue;
    if (f[0] == "#A") {
      Actor a;
      a.id = f.at(1);
      a.name = f.size() > 2 ? f[2] : a.id;
      a.capability.value = 1;
      sc.actors.push_back(a);
    } else if (f[0] == "#P") {
      Issue is;
      is.id = f.at(1);
      is.name = f.size() > 2 ? f[2] : is.id;
      sc.issues.push_back(is);
    } else if (f[0] == "#M") {
      Issue& is = sc.issues.at(sc.issue_index(f.at(1)));
      const double v = std::stod(f.at(2));
      if (!has_points[is.id]) {
        is.min = is.max = v;
        has_points[is.id] = true;
      } else if (v > is.max) {
        is.max = v;
      }
      is.points.push_back({v, f.size() > 3 ? f[3] : ""});
    } else if (f[0] == "#D") {
      rows.push_back({f.at(1), f.at(2), std::stod(f.at(3)), std::stod(f.at(4)), std::stod(f.at(5))});
    }
  }
  for (auto& a : sc.actors) a.stances.assign(sc.issues.size(), std::nullopt);
  for (const auto& r : rows) {
    Stance st;
    st.position.value = r.pos;
    st.salience.value = r.sal;
    st.capability = Quantity{};
    st.capability->value = r.pow;
    sc.actors.at(sc.actor_index(r.actor)).stances.at(sc.issue_index(r.issue)) = st;
  }
  return sc;
}

}  // namespace entente::testing
