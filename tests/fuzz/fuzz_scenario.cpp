// libFuzzer entry point for the scenario parsers (not part of the default build; CI runs the
// randomised gtest in tests/scenario/robustness_test.cpp instead). Build and run:
//   CXX=clang++ cmake -S . -B build-fuzz -DENTENTE_FUZZ=ON -DENTENTE_PYTHON=OFF -DENTENTE_TESTS=OFF
//   cmake --build build-fuzz --target fuzz_scenario
//   ./build-fuzz/fuzz_scenario -max_len=4096 tests/data/scenario tests/data/import
// The file name it passes varies with the input's size, so every detector sees inputs: native
// YAML/JSON, tables (.csv) and spreadsheets (.xlsx; zip input is recognised by its bytes anyway).
// Any input must either load or throw InputError; everything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "entente/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    static const char* const names[] = {"fuzz.yaml", "fuzz.json", "fuzz.csv", "fuzz.xlsx"};
    const entente::Scenario s = entente::parse_scenario(text, names[size % 4]);
    // What loads must also write and load back.
    (void)entente::parse_scenario(entente::to_yaml(s), "roundtrip.yaml");
    (void)entente::parse_scenario(entente::to_json(s), "roundtrip.json");
  } catch (const entente::InputError&) {
  }
  return 0;
}
