// Replays every file of the fuzz corpora (tests/fuzz/corpus/<format>/, seeds and the reproducers
// of bugs the fuzzers found) through the fuzz targets' own entry point: each must load or throw
// InputError, nothing else (no other exception; ASan/UBSan in CI catch memory errors).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "fuzz/fuzz_entry.hpp"

namespace fs = std::filesystem;

namespace {

// Format folder -> the file name the fuzz target passes (as in CMakeLists.txt's ENTENTE_FUZZ list).
const std::map<std::string, std::string> kFormats = {
    {"yaml", "fuzz.yaml"},         {"json", "fuzz.json"},         {"cases_csv", "fuzz.csv"},
    {"long_csv", "fuzz.csv"},      {"decide", "fuzz.csv"},        {"ktab_csv", "fuzz.csv"},
    {"ktab_xml", "fuzz.xml"},      {"xlsx", "fuzz.xlsx"},         {"resolution", "resolution.yaml"}};

fs::path corpus_root() { return fs::path(ENTENTE_TEST_DATA).parent_path() / "fuzz" / "corpus"; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(CorpusReplay, EveryFormatHasASeedCorpus) {
  for (const auto& [format, name] : kFormats) {
    const fs::path dir = corpus_root() / format;
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    EXPECT_FALSE(fs::is_empty(dir)) << dir;
  }
}

TEST(CorpusReplay, EveryFileLoadsOrThrowsInputError) {
  std::size_t files = 0, loaded = 0;
  for (const auto& [format, name] : kFormats) {
    for (const auto& entry : fs::directory_iterator(corpus_root() / format)) {
      if (!entry.is_regular_file()) continue;
      ++files;
      SCOPED_TRACE(entry.path().string());
      bool ok = false;
      EXPECT_NO_THROW(ok = entente::fuzz::load_one(slurp(entry.path()), name));
      loaded += ok;
    }
  }
  EXPECT_GT(files, 9u);
  EXPECT_GT(loaded, 0u);  // the valid seeds do load
}
