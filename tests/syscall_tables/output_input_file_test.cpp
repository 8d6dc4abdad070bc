// Writing outputs without being turned against root, and reading inputs with a bound.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include "syscap/input_file.hpp"
#include "syscap/output_file.hpp"
#include "syscap/test/temp_dir.hpp"

namespace syscap {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

TEST(OutputFile, SymlinkAtThePathIsReplacedNotFollowed) {
  TempDir dir;
  std::ofstream(dir.path / "victim") << "precious\n";
  fs::create_symlink(dir.path / "victim", dir.path / "trace.json");
  ASSERT_TRUE(write_output(dir.file("trace.json"), "{}\n", "trace").has_value());
  EXPECT_EQ(slurp(dir.path / "victim"), "precious\n");
  EXPECT_FALSE(fs::is_symlink(dir.path / "trace.json"));
  EXPECT_EQ(slurp(dir.path / "trace.json"), "{}\n");
  EXPECT_EQ(entries(dir.path), (std::set<std::string>{"trace.json", "victim"})) << "temporary file left behind";
}

// An existing trace is replaced as a rename would (it goes by exchange, then removal): the new
// file takes its name, the old file is never written to (a hard link to it keeps its content),
// and nothing else is left in the directory.
TEST(OutputFile, AnExistingFileIsReplacedNotWrittenIntoAndNothingIsLeftBehind) {
  TempDir dir;
  std::ofstream(dir.path / "trace.json") << "the old trace, longer than the new one\n";
  fs::create_hard_link(dir.path / "trace.json", dir.path / "kept");
  for (int run = 0; run < 2; ++run) {
    const std::string content = "{\"run\": " + std::to_string(run) + "}\n";
    ASSERT_TRUE(write_output(dir.file("trace.json"), content, "trace").has_value());
    EXPECT_EQ(slurp(dir.path / "trace.json"), content);
  }
  EXPECT_EQ(slurp(dir.path / "kept"), "the old trace, longer than the new one\n");
  EXPECT_EQ(fs::hard_link_count(dir.path / "kept"), 1u);
  EXPECT_EQ(entries(dir.path), (std::set<std::string>{"trace.json", "kept"})) << "temporary file left behind";
}

TEST(OutputFile, DanglingSymlinkIsReplacedAndItsTargetNeverCreated) {
  TempDir dir;
  fs::create_symlink(dir.path / "created-by-attacker", dir.path / "p.json");
  ASSERT_TRUE(write_output(dir.file("p.json"), "x", "profile").has_value());
  EXPECT_FALSE(fs::exists(dir.path / "created-by-attacker"));
  EXPECT_EQ(slurp(dir.path / "p.json"), "x");
}

// An attacker who plants symlinks at every name the old code used (path.tmpPID) gains nothing:
// the temporary name is unpredictable and made with O_EXCL.
TEST(OutputFile, SymlinksAtPredictableTemporaryNamesAreNeverOpened) {
  TempDir dir;
  std::ofstream(dir.path / "victim") << "precious\n";
  for (pid_t pid = getpid(); pid < getpid() + 64; ++pid)
    fs::create_symlink(dir.path / "victim", dir.path / ("t.json.tmp" + std::to_string(pid)));
  ASSERT_TRUE(write_output(dir.file("t.json"), "{}", "trace").has_value());
  EXPECT_EQ(slurp(dir.path / "victim"), "precious\n");
  EXPECT_EQ(slurp(dir.path / "t.json"), "{}");
}

TEST(OutputFile, ModeIsTheUsualCreateModeUnderTheUmask) {
  TempDir dir;
  const mode_t old = umask(027);
  auto ok = write_output(dir.file("t.json"), "{}", "trace");
  umask(old);
  ASSERT_TRUE(ok.has_value());
  struct stat st {};
  ASSERT_EQ(stat(dir.file("t.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(OutputFile, CheckNamesWhatIsWrongAndLeavesNothingBehind) {
  TempDir dir;
  auto missing = check_output(dir.file("no-such-dir/t.json"), "trace");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("no-such-dir/t.json"), std::string::npos) << missing.error().message();
  EXPECT_NE(missing.error().message().find("No such file or directory"), std::string::npos)
      << missing.error().message();
  auto is_dir = check_output(dir.path.string(), "trace");
  ASSERT_FALSE(is_dir.has_value());
  EXPECT_NE(is_dir.error().message().find("is a directory"), std::string::npos) << is_dir.error().message();
  ASSERT_TRUE(check_output(dir.file("t.json"), "trace").has_value());
  EXPECT_TRUE(entries(dir.path).empty());
}

// Where the file system has no O_TMPFILE (NFS, 9p, FUSE, older overlayfs: EOPNOTSUPP), the check
// makes a named file and removes it, and passes. Shown in a child whose openat with O_TMPFILE a
// seccomp filter answers EOPNOTSUPP, as such a file system would.
TEST(OutputFile, CheckWithoutOTmpfileMakesANamedFileAndLeavesNothing) {
  TempDir dir;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // openat(dirfd, path, flags): flags (args[2], low half) with __O_TMPFILE -> EOPNOTSUPP.
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, __O_TMPFILE, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EOPNOTSUPP),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {static_cast<unsigned short>(std::size(filter)), filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
      _exit(3);
    if (open(dir.path.c_str(), O_WRONLY | O_TMPFILE, 0600) >= 0 || errno != EOPNOTSUPP) _exit(4);
    _exit(check_output(dir.file("t.json"), "trace").has_value() ? 0 : 5);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  if (WEXITSTATUS(status) == 3) GTEST_SKIP() << "no seccomp filter can be installed here (prctl PR_SET_SECCOMP failed)";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "4: the filter did not refuse O_TMPFILE, 5: the check failed";
  EXPECT_TRUE(entries(dir.path).empty());
}

// A name longer than a file system takes (NAME_MAX) is refused by the check, before any run.
TEST(OutputFile, ANameTooLongIsRefusedByTheCheck) {
  TempDir dir;
  auto refused = check_output(dir.file(std::string(NAME_MAX + 1, 'a')), "trace");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("File name too long"), std::string::npos) << refused.error().message();
  EXPECT_TRUE(check_output(dir.file(std::string(NAME_MAX, 'a')), "trace").has_value());
  EXPECT_TRUE(entries(dir.path).empty());
}

// A path ending in '/' names a directory: where a file is there, it is not one (ENOTDIR, as the
// kernel says), where nothing is, it would be one (EISDIR, as open with O_CREAT says); either way
// nothing is written.
TEST(OutputFile, APathEndingInASlashIsRefusedForWhatItNames) {
  TempDir dir;
  std::ofstream(dir.path / "file") << "x";
  for (auto* write : {+[](const std::string& p) { return check_output(p, "trace"); },
                      +[](const std::string& p) { return write_output(p, "{}", "trace"); }}) {
    auto file = write(dir.file("file") + "/");
    ASSERT_FALSE(file.has_value());
    EXPECT_NE(file.error().message().find("file/: Not a directory"), std::string::npos) << file.error().message();
    auto below = write(dir.file("file") + "/sub/");
    ASSERT_FALSE(below.has_value());
    EXPECT_NE(below.error().message().find("file/sub/: Not a directory"), std::string::npos) << below.error().message();
    auto nothing = write(dir.file("nothing") + "/");
    ASSERT_FALSE(nothing.has_value());
    EXPECT_NE(nothing.error().message().find("nothing/: is a directory"), std::string::npos)
        << nothing.error().message();
  }
  EXPECT_EQ(entries(dir.path), std::set<std::string>{"file"});
  EXPECT_EQ(read_input(dir.file("file"), "trace").value_or(""), "x");
}

// The check makes an unnamed file (O_TMPFILE) where the file system can, and a named one where
// it cannot: sysfs has no O_TMPFILE and makes no files, and the named file's error is the one
// told, before any run.
TEST(OutputFile, CheckWhereNoFileCanBeMadeSaysWhy) {
  if (access("/sys/kernel", F_OK) != 0) GTEST_SKIP() << "no /sys here";
  auto refused = check_output("/sys/kernel/syscap-trace.json", "trace");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("/sys/kernel/syscap-trace.json"), std::string::npos)
      << refused.error().message();
  EXPECT_EQ(access("/sys/kernel/syscap-trace.json", F_OK), -1);
}

TEST(InputFile, ReadsARegularFileWhole) {
  TempDir dir;
  std::ofstream(dir.path / "p.json") << "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}";
  auto text = read_input(dir.file("p.json"), "profile");
  ASSERT_TRUE(text.has_value()) << text.error().message();
  EXPECT_EQ(*text, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
}

TEST(InputFile, EndlessDeviceIsRefusedAtTheLimit) {
  auto text = read_input("/dev/zero", "profile", 1 << 20);
  ASSERT_FALSE(text.has_value());
  EXPECT_NE(text.error().message().find("/dev/zero"), std::string::npos) << text.error().message();
  EXPECT_NE(text.error().message().find("larger than 1 MiB"), std::string::npos) << text.error().message();
}

// A pipe (what `--profile <(...)` gives) is read up to the limit, never further.
TEST(InputFile, PipeBeyondTheLimitIsRefused) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t writer = fork();
  ASSERT_GE(writer, 0);
  if (writer == 0) {
    close(fds[0]);
    std::string block(4096, ' ');
    for (int i = 0; i < 1024; ++i)  // 4 MiB of spaces
      if (write(fds[1], block.data(), block.size()) < 0) _exit(0);
    _exit(0);
  }
  close(fds[1]);
  auto text = read_input("/proc/self/fd/" + std::to_string(fds[0]), "trace", 1 << 20);
  close(fds[0]);
  waitpid(writer, nullptr, 0);
  ASSERT_FALSE(text.has_value());
  EXPECT_NE(text.error().message().find("larger than 1 MiB"), std::string::npos) << text.error().message();
}

TEST(InputFile, DirectoryAndMissingFileSaySoInThoseWords) {
  TempDir dir;
  auto d = read_input(dir.path.string(), "trace");
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message().find("is a directory"), std::string::npos) << d.error().message();
  auto m = read_input(dir.file("gone.json"), "trace");
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.error().message().find("No such file or directory"), std::string::npos) << m.error().message();
}

}  // namespace
}  // namespace syscap
