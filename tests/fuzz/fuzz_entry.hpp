// The one entry point shared by the libFuzzer targets (fuzz_format.cpp) and the corpus replay
// test (corpus_replay_test.cpp): any input must either load (and write and load back) or throw
// InputError. Anything else escapes (and fails the test or aborts the fuzzer).
#pragma once
#include <string>
#include <string_view>

#include "entente/diagnostics.hpp"
#include "entente/ledger.hpp"
#include "entente/scenario.hpp"

namespace entente::fuzz {

// `name` is the file name the loader sees (its extension is the format hint); "resolution.yaml"
// feeds the ledger's resolution reader instead of the scenario loader.
// Returns true if the input loaded, false if it was rejected with InputError.
inline bool load_one(std::string_view text, const std::string& name) {
  try {
    if (name == "resolution.yaml") {
      (void)parse_resolution(text, name);
      return true;
    }
    const Scenario s = parse_scenario(text, name);
    // What loads must also write and load back.
    (void)parse_scenario(to_yaml(s), "roundtrip.yaml");
    (void)parse_scenario(to_json(s), "roundtrip.json");
    return true;
  } catch (const InputError&) {
    return false;
  }
}

}  // namespace entente::fuzz
