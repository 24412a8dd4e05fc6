// Shared helpers of the importer tests.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "entente/scenario.hpp"
#include "scenario/formats.hpp"

namespace entente::test {

inline std::string data_path(const std::string& rel) { return std::string(ENTENTE_TEST_DATA) + "/" + rel; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Imports a test data file through format detection (no validation).
inline Scenario import_data(const std::string& rel) {
  const std::string path = data_path(rel);
  return detail::parse_any(read_file(path), path);
}

inline const Stance& stance_of(const Scenario& s, const std::string& actor, const std::string& issue) {
  const auto* st = s.stance(s.actor_index(actor), s.issue_index(issue));
  if (st == nullptr) throw std::logic_error("no stance " + actor + "/" + issue);
  return *st;
}

// Every diagnostic of an InputError thrown by f (empty if none thrown).
template <class F>
std::vector<Diagnostic> diagnostics_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace entente::test
