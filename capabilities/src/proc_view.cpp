// ProcTraceeView's facts about processes, fds, IPC objects and sysctls, from /proc,
// process_vm_readv and pidfd_getfd. Path resolution is in proc_path_walk.cpp.
#include "proc_view.hpp"

#include "syscap/tracer/tracee_memory.hpp"

#include <dirent.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <sstream>
#include <vector>

#include "proc_files.hpp"

namespace syscap::capabilities::detail {
namespace {

ino_t ns_inode(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

}  // namespace

std::optional<ProcessFacts> read_process_facts(pid_t tid) {
  auto status = read_file(fmt::format("/proc/{}/status", tid));
  auto stat = read_file(fmt::format("/proc/{}/stat", tid));
  if (!status || !stat) return std::nullopt;
  ProcessFacts p;
  p.pid = tid;
  p.tgid = static_cast<pid_t>(to_i64(proc_field(*status, "Tgid").value_or("0")));
  auto ids = [&](std::string_view key, std::uint32_t& r, std::uint32_t& e, std::uint32_t& s, std::uint32_t& fs) {
    auto v = split_ws(proc_field(*status, key).value_or(""));
    if (v.size() < 4) return false;
    r = static_cast<std::uint32_t>(to_u64(v[0])), e = static_cast<std::uint32_t>(to_u64(v[1]));
    s = static_cast<std::uint32_t>(to_u64(v[2])), fs = static_cast<std::uint32_t>(to_u64(v[3]));
    return true;
  };
  Credentials& c = p.creds;
  if (!ids("Uid", c.ruid, c.euid, c.suid, c.fsuid) || !ids("Gid", c.rgid, c.egid, c.sgid, c.fsgid))
    return std::nullopt;
  for (auto g : split_ws(proc_field(*status, "Groups").value_or("")))
    c.groups.push_back(static_cast<std::uint32_t>(to_u64(g)));
  c.cap_inh = to_u64(proc_field(*status, "CapInh").value_or("0"), 16);
  c.cap_prm = to_u64(proc_field(*status, "CapPrm").value_or("0"), 16);
  c.cap_eff = to_u64(proc_field(*status, "CapEff").value_or("0"), 16);
  c.cap_bnd = to_u64(proc_field(*status, "CapBnd").value_or("0"), 16);
  c.cap_amb = to_u64(proc_field(*status, "CapAmb").value_or("0"), 16);
  p.vm_size = to_u64(proc_field(*status, "VmSize").value_or("0")) * 1024;
  p.vm_locked = to_u64(proc_field(*status, "VmLck").value_or("0")) * 1024;

  // /proc/TID/stat: fields after the command name in parentheses, starting at field 3.
  const std::size_t paren = stat->rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  auto f = split_ws(std::string_view(*stat).substr(paren + 1));
  auto at = [&](std::size_t field_no) { return field_no - 3 < f.size() ? to_i64(f[field_no - 3]) : 0; };
  p.pgid = static_cast<pid_t>(at(5));
  p.sid = static_cast<pid_t>(at(6));
  p.nice = static_cast<int>(at(19));
  p.rt_priority = static_cast<int>(at(40));
  p.policy = static_cast<int>(at(41));

  // /proc/TID/limits: one line per RLIMIT_* in number order, columns at fixed offsets.
  if (auto limits = read_file(fmt::format("/proc/{}/limits", tid))) {
    std::istringstream in(*limits);
    std::string line;
    std::getline(in, line);  // header
    for (int i = 0; i < kRlimitCount && std::getline(in, line); ++i) {
      if (line.size() < 47) break;
      auto parse = [](std::string_view s) {
        auto w = split_ws(s);
        if (w.empty() || w[0] == "unlimited") return kRlimInfinity;
        return to_u64(w[0]);
      };
      p.limits[i] = Rlimit{parse(std::string_view(line).substr(26, 21)),
                           parse(std::string_view(line).substr(47))};
    }
  }
  p.initial_user_ns = ns_inode(fmt::format("/proc/{}/ns/user", tid)) == ns_inode("/proc/self/ns/user");
  p.tracer_pid_ns = ns_inode(fmt::format("/proc/{}/ns/pid", tid)) == ns_inode("/proc/self/ns/pid");
  return p;
}

const ProcessFacts* ProcTraceeView::process(pid_t tid) {
  if (tid == caller_) {
    auto it = caller_cache_.find(tid);
    if (it == caller_cache_.end()) {
      auto facts = read_process_facts(tid);
      if (!facts) return nullptr;
      it = caller_cache_.emplace(tid, std::move(*facts)).first;
    }
    it->second.dumpable = !nondumpable_.contains(it->second.tgid);
    return &it->second;
  }
  auto it = others_.find(tid);
  if (it == others_.end()) {
    auto facts = read_process_facts(tid);
    if (facts) facts->dumpable = !nondumpable_.contains(facts->tgid);
    it = others_.emplace(tid, std::move(facts)).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::vector<pid_t> ProcTraceeView::processes(std::optional<pid_t> pgid) {
  std::vector<pid_t> out;
  DIR* d = opendir("/proc");
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    const auto pid = static_cast<pid_t>(to_i64(e->d_name));
    if (pid <= 0) continue;
    if (pgid) {
      auto stat = read_file(fmt::format("/proc/{}/stat", pid));
      if (!stat) continue;
      const std::size_t paren = stat->rfind(')');
      if (paren == std::string::npos) continue;
      auto f = split_ws(std::string_view(*stat).substr(paren + 1));
      if (f.size() < 3 || to_i64(f[2]) != *pgid) continue;
    }
    out.push_back(pid);
  }
  closedir(d);
  return out;
}

bool ProcTraceeView::read_memory(std::uint64_t addr, void* out, std::size_t len) {
  return tracer::read_tracee_memory(caller_, addr, out, len);
}

std::optional<std::string> ProcTraceeView::read_string(std::uint64_t addr) {
  if (addr == 0) return std::nullopt;
  std::string out;
  char buf[4096];
  while (out.size() < 4096) {
    // Paths are short: read 256 bytes at a time, never across a page end, so an unmapped
    // next page does not fail the read.
    const std::size_t chunk = std::min({std::size_t{256}, 4096 - (addr % 4096), 4096 - out.size()});
    iovec local{buf, chunk};
    iovec remote{reinterpret_cast<void*>(addr), chunk};
    const ssize_t n = process_vm_readv(caller_, &local, 1, &remote, 1, 0);
    if (n <= 0) return std::nullopt;
    const char* nul = static_cast<const char*>(std::memchr(buf, 0, static_cast<std::size_t>(n)));
    if (nul) {
      out.append(buf, static_cast<std::size_t>(nul - buf));
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
    addr += static_cast<std::uint64_t>(n);
  }
  return std::nullopt;  // no NUL in PATH_MAX bytes: the kernel answers ENAMETOOLONG
}

std::optional<FileFacts> ProcTraceeView::fd_file(int fd) {
  const std::string link = fmt::format("/proc/{}/fd/{}", caller_, fd);
  struct stat st {};
  if (stat(link.c_str(), &st) != 0) return std::nullopt;
  FileFacts f{read_link(link).value_or(link), st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0};
  if (auto info = read_file(fmt::format("/proc/{}/fdinfo/{}", caller_, fd)))
    if (auto flags = proc_field(*info, "flags")) f.open_flags = static_cast<std::uint32_t>(to_u64(*flags, 8));
  return f;
}

std::optional<FileFacts> ProcTraceeView::fd_stat(int fd) {
  struct stat st {};
  if (stat(fmt::format("/proc/{}/fd/{}", caller_, fd).c_str(), &st) != 0) return std::nullopt;
  return FileFacts{{}, st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0};
}

Fd ProcTraceeView::borrow_fd(int fd) const {
  Fd pidfd(static_cast<int>(syscall(SYS_pidfd_open, caller_, 0)));
  if (!pidfd.ok()) return pidfd;
  return Fd(static_cast<int>(syscall(SYS_pidfd_getfd, pidfd.get(), fd, 0)));
}

std::optional<std::uint32_t> ProcTraceeView::fd_inode_flags(int fd, bool xflags) {
  // The tracee's own open file, borrowed: opening it again could act on a device. Regular files
  // and directories only, as chattr takes.
  auto quick = fd_stat(fd);
  if (!quick || !(S_ISREG(quick->mode) || S_ISDIR(quick->mode))) return std::nullopt;
  Fd file = borrow_fd(fd);
  if (!file.ok()) return std::nullopt;
  if (xflags) {
    fsxattr fa{};
    if (ioctl(file.get(), FS_IOC_FSGETXATTR, &fa) != 0) return std::nullopt;
    return fa.fsx_xflags;
  }
  int flags = 0;  // the kernel reads and writes an int, whatever the request's size says
  if (ioctl(file.get(), FS_IOC_GETFLAGS, &flags) != 0) return std::nullopt;
  return static_cast<std::uint32_t>(flags);
}

std::optional<SocketFacts> ProcTraceeView::fd_socket(int fd) {
  auto link = fd_link(fd);
  if (!link || !link->starts_with("socket:")) return std::nullopt;
  Fd sock = borrow_fd(fd);
  if (!sock.ok()) return std::nullopt;
  SocketFacts s;
  socklen_t len = sizeof(int);
  if (getsockopt(sock.get(), SOL_SOCKET, SO_DOMAIN, &s.domain, &len) != 0) return std::nullopt;
  len = sizeof(int);
  getsockopt(sock.get(), SOL_SOCKET, SO_TYPE, &s.type, &len);
  len = sizeof(int);
  getsockopt(sock.get(), SOL_SOCKET, SO_PROTOCOL, &s.protocol, &len);
  return s;
}

std::optional<pid_t> ProcTraceeView::fd_pidfd(int fd) {
  auto info = read_file(fmt::format("/proc/{}/fdinfo/{}", caller_, fd));
  if (!info) return std::nullopt;
  auto pid = proc_field(*info, "Pid");
  if (!pid) return std::nullopt;
  const auto v = static_cast<pid_t>(to_i64(*pid));
  return v > 0 ? std::optional(v) : std::nullopt;
}

std::optional<std::string> ProcTraceeView::fd_link(int fd) {
  return read_link(fmt::format("/proc/{}/fd/{}", caller_, fd));
}

std::optional<IpcObjectFacts> ProcTraceeView::ipc_object(IpcKind kind, int id) {
  const char* name = kind == IpcKind::Shm ? "shm" : kind == IpcKind::Msg ? "msg" : "sem";
  // /proc/sysvipc/* lists the objects of the reader's IPC namespace: the tracee's, if it
  // shares ours; otherwise we know nothing.
  if (ns_inode(fmt::format("/proc/{}/ns/ipc", caller_)) != ns_inode("/proc/self/ns/ipc"))
    return std::nullopt;
  auto text = read_file(fmt::format("/proc/sysvipc/{}", name));
  if (!text) return std::nullopt;
  std::istringstream in(*text);
  std::string line;
  std::getline(in, line);
  auto header = split_ws(line);
  const std::vector<std::string> cols(header.begin(), header.end());
  auto col = [&](std::string_view n) -> int {
    auto it = std::ranges::find(cols, n);
    return it == cols.end() ? -1 : static_cast<int>(it - cols.begin());
  };
  const int c_id = std::max({col("shmid"), col("msqid"), col("semid")});
  const int c_perms = col("perms"), c_uid = col("uid"), c_gid = col("gid"), c_cuid = col("cuid"),
            c_cgid = col("cgid");
  if (c_id < 0 || c_perms < 0 || c_uid < 0 || c_gid < 0 || c_cuid < 0 || c_cgid < 0) return std::nullopt;
  while (std::getline(in, line)) {
    auto v = split_ws(line);
    if (static_cast<int>(v.size()) <= std::max({c_id, c_perms, c_uid, c_gid, c_cuid, c_cgid})) continue;
    if (to_i64(v[c_id]) != id) continue;
    return IpcObjectFacts{static_cast<std::uint32_t>(to_u64(v[c_uid])), static_cast<std::uint32_t>(to_u64(v[c_gid])),
                          static_cast<std::uint32_t>(to_u64(v[c_cuid])), static_cast<std::uint32_t>(to_u64(v[c_cgid])),
                          static_cast<std::uint32_t>(to_u64(v[c_perms], 8))};
  }
  return std::nullopt;
}

std::optional<std::int64_t> ProcTraceeView::sysctl(std::string_view name) {
  if (name.starts_with("net/") &&
      ns_inode(fmt::format("/proc/{}/ns/net", caller_)) != ns_inode("/proc/self/ns/net")) {
    // /proc/sys/net shows the reader's network namespace; a new one starts from the defaults.
    if (name == "net/ipv4/ip_unprivileged_port_start") return 1024;
    return std::nullopt;
  }
  auto text = read_file(fmt::format("/proc/sys/{}", name));
  if (!text) return std::nullopt;
  return to_i64(*text);
}

}  // namespace syscap::capabilities::detail
