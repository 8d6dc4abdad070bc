// The syscap command line as a whole: syscap registers only the subcommand a command line names
// (cli/main.cpp), so help must still list every subcommand wherever it is asked for, and the
// global flags must still work before the subcommand's name.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "e2e_support.hpp"
#include "syscap/test/command.hpp"

namespace syscap::e2e {
namespace {

using test::run_command;
using V = std::vector<std::string>;

V syscap(V args) {
  args.insert(args.begin(), SYSCAP_BINARY);
  return args;
}

const V kSubcommands = {"generate", "profile", "diff", "enforce", "compile", "record", "caps", "docker"};

TEST(CommandLine, SyscapsHelpListsEverySubcommand) {
  for (const V& args : {V{"--help"}, V{"-h"}, V{"-q", "--help"}}) {
    auto r = run_command(syscap(args));
    const std::string shown = r.out + r.err;
    for (const std::string& name : kSubcommands)
      EXPECT_NE(shown.find("\n  " + name + " "), std::string::npos)
          << "`syscap " << testing::PrintToString(args) << "` does not list " << name << "\n" << r.describe();
  }
}

TEST(CommandLine, ASubcommandsHelpIsItsOwn) {
  for (const V& args : {V{"record", "--help"}, V{"--help", "record"}}) {
    auto r = run_command(syscap(args));
    EXPECT_EQ(r.status, 0) << r.describe();
    EXPECT_NE(r.out.find("Usage: syscap record"), std::string::npos) << r.describe();
    EXPECT_NE(r.out.find("--engine"), std::string::npos) << r.describe();
  }
  auto nested = run_command(syscap({"-q", "docker", "record", "--help"}));
  EXPECT_EQ(nested.status, 0) << nested.describe();
  EXPECT_NE(nested.out.find("Usage: syscap docker record"), std::string::npos) << nested.describe();
}

TEST(CommandLine, GlobalFlagsBeforeTheSubcommandApplyToIt) {
  TempDir dir;
  auto quiet = run_command(syscap({"-q", "record", "-o", dir.file("q.json"), "--", "/bin/true"}));
  EXPECT_EQ(quiet.status, 0) << quiet.describe();
  EXPECT_EQ(quiet.err, "") << "-q before record still printed";
  auto verbose = run_command(syscap({"--verbose", "record", "-o", dir.file("v.json"), "--", "/bin/true"}));
  EXPECT_EQ(verbose.status, 0) << verbose.describe();
  EXPECT_NE(verbose.err.find("syscap: debug: "), std::string::npos) << verbose.describe();
}

TEST(CommandLine, AnUnknownSubcommandIsAUsageErrorAndNothingRuns) {
  TempDir dir;
  const std::string marker = dir.file("ran");
  for (const V& args : {V{"recrod", "-o", dir.file("x.json"), "--", "/bin/touch", marker},
                        V{"-q", "nosuch", "/bin/touch", marker}}) {
    auto r = run_command(syscap(args));
    EXPECT_EQ(r.status, 2) << r.describe();
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_FALSE(std::filesystem::exists(marker));
}

}  // namespace
}  // namespace syscap::e2e
