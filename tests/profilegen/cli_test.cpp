// The generate and diff subcommands as a user runs them.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

std::string trace(const std::string& name) { return test::data_path("traces/" + name + ".json"); }

TEST(GenerateCommand, PrintsSummaryWithDockerRunLine) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("p.json"), trace("chown")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("Docker's default allows"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("fewer"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("capabilities needed: CAP_CHOWN\n"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("docker run --cap-drop ALL --cap-add CHOWN "
                         "--security-opt seccomp=" + tmp.file("p.json") + " IMAGE /bin/sh -c "),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("refuses high-risk syscalls Docker's default allows: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("ptrace"), std::string::npos) << run.err;
}

// Writes `text` to `path`.
void write_file(const std::string& path, const std::string& text) {
  FILE* f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr) << path;
  fputs(text.c_str(), f);
  fclose(f);
}

// chown.json calls chroot without CAP_SYS_CHROOT evidence: Docker's profile ties chroot to it,
// but the trace does not show the workload needs it.
TEST(GenerateCommand, DockerOnlyTiesAreListedApartFromTheNeededCapabilities) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("p.json"), trace("chown")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("capabilities needed: CAP_CHOWN\n"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("tied by Docker's default profile, not exercised: CAP_SYS_CHROOT (chroot)\n"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("only if the workload must succeed"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("docker run --cap-drop ALL --cap-add CHOWN --cap-add SYS_CHROOT"), std::string::npos) << run.err;
  // The profile itself still ties chroot to CAP_SYS_CHROOT, as Docker's does.
  EXPECT_NE(test::read_file(tmp.file("p.json")).find("CAP_SYS_CHROOT"), std::string::npos);
  // Forced by --tie, it is needed.
  auto tied = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("q.json"), "--tie",
                                "chroot=sys_chroot", trace("chown")});
  ASSERT_EQ(tied.status, 0) << tied.err;
  EXPECT_NE(tied.err.find("capabilities needed: CAP_CHOWN, CAP_SYS_CHROOT\n"), std::string::npos) << tied.err;
  EXPECT_NE(tied.err.find("--cap-add CHOWN --cap-add SYS_CHROOT "), std::string::npos) << tied.err;
}

TEST(GenerateCommand, K8sSummaryShowsKubectlAndSecurityContextNotDockerRun) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "--format", "k8s", "--name", "chown-demo",
                               "--namespace", "apps", "-o", tmp.file("k.yaml"), trace("chown")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err.find("docker run"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("seccomp="), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("kubectl apply -f " + tmp.file("k.yaml") + "\n"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("  securityContext:\n    seccompProfile:\n      type: Localhost\n"
                         "      localhostProfile: operator/apps/chown-demo.json\n"
                         "    capabilities:\n      drop: [\"ALL\"]\n      add: [\"CHOWN\"]\n"),
            std::string::npos)
      << run.err;
  // The Docker-only tie is left out of the k8s output, which says how to keep it.
  EXPECT_NE(run.err.find("--tie chroot=CAP_SYS_CHROOT"), std::string::npos) << run.err;
  EXPECT_EQ(test::read_file(tmp.file("k.yaml")).find("\"chroot\""), std::string::npos);
}

TEST(GenerateCommand, OciSummarySaysWhatTheObjectIs) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "--format", "oci", "-o", tmp.file("o.json"),
                               trace("network")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("runtime-spec linux.seccomp object"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("config.json"), std::string::npos) << run.err;
}

TEST(GenerateCommand, SummaryCountsEachArchitecture) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("p.json"), trace("i386")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("syscalls on SCMP_ARCH_X86_64; Docker's default allows"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("syscalls on SCMP_ARCH_X86; Docker's default allows"), std::string::npos) << run.err;
}

TEST(GenerateCommand, DefaultAllowIsNotCountedAsAllowList) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "--default-action", "SCMP_ACT_ALLOW", "-o",
                               tmp.file("p.json"), trace("network")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err.find("fewer"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(" syscalls on SCMP_ARCH_X86_64;"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("allows every syscall except those it refuses (clone3): the default action is SCMP_ACT_ALLOW"),
            std::string::npos)
      << run.err;
}

// `syscap record` names a call to a reserved or unknown number "syscall_<nr>".
TEST(GenerateCommand, UnnamedSyscallsAreSkippedWithAWarning) {
  test::TempDir tmp;
  std::string text = test::read_file(trace("hello"));
  std::string entry = R"({"name": "syscall_500", "arch": "SCMP_ARCH_X86_64", "nr": 500, "count": 2,
      "first_seen": {"pid": 4242, "exe": "/usr/bin/hello"}},
    )";
  text.insert(text.find('{', text.find("\"syscalls\"")), entry);
  write_file(tmp.file("t.json"), text);
  auto run = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("p.json"), tmp.file("t.json")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("syscall_500 on SCMP_ARCH_X86_64 (2 calls, first by pid 4242 /usr/bin/hello)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(test::read_file(tmp.file("p.json")).find("syscall_500"), std::string::npos);
  // The same profile as without the entry.
  auto plain = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("q.json"), trace("hello")});
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_EQ(test::read_file(tmp.file("p.json")), test::read_file(tmp.file("q.json")));

  auto diff = test::run_syscap({"diff", "--runtime", "none", tmp.file("t.json"), trace("hello")});
  EXPECT_EQ(diff.status, 0) << diff.out << diff.err;
  EXPECT_NE(diff.err.find("syscall_500"), std::string::npos) << diff.err;
}

// What a trace says of its capabilities reaches the user: a BPF trace without the kernel's
// checks and a rule-model finding the kernel never checked each get a warning; a BPF trace
// with the checks gets none.
TEST(GenerateCommand, WarnsWhereTheTracesCapabilitiesAreInDoubt) {
  test::TempDir tmp;
  const std::string hello = test::read_file(trace("hello"));
  auto with_fields = [&](const std::string& name, const std::string& fields) {
    std::string text = hello;
    text.insert(text.find('{') + 1, fields);
    write_file(tmp.file(name), text);
    return test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file(name + ".p"), tmp.file(name)});
  };
  auto unseen = with_fields("unseen.json", R"("engine": "bpf", "kernel_checks_unseen": "no tracepoint here",)");
  ASSERT_EQ(unseen.status, 0) << unseen.err;
  EXPECT_NE(unseen.err.find("could not see (no tracepoint here)"), std::string::npos) << unseen.err;
  auto seen = with_fields("seen.json", R"("engine": "bpf", "kernel_checks": [],)");
  ASSERT_EQ(seen.status, 0) << seen.err;
  EXPECT_EQ(seen.err.find("could not see"), std::string::npos) << seen.err;
  auto unchecked = with_fields("unchecked.json", R"("unchecked_capabilities": ["CAP_KILL"],)");
  ASSERT_EQ(unchecked.status, 0) << unchecked.err;
  EXPECT_NE(unchecked.err.find("the rule model found CAP_KILL but the kernel never checked it"), std::string::npos)
      << unchecked.err;
}

TEST(GenerateCommand, TieCapabilityInLowerCase) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "--tie", "write=cap_kill", "-o", tmp.file("p.json"),
                               trace("hello")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("capabilities needed: CAP_KILL\n"), std::string::npos) << run.err;
}

TEST(GenerateCommand, ProfileToStdoutKeepsSummaryOnStderr) {
  auto run = test::run_syscap({"generate", "--runtime", "none", trace("hello")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.rfind("{\n", 0), 0u) << run.out;
  EXPECT_NE(run.err.find("docker run"), std::string::npos) << run.err;
}

TEST(GenerateCommand, BadTraceNamesFileAndPath) {
  test::TempDir tmp;
  std::string bad = test::read_file(trace("hello"));
  bad.replace(bad.find("\"count\": 3"), 10, "\"count\": -3");
  std::string path = tmp.file("bad.json");
  FILE* f = fopen(path.c_str(), "w");
  fputs(bad.c_str(), f);
  fclose(f);
  auto run = test::run_syscap({"generate", "-o", tmp.file("p.json"), path});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find(path + ": syscalls[1].count: expected a non-negative integer"), std::string::npos)
      << run.err;
}

TEST(GenerateCommand, TieTakesOneValueEachTime) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("p.json"), "--tie",
                               "chroot=CAP_SYS_ADMIN", "--tie", "@chown=CAP_AUDIT_CONTROL", trace("chown")});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("capabilities needed: CAP_AUDIT_CONTROL, CAP_CHOWN, CAP_SYS_ADMIN\n"), std::string::npos)
      << run.err;
}

TEST(GenerateCommand, BadTieIsRefused) {
  test::TempDir tmp;
  auto run = test::run_syscap({"generate", "--tie", "chown=CAP_CHOWNN", "-o", tmp.file("p.json"), trace("hello")});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("did you mean CAP_CHOWN"), std::string::npos) << run.err;
}

TEST(DiffCommand, TraceAgainstItsOwnProfileIsTheSame) {
  test::TempDir tmp;
  auto gen = test::run_syscap({"generate", "--runtime", "none", "-o", tmp.file("p.json"), trace("network")});
  ASSERT_EQ(gen.status, 0) << gen.err;
  auto same = test::run_syscap({"diff", "--runtime", "none", trace("network"), tmp.file("p.json")});
  EXPECT_EQ(same.status, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("no differences"), std::string::npos) << same.out;
}

TEST(DiffCommand, ShowsWhatEachSideAllows) {
  auto run = test::run_syscap({"diff", "--runtime", "none", trace("merge-a"), trace("merge-b")});
  EXPECT_EQ(run.status, 1) << run.err;
  std::string a = "only in " + trace("merge-a") + ":\n";
  std::string b = "only in " + trace("merge-b") + ":\n";
  ASSERT_NE(run.out.find(a), std::string::npos) << run.out;
  ASSERT_NE(run.out.find(b), std::string::npos) << run.out;
  std::string only_a = run.out.substr(run.out.find(a), run.out.find(b) - run.out.find(a));
  std::string only_b = run.out.substr(run.out.find(b));
  EXPECT_NE(only_a.find("  connect\n"), std::string::npos) << run.out;
  EXPECT_NE(only_a.find("  fchownat with CAP_CHOWN\n"), std::string::npos) << run.out;
  EXPECT_NE(only_a.find("  socket (args: arg0 == 1)\n"), std::string::npos) << run.out;
  EXPECT_NE(only_b.find("  kill with CAP_KILL\n"), std::string::npos) << run.out;
  EXPECT_NE(only_b.find("  socket (args: arg0 == 2)\n"), std::string::npos) << run.out;
}

TEST(DiffCommand, UnreadableInputIsExitTwo) {
  auto run = test::run_syscap({"diff", "/nonexistent.json", trace("hello")});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("/nonexistent.json"), std::string::npos);
}

}  // namespace
}  // namespace syscap::profilegen
