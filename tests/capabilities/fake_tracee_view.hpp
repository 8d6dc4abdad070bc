// A TraceeView made of maps, for unit tests of the capability checker: memory is a map from
// fake addresses to bytes, paths resolve to whatever the test put in `paths`.
#pragma once

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "syscap/capabilities/checker.hpp"

namespace syscap::capabilities::testing {

inline constexpr std::uint32_t kRoot = 0;

// Every capability, as root has them.
inline constexpr std::uint64_t kAllCaps = (std::uint64_t{1} << 41) - 1;

class FakeTraceeView : public TraceeView {
 public:
  FakeTraceeView() {
    me.pid = me.tgid = 100;
    me.pgid = me.sid = 100;
    me.creds.cap_eff = me.creds.cap_prm = me.creds.cap_bnd = kAllCaps;
    me.limits.fill(Rlimit{kRlimInfinity, kRlimInfinity});
    me.limits[8] = Rlimit{8u << 20, 8u << 20};  // RLIMIT_MEMLOCK 8 MiB
    me.limits[13] = Rlimit{0, 0};               // RLIMIT_NICE
    me.limits[14] = Rlimit{0, 0};               // RLIMIT_RTPRIO
    sysctls["net/ipv4/ip_unprivileged_port_start"] = 1024;
    sysctls["kernel/dmesg_restrict"] = 1;
    sysctls["kernel/perf_event_paranoid"] = 2;
    sysctls["kernel/unprivileged_bpf_disabled"] = 2;
    sysctls["fs/pipe-max-size"] = 1048576;
  }

  // Puts a string into fake memory and returns its address.
  std::uint64_t str(const std::string& s) {
    std::vector<char> bytes(s.begin(), s.end());
    bytes.push_back('\0');
    return put(bytes.data(), bytes.size());
  }
  // Puts raw bytes into fake memory and returns their address.
  std::uint64_t put(const void* data, std::size_t len) {
    const std::uint64_t addr = next_;
    next_ += (len + 0xfff) & ~std::uint64_t{0xfff};
    auto& m = memory[addr];
    m.assign(static_cast<const char*>(data), static_cast<const char*>(data) + len);
    return addr;
  }
  template <typename T>
  std::uint64_t put(const T& v) { return put(&v, sizeof v); }

  // A file at `path`: its parent is `dir` (default: a root-owned 0755 directory).
  void file(const std::string& path, std::uint32_t mode, std::uint32_t uid, std::uint32_t gid,
            std::optional<FileFacts> dir = std::nullopt) {
    PathFacts p;
    p.target = FileFacts{path, mode, uid, gid, 0, 0};
    p.parent = dir ? *dir : FileFacts{"/dir", 040755, 0, 0, 0, 0};
    p.walked = {FileFacts{"/", 040755, 0, 0, 0, 0}, *p.parent};
    paths[path] = p;
  }
  // A missing entry `path` in directory `dir`.
  void missing(const std::string& path, FileFacts dir) {
    PathFacts p;
    p.parent = dir;
    p.walked = {FileFacts{"/", 040755, 0, 0, 0, 0}, dir};
    paths[path] = p;
  }

  pid_t caller() const override { return me.pid; }
  const ProcessFacts* process(pid_t tid) override {
    if (tid == me.pid) return &me;
    auto it = others.find(tid);
    return it == others.end() ? nullptr : &it->second;
  }
  std::vector<pid_t> processes(std::optional<pid_t> pgid) override {
    std::vector<pid_t> out;
    if (!pgid || me.pgid == *pgid) out.push_back(me.pid);
    for (auto& [pid, p] : others)
      if (!pgid || p.pgid == *pgid) out.push_back(pid);
    return out;
  }
  std::optional<std::string> read_string(std::uint64_t addr) override {
    auto it = memory.find(addr);
    if (it == memory.end()) return std::nullopt;
    return std::string(it->second.data());
  }
  bool read_memory(std::uint64_t addr, void* out, std::size_t len) override {
    auto it = memory.find(addr);
    if (it == memory.end() || it->second.size() < len) return false;
    std::memcpy(out, it->second.data(), len);
    return true;
  }
  std::optional<PathFacts> resolve(int, const std::string& path, bool) override {
    auto it = paths.find(path);
    if (it == paths.end()) return std::nullopt;
    return it->second;
  }
  std::optional<FileFacts> fd_file(int fd) override {
    auto it = fds.find(fd);
    if (it == fds.end()) return std::nullopt;
    return it->second;
  }
  std::optional<SocketFacts> fd_socket(int fd) override {
    auto it = sockets.find(fd);
    if (it == sockets.end()) return std::nullopt;
    return it->second;
  }
  std::optional<pid_t> fd_pidfd(int fd) override {
    auto it = pidfds.find(fd);
    if (it == pidfds.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> fd_link(int fd) override {
    auto it = links.find(fd);
    if (it == links.end()) return std::nullopt;
    return it->second;
  }
  std::optional<IpcObjectFacts> ipc_object(IpcKind, int id) override {
    auto it = ipc.find(id);
    if (it == ipc.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::int64_t> sysctl(std::string_view name) override {
    auto it = sysctls.find(std::string(name));
    if (it == sysctls.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::uint32_t> fd_inode_flags(int fd, bool xflags) override {
    auto it = inode_flags.find(fd);
    if (it == inode_flags.end() || xflags != it->second.first) return std::nullopt;
    return it->second.second;
  }

  ProcessFacts me;
  std::map<pid_t, ProcessFacts> others;
  std::map<std::uint64_t, std::vector<char>> memory;
  std::map<std::string, PathFacts> paths;
  std::map<int, FileFacts> fds;
  std::map<int, SocketFacts> sockets;
  std::map<int, std::pair<bool, std::uint32_t>> inode_flags;  // by fd: (xflags, flags)
  std::map<int, pid_t> pidfds;
  std::map<int, std::string> links;
  std::map<int, IpcObjectFacts> ipc;
  std::map<std::string, std::int64_t> sysctls;

 private:
  std::uint64_t next_ = 0x10000;
};

}  // namespace syscap::capabilities::testing
