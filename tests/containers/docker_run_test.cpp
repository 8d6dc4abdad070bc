// The library piece of `syscap docker`: image commands, finding a static syscap, the docker run
// lines, running a client. No engine needed (the client here is sh or a missing program).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "syscap/containers/docker_run.hpp"

namespace fs = std::filesystem;
using namespace syscap::containers;

namespace {

using Words = std::vector<std::string>;

// The index of `word` in `argv`, or -1.
long index_of(const Words& argv, const std::string& word) {
  auto it = std::find(argv.begin(), argv.end(), word);
  return it == argv.end() ? -1 : it - argv.begin();
}

// True if `a` is directly followed by `b` somewhere in argv.
bool has_pair(const Words& argv, const std::string& a, const std::string& b) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == a && argv[i + 1] == b) return true;
  return false;
}

struct ScratchDir {
  ScratchDir() {
    std::string templ = (fs::temp_directory_path() / "syscap-docker-run-test.XXXXXX").string();
    if (mkdtemp(templ.data()) != nullptr) path = templ;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

const std::string kStaticWorkload = SYSCAP_STATIC_WORKLOAD;

}  // namespace

TEST(ImageCommand, EntrypointThenCmdFromInspect) {
  auto image = parse_image_inspect(
      R"([{"Id":"sha256:1","Config":{"Entrypoint":["/bin/tini","--"],"Cmd":["sh","-c","id"]}}])", "img");
  ASSERT_TRUE(image.has_value()) << image.error().message();
  EXPECT_EQ(image->entrypoint, (Words{"/bin/tini", "--"}));
  EXPECT_EQ(image->cmd, (Words{"sh", "-c", "id"}));
  EXPECT_EQ(*container_command(*image, {}), (Words{"/bin/tini", "--", "sh", "-c", "id"}));
  // CMD replaces Cmd, the entrypoint stays, as with docker run.
  EXPECT_EQ(*container_command(*image, {"ls", "/"}), (Words{"/bin/tini", "--", "ls", "/"}));
}

TEST(ImageCommand, NullEntrypointAndNothingToRun) {
  auto image = parse_image_inspect(R"([{"Config":{"Entrypoint":null,"Cmd":["/bin/sh"]}}])", "img");
  ASSERT_TRUE(image.has_value()) << image.error().message();
  EXPECT_TRUE(image->entrypoint.empty());
  EXPECT_EQ(*container_command(*image, {}), (Words{"/bin/sh"}));
  auto empty = container_command(ImageCommand{}, {});
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.error().message().find("no Entrypoint or Cmd"), std::string::npos);
}

TEST(ImageCommand, MalformedInspectOutputIsAnError) {
  EXPECT_FALSE(parse_image_inspect("[]", "img").has_value());
  EXPECT_FALSE(parse_image_inspect("not json", "img").has_value());
  auto bad = parse_image_inspect(R"([{"Config":{"Cmd":"sh"}}])", "img");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("Config.Cmd"), std::string::npos) << bad.error().message();
}

TEST(StaticExecutable, TellsStaticFromDynamic) {
  auto workload = is_static_executable(kStaticWorkload);
  ASSERT_TRUE(workload.has_value()) << workload.error().message();
  EXPECT_TRUE(*workload);
  auto self = is_static_executable("/proc/self/exe");  // this test: gtest, libstdc++, dynamic
  ASSERT_TRUE(self.has_value()) << self.error().message();
  EXPECT_FALSE(*self);
  EXPECT_FALSE(is_static_executable("/etc/passwd").has_value());
  EXPECT_FALSE(is_static_executable("/no/such/file").has_value());
}

TEST(FindStaticSyscap, OptionThenEnvThenSiblingThenSelf) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path.empty());
  fs::create_directories(dir.path / "bin");
  fs::copy_file("/proc/self/exe", dir.path / "bin" / "syscap");  // a dynamic "syscap"
  const std::string self = (dir.path / "bin" / "syscap").string();

  // Nothing static anywhere: the error says how to build one.
  auto none = find_static_syscap({"", "", self});
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message().find("-DSYSCAP_STATIC=ON"), std::string::npos) << none.error().message();

  // syscap-static next to the executable.
  fs::copy_file(kStaticWorkload, dir.path / "bin" / "syscap-static");
  auto sibling = find_static_syscap({"", "", self});
  ASSERT_TRUE(sibling.has_value()) << sibling.error().message();
  EXPECT_EQ(*sibling, (dir.path / "bin" / "syscap-static").string());

  // The environment, then the option, win over the sibling; both must be static.
  fs::copy_file(kStaticWorkload, dir.path / "env-static");
  fs::copy_file(kStaticWorkload, dir.path / "option-static");
  EXPECT_EQ(*find_static_syscap({"", (dir.path / "env-static").string(), self}), (dir.path / "env-static").string());
  EXPECT_EQ(*find_static_syscap({(dir.path / "option-static").string(), (dir.path / "env-static").string(), self}),
            (dir.path / "option-static").string());
  auto dynamic = find_static_syscap({self, "", self});
  ASSERT_FALSE(dynamic.has_value());
  EXPECT_NE(dynamic.error().message().find("dynamically linked"), std::string::npos) << dynamic.error().message();
  EXPECT_FALSE(find_static_syscap({(dir.path / "missing").string(), "", self}).has_value());

  // A static executable with no sibling is its own static syscap.
  fs::create_directories(dir.path / "static-self");
  fs::copy_file(kStaticWorkload, dir.path / "static-self" / "syscap");
  auto itself = find_static_syscap({"", "", (dir.path / "static-self" / "syscap").string()});
  ASSERT_TRUE(itself.has_value()) << itself.error().message();
  EXPECT_EQ(*itself, (dir.path / "static-self" / "syscap").string());
}

TEST(DockerClient, OptionThenEnvThenDocker) {
  ::unsetenv("DOCKER");
  EXPECT_EQ(docker_client("").program, "docker");
  ::setenv("DOCKER", "/opt/podman-docker", 1);
  EXPECT_EQ(docker_client("").program, "/opt/podman-docker");
  EXPECT_EQ(docker_client("/usr/bin/docker").program, "/usr/bin/docker");
  ::unsetenv("DOCKER");
}

TEST(RunLines, RecordingMountsSyscapAndGrantsTracingForThisRunOnly) {
  ContainerRecording rec;
  rec.image = "busybox:latest";
  rec.command = {"sh", "-c", "id"};
  rec.syscap_binary = "/b/syscap-static";
  rec.output_dir = "/tmp/out";
  rec.syscap_options = {"-v"};
  rec.record_options = {"--verify-caps"};
  rec.docker_options = {"--env", "A=1", "--network=none"};
  Words argv = record_run_argv(DockerClient{"/usr/bin/docker"}, rec);
  EXPECT_EQ((Words{argv.begin(), argv.begin() + 3}), (Words{"/usr/bin/docker", "run", "--rm"}));
  EXPECT_TRUE(has_pair(argv, "--entrypoint", "/.syscap/syscap"));
  EXPECT_TRUE(has_pair(argv, "--volume", "/b/syscap-static:/.syscap/syscap:ro"));
  EXPECT_TRUE(has_pair(argv, "--volume", "/tmp/out:/.syscap/out"));
  EXPECT_TRUE(has_pair(argv, "--cap-add", "SYS_PTRACE"));
  EXPECT_TRUE(has_pair(argv, "--security-opt", "seccomp=unconfined"));
  // The user's options come after ours (so theirs win), before the image; after the image come
  // syscap's arguments and the workload, exactly.
  long image = index_of(argv, "busybox:latest");
  ASSERT_GT(image, 0);
  EXPECT_LT(index_of(argv, "--network=none"), image);
  EXPECT_GT(index_of(argv, "--network=none"), index_of(argv, "seccomp=unconfined"));
  EXPECT_EQ((Words{argv.begin() + image, argv.end()}),
            (Words{"busybox:latest", "-v", "record", "-o", "/.syscap/out/trace.json", "--verify-caps", "--", "sh",
                   "-c", "id"}));
}

// The host-side recording: the image as it really runs (no syscap, no SYS_PTRACE, its own
// entrypoint), only seccomp left off; removed by the engine once it has run.
TEST(RunLines, HostRecordingCreatesTheImageAsItRunsWithoutSeccompOnly) {
  Words argv = create_argv(DockerClient{"docker"}, {"busybox", {"sh", "-c", "id"}, {"--user", "1000"}});
  EXPECT_EQ(argv, (Words{"docker", "create", "--rm", "--security-opt", "seccomp=unconfined", "--user", "1000", "--",
                         "busybox", "sh", "-c", "id"}));
  EXPECT_EQ(start_attached_argv(DockerClient{"docker"}, "abc"), (Words{"docker", "start", "--attach", "abc"}));
  EXPECT_EQ(remove_argv(DockerClient{"docker"}, "abc"), (Words{"docker", "rm", "--force", "abc"}));
}

TEST(RunLines, CreatedIdIsTheLastLineAndMustBeAFullId) {
  const std::string id(64, 'a');
  EXPECT_EQ(parse_created_id(id + "\n").value(), id);
  EXPECT_EQ(parse_created_id("Unable to find image locally\n" + id + "\n").value(), id);
  EXPECT_FALSE(parse_created_id("").has_value());
  EXPECT_FALSE(parse_created_id("abc123\n").has_value());
  EXPECT_FALSE(parse_created_id(std::string(64, 'g')).has_value());
}

TEST(RunLines, CheckDropsAllAndAddsTheNeededCapabilities) {
  ContainerCheck check;
  check.image = "img";
  check.cmd = {"/extra", "base"};
  check.profile_path = "p.json";
  check.capabilities = {"CAP_CHOWN", "AUDIT_CONTROL"};
  check.runtime = "crun";
  Words argv = check_run_argv(DockerClient{}, check);
  EXPECT_EQ(argv, (Words{"docker", "run", "--rm", "--runtime", "crun", "--cap-drop", "ALL", "--cap-add", "CHOWN",
                         "--cap-add", "AUDIT_CONTROL", "--security-opt", "seccomp=p.json", "--", "img", "/extra",
                         "base"}));
  EXPECT_EQ(shell_line(argv),
            "docker run --rm --runtime crun --cap-drop ALL --cap-add CHOWN --cap-add AUDIT_CONTROL "
            "--security-opt seccomp=p.json -- img /extra base");
}

TEST(RunLines, ShellLineQuotesWhatASHellWouldSplit) {
  EXPECT_EQ(shell_line({"sh", "-c", "echo 'hi' $X", ""}), R"(sh -c 'echo '\''hi'\'' $X' '')");
  auto ran = run_client({"sh", "-c", "printf '%s|' " + shell_line({"a b", "it's", "$HOME"})}, ClientStdout::Capture);
  ASSERT_TRUE(ran.has_value());
  EXPECT_EQ(ran->stdout_text, "a b|it's|$HOME|");
}

TEST(RunClient, ExitStatusOutputAndMissingProgram) {
  auto ran = run_client({"sh", "-c", "echo out; echo err >&2; exit 7"}, ClientStdout::Capture);
  ASSERT_TRUE(ran.has_value()) << ran.error().message();
  EXPECT_EQ(ran->status, 7);
  EXPECT_EQ(ran->stdout_text, "out\n");
  auto killed = run_client({"sh", "-c", "kill -TERM $$"}, ClientStdout::Inherit);
  ASSERT_TRUE(killed.has_value());
  EXPECT_EQ(killed->status, 128 + 15);
  auto missing = run_client({"/no/such/docker", "info"}, ClientStdout::Inherit);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().sys_errno, ENOENT);
}
