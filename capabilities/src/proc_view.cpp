#include "proc_view.hpp"

#include "syscap/tracer/tracee_memory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <vector>

namespace syscap::capabilities::detail {
namespace {

// An fd closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<std::string> read_link(const std::string& path) {
  char buf[4096];
  const ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> fd_path(int fd) { return read_link(fmt::format("/proc/self/fd/{}", fd)); }

std::uint64_t to_u64(std::string_view s, int base = 10) {
  std::uint64_t v = 0;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  std::from_chars(s.data(), s.data() + s.size(), v, base);
  return v;
}

std::int64_t to_i64(std::string_view s) {
  std::int64_t v = 0;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\n') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// The value of "Key:\t..." in a /proc status-style text.
std::optional<std::string_view> field(std::string_view text, std::string_view key) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':')
      return line.substr(key.size() + 1);
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<FileFacts> stat_fd(int fd, std::string path) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return std::nullopt;
  return FileFacts{std::move(path), st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0};
}

ino_t ns_inode(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// The components of a path, without empty ones: "/usr//lib/" -> usr, lib.
std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

// A directory met on a walk: its facts (path left empty), and what names it for the cache.
struct Dir {
  FileFacts facts;
  dev_t dev = 0;
  ino_t ino = 0;
  std::uint64_t mount = 0;  // 0: unknown (a kernel before 5.8)
};

std::optional<Dir> statx_dir(int dirfd, const char* path, int flags) {
  struct statx sx {};
  if (statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_MNT_ID, &sx) != 0) {
    if (errno != ENOSYS && errno != EPERM) return std::nullopt;
    // No statx (before Linux 4.11, or refused by a seccomp filter around syscap): fstatat,
    // without a mount id (relative walks are then not cached).
    struct stat st {};
    if (fstatat(dirfd, path, &st, flags) != 0) return std::nullopt;
    return Dir{FileFacts{{}, st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0}, st.st_dev, st.st_ino, 0};
  }
  Dir d;
  d.facts = FileFacts{{}, sx.stx_mode, sx.stx_uid, sx.stx_gid, makedev(sx.stx_rdev_major, sx.stx_rdev_minor), 0};
  d.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  d.ino = sx.stx_ino;
  if (sx.stx_mask & STATX_MNT_ID) d.mount = sx.stx_mnt_id;
  return d;
}

std::optional<Dir> dir_at(int fd, const std::string& fallback) {
  auto d = statx_dir(fd, "", AT_EMPTY_PATH);
  if (d) d->facts.path = fd_path(fd).value_or(fallback);
  return d;
}

// The cache key of a walk that starts in a directory rather than at the root; nullopt when
// its mount is unknown (a bind mount of it elsewhere would share the key).
std::optional<std::string> start_key(const Dir& d) {
  if (d.mount == 0) return std::nullopt;
  return fmt::format("@{}:{}:{}", d.dev, d.ino, d.mount);
}

}  // namespace

std::optional<ProcessFacts> read_process_facts(pid_t tid) {
  auto status = read_file(fmt::format("/proc/{}/status", tid));
  auto stat = read_file(fmt::format("/proc/{}/stat", tid));
  if (!status || !stat) return std::nullopt;
  ProcessFacts p;
  p.pid = tid;
  p.tgid = static_cast<pid_t>(to_i64(field(*status, "Tgid").value_or("0")));
  auto ids = [&](std::string_view key, std::uint32_t& r, std::uint32_t& e, std::uint32_t& s, std::uint32_t& fs) {
    auto v = split_ws(field(*status, key).value_or(""));
    if (v.size() < 4) return false;
    r = static_cast<std::uint32_t>(to_u64(v[0])), e = static_cast<std::uint32_t>(to_u64(v[1]));
    s = static_cast<std::uint32_t>(to_u64(v[2])), fs = static_cast<std::uint32_t>(to_u64(v[3]));
    return true;
  };
  Credentials& c = p.creds;
  if (!ids("Uid", c.ruid, c.euid, c.suid, c.fsuid) || !ids("Gid", c.rgid, c.egid, c.sgid, c.fsgid))
    return std::nullopt;
  for (auto g : split_ws(field(*status, "Groups").value_or("")))
    c.groups.push_back(static_cast<std::uint32_t>(to_u64(g)));
  c.cap_inh = to_u64(field(*status, "CapInh").value_or("0"), 16);
  c.cap_prm = to_u64(field(*status, "CapPrm").value_or("0"), 16);
  c.cap_eff = to_u64(field(*status, "CapEff").value_or("0"), 16);
  c.cap_bnd = to_u64(field(*status, "CapBnd").value_or("0"), 16);
  c.cap_amb = to_u64(field(*status, "CapAmb").value_or("0"), 16);
  p.vm_size = to_u64(field(*status, "VmSize").value_or("0")) * 1024;
  p.vm_locked = to_u64(field(*status, "VmLck").value_or("0")) * 1024;

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

std::optional<PathFacts> ProcTraceeView::resolve(int dirfd, const std::string& path, bool follow) {
  return resolve(dirfd, path, follow, true);
}

std::optional<PathFacts> ProcTraceeView::resolve_dirs(int dirfd, const std::string& path) {
  return resolve(dirfd, path, true, false);
}

std::optional<PathFacts> ProcTraceeView::resolve(int dirfd, const std::string& path, bool follow,
                                                 bool target) {
  if (!dirs_ || !dirs_->enabled()) return resolve_by_walk(dirfd, path, follow, target);
  const std::string mine = as_caller(path);
  if (dirs_->usable()) {
    auto cached = resolve_cached(dirfd, mine, follow, target);
    dirs_->count(cached.has_value());
    if (cached) return cached;
  }
  return resolve_by_walk(dirfd, mine, follow, target);
}

std::string ProcTraceeView::as_caller(const std::string& path) {
  // Our own walk would resolve "self" to syscap's /proc entry. Only called while the workload
  // sees our root and mount table, so our /proc is its /proc.
  if (!path.starts_with("/proc/")) return path;
  const std::string_view rest = std::string_view(path).substr(6);
  auto names = [&](std::string_view entry) {
    return rest.starts_with(entry) && (rest.size() == entry.size() || rest[entry.size()] == '/');
  };
  const bool self = names("self"), thread_self = names("thread-self");
  if (!self && !thread_self) return path;
  const ProcessFacts* me = process(caller_);
  if (!me) return path;
  if (self) return fmt::format("/proc/{}{}", me->tgid, rest.substr(4));
  return fmt::format("/proc/{}/task/{}{}", me->tgid, caller_, rest.substr(11));
}

std::optional<PathFacts> ProcTraceeView::resolve_cached(int dirfd, const std::string& path, bool follow,
                                                        bool target) {
  const auto parts = components(path);
  std::string key;    // the cache key of the directory reached so far
  std::string start;  // where a relative path starts, as a path we can stat
  FileFacts dir;
  if (path.starts_with('/')) {
    key = "/";
    const FileFacts* root = dirs_->find(key);
    if (!root) return std::nullopt;
    dir = *root;
  } else {
    start = dirfd == AT_FDCWD ? fmt::format("/proc/{}/cwd", caller_)
                              : fmt::format("/proc/{}/fd/{}", caller_, dirfd);
    auto here = statx_dir(AT_FDCWD, start.c_str(), 0);
    if (!here || dirs_->known_cacheable(here->dev) != true) return std::nullopt;
    auto start_name = start_key(*here);
    if (!start_name) return std::nullopt;
    key = std::move(*start_name);
    const FileFacts* known = dirs_->find(key);
    if (!known) return std::nullopt;
    dir = here->facts;  // its mode and owner as they are now, its name from the cache
    dir.path = known->path;
  }
  PathFacts out;
  if (parts.empty()) {
    out.target = dir;
    return out;
  }
  out.walked.reserve(parts.size());
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    out.walked.push_back(dir);
    key = DirFactsCache::child_key(key, parts[i]);
    const FileFacts* next = dirs_->find(key);
    if (!next && dirs_->missing(key)) return out;  // the call fails before any capability check
    if (!next) return std::nullopt;
    dir = *next;
  }
  out.walked.push_back(dir);
  out.parent = dir;
  if (!target) return out;

  // The target: one fstatat of the whole path, which the kernel walks as the tracee would
  // ("name/" follows a symlink whatever the call says).
  if (path.ends_with('/')) follow = true;
  const std::string_view last = parts.back();
  const std::string full = start.empty() ? path : start + "/" + path;
  struct stat st {};
  if (fstatat(AT_FDCWD, full.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return out;
  if ((follow && S_ISLNK(st.st_mode)) || last == "." || last == ".." || path.ends_with('/')) {
    // Where it leads (and what to call it) takes the long way.
    Fd target(open(full.c_str(), O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)));
    if (target.ok()) out.target = stat_fd(target.get(), fd_path(target.get()).value_or(std::string(last)));
    return out;
  }
  out.target = FileFacts{DirFactsCache::child_key(dir.path, last), st.st_mode, st.st_uid, st.st_gid,
                         st.st_rdev, 0};
  return out;
}

std::optional<PathFacts> ProcTraceeView::resolve_by_walk(int dirfd, const std::string& path, bool follow,
                                                         bool target) {
  // Where the walk starts: the tracee's root, cwd, or dirfd (all magic links into its world).
  std::string base;
  if (path.starts_with('/')) base = fmt::format("/proc/{}/root", caller_);
  else if (dirfd == AT_FDCWD) base = fmt::format("/proc/{}/cwd", caller_);
  else base = fmt::format("/proc/{}/fd/{}", caller_, dirfd);
  Fd cur(open(base.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!cur.ok()) return std::nullopt;
  auto dir = dir_at(cur.get(), base);
  if (!dir) return std::nullopt;

  // What this walk learns goes into the cache, up to the first directory on a pseudo file
  // system.
  bool caching = dirs_ && dirs_->usable() && dirs_->cacheable(dir->dev, cur.get());
  std::string key;
  if (caching) {
    if (path.starts_with('/')) {
      key = "/";
    } else if (auto start_name = start_key(*dir)) {
      key = std::move(*start_name);
    } else {
      caching = false;
    }
  }
  if (caching) dirs_->insert(key, dir->facts);

  const auto parts = components(path);  // the last one is the target
  PathFacts out;
  if (parts.empty()) {  // "/" or "": the start directory itself
    out.target = dir->facts;
    return out;
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    out.walked.push_back(dir->facts);
    Fd next(openat(cur.get(), std::string(parts[i]).c_str(), O_PATH | O_CLOEXEC | O_DIRECTORY));
    const int error = next.ok() ? 0 : errno;
    if (caching) key = DirFactsCache::child_key(key, parts[i]);
    if (!next.ok()) {  // ENOENT/ENOTDIR: the call fails before any capability check
      if (caching && (error == ENOENT || error == ENOTDIR)) dirs_->insert_missing(key);
      return out;
    }
    cur = std::move(next);
    dir = dir_at(cur.get(), std::string(parts[i]));
    if (!dir) return std::nullopt;
    if (caching) {
      caching = dirs_->cacheable(dir->dev, cur.get());
      if (caching) dirs_->insert(key, dir->facts);
    }
  }
  out.walked.push_back(dir->facts);
  out.parent = dir->facts;
  if (!target) return out;
  // "name/" as the kernel reads it for a lookup: the last component must be a directory,
  // reached through a symlink if it is one, whatever the call's nofollow says. (unlink, rmdir
  // and rename look "link/" up without following and then fail with ENOTDIR; the model follows,
  // which changes no evidence: their rules only count calls that succeed.)
  std::string last(parts.back());
  if (path.ends_with('/')) {
    last += '/';
    follow = true;
  }
  Fd file(openat(cur.get(), last.c_str(), O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)));
  if (file.ok()) out.target = stat_fd(file.get(), fd_path(file.get()).value_or(last));
  return out;
}

std::optional<FileFacts> ProcTraceeView::fd_file(int fd) {
  const std::string link = fmt::format("/proc/{}/fd/{}", caller_, fd);
  struct stat st {};
  if (stat(link.c_str(), &st) != 0) return std::nullopt;
  FileFacts f{read_link(link).value_or(link), st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0};
  if (auto info = read_file(fmt::format("/proc/{}/fdinfo/{}", caller_, fd)))
    if (auto flags = field(*info, "flags")) f.open_flags = static_cast<std::uint32_t>(to_u64(*flags, 8));
  return f;
}

std::optional<FileFacts> ProcTraceeView::fd_stat(int fd) {
  struct stat st {};
  if (stat(fmt::format("/proc/{}/fd/{}", caller_, fd).c_str(), &st) != 0) return std::nullopt;
  return FileFacts{{}, st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0};
}

std::optional<SocketFacts> ProcTraceeView::fd_socket(int fd) {
  auto link = fd_link(fd);
  if (!link || !link->starts_with("socket:")) return std::nullopt;
  Fd pidfd(static_cast<int>(syscall(SYS_pidfd_open, caller_, 0)));
  if (!pidfd.ok()) return std::nullopt;
  Fd sock(static_cast<int>(syscall(SYS_pidfd_getfd, pidfd.get(), fd, 0)));
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
  auto pid = field(*info, "Pid");
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
