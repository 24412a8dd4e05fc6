// bdm_run: loads case tables and runs the bdm model, printing per file the layout of the vector
// files (round,median,mean,x0..,r0.. at 10 significant digits), like bench/reference/bdm_reference.py,
// so bench/bdm_vs_reference.py can time both on the same inputs and compare their numbers.
// Usage: bdm_run [--param KEY=VALUE]... [--repeat N] FILE...
//   --repeat N runs the model N times per file (the printed output is from the last run) and
//   reports the mean model time (without I/O) on stderr as "model_seconds <file> <s>".
// Files are read with load_scenario when an importer accepts them; otherwise (until the cases
// importer lands) with the small reader below: Actor/Stakeholder/Name, Capability/Resources/c,
// Position/x, Salience/s columns, CSV or TSV, salience divided by 100 if the maximum exceeds 1.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "entente/model.hpp"

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream ss(line);
  while (std::getline(ss, cell, sep)) out.push_back(cell);
  return out;
}

entente::Scenario read_case(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const char sep = line.find('\t') != std::string::npos ? '\t' : ',';
  auto header = split(line, sep);
  for (auto& h : header) std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  auto col = [&](std::initializer_list<const char*> names) {
    for (std::size_t i = 0; i < header.size(); ++i)
      for (const char* n : names)
        if (header[i] == n) return i;
    throw std::runtime_error("missing column in " + path);
  };
  const auto ni = col({"actor", "stakeholder", "name"}), ci = col({"capability", "resources", "c", "influence"}),
             pi = col({"position", "x"}), si = col({"salience", "s"});
  entente::Scenario sc;
  entente::Issue issue;
  issue.id = "issue";
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
  const double smax = sal.empty() ? 0 : *std::max_element(sal.begin(), sal.end());
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

entente::Scenario load(const std::string& path) {
  try {
    return entente::load_scenario(path);
  } catch (const entente::InputError&) {
    return read_case(path);
  }
}

std::string g(double v) { return std::isnan(v) ? std::string() : fmt::format("{:.10g}", v); }

}  // namespace

int main(int argc, char** argv) {
  entente::Params params;
  std::vector<std::string> files;
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--param" && i + 1 < argc) {
      const auto [k, v] = entente::Params::parse_assignment(argv[++i]);
      params.set(k, v);
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::stoi(argv[++i]));
    } else {
      files.push_back(a);
    }
  }
  try {
    for (const auto& f : files) {
      const auto sc = load(f);
      entente::Result res;
      const auto t0 = std::chrono::steady_clock::now();
      for (int k = 0; k < repeat; ++k) res = entente::run_model(sc, "bdm", params);
      const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
      std::cerr << fmt::format("model_seconds {} {:.9f}\n", f, dt.count() / repeat);
      const std::size_t n = sc.actors.size();
      std::cout << fmt::format("# dataset {}  n={}\n", f, n) << "round,median,mean";
      for (std::size_t i = 0; i < n; ++i) std::cout << ",x" << i;
      for (std::size_t i = 0; i < n; ++i) std::cout << ",r" << i;
      std::cout << "\n";
      for (const auto& r : res.trace.rounds) {
        std::cout << r.index << "," << g(r.issues("median")->data[0]) << "," << g(r.issues("mean")->data[0]);
        for (double v : r.actors("position")->data[0]) std::cout << "," << g(v);
        for (double v : r.actors("risk")->data[0]) std::cout << "," << g(v);
        std::cout << "\n";
      }
      std::cout << "\n";
    }
  } catch (const entente::InputError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
