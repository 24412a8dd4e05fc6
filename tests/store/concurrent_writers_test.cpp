// Issue 18, finding 6: a second process writing the same store lost its finished run to
// "database is locked" when the first held the write lock longer than the busy timeout. The store
// now waits (busy timeout) and then retries with backoff (exec_waiting in src/store/store.cpp).
// This test makes the busy timeout short (50 ms, ENTENTE_STORE_BUSY_TIMEOUT_MS) and lets the
// first writer hold the lock for 600 ms (ENTENTE_TEST_STORE_HOLD_MS): with the busy timeout alone
// the second write fails; with the retries both runs are stored.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "entente/store.hpp"
#include "support/test_models.hpp"

using namespace entente;
namespace fs = std::filesystem;

namespace {

// True while another connection holds the write lock of `path` (BEGIN IMMEDIATE without waiting).
bool write_lock_held(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return false;
  }
  sqlite3_busy_timeout(db, 0);
  const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db);
  return (rc & 0xff) == SQLITE_BUSY;
}

Result result_of(const std::string& model) {
  Result r;
  r.model = model;
  return r;
}

}  // namespace

TEST(StoreConcurrency, SecondWriterWaitsLongerThanTheBusyTimeoutAndBothRunsAreKept) {
  const fs::path dir = fs::temp_directory_path() / ("entente-concurrent-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "runs.sqlite").string();
  fs::remove(path);
  const Scenario sc = entente::testing::rich_scenario();

  // The hooks are read when a store is opened: the first holds the lock, both have a 50 ms timeout.
  ::setenv("ENTENTE_STORE_BUSY_TIMEOUT_MS", "50", 1);
  ::setenv("ENTENTE_TEST_STORE_HOLD_MS", "600", 1);
  Store first(path);
  ::unsetenv("ENTENTE_TEST_STORE_HOLD_MS");
  Store second(path);
  ::unsetenv("ENTENTE_STORE_BUSY_TIMEOUT_MS");

  std::int64_t id1 = 0, id2 = 0;
  std::string error1, error2;
  std::thread a([&] {
    try {
      id1 = first.save_result(sc, result_of("first"));
    } catch (const std::exception& e) {
      error1 = e.what();
    }
  });
  // The second write starts only once the first one holds the lock (no guessing with sleeps).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool held = false;
  while (!(held = write_lock_held(path)) && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const auto start = std::chrono::steady_clock::now();
  try {
    id2 = second.save_result(sc, result_of("second"));
  } catch (const std::exception& e) {
    error2 = e.what();
  }
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  a.join();

  ASSERT_TRUE(held) << "the first writer never held the lock";
  EXPECT_EQ(error1, "");
  EXPECT_EQ(error2, "") << "the second writer gave up";
  // It waited for the first (well beyond its 50 ms busy timeout), it did not fail at 50 ms.
  EXPECT_GT(waited, 0.2);
  EXPECT_GT(id1, 0);
  EXPECT_GT(id2, 0);
  EXPECT_NE(id1, id2);
  const auto runs = Store(path).list();
  ASSERT_EQ(runs.size(), 2u);
  std::set<std::string> models{runs[0].model, runs[1].model};
  EXPECT_EQ(models, (std::set<std::string>{"first", "second"}));
  std::error_code ec;
  fs::remove_all(dir, ec);
}
