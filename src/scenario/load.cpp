#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "entente/scenario.hpp"
#include "scenario/formats.hpp"

namespace entente {

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(Diagnostic{{path, 0, 0}, "", "a readable scenario file", "no such file or unreadable", {}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), path);
}

Scenario parse_scenario(std::string_view text, const std::string& name) {
  Scenario s = detail::parse_any(text, name);
  if (s.origin.empty()) s.origin = name;
  validate(s);
  return s;
}

}  // namespace entente
