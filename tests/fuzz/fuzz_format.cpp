// libFuzzer entry point for one input format (ENTENTE_FUZZ_NAME gives the file name, hence the
// extension hint; the seed corpus in tests/fuzz/corpus/<format>/ gives the content's shape).
// Built by -DENTENTE_FUZZ=ON with clang; scripts/fuzz.sh builds and runs every target for a
// bounded time. Any input must either load (and write and load back) or throw InputError.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "entente/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const entente::Scenario s = entente::parse_scenario(text, ENTENTE_FUZZ_NAME);
    (void)entente::parse_scenario(entente::to_yaml(s), "roundtrip.yaml");
    (void)entente::parse_scenario(entente::to_json(s), "roundtrip.json");
  } catch (const entente::InputError&) {
  }
  return 0;
}
