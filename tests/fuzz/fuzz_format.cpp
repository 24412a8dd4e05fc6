// libFuzzer entry point for one input format (ENTENTE_FUZZ_NAME gives the file name, hence the
// extension hint; the seed corpus in tests/fuzz/corpus/<format>/ gives the content's shape).
// Built by -DENTENTE_FUZZ=ON with clang; scripts/fuzz.sh builds and runs every target for a
// bounded time. The check itself is fuzz_entry.hpp, shared with the corpus replay test.
#include <cstddef>
#include <cstdint>

#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)entente::fuzz::load_one(std::string_view(reinterpret_cast<const char*>(data), size), ENTENTE_FUZZ_NAME);
  return 0;
}
