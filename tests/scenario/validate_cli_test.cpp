// `entente validate`: exit codes 0 (valid), 2 (bad input), 3 (--evidence and numbers lack it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "support/cli.hpp"

namespace {

using entente::test::CliRun;  // status, out: stdout and stderr

CliRun run(const std::string& args) { return entente::test::run_cli(args); }

std::string data(const std::string& name) { return std::string(ENTENTE_TEST_DATA) + "/scenario/" + name; }

}  // namespace

TEST(ValidateCli, GoodFile) {
  const CliRun r = run("validate " + data("istanbul.yaml"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "ok: 2 actors, 2 issues\n");
  EXPECT_EQ(run("validate " + data("istanbul.json")).status, 0);
}

TEST(ValidateCli, BadFileExits2WithEveryDiagnostic) {
  const CliRun r = run("validate " + data("five_mistakes.yaml"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(data("five_mistakes.yaml") + ":8:17: error: field 'actors.left.capability': expected a number >= 0, found -5"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("did you mean 'capability'?"), std::string::npos) << r.out;
  int lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines, 5) << r.out;
}

TEST(ValidateCli, MissingFileExits2) {
  const CliRun r = run("validate " + data("no-such-file.yaml"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("no such file"), std::string::npos) << r.out;
}

TEST(ValidateCli, EvidenceListingExits3) {
  const CliRun r = run("validate --evidence " + data("istanbul.yaml"));
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("12 numbers lack evidence:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(data("istanbul.yaml") + ":42:25: actors.ukraine.capability\n"), std::string::npos) << r.out;
  const CliRun ok = run("validate --evidence " + data("evidenced.yaml"));
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("every number has evidence"), std::string::npos);
}

TEST(ValidateCli, JsonFormat) {
  const CliRun r = run("validate --evidence -f json " + data("istanbul.yaml"));
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("\"actors\": 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"field\": \"actors.ukraine.capability\""), std::string::npos) << r.out;
}

TEST(ValidateCli, WhatIfOptions) {
  EXPECT_EQ(run("validate --drop ukraine " + data("istanbul.yaml")).out, "ok: 1 actors, 2 issues\n");
  const CliRun bad = run("validate --set russia.regions.position=150 " + data("istanbul.yaml"));
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("actors.russia.issues.regions.position"), std::string::npos) << bad.out;
}
