// Finding a command in $PATH as execvp does: the first executable file wins, files that may not
// be run are skipped but remembered (EACCES), nothing at all is ENOENT.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "syscap/command_path.hpp"
#include "syscap/test/temp_dir.hpp"

namespace syscap {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// $PATH set for one test, and put back.
class PathSetTo {
 public:
  explicit PathSetTo(const std::string& value) {
    if (const char* old = std::getenv("PATH")) old_ = old;
    setenv("PATH", value.c_str(), 1);
  }
  ~PathSetTo() {
    if (old_) setenv("PATH", old_->c_str(), 1);
    else unsetenv("PATH");
  }
  PathSetTo(const PathSetTo&) = delete;
  PathSetTo& operator=(const PathSetTo&) = delete;

 private:
  std::optional<std::string> old_;
};

// A file `name` in a new directory `dir` under `root`, with `mode`.
std::string make_file(const TempDir& root, const std::string& dir, const std::string& name, mode_t mode) {
  fs::create_directories(root.path / dir);
  const fs::path file = root.path / dir / name;
  std::ofstream(file) << "#!/bin/sh\n";
  chmod(file.c_str(), mode);
  return file.string();
}

TEST(FindCommand, TheFirstExecutableFileInPathWins) {
  TempDir root;
  make_file(root, "a", "syscap-tool", 0644);  // there, but not executable: skipped
  const std::string wanted = make_file(root, "b", "syscap-tool", 0755);
  make_file(root, "c", "syscap-tool", 0755);
  PathSetTo path(root.file("missing") + ":" + root.file("a") + ":" + root.file("b") + ":" + root.file("c"));
  auto found = find_command("syscap-tool");
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_EQ(*found, wanted);
}

TEST(FindCommand, ADirectoryOfThatNameIsSkipped) {
  TempDir root;
  fs::create_directories(root.path / "a" / "syscap-tool");
  const std::string wanted = make_file(root, "b", "syscap-tool", 0755);
  PathSetTo path(root.file("a") + ":" + root.file("b"));
  auto found = find_command("syscap-tool");
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_EQ(*found, wanted);
}

TEST(FindCommand, OnlyFilesThatMayNotRunArePermissionDenied) {
  TempDir root;
  make_file(root, "a", "syscap-tool", 0644);
  fs::create_directories(root.path / "b" / "syscap-tool");
  PathSetTo path(root.file("missing") + ":" + root.file("a") + ":" + root.file("b"));
  auto found = find_command("syscap-tool");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().sys_errno, EACCES);
  EXPECT_NE(found.error().message().find("permission denied"), std::string::npos) << found.error().message();
}

TEST(FindCommand, NothingOfThatNameIsNotFound) {
  TempDir root;
  fs::create_directories(root.path / "a");
  PathSetTo path(root.file("missing") + ":" + root.file("a"));
  auto found = find_command("syscap-tool");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().sys_errno, ENOENT);
  EXPECT_NE(found.error().message().find("command not found"), std::string::npos) << found.error().message();
}

TEST(FindCommand, ANameWithASlashIsUsedAsItIs) {
  TempDir root;
  const std::string file = make_file(root, "a", "syscap-tool", 0755);
  PathSetTo path(root.file("b"));
  auto found = find_command(file);
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, file);
  EXPECT_EQ(find_command(root.file("a/not-here")).error().sys_errno, ENOENT);
}

}  // namespace
}  // namespace syscap
