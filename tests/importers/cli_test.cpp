// `entente import` end to end (runs the built binary).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "common.hpp"

namespace entente::test {
namespace {

int run(const std::string& args, const std::string& err_file) {
  const std::string cmd = std::string(ENTENTE_BINARY) + " " + args + " >/dev/null 2>" + err_file;
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ImportCommand, WritesTheOutputFileAtomically) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("entente_import_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string out = (dir / "emission.yaml").string();
  const std::string err = (dir / "err.txt").string();
  EXPECT_EQ(run("import " + data_path("cases/bdm1994_emission_standards_actors.csv") + " -o " + out, err), 0)
      << read_file(err);
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(run("import " + data_path("decide/sample_data.txt") + " -o " + (dir / "s.json").string(), err), 0);
  EXPECT_TRUE(fs::exists(dir / "s.json"));
  // No temporary files left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 3u);
  fs::remove_all(dir);
}

TEST(ImportCommand, BadInputExitsWith2AndPrintsEveryDiagnostic) {
  namespace fs = std::filesystem;
  const std::string err = (fs::temp_directory_path() / ("entente_import_err_" + std::to_string(::getpid()))).string();
  const std::string out = err + ".yaml";
  EXPECT_EQ(run("import " + data_path("decide/copenhagen_with_errors.csv") + " -o " + out, err), 2);
  const std::string msg = read_file(err);
  EXPECT_NE(msg.find("copenhagen_with_errors.csv:86:19: error: field '#D row: position of 'Russia' on 'Control''"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("copenhagen_with_errors.csv:87:32:"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(run("import " + data_path("ktab/smpExample.xml"), err), 2);
  EXPECT_NE(read_file(err).find("smpExample.xml:32:9:"), std::string::npos);
  EXPECT_EQ(run("import /nonexistent/file.csv", err), 2);
  fs::remove(err);
}

}  // namespace
}  // namespace entente::test
