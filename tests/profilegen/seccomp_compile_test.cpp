// The generated profile is accepted by libseccomp: compiled to a filter for the native arch
// (names resolved with our tables, rules added by number), exported as BPF, and loaded in a
// forked child, where recorded calls work and others are refused as the profile says.
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "syscap/profilegen/container_view.hpp"
#include "syscap/profilegen/generator.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/syscalls.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

using FilterPtr = std::unique_ptr<void, void (*)(scmp_filter_ctx)>;

std::uint32_t action_value(Action a, std::optional<unsigned> errno_ret) {
  switch (a) {
    case Action::Allow: return SCMP_ACT_ALLOW;
    case Action::Errno: return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
    case Action::Kill:
    case Action::KillThread: return SCMP_ACT_KILL_THREAD;
    case Action::KillProcess: return SCMP_ACT_KILL_PROCESS;
    case Action::Trap: return SCMP_ACT_TRAP;
    case Action::Trace: return SCMP_ACT_TRACE(errno_ret.value_or(0));
    case Action::Log: return SCMP_ACT_LOG;
    case Action::Notify: return SCMP_ACT_NOTIFY;
  }
  return SCMP_ACT_KILL_PROCESS;
}

scmp_compare compare_value(CmpOp op) {
  switch (op) {
    case CmpOp::NotEqual: return SCMP_CMP_NE;
    case CmpOp::LessThan: return SCMP_CMP_LT;
    case CmpOp::LessEqual: return SCMP_CMP_LE;
    case CmpOp::Equal: return SCMP_CMP_EQ;
    case CmpOp::GreaterEqual: return SCMP_CMP_GE;
    case CmpOp::GreaterThan: return SCMP_CMP_GT;
    case CmpOp::MaskedEqual: return SCMP_CMP_MASKED_EQ;
  }
  return SCMP_CMP_EQ;
}

// The filter a container with `caps` gets from `profile` on this machine's arch. Fails the
// test on any libseccomp error.
FilterPtr compile(const Profile& profile, const std::vector<std::string>& caps) {
  const auto& native = tables::facts(tables::native_arch());
  ContainerContext ctx{.native_arch = std::string(native.native_name), .capabilities = caps, .kernel = std::nullopt};
  Profile seen = resolve_for_container(profile, ctx);
  std::uint32_t default_action = action_value(*seen.default_action, seen.default_errno_ret);
  FilterPtr filter(seccomp_init(default_action), seccomp_release);
  EXPECT_NE(filter.get(), nullptr);
  for (const Rule& rule : seen.syscalls) {
    std::uint32_t action = action_value(rule.action, rule.errno_ret);
    if (action == default_action) continue;  // libseccomp refuses those; runc skips them too
    std::vector<scmp_arg_cmp> args;
    for (const ArgCondition& c : rule.args) {
      args.push_back(scmp_arg_cmp{c.index, compare_value(c.op), c.value, c.value_two.value_or(0)});
    }
    for (const auto& name : rule.names) {
      auto nr = tables::syscall_number(tables::native_arch(), name);
      if (!nr) continue;  // e.g. socketcall: not a syscall on x86_64
      int rc = seccomp_rule_add_array(filter.get(), action, *nr, static_cast<unsigned>(args.size()),
                                      args.empty() ? nullptr : args.data());
      EXPECT_EQ(rc, 0) << name << " (" << *nr << "): " << strerror(-rc);
    }
  }
  return filter;
}

// Exports the filter's BPF and returns its size in bytes.
long exported_bpf_size(const FilterPtr& filter) {
  char path[] = "/tmp/syscap-bpf-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  unlink(path);
  EXPECT_EQ(seccomp_export_bpf(filter.get(), fd), 0);
  long size = lseek(fd, 0, SEEK_END);
  close(fd);
  return size;
}

// Loads `filter` in a forked child, runs `body` there and returns the child's exit code
// (or 200 + signal).
int run_filtered(const FilterPtr& filter, const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) {
    if (seccomp_load(filter.get()) != 0) _exit(125);
    int code = body();
    // The raw exit: sanitizer runtimes hook _exit and make calls (a leak check) that the
    // filter refuses, which would turn every outcome into their error exit.
    syscall(SYS_exit_group, code);
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// 0 if `rc`/errno is the expected outcome: `want_errno` 0 means the call succeeded.
int outcome(long rc, int want_errno) {
  if (want_errno == 0) return rc >= 0 ? 0 : 10 + errno;
  return rc == -1 && errno == want_errno ? 0 : 100 + (rc == -1 ? errno : 0) % 100;
}

GeneratedProfile generate(const Trace& t, GenerateOptions o = test::no_runtime()) {
  auto g = generate_profile(t, o);
  EXPECT_TRUE(g) << (g ? "" : g.error().message());
  return *g;
}

TEST(SeccompCompile, EveryGoldenTraceCompiles) {
  for (const char* name : {"hello", "network", "chown", "i386", "namespaces"}) {
    auto g = generate(test::load_test_trace(name));
    auto filter = compile(g.profile, g.capabilities);
    EXPECT_GT(exported_bpf_size(filter), 0) << name;
    auto bare = compile(g.profile, {});
    EXPECT_GT(exported_bpf_size(bare), 0) << name;
  }
}

TEST(SeccompCompile, ProfileWithRuntimeBlockCompiles) {
  GenerateOptions o;  // default runtime
  auto g = generate_profile(test::load_test_trace("network"), o);
  if (!g) GTEST_SKIP() << "runtime block unavailable: " << g.error().message();
  EXPECT_GT(exported_bpf_size(compile(g->profile, g->capabilities)), 0);
}

TEST(SeccompCompile, RecordedCallsRunAndOthersAreRefusedWithEperm) {
  auto g = generate(test::make_trace({"getpid", "exit_group", "exit"}));
  auto filter = compile(g.profile, g.capabilities);
  EXPECT_EQ(run_filtered(filter, [] { return outcome(syscall(SYS_getpid), 0); }), 0);
  EXPECT_EQ(run_filtered(filter, [] { return outcome(syscall(SYS_getppid), EPERM); }), 0);
  EXPECT_EQ(run_filtered(filter, [] { return outcome(syscall(SYS_getuid), EPERM); }), 0);
}

TEST(SeccompCompile, SocketDomainsNotRecordedAreRefused) {
  auto t = test::make_trace({"exit_group", "close"});
  test::set_arg0(t, "socket", {AF_UNIX});
  auto filter = compile(generate(t).profile, {});
  EXPECT_EQ(run_filtered(filter, [] { return outcome(syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0), 0); }), 0);
  EXPECT_EQ(run_filtered(filter, [] { return outcome(syscall(SYS_socket, AF_INET, SOCK_STREAM, 0), EPERM); }), 0);
}

TEST(SeccompCompile, CloneWithNamespaceFlagsIsRefusedAndClone3GetsEnosys) {
  auto t = test::make_trace({"exit_group", "wait4"});
  test::set_arg0(t, "clone", {SIGCHLD});
  auto filter = compile(generate(t).profile, {});
  EXPECT_EQ(run_filtered(filter, [] {
              long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
              if (pid == 0) _exit(99);  // the filter let it through: the grandchild leaves at once
              return outcome(pid, EPERM);
            }),
            0);
  EXPECT_EQ(run_filtered(filter, [] {
              long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
              if (pid == 0) _exit(0);
              if (pid < 0) return 10 + errno;
              int status = 0;
              return syscall(SYS_wait4, pid, &status, 0, nullptr) == pid ? 0 : 50;
            }),
            0);
  EXPECT_EQ(run_filtered(filter, [] { return outcome(syscall(SYS_clone3, nullptr, 0), ENOSYS); }), 0);
}

TEST(SeccompCompile, TiedSyscallNeedsItsCapability) {
  auto t = test::make_trace({"exit_group", "getpid", "getppid"});
  GenerateOptions o = test::no_runtime();
  o.ties = {{"getppid", "CAP_SYS_PTRACE", ""}};
  auto g = generate(t, o);
  EXPECT_EQ(g.capabilities, (std::vector<std::string>{"CAP_SYS_PTRACE"}));
  auto with = compile(g.profile, {"CAP_SYS_PTRACE"});
  auto without = compile(g.profile, {});
  EXPECT_EQ(run_filtered(with, [] { return outcome(syscall(SYS_getppid), 0); }), 0);
  EXPECT_EQ(run_filtered(without, [] { return outcome(syscall(SYS_getppid), EPERM); }), 0);
  EXPECT_EQ(run_filtered(without, [] { return outcome(syscall(SYS_getpid), 0); }), 0);
}

}  // namespace
}  // namespace syscap::profilegen
