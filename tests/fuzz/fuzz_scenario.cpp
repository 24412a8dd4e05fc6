// libFuzzer entry point for the scenario parsers (not part of the default build; CI runs the
// randomised gtest in tests/scenario/robustness_test.cpp instead). Build and run:
//   CXX=clang++ cmake -S . -B build-fuzz -DENTENTE_FUZZ=ON -DENTENTE_PYTHON=OFF -DENTENTE_TESTS=OFF
//   cmake --build build-fuzz --target fuzz_scenario
//   ./build-fuzz/fuzz_scenario -max_len=4096 tests/data/scenario
// Any input must either load or throw InputError; everything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "entente/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const entente::Scenario s = entente::parse_scenario(text, size % 2 ? "fuzz.json" : "fuzz.yaml");
    // What loads must also write and load back.
    (void)entente::parse_scenario(entente::to_yaml(s), "roundtrip.yaml");
    (void)entente::parse_scenario(entente::to_json(s), "roundtrip.json");
  } catch (const entente::InputError&) {
  }
  return 0;
}
