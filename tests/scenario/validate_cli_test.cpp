// `entente validate`: exit codes 0 (valid), 2 (bad input), 3 (--evidence and numbers lack it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct CliRun {
  int code = -1;
  std::string output;  // stdout and stderr
};

CliRun run(const std::string& args) {
  const std::string cmd = std::string(ENTENTE_BINARY) + " " + args + " 2>&1";
  CliRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string data(const std::string& name) { return std::string(ENTENTE_TEST_DATA) + "/scenario/" + name; }

}  // namespace

TEST(ValidateCli, GoodFile) {
  const CliRun r = run("validate " + data("istanbul.yaml"));
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output, "ok: 2 actors, 2 issues\n");
  EXPECT_EQ(run("validate " + data("istanbul.json")).code, 0);
}

TEST(ValidateCli, BadFileExits2WithEveryDiagnostic) {
  const CliRun r = run("validate " + data("five_mistakes.yaml"));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(data("five_mistakes.yaml") + ":8:17: error: field 'actors.left.capability': expected a number >= 0, found -5"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("did you mean 'capability'?"), std::string::npos) << r.output;
  int lines = 0;
  for (char c : r.output) lines += c == '\n';
  EXPECT_EQ(lines, 5) << r.output;
}

TEST(ValidateCli, MissingFileExits2) {
  const CliRun r = run("validate " + data("no-such-file.yaml"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("no such file"), std::string::npos) << r.output;
}

TEST(ValidateCli, EvidenceListingExits3) {
  const CliRun r = run("validate --evidence " + data("istanbul.yaml"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("12 numbers lack evidence:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(data("istanbul.yaml") + ":42:25: actors.ukraine.capability\n"), std::string::npos) << r.output;
  const CliRun ok = run("validate --evidence " + data("evidenced.yaml"));
  EXPECT_EQ(ok.code, 0) << ok.output;
  EXPECT_NE(ok.output.find("every number has evidence"), std::string::npos);
}

TEST(ValidateCli, JsonFormat) {
  const CliRun r = run("validate --evidence -f json " + data("istanbul.yaml"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("\"actors\": 2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"field\": \"actors.ukraine.capability\""), std::string::npos) << r.output;
}

TEST(ValidateCli, WhatIfOptions) {
  EXPECT_EQ(run("validate --drop ukraine " + data("istanbul.yaml")).output, "ok: 1 actors, 2 issues\n");
  const CliRun bad = run("validate --set russia.regions.position=150 " + data("istanbul.yaml"));
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("actors.russia.issues.regions.position"), std::string::npos) << bad.output;
}
