// `syscap docker record` and `syscap docker profile` against the real engine: record workloads
// inside containers, generate their profiles, and run the images under them with
// --cap-drop ALL and only the capabilities the profile needs.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "docker_e2e_fixture.hpp"
#include "syscap/test/ia32.hpp"

namespace {

using namespace syscap::docker_e2e;

// The capabilities whose includes.caps blocks allow `syscall` in a Docker profile.
std::set<std::string> tying_capabilities(const json& profile, const std::string& syscall) {
  std::set<std::string> caps;
  for (const auto& rule : profile.at("syscalls")) {
    const auto& names = rule.at("names");
    if (std::find(names.begin(), names.end(), syscall) == names.end()) continue;
    if (!rule.contains("includes") || !rule["includes"].contains("caps")) {
      caps.insert("(none)");
      continue;
    }
    for (const auto& c : rule["includes"]["caps"]) caps.insert(c.get<std::string>());
  }
  return caps;
}

// `docker run --rm --cap-drop ALL --cap-add X... --security-opt seccomp=PROFILE IMAGE CMD...`.
CommandResult run_under(const fs::path& profile, const std::set<std::string>& caps, const Words& cmd,
                        const std::string& image = kImage) {
  Words args{"run", "--rm", "--network", "none", "--cap-drop", "ALL"};
  for (const auto& c : caps) args.insert(args.end(), {"--cap-add", c.starts_with("CAP_") ? c.substr(4) : c});
  args.insert(args.end(), {"--security-opt", "seccomp=" + profile.string(), image});
  args.insert(args.end(), cmd.begin(), cmd.end());
  return syscap::docker::docker(args);
}


// The blog scenario: a recorded adduser + chown runs under its profile with CAP_CHOWN (and the
// other capabilities inferred) and fails without CAP_CHOWN.
TEST_F(DockerE2e, ChownScenarioRunsWithChownAndFailsWithout) {
  json trace = record({kImage, "sh", "-c", kChownScript}, "trace");
  ASSERT_FALSE(trace.is_discarded());
  std::set<std::string> caps = trace_capabilities(trace);
  ASSERT_TRUE(caps.contains("CAP_CHOWN")) << trace.dump(1);
  fs::path profile = generate("trace", "profile");

  auto works = run_under(profile, caps, {"sh", "-c", kChownScript});
  EXPECT_EQ(works.status, 0) << works.describe();
  EXPECT_NE(works.out.find("alice"), std::string::npos) << works.describe();

  std::set<std::string> without = caps;
  without.erase("CAP_CHOWN");
  auto fails = run_under(profile, without, {"sh", "-c", kChownScript});
  EXPECT_NE(fails.status, 0) << fails.describe();
  EXPECT_NE(fails.err.find("Operation not permitted"), std::string::npos) << fails.describe();
}

// The experiment: --tie @chown=CAP_AUDIT_CONTROL moves the chown family under
// CAP_AUDIT_CONTROL; with CHOWN alone seccomp now refuses chown (EPERM), with both it works.
TEST_F(DockerE2e, ChownTiedToAuditControlNeedsBoth) {
  json trace = record({kImage, "sh", "-c", kChownScript}, "trace");
  ASSERT_FALSE(trace.is_discarded());
  std::set<std::string> caps = trace_capabilities(trace);
  ASSERT_TRUE(caps.contains("CAP_CHOWN")) << trace.dump(1);
  fs::path tied = generate("trace", "tied", {"--tie", "@chown=CAP_AUDIT_CONTROL"});
  json profile = read_json(tied);
  bool any_chown = false;
  for (const char* name : {"chown", "fchown", "fchownat", "lchown"}) {
    if (trace_has_syscall(trace, name, "SCMP_ARCH_X86_64")) {
      any_chown = true;
      EXPECT_EQ(tying_capabilities(profile, name), (std::set<std::string>{"CAP_AUDIT_CONTROL"})) << name;
    }
  }
  ASSERT_TRUE(any_chown) << "the recorded workload made no chown-family call";

  auto chown_only = run_under(tied, caps, {"sh", "-c", kChownScript});
  EXPECT_NE(chown_only.status, 0) << chown_only.describe();
  EXPECT_NE(chown_only.err.find("Operation not permitted"), std::string::npos) << chown_only.describe();

  std::set<std::string> both = caps;
  both.insert("CAP_AUDIT_CONTROL");
  auto works = run_under(tied, both, {"sh", "-c", kChownScript});
  EXPECT_EQ(works.status, 0) << works.describe();
  EXPECT_NE(works.out.find("alice"), std::string::npos) << works.describe();

  // The capability the kernel checks is still needed.
  std::set<std::string> audit_only = both;
  audit_only.erase("CAP_CHOWN");
  auto no_chown = run_under(tied, audit_only, {"sh", "-c", kChownScript});
  EXPECT_NE(no_chown.status, 0) << no_chown.describe();
}

// A syscall the recorded mode never made gets EPERM in the container; the recorded mode runs.
TEST_F(DockerE2e, UnrecordedSyscallGetsEpermInContainer) {
  json trace = record({kImage, "/modes", "base"}, "base");
  ASSERT_FALSE(trace.is_discarded());
  ASSERT_FALSE(trace_has_syscall(trace, "sysinfo", "SCMP_ARCH_X86_64"));
  fs::path profile = generate("base", "profile");
  std::set<std::string> caps = trace_capabilities(trace);

  auto base = run_under(profile, caps, {"/modes", "base"});
  EXPECT_EQ(base.status, 0) << base.describe();
  EXPECT_EQ(base.out, "base\n");

  auto extra = run_under(profile, caps, {"/modes", "extra"});
  EXPECT_EQ(extra.status, EPERM) << extra.describe();
  EXPECT_NE(extra.out.find("sysinfo: errno 1 "), std::string::npos) << extra.describe();

  // Without our profile (Docker's default) the same call works: the EPERM is the profile's.
  auto unconfined = syscap::docker::docker({"run", "--rm", "--network", "none", kImage, "/modes", "extra"});
  EXPECT_EQ(unconfined.status, 0) << unconfined.describe();
  EXPECT_NE(unconfined.out.find("sysinfo: ok"), std::string::npos) << unconfined.describe();
}

// An i386 static workload recorded inside a container: SCMP_ARCH_X86 in the trace and the
// profile, and it runs under that profile, not under one recorded from a 64-bit workload.
TEST_F(DockerE2e, I386WorkloadRecordedAndRunInContainer) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Exec);
  json trace = record({kImage, "/i386"}, "i386");
  ASSERT_FALSE(trace.is_discarded());
  EXPECT_TRUE(trace_has_syscall(trace, "write", "SCMP_ARCH_X86")) << trace.dump(1);
  fs::path profile = generate("i386", "profile");
  json p = read_json(profile);
  auto arches = p.at("architectures").get<std::vector<std::string>>();
  EXPECT_NE(std::find(arches.begin(), arches.end(), "SCMP_ARCH_X86"), arches.end()) << p.dump(1);

  auto runs = run_under(profile, trace_capabilities(trace), {"/i386"});
  EXPECT_EQ(runs.status, 0) << runs.describe();
  EXPECT_NE(runs.out.find("pid "), std::string::npos) << runs.describe();

  json base = record({kImage, "/modes", "base"}, "base");
  fs::path base_profile = generate("base", "base-profile");
  auto refused = run_under(base_profile, trace_capabilities(base), {"/i386"});
  EXPECT_NE(refused.status, 0) << refused.describe();
}

// `docker record` without CMD runs the image's Entrypoint + Cmd; CMD replaces Cmd; the
// workload's exit status is syscap's, and the trace is written anyway.
TEST_F(DockerE2e, RecordRunsTheImageCommandAndKeepsTheExitStatus) {
  if (syscap::docker::docker({"image", "inspect", kEntrypointImage}).status != 0) {
    std::string container = "syscap-e2e-entrypoint-" + std::to_string(::getpid());
    auto created = syscap::docker::docker({"create", "--name", container, kImage});
    ASSERT_EQ(created.status, 0) << created.describe();
    auto committed = syscap::docker::docker({"commit", "--change", R"(ENTRYPOINT ["/modes"])", "--change",
                                             R"(CMD ["base"])", container, kEntrypointImage});
    syscap::docker::docker({"rm", container});
    ASSERT_EQ(committed.status, 0) << committed.describe();
  }
  json by_image = record({kEntrypointImage}, "image-cmd");
  ASSERT_FALSE(by_image.is_discarded());
  EXPECT_EQ(by_image.at("command"), json({"/modes", "base"}));

  json replaced = record({kEntrypointImage, "extra"}, "replaced-cmd");
  ASSERT_FALSE(replaced.is_discarded());
  EXPECT_EQ(replaced.at("command"), json({"/modes", "extra"}));
  EXPECT_TRUE(trace_has_syscall(replaced, "sysinfo", "SCMP_ARCH_X86_64"));

  // With each engine.
  for (const Words& engine : engines_to_test()) {
    fs::path trace = dir_.path / "exit7.json";
    Words args{"docker", "record", "-o", trace.string()};
    args.insert(args.end(), engine.begin(), engine.end());
    args.insert(args.end(), {kImage, "sh", "-c", "echo out; exit 7"});
    auto r = syscap(args);
    EXPECT_EQ(r.status, 7) << r.describe();
    EXPECT_NE(r.out.find("out\n"), std::string::npos) << r.describe();
    json t = read_json(trace);
    ASSERT_FALSE(t.is_discarded()) << r.describe();
    EXPECT_EQ(t.at("exit").at("code"), 7);
    fs::remove(trace);
  }
}

// A container user other than root records into the host directory too.
TEST_F(DockerE2e, RecordAsAnotherUser) {
  for (const Words& engine : engines_to_test()) {
    fs::path trace = dir_.path / "user.json";
    Words args{"docker", "record", "-o", trace.string()};
    args.insert(args.end(), engine.begin(), engine.end());
    args.insert(args.end(), {"--user", "1000:1000", "-e", "MODE=x", kImage, "sh", "-c", "id -u; echo $MODE"});
    auto r = syscap(args);
    EXPECT_EQ(r.status, 0) << r.describe();
    EXPECT_NE(r.out.find("1000\nx\n"), std::string::npos) << r.describe();
    json t = read_json(trace);
    ASSERT_FALSE(t.is_discarded()) << r.describe();
    EXPECT_TRUE(trace_has_syscall(t, "getuid", "SCMP_ARCH_X86_64"));
    fs::remove(trace);
  }
}

// `docker profile` records, generates and checks: OK for a workload that behaves the same.
TEST_F(DockerE2e, ProfileChecksOk) {
  fs::path profile = dir_.path / "p.json";
  fs::path trace = dir_.path / "t.json";
  auto r = syscap({"docker", "profile", "-o", profile.string(), "--trace", trace.string(), "--compare-output",
                   "--docker-arg=--network=none", kImage, "/modes", "base"});
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("check: docker run --rm --cap-drop ALL --security-opt seccomp=" + profile.string() +
                          " --network=none -- syscap-e2e /modes base"),
            std::string::npos)
      << r.describe();
  EXPECT_NE(r.err.find("check: OK"), std::string::npos) << r.describe();
  json p = read_json(profile);
  ASSERT_FALSE(p.is_discarded());
  // The runtime block (runc by default) is there.
  EXPECT_NE(p.dump().find("runc"), std::string::npos);
  EXPECT_FALSE(read_json(trace).is_discarded());
}

// With --runtime crun the profile carries crun's block and the check runs under crun.
TEST_F(DockerE2e, ProfileForCrunChecksOkUnderCrun) {
  if (!syscap::docker::engine_has_runtime("crun"))
    GTEST_SKIP() << "the engine has no runtime 'crun' (scripts/docker/daemon adds it only where crun is installed)";
  fs::path profile = dir_.path / "p.json";
  auto r = syscap({"docker", "profile", "-o", profile.string(), "--runtime", "crun", "--compare-output",
                   "--docker-arg=--network=none", kImage, "/modes", "base"});
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("check: docker run --rm --runtime crun --cap-drop ALL"), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find("check: OK"), std::string::npos) << r.describe();
  json p = read_json(profile);
  ASSERT_FALSE(p.is_discarded());
  EXPECT_NE(p.dump().find("crun"), std::string::npos) << "no crun block";
}

// --verify-caps inside the container: each capability found is dropped in turn for a re-run
// in the same container; the chown scenario fails without CAP_CHOWN, so it stays.
TEST_F(DockerE2e, VerifyCapsInsideTheContainerKeepsWhatTheWorkloadNeeds) {
  fs::path trace = dir_.path / "verified.json";
  auto r = syscap({"docker", "record", "--verify-caps", "-o", trace.string(), "--docker-arg=--network=none",
                   kImage, "sh", "-c", kChownScript});
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("syscap: verify: "), std::string::npos) << "no re-run reported: " << r.describe();
  EXPECT_EQ(r.err.find("keeping the recorded capabilities"), std::string::npos) << r.describe();
  json t = read_json(trace);
  ASSERT_FALSE(t.is_discarded()) << r.describe();
  EXPECT_TRUE(trace_capabilities(t).contains("CAP_CHOWN")) << t.dump(1);
  // auto (the default) took ptrace for it, and the trace the container wrote says why.
  EXPECT_EQ(t.at("engine"), "ptrace");
  EXPECT_EQ(t.value("engine_reason", ""), "auto: ptrace, --verify-caps re-runs the workload inside the container")
      << t.dump(1);
}

// The check can fail: a workload that behaves differently without a capability it never
// exercised (so it is not in the profile's set) is reported, and syscap exits 1.
TEST_F(DockerE2e, ProfileCheckReportsADifference) {
  fs::path profile = dir_.path / "p.json";
  auto exit_differs = syscap({"docker", "profile", "-o", profile.string(), kImage, "/modes", "capsense"});
  EXPECT_EQ(exit_differs.status, 1) << exit_differs.describe();
  EXPECT_NE(exit_differs.err.find("DIFFERENT: exit status 3 under the profile, 0 when recorded"),
            std::string::npos)
      << exit_differs.describe();

  auto output_differs = syscap({"docker", "profile", "-o", profile.string(), "--compare-output", kImage, "sh", "-c",
                                "grep CapEff /proc/self/status"});
  EXPECT_EQ(output_differs.status, 1) << output_differs.describe();
  EXPECT_NE(output_differs.err.find("DIFFERENT: standard output differs"), std::string::npos)
      << output_differs.describe();
}

}  // namespace
