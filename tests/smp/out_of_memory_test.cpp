// Issue 18, finding 7: a model run that the machine cannot hold ended with "internal error: out of
// memory" (exit 1). smp on 5,000 actors passes its estimate (6 n x n doubles = 1.2 GB, under the
// 4 GB budget) but not an address space of 700 MB (ulimit -v): now a ResourceError, exit 2, that
// names the model and the run's size.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli.hpp"

namespace {
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;  // ASan reserves terabytes of shadow: no run fits under ulimit -v
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif
}  // namespace

TEST(OutOfMemory, AModelRunBeyondTheMachineIsExit2NamingModelAndSize) {
  if (kAsan) GTEST_SKIP() << "address space limits do not apply under AddressSanitizer";
  const auto dir = std::filesystem::temp_directory_path() / ("entente-oom-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "5000-actors.csv").string();
  {
    std::ofstream out(file);
    out << "actor,issue,position,salience,capability\n";
    for (int i = 0; i < 5000; ++i) out << 'a' << i << ",x," << (i * 37) % 101 << ",0.5," << 1 + i % 97 << '\n';
  }
  const auto r = entente::test::run_cli_limited("forecast " + file + " -m smp --no-store", 700000);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out.find("internal error"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("smp: out of memory in a run on 5000 actors and 1 issues"), std::string::npos) << r.out;
}
