// `syscap docker record/profile --engine bpf`: the image runs as it really runs (its own
// entrypoint as pid 1, the engine's default capabilities, no syscap inside) and is recorded
// from the host, from its entrypoint's execve on; the result equals the ptrace engine's.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "docker_e2e_fixture.hpp"

namespace {

using namespace syscap::docker_e2e;

class DockerBpf : public DockerE2e {
 protected:
  void SetUp() override {
    DockerE2e::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!bpf_skip_reason().empty()) GTEST_SKIP() << bpf_skip_reason();
  }
};

std::set<std::pair<std::string, std::string>> names_and_arches(const json& trace) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& s : trace.at("syscalls")) out.emplace(s.at("name"), s.at("arch"));
  return out;
}

// Pid 1, no syscap mounted, Docker's bounding set (no CAP_SYS_PTRACE); and none of the
// runtime's set-up (namespaces, mounts, pivot_root) in the trace, which starts at the
// entrypoint's execve.
TEST_F(DockerBpf, RecordsTheImageAsItReallyRunsFromItsEntrypoint) {
  fs::path path = dir_.path / "t.json";
  auto r = syscap({"docker", "record", "--engine", "bpf", "-o", path.string(), "--docker-arg=--network=none", kImage,
                   "sh", "-c", "echo pid $$; test -e /.syscap || echo no-syscap; grep CapBnd /proc/self/status"});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.out.find("pid 1\nno-syscap\n"), std::string::npos) << r.describe();
  const auto at = r.out.find("CapBnd:");
  ASSERT_NE(at, std::string::npos) << r.describe();
  const std::uint64_t bounding = std::stoull(r.out.substr(at + 7), nullptr, 16);
  EXPECT_EQ(bounding & (1ull << 19), 0u) << "CAP_SYS_PTRACE in the bounding set: " << r.describe();
  EXPECT_NE(bounding & (1ull << 0), 0u) << "no CAP_CHOWN: not Docker's default set: " << r.describe();

  json trace = read_json(path);
  ASSERT_FALSE(trace.is_discarded()) << r.describe();
  EXPECT_EQ(trace.at("engine"), "bpf");
  EXPECT_EQ(trace.at("command").at(0), "sh");
  for (const char* setup : {"pivot_root", "mount", "umount2", "sethostname", "unshare", "setns", "capset", "keyctl"})
    EXPECT_FALSE(trace_has_syscall(trace, setup, "SCMP_ARCH_X86_64")) << setup << " is the runtime's";
  ASSERT_TRUE(trace_has_syscall(trace, "execve", "SCMP_ARCH_X86_64"));
  for (const auto& s : trace.at("syscalls")) {
    if (s.at("name") == "execve") {
      EXPECT_EQ(s.at("first_seen").at("exe"), "/bin/sh") << s.dump();
    }
  }
}

// The chown scenario: the same (name, arch) set and capabilities as the ptrace engine inside
// the container, and `docker profile --engine bpf` checks the image under its profile.
TEST_F(DockerBpf, EqualsThePtraceEngineAndItsProfileChecksOk) {
  json inside = record({kImage, "sh", "-c", kChownScript}, "ptrace");
  ASSERT_FALSE(inside.is_discarded());
  fs::path profile = dir_.path / "p.json";
  fs::path trace = dir_.path / "bpf.json";
  auto r = syscap({"docker", "profile", "--engine", "bpf", "-o", profile.string(), "--trace", trace.string(),
                   "--compare-output", "--docker-arg=--network=none", kImage, "sh", "-c", kChownScript});
  json host = read_json(trace);
  ASSERT_FALSE(host.is_discarded()) << r.describe();
  EXPECT_EQ(names_and_arches(host), names_and_arches(inside));
  // Without the kernel's checks (before Linux 6.14) the BPF engine sees no capability: the
  // profile grants none, and the image fails under it (exit 1), as `generate` warns.
  if (!host.contains("kernel_checks"))
    GTEST_SKIP() << "the kernel's capability checks are not watched here ("
                 << host.value("kernel_checks_unseen", "no reason in the trace") << "): no capabilities to compare";
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("check: OK"), std::string::npos) << r.describe();
  EXPECT_EQ(trace_capabilities(host), trace_capabilities(inside));
  EXPECT_TRUE(trace_capabilities(host).contains("CAP_CHOWN"));
}

// The workload's exit status is syscap's; a container that never runs its command leaves no
// trace and says why.
TEST_F(DockerBpf, ExitStatusKeptAndACommandThatNeverRanIsAnError) {
  fs::path path = dir_.path / "exit7.json";
  auto r = syscap({"docker", "record", "--engine", "bpf", "-o", path.string(), "--docker-arg=--network=none", kImage,
                   "sh", "-c", "echo out; exit 7"});
  EXPECT_EQ(r.status, 7) << r.describe();
  json t = read_json(path);
  ASSERT_FALSE(t.is_discarded()) << r.describe();
  EXPECT_EQ(t.at("exit").at("code"), 7);

  fs::path none = dir_.path / "none.json";
  auto missing = syscap({"docker", "record", "--engine", "bpf", "-o", none.string(), "--docker-arg=--network=none",
                         kImage, "/no/such/program"});
  EXPECT_NE(missing.status, 0) << missing.describe();
  EXPECT_NE(missing.err.find("no process of the container was seen starting"), std::string::npos)
      << missing.describe();
  EXPECT_FALSE(fs::exists(none));
}

// Two containers recorded at once: each trace has its own workload's calls only.
TEST_F(DockerBpf, TwoContainersRecordedAtOnceKeepApart) {
  const fs::path extra = dir_.path / "extra.json", base = dir_.path / "base.json";
  const std::string syscap_bin = SYSCAP_BINARY;
  auto record_line = [&](const fs::path& out, const char* mode) {
    return syscap_bin + " -q docker record --engine bpf -o " + out.string() + " --docker-arg=--network=none " +
           kImage + " sh -c 'sleep 1; /modes " + mode + "'";
  };
  auto r = syscap::docker::run_command(
      {"sh", "-c", record_line(extra, "extra") + " & " + record_line(base, "base") + "; s=$?; wait $! || exit 1; exit $s"},
      300);
  ASSERT_EQ(r.status, 0) << r.describe();
  json with = read_json(extra), without = read_json(base);
  ASSERT_FALSE(with.is_discarded() || without.is_discarded()) << r.describe();
  EXPECT_TRUE(trace_has_syscall(with, "sysinfo", "SCMP_ARCH_X86_64"));
  EXPECT_FALSE(trace_has_syscall(without, "sysinfo", "SCMP_ARCH_X86_64")) << "the other container's call";
}

// --verify-caps re-runs inside the container, which the BPF engine does not enter.
TEST_F(DockerBpf, VerifyCapsIsRefusedWithTheBpfEngine) {
  auto r = syscap({"docker", "record", "--engine", "bpf", "--verify-caps", "-o", (dir_.path / "v.json").string(),
                   kImage, "true"});
  EXPECT_EQ(r.status, 2) << r.describe();
  EXPECT_NE(r.err.find("--verify-caps"), std::string::npos) << r.describe();
}

}  // namespace
