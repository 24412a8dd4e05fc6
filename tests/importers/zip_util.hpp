// Test helper: builds zip archives (XLSX/ODS files from XML written out in a test) with libzip.
#pragma once
#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common.hpp"

namespace entente::test {

// The archive's bytes; `store` keeps the parts uncompressed.
inline std::string make_zip(const std::vector<std::pair<std::string, std::string>>& parts, bool store = false) {
  static std::atomic<int> counter{0};
  const auto path = std::filesystem::temp_directory_path() /
                    ("entente_zip_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".zip");
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) throw std::runtime_error("zip_open failed");
  for (const auto& [name, data] : parts) {
    zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
    const zip_int64_t idx = zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(src);
      throw std::runtime_error("zip_file_add failed");
    }
    if (store) zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
  }
  if (zip_close(z) != 0) throw std::runtime_error("zip_close failed");
  std::string bytes = read_file(path.string());
  std::filesystem::remove(path);
  return bytes;
}

}  // namespace entente::test
