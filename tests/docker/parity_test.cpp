// Parity with the real engine: Docker's default profile (tests/data/docker-default.json)
// loaded by Docker (`docker run --security-opt seccomp=...`) and by `syscap enforce` refuses and
// allows the same calls. The static probe (probe.c) makes one harmless call per probe and
// prints "name result"; it runs in a container with Docker's default capabilities and on the
// host under `syscap enforce --cap-drop ALL --cap-add <Docker's 14>`, then both again with
// CAP_SYS_ADMIN added, where the calls Docker ties to CAP_SYS_ADMIN must flip in both.
//
// Both runs share this machine's kernel and the same capability set (checked: the probe
// prints its effective set), and every probe is built so that its outcome depends on nothing
// else the container changes (no paths that exist in one and not the other, no pids but 0),
// so besides the refused/not-refused classification the exact results must agree too.
// Docker's other confinement does not reach these probes: no AppArmor on this engine, masked
// /proc paths are never touched, and the container's user is root like the host's.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "docker_support.hpp"
#include "syscap/tables/capabilities.hpp"
#include "syscap/enforcer/capabilities.hpp"

namespace syscap::docker {
namespace {

constexpr const char* kImage = "syscap-test-probe";

// One probe of probe.c and what Docker's profile does with it.
struct Probe {
  std::string name;
  bool refused_by_default;   // with Docker's default 14 capabilities
  bool allowed_with_sys_admin;  // ... and once CAP_SYS_ADMIN is added
  std::string refusal = "EPERM";  // the profile's errno for it (clone3: ENOSYS)
};

// clang-format off
const std::vector<Probe> kProbes = {
    // In the big ALLOW list, or allowed by argument/kernel-version/default-cap rules.
    {"getpid", false, true},
    {"uname", false, true},
    {"fork", false, true},               // clone(SIGCHLD): the masked clone rule
    {"socket_unix", false, true},        // socket: family < 38
    {"personality_query", false, true},  // personality(0xffffffff)
    {"chroot", false, true},             // CAP_SYS_CHROOT is one of the 14
    {"ptrace", false, true},             // minKernel 4.8
    // Refused with or without CAP_SYS_ADMIN.
    {"personality_bsd", true, false},    // a value outside the five allowed
    {"socket_vsock", true, false},       // AF_VSOCK (40), the gap between the socket rules
    {"kexec_load", true, false},
    {"add_key", true, false},
    {"userfaultfd", true, false},
    {"kcmp", true, false},               // CAP_SYS_PTRACE
    {"swapon", true, false},
    {"clock_settime", true, false},      // CAP_SYS_TIME
    {"reboot", true, false},             // CAP_SYS_BOOT
    {"acct", true, false},               // CAP_SYS_PACCT
    {"open_by_handle_at", true, false},  // CAP_DAC_READ_SEARCH
    // Tied to CAP_SYS_ADMIN.
    {"mount", true, true},
    {"umount2", true, true},
    {"unshare", true, true},
    {"setns", true, true},
    {"clone_newuser", true, true},       // namespace flags fail the masked clone rule
    {"clone3", true, true, "ENOSYS"},    // errnoRet 38 without CAP_SYS_ADMIN
    {"sethostname", true, true},
    {"bpf", true, true},
    {"perf_event_open", true, true},
};
// clang-format on

// A configuration: docker run's capability options and the matching syscap enforce options.
struct Config {
  std::string label;
  bool sys_admin;
};

void PrintTo(const Config& c, std::ostream* os) { *os << c.label; }

// "name result" lines into a map; anything else is kept in `junk`.
struct Table {
  std::map<std::string, std::string> results;
  std::string junk;
};

Table parse(const std::string& output) {
  Table t;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    auto space = line.find(' ');
    if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos) {
      t.junk += line + "\n";
      continue;
    }
    t.results[line.substr(0, space)] = line.substr(space + 1);
  }
  return t;
}

std::string result_of(const Table& t, const std::string& name) {
  auto it = t.results.find(name);
  return it == t.results.end() ? "(missing)" : it->second;
}

bool refused(const Probe& p, const Table& t) { return result_of(t, p.name) == p.refusal; }

bool expected_refused(const Probe& p, const Config& c) {
  return c.sys_admin ? !p.allowed_with_sys_admin : p.refused_by_default;
}

// Both tables side by side, with what the profile says.
std::string side_by_side(const Config& c, const Table& engine, const Table& enforce) {
  std::string s = fmt::format("{:<20} {:<10} {:<14} {:<14}\n", "probe", "expected", "docker run",
                              "syscap enforce");
  s += fmt::format("{:<20} {:<10} {:<14} {:<14}\n", "capeff", "", result_of(engine, "capeff"),
                   result_of(enforce, "capeff"));
  for (const Probe& p : kProbes) {
    s += fmt::format("{:<20} {:<10} {:<14} {:<14}{}\n", p.name,
                     expected_refused(p, c) ? "refused" : "allowed", result_of(engine, p.name),
                     result_of(enforce, p.name),
                     refused(p, engine) != refused(p, enforce) ? "  <- differ" : "");
  }
  if (!engine.junk.empty()) s += "docker run also printed:\n" + engine.junk;
  if (!enforce.junk.empty()) s += "syscap enforce also printed:\n" + enforce.junk;
  return s;
}

class Parity : public ::testing::TestWithParam<Config> {
 protected:
  void SetUp() override {
    if (auto why = engine_skip_reason()) GTEST_SKIP() << *why;
    ASSERT_TRUE(engine_answers()) << "the private daemon of fixture docker_daemon does not answer on "
                                  << docker_host();
    auto bounding = enforcer::current_bounding_set();
    ASSERT_TRUE(bounding.has_value());
    if ((bounding->bits & caps().bits) != caps().bits) {
      GTEST_SKIP() << "this process lacks some of " << fmt::format("{}", fmt::join(cap_names(), " "))
                   << ", which syscap enforce has to give the probe";
    }
    CommandResult image = ensure_image(kImage, {std::string(SYSCAP_PARITY_PROBE) + ":/probe"});
    ASSERT_EQ(image.status, 0) << image.describe();
  }

  // Docker's default 14, plus CAP_SYS_ADMIN in the second configuration.
  static enforcer::CapSet caps() {
    enforcer::CapSet set = enforcer::docker_default_caps();
    if (GetParam().sys_admin) set.add(static_cast<int>(tables::Capability::SysAdmin));
    return set;
  }
  static std::vector<std::string> cap_names() { return enforcer::capability_names(caps()); }

  static std::vector<std::string> probe_args() {
    std::vector<std::string> args{"capeff"};
    for (const Probe& p : kProbes) args.push_back(p.name);
    return args;
  }

  CommandResult run_in_container() {
    // The engine's client reads the profile from a file of its own, not from the repository.
    std::filesystem::copy_file(std::filesystem::path(SYSCAP_TEST_DATA_DIR) / "docker-default.json",
                               dir.path / "docker-default.json");
    std::vector<std::string> args{"run", "--rm", "--network", "none", "--security-opt",
                                  "seccomp=" + (dir.path / "docker-default.json").string()};
    if (GetParam().sys_admin) args.insert(args.end(), {"--cap-add", "SYS_ADMIN"});
    args.insert(args.end(), {kImage, "/probe"});
    for (const std::string& a : probe_args()) args.push_back(a);
    return docker(args);
  }

  CommandResult run_under_enforce() {
    std::vector<std::string> argv{SYSCAP_BINARY, "enforce", "--profile",
                                  std::string(SYSCAP_TEST_DATA_DIR) + "/docker-default.json",
                                  "--cap-drop", "ALL"};
    for (const std::string& cap : cap_names()) argv.insert(argv.end(), {"--cap-add", cap});
    argv.insert(argv.end(), {"--", SYSCAP_PARITY_PROBE});
    for (const std::string& a : probe_args()) argv.push_back(a);
    return run_command(argv);
  }

  TempDir dir;
};

TEST_P(Parity, DockerAndSyscapEnforceRefuseTheSameProbes) {
  const Config& config = GetParam();
  CommandResult engine_run = run_in_container();
  ASSERT_EQ(engine_run.status, 0) << "docker run of the probe failed:\n" << engine_run.describe();
  CommandResult enforce_run = run_under_enforce();
  ASSERT_EQ(enforce_run.status, 0) << "syscap enforce of the probe failed:\n" << enforce_run.describe();
  Table engine = parse(engine_run.out);
  Table enforce = parse(enforce_run.out);
  std::string tables = side_by_side(config, engine, enforce);
  std::cout << "[" << config.label << "]\n" << tables;

  // The same capabilities on both sides, and the ones asked for: otherwise nothing below
  // would compare like with like.
  std::string want_caps = fmt::format("0x{:016x}", caps().bits);
  EXPECT_EQ(result_of(engine, "capeff"), want_caps) << tables;
  EXPECT_EQ(result_of(enforce, "capeff"), want_caps) << tables;

  int refused_count = 0;
  int allowed_count = 0;
  for (const Probe& p : kProbes) {
    SCOPED_TRACE(p.name);
    std::string a = result_of(engine, p.name);
    std::string b = result_of(enforce, p.name);
    ASSERT_NE(a, "(missing)") << tables;
    ASSERT_NE(b, "(missing)") << tables;
    // The parity itself: refused by one exactly when refused by the other...
    EXPECT_EQ(refused(p, engine), refused(p, enforce)) << p.name << ": docker run " << a
                                                       << ", syscap enforce " << b << "\n" << tables;
    // ... and, the kernel and capabilities being the same, the same answer when let through.
    EXPECT_EQ(a, b) << p.name << "\n" << tables;
    // What the profile says, so that agreeing on nothing (say, both never filtering) fails.
    EXPECT_EQ(refused(p, engine), expected_refused(p, config))
        << p.name << " in the container: " << a << "\n" << tables;
    EXPECT_EQ(refused(p, enforce), expected_refused(p, config))
        << p.name << " under syscap enforce: " << b << "\n" << tables;
    // A call seccomp lets through must reach the kernel and get the kernel's own answer.
    if (!expected_refused(p, config)) {
      EXPECT_NE(a, "EPERM") << p.name << "\n" << tables;
    }
    (refused(p, engine) ? refused_count : allowed_count)++;
  }
  if (config.sys_admin) {
    EXPECT_GE(allowed_count, 16) << tables;
    EXPECT_GE(refused_count, 11) << tables;
  } else {
    EXPECT_GE(allowed_count, 7) << tables;
    EXPECT_GE(refused_count, 20) << tables;
  }
}

// Without any filter, as root with the capabilities the probes need, the kernel refuses none
// of them with EPERM (nor answers clone3 with ENOSYS): every refusal seen above is seccomp's.
// Also shows that the probes are harmless here, where nothing confines them.
TEST(ParityProbe, UnfilteredNoProbeIsRefused) {
  std::vector<std::string> argv{SYSCAP_PARITY_PROBE, "capeff"};
  for (const Probe& p : kProbes) argv.push_back(p.name);
  CommandResult run = run_command(argv);
  ASSERT_EQ(run.status, 0) << run.describe();
  Table t = parse(run.out);
  std::uint64_t eff = std::stoull(result_of(t, "capeff"), nullptr, 16);
  for (const char* cap : {"CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_PACCT", "CAP_SYS_TIME", "CAP_SYS_PTRACE",
                          "CAP_DAC_READ_SEARCH", "CAP_SYS_CHROOT"}) {
    if (((eff >> static_cast<int>(*tables::capability_by_name(cap))) & 1U) == 0)
      GTEST_SKIP() << "this process lacks " << cap << ", so the kernel itself would refuse some probes";
  }
  for (const Probe& p : kProbes) {
    EXPECT_NE(result_of(t, p.name), p.refusal) << p.name << "\n" << run.describe();
    EXPECT_NE(result_of(t, p.name), "(missing)") << p.name << "\n" << run.describe();
  }
}

// The second configuration is the flip: the nine calls Docker ties to CAP_SYS_ADMIN (mount,
// umount2, unshare, setns, clone with namespace flags, clone3, sethostname, bpf, perf_event_open)
// are expected refused in the first and let through in the second, on both sides.
INSTANTIATE_TEST_SUITE_P(Engine, Parity,
                         ::testing::Values(Config{"default_caps", false}, Config{"cap_add_sys_admin", true}),
                         [](const ::testing::TestParamInfo<Config>& info) { return info.param.label; });

}  // namespace
}  // namespace syscap::docker
