#include "capability_workloads.hpp"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <stdexcept>

#include "syscap/tables/capabilities.hpp"
#include "syscap/test/ia32.hpp"

namespace syscap::testing {

const std::vector<CapabilityWorkload>& capability_workloads() {
  static const std::vector<CapabilityWorkload> w = {
      {"CAP_AUDIT_WRITE", "wl_cap_audit_write"},
      {"CAP_BPF", "wl_cap_bpf", Operand::None, true},
      {"CAP_CHOWN", "wl_cap_chown"},
      {"CAP_DAC_OVERRIDE", "wl_cap_dac_override"},
      {"CAP_DAC_READ_SEARCH", "wl_cap_dac_read_search", Operand::None, true},
      {"CAP_FOWNER", "wl_cap_fowner", Operand::ForeignFile},
      {"CAP_FSETID", "wl_cap_fsetid"},
      {"CAP_IPC_LOCK", "wl_cap_ipc_lock"},
      {"CAP_IPC_OWNER", "wl_cap_ipc_owner"},
      {"CAP_KILL", "wl_cap_kill", Operand::ForeignProcess},
      {"CAP_LEASE", "wl_cap_lease", Operand::ForeignFile},
      {"CAP_LINUX_IMMUTABLE", "wl_cap_linux_immutable"},
      {"CAP_MKNOD", "wl_cap_mknod"},
      {"CAP_NET_ADMIN", "wl_cap_net_admin"},
      {"CAP_NET_ADMIN", "wl_cap_net_admin_netlink"},
      {"CAP_NET_BIND_SERVICE", "wl_cap_net_bind_service"},
      {"CAP_NET_RAW", "wl_cap_net_raw"},
      {"CAP_PERFMON", "wl_cap_perfmon", Operand::None, true},
      {"CAP_SETFCAP", "wl_cap_setfcap"},
      {"CAP_SETGID", "wl_cap_setgid"},
      {"CAP_SETPCAP", "wl_cap_setpcap"},
      {"CAP_SETUID", "wl_cap_setuid"},
      {"CAP_SYS_ADMIN", "wl_cap_sys_admin"},
      {"CAP_SYS_BOOT", "wl_cap_sys_boot"},
      {"CAP_SYS_CHROOT", "wl_cap_sys_chroot"},
      {"CAP_SYS_NICE", "wl_cap_sys_nice"},
      {"CAP_SYS_PACCT", "wl_cap_sys_pacct"},
      {"CAP_SYS_PTRACE", "wl_cap_sys_ptrace"},
      {"CAP_SYS_PTRACE", "wl_cap_sys_ptrace_links", Operand::ForeignProcess},
      {"CAP_SYS_RESOURCE", "wl_cap_sys_resource"},
      {"CAP_SYS_TIME", "wl_cap_sys_time"},
      {"CAP_SYSLOG", "wl_cap_syslog", Operand::None, true},
      {"CAP_WAKE_ALARM", "wl_cap_wake_alarm"},
      // i386 builds of some of them
      {"CAP_CHOWN", "wl_cap32_chown"},
      {"CAP_IPC_OWNER", "wl_cap32_ipc_owner"},
      {"CAP_NET_ADMIN", "wl_cap32_net_admin"},
      {"CAP_NET_BIND_SERVICE", "wl_cap32_net_bind_service"},
      {"CAP_SETUID", "wl_cap32_setuid"},
  };
  return w;
}

std::string workload_path(const std::string& program) {
  return std::string(SYSCAP_WORKLOAD_DIR) + "/" + program;
}

namespace {

std::optional<long> read_number(const std::string& path) {
  std::ifstream in(path);
  long v;
  if (in >> v) return v;
  return std::nullopt;
}

std::uint64_t own_bounding_set() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("CapBnd:", 0) == 0) return std::strtoull(line.c_str() + 7, nullptr, 16);
  return 0;
}

// Workloads whose need mode asks for a kernel or file-system feature the machine may lack, and
// why it would fail: the need mode is run once as root (with every capability), and where it
// fails even so, the feature is missing.
std::optional<std::string> need_fails_as_root(const std::string& program) {
  static const std::map<std::string, std::string> kFeature = {
      // The file system of $TMPDIR or /tmp must keep inode flags (tmpfs does since Linux 6.0).
      {"wl_cap_linux_immutable", "no inode flags to set here, even as root: "},
      // nf_tables may be left out of the kernel, or be a module a container cannot load.
      {"wl_cap_net_admin_netlink", "nf_tables does not answer here, even as root: "},
  };
  const auto feature = kFeature.find(program);
  if (feature == kFeature.end()) return std::nullopt;
  static std::map<std::string, test::CommandResult> as_root;
  auto [run, fresh] = as_root.try_emplace(program);
  if (fresh) run->second = test::run_command({workload_path(program), "need"});
  if (run->second.status == 0) return std::nullopt;
  return feature->second + run->second.err;
}

}  // namespace

std::optional<std::string> unsupported_reason(const CapabilityWorkload& w) {
  if (geteuid() != 0) return "the capability workloads run as root";
  if (w.is_i386())
    if (auto why = test::ia32_skip_reason(test::machine_ia32(), test::Ia32Form::Exec)) return why;
  auto cap = tables::capability_by_name(w.cap);
  if (!cap) return "unknown capability " + w.cap;
  if (!(own_bounding_set() & tables::capability_bit(*cap)))
    return w.cap + " is not in this process's bounding set (root here lacks it)";
  if (w.cap == "CAP_SYSLOG" && read_number("/proc/sys/kernel/dmesg_restrict").value_or(0) == 0)
    return "kernel.dmesg_restrict is 0: reading the log size needs no capability";
  if (w.cap == "CAP_PERFMON" && read_number("/proc/sys/kernel/perf_event_paranoid").value_or(2) < 2)
    return "kernel.perf_event_paranoid < 2: kernel profiling needs no capability";
  if (w.cap == "CAP_BPF" && read_number("/proc/sys/kernel/unprivileged_bpf_disabled").value_or(1) == 0)
    return "kernel.unprivileged_bpf_disabled is 0: array maps need no capability";
  if (w.cap == "CAP_NET_BIND_SERVICE" &&
      read_number("/proc/sys/net/ipv4/ip_unprivileged_port_start").value_or(1024) <= 900)
    return "net.ipv4.ip_unprivileged_port_start <= 900";
  if (auto why = need_fails_as_root(w.program)) return why;
  if (w.cap == "CAP_AUDIT_WRITE" && access("/proc/self/loginuid", F_OK) != 0)
    return "the kernel has no audit support";
  if (w.cap == "CAP_SYS_PACCT" && access("/proc/sys/kernel/acct", F_OK) != 0)
    return "the kernel has no process accounting";
  return std::nullopt;
}

OperandFixture::OperandFixture(Operand kind) {
  if (kind == Operand::ForeignFile) {
    char tmpl[] = "/tmp/syscap-caps-test-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    chmod(dir_.c_str(), 0755);
    argument_ = dir_ + "/foreign";
    int fd = open(argument_.c_str(), O_CREAT | O_WRONLY, 0644);
    if (fd < 0 || fchown(fd, 65534, 65534) != 0 || fchmod(fd, 0644) != 0)
      throw std::runtime_error("cannot prepare a file of uid 65534");
    close(fd);
  } else if (kind == Operand::ForeignProcess) {
    // A grandchild, so a tracer's waitpid(-1) in this process never reaps it.
    int p[2];
    if (pipe(p) != 0) throw std::runtime_error("pipe failed");
    const pid_t child = fork();
    if (child == 0) {
      const pid_t sleeper = fork();
      if (sleeper == 0) {
        close(p[0]);
        close(p[1]);
        if (setgroups(0, nullptr) != 0 || setresgid(65534, 65534, 65534) != 0 ||
            setresuid(65534, 65534, 65534) != 0)
          _exit(1);
        execl("/bin/sleep", "sleep", "120", static_cast<char*>(nullptr));
        _exit(1);
      }
      (void)!write(p[1], &sleeper, sizeof sleeper);
      _exit(0);
    }
    close(p[1]);
    if (read(p[0], &sleeper_, sizeof sleeper_) != sizeof sleeper_) sleeper_ = 0;
    close(p[0]);
    waitpid(child, nullptr, 0);
    if (sleeper_ <= 0) throw std::runtime_error("cannot start a process of uid 65534");
    argument_ = std::to_string(sleeper_);
    // Wait until it runs as 65534 (the exec may not have happened yet).
    for (int i = 0; i < 500; ++i) {
      struct stat st {};
      if (stat(fmt::format("/proc/{}", sleeper_).c_str(), &st) == 0 && st.st_uid == 65534) break;
      usleep(2000);
    }
  }
}

OperandFixture::~OperandFixture() {
  if (sleeper_ > 0) kill(sleeper_, SIGKILL);
  if (!dir_.empty()) {
    unlink(argument_.c_str());
    rmdir(dir_.c_str());
  }
}

}  // namespace syscap::testing
