// bdm_run: loads case tables and runs the bdm model, printing per file the layout of the vector
// files (round,median,mean,x0..,r0.. at 10 significant digits), like bench/reference/bdm_reference.py,
// so bench/bdm_vs_reference.py can time both on the same inputs and compare their numbers.
// Usage: bdm_run [--param KEY=VALUE]... [--repeat N] FILE...
//   --repeat N runs the model N times per file (the printed output is from the last run) and
//   reports the mean model time (without I/O) on stderr as "model_seconds <file> <s>".
// Files are read with load_scenario (any importable format).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "entente/model.hpp"

namespace {

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
      const auto sc = entente::load_scenario(f);
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
