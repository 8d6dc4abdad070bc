// Shared pieces of the capability checker: the findings being collected for one rule row, the
// generic_permission() model (findings.cpp), and every check function, by the file that holds
// it; checker.cpp dispatches to them by the rule row's CapCheck.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/capabilities/checker.hpp"

namespace syscap::capabilities::detail {

inline constexpr int kMayExec = 1, kMayWrite = 2, kMayRead = 4;
// RLIMIT_* numbers the checks read from ProcessFacts::limits.
inline constexpr int kRlimitMemlock = 8, kRlimitNice = 13, kRlimitRtprio = 14;

// What one rule row found for one call.
struct Findings {
  const tables::CapabilityRule* rule;
  const Credentials& creds;      // of the caller
  const ProcessFacts& caller;
  nlohmann::ordered_json args;   // decoded arguments, shared by every use of this row
  std::vector<CapabilityUse> uses;

  // Records that the call exercises `cap` (once per capability).
  void add(tables::Capability cap, std::string why);
  // generic_permission(): if the mode bits deny `mask`, records the capability that overrides
  // them (when effective). True when the bits deny.
  bool permission(const FileFacts& file, int mask, std::string_view what);
};

// The int a syscall takes in this register (the kernel uses the low 32 bits).
int as_int(std::uint64_t v);

// The first of `caps` in the effective set: the one the kernel's "A || B" check uses.
std::optional<tables::Capability> first_effective(const Credentials& c,
                                                  std::initializer_list<tables::Capability> caps);

// acl_permission_check() on mode bits: true if `mask` (kMay*) is denied.
bool dac_denied(const Credentials& c, const FileFacts& f, int mask);

// The capability generic_permission() would use to override a denial, if effective.
std::optional<tables::Capability> dac_override(const Credentials& c, const FileFacts& f, int mask);

// "/tmp/x (mode 0644, uid 0, gid 0)"
std::string describe(const FileFacts& f);

// __ptrace_may_access() and commoncap's subset test, without the capability: why `caller` (with
// its real or fs credentials) may not access `target`, or "" when it may.
std::string ptrace_denial(const ProcessFacts& caller, bool fscreds, const ProcessFacts& target);

// One check: decides, for the call a rule row matched, whether it exercises the row's
// capabilities, and records each one (with why) in the findings.
using CheckFn = void (*)(Findings&, const SyscallCall&, TraceeView&);

// checks_file.cpp: the file itself.
void change_owner(Findings&, const SyscallCall&, TraceeView&);
void change_mode(Findings&, const SyscallCall&, TraceeView&);
void set_times(Findings&, const SyscallCall&, TraceeView&);
void open_file(Findings&, const SyscallCall&, TraceeView&);
void exec_file(Findings&, const SyscallCall&, TraceeView&);
void lookup_path(Findings&, const SyscallCall&, TraceeView&);
void truncate_path(Findings&, const SyscallCall&, TraceeView&);
void write_fd(Findings&, const SyscallCall&, TraceeView&);
void change_dir(Findings&, const SyscallCall&, TraceeView&);
void always(Findings&, const SyscallCall&, TraceeView&);
void inode_flags(Findings&, const SyscallCall&, TraceeView&);
void link_source(Findings&, const SyscallCall&, TraceeView&);

// checks_entries.cpp: directory entries, device nodes, extended attributes.
void create_entry(Findings&, const SyscallCall&, TraceeView&);
void remove_entry(Findings&, const SyscallCall&, TraceeView&);
void rename_entry(Findings&, const SyscallCall&, TraceeView&);
void make_node(Findings&, const SyscallCall&, TraceeView&);
void set_xattr(Findings&, const SyscallCall&, TraceeView&);
void get_xattr(Findings&, const SyscallCall&, TraceeView&);

// checks_signals_creds.cpp: signals, credentials, capability sets, other processes.
void signal(Findings&, const SyscallCall&, TraceeView&);
void set_ids(Findings&, const SyscallCall&, TraceeView&);
void capset(Findings&, const SyscallCall&, TraceeView&);
void prctl(Findings&, const SyscallCall&, TraceeView&);
void ptrace_access(Findings&, const SyscallCall&, TraceeView&);

// checks_network.cpp
void bind(Findings&, const SyscallCall&, TraceeView&);
void create_socket(Findings&, const SyscallCall&, TraceeView&);
void set_sock_opt(Findings&, const SyscallCall&, TraceeView&);
void ioctl(Findings&, const SyscallCall&, TraceeView&);
void send_netlink(Findings&, const SyscallCall&, TraceeView&);

// checks_ipc_memory.cpp: locked memory, System V IPC, fcntl.
void memory_lock(Findings&, const SyscallCall&, TraceeView&);
void map_locked(Findings&, const SyscallCall&, TraceeView&);
void ipc_access(Findings&, const SyscallCall&, TraceeView&);
void fcntl_cmd(Findings&, const SyscallCall&, TraceeView&);

// checks_sched_limits.cpp: scheduling and resource limits.
void set_priority(Findings&, const SyscallCall&, TraceeView&);
void sched_policy(Findings&, const SyscallCall&, TraceeView&);
void io_prio(Findings&, const SyscallCall&, TraceeView&);
void rlimit(Findings&, const SyscallCall&, TraceeView&);

// checks_kernel.cpp: namespaces and kernel-wide facilities.
void namespaces(Findings&, const SyscallCall&, TraceeView&);
void set_ns(Findings&, const SyscallCall&, TraceeView&);
void syslog(Findings&, const SyscallCall&, TraceeView&);
void bpf(Findings&, const SyscallCall&, TraceeView&);
void perf_event_open(Findings&, const SyscallCall&, TraceeView&);
void adjust_time(Findings&, const SyscallCall&, TraceeView&);
void set_clock(Findings&, const SyscallCall&, TraceeView&);
void alarm_clock(Findings&, const SyscallCall&, TraceeView&);
void iopl(Findings&, const SyscallCall&, TraceeView&);
void fanotify_init(Findings&, const SyscallCall&, TraceeView&);

}  // namespace syscap::capabilities::detail
