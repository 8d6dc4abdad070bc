// Test support for the real engine: the private daemon that the CTest fixture `docker_daemon`
// starts (scripts/docker/daemon), running `docker` against it, images from make-image, and
// seccomp profiles written as plain JSON. Link `syscap_docker_test_support` and add
// `FIXTURES_REQUIRED docker_daemon` and `LABELS docker` to the tests (tests/docker/CMakeLists.txt).
//
//   void SetUp() override {
//     if (auto why = syscap::docker::engine_skip_reason()) GTEST_SKIP() << *why;
//     ASSERT_TRUE(syscap::docker::engine_answers()) << "the fixture's daemon does not answer";
//   }
//   syscap::docker::ensure_image("syscap-empty", {syscap::docker::empty_workload() + ":/empty"});
//   auto r = syscap::docker::docker({"run", "--rm", "syscap-empty", "/empty"});
//   EXPECT_EQ(r.status, 0) << r.describe();
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/test/command.hpp"
#include "syscap/test/temp_dir.hpp"

namespace syscap::docker {

using syscap::test::CommandResult;  // status, out and err, each stream apart
using syscap::test::TempDir;

// Runs argv (PATH lookup), waits for it and returns its result; a command that does not end
// within `limit_seconds` is killed (a guard against hangs, not a timing assertion).
CommandResult run_command(const std::vector<std::string>& argv, int limit_seconds = 120);

// The private daemon's directory (SYSCAP_DOCKER_DIR of this build) and its DOCKER_HOST.
std::filesystem::path engine_dir();
std::string docker_host();

// Why this machine has no engine (the reason scripts/docker/daemon start recorded when it
// exited with the skip code), or nullopt when an engine was started.
std::optional<std::string> engine_skip_reason();

// True if the private daemon answers `docker info`.
bool engine_answers();

// `docker -H <private daemon> args...`.
CommandResult docker(const std::vector<std::string>& args, int limit_seconds = 120);

// True if the engine lists `runtime` (e.g. "crun") among its runtimes.
bool engine_has_runtime(std::string_view runtime);

// Builds `name` with scripts/docker/make-image from busybox-static plus `binaries` (each
// "PATH" lands at /<basename>, "PATH:/IN/IMAGE" where given) unless the engine already has
// it. Returns make-image's result when it ran, else `docker image inspect`'s.
CommandResult ensure_image(const std::string& name, const std::vector<std::string>& binaries);

// The empty static workload built for these tests: its only syscall is exit_group(0).
std::string empty_workload();

// Writes a profile to `path`: defaultAction SCMP_ACT_ERRNO (EPERM) and one ALLOW rule with
// `allowed` (no architectures: the runtime's native arch only).
void write_allowlist_profile(const std::filesystem::path& path, std::span<const std::string> allowed);

}  // namespace syscap::docker
