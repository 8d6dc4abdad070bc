// The checker's dispatch and the file-system checks (generic_permission and friends). The
// process, network and other checks are in capability_checks_process.cpp.
#include "syscap/capabilities/checker.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities {

using tables::Capability;
using tables::CapCheck;
using tables::CapabilityRule;

bool Credentials::in_group(std::uint32_t gid) const {
  return gid == fsgid || std::ranges::find(groups, gid) != groups.end();
}

namespace detail {

int as_int(std::uint64_t v) { return static_cast<int>(static_cast<std::int32_t>(v)); }

std::optional<Capability> first_effective(const Credentials& c,
                                          std::initializer_list<Capability> caps) {
  for (Capability cap : caps)
    if (c.has(cap)) return cap;
  return std::nullopt;
}

bool dac_denied(const Credentials& c, const FileFacts& f, int mask) {
  unsigned bits = f.mode;
  if (c.fsuid == f.uid) {
    bits >>= 6;
  } else if (c.in_group(f.gid)) {
    bits >>= 3;
  }
  return (static_cast<unsigned>(mask) & ~bits & 7u) != 0;
}

std::optional<Capability> dac_override(const Credentials& c, const FileFacts& f, int mask) {
  mask &= kMayRead | kMayWrite | kMayExec;
  if (S_ISDIR(f.mode)) {
    if (!(mask & kMayWrite) && c.has(Capability::DacReadSearch)) return Capability::DacReadSearch;
    if (c.has(Capability::DacOverride)) return Capability::DacOverride;
    return std::nullopt;
  }
  if (mask == kMayRead && c.has(Capability::DacReadSearch)) return Capability::DacReadSearch;
  if ((!(mask & kMayExec) || (f.mode & 0111)) && c.has(Capability::DacOverride))
    return Capability::DacOverride;
  return std::nullopt;
}

std::string mask_name(int mask) {
  std::string s;
  if (mask & kMayRead) s += "read";
  if (mask & kMayWrite) s += s.empty() ? "write" : "+write";
  if (mask & kMayExec) s += s.empty() ? "search/exec" : "+search/exec";
  return s;
}

std::string describe(const FileFacts& f) {
  return fmt::format("{} (mode {:04o}, uid {}, gid {})", f.path, f.mode & 07777, f.uid, f.gid);
}

void Findings::add(Capability cap, std::string why) {
  for (const CapabilityUse& u : uses)
    if (u.cap == cap) return;
  uses.push_back(CapabilityUse{cap, std::move(why), {}, rule->outcome});
}

bool Findings::permission(const FileFacts& f, int mask, std::string_view what) {
  if (!dac_denied(creds, f, mask)) return false;
  if (auto cap = dac_override(creds, f, mask))
    add(*cap, fmt::format("{} {} denied by mode bits to fsuid {} fsgid {}", mask_name(mask),
                          describe(f), creds.fsuid, creds.fsgid) +
                  (what.empty() ? "" : fmt::format(" ({})", what)));
  return true;
}

}  // namespace detail

namespace {

using namespace detail;

constexpr int kAtFdcwd = AT_FDCWD;

// The file a rule's operands name: fd, dirfd+path (with AT_EMPTY_PATH), or path.
struct Operand {
  std::optional<PathFacts> path;   // when the operand is a path
  std::optional<FileFacts> file;   // the target, either way
  std::string shown;               // the path as the tracee gave it, or "fd N"
};

// `file_facts`: whether the check needs the facts of the file itself (else only those of the
// directories searched to reach it: a stat() reads nothing).
Operand operand(const CapabilityRule& rule, const SyscallCall& call, TraceeView& view,
                nlohmann::ordered_json& args, bool follow_default = true, bool file_facts = true) {
  Operand out;
  const auto& o = rule.ops;
  if (o.fd >= 0) {
    const int fd = as_int(call.args[o.fd]);
    args["fd"] = fd;
    out.file = view.fd_file(fd);
    out.shown = out.file ? out.file->path : fmt::format("fd {}", fd);
    return out;
  }
  if (o.path < 0) return out;
  const int dirfd = o.dirfd >= 0 ? as_int(call.args[o.dirfd]) : kAtFdcwd;
  const int at = (o.at_flags && o.flags >= 0) ? as_int(call.args[o.flags]) : 0;
  const std::uint64_t ptr = call.args[o.path];
  std::optional<std::string> path = ptr ? view.read_string(ptr) : std::string();
  if (!path) return out;
  if (path->empty() && (at & AT_EMPTY_PATH || ptr == 0)) {
    // The *at call acts on dirfd itself (AT_EMPTY_PATH, or utimensat's NULL path).
    if (dirfd == kAtFdcwd) return out;
    args["fd"] = dirfd;
    if (!file_facts) return out;
    out.file = view.fd_file(dirfd);
    out.shown = out.file ? out.file->path : fmt::format("fd {}", dirfd);
    return out;
  }
  args["path"] = *path;
  if (dirfd != kAtFdcwd && !path->starts_with('/')) args["dirfd"] = dirfd;
  const bool follow = follow_default && !o.nofollow && !(at & AT_SYMLINK_NOFOLLOW);
  out.path = file_facts ? view.resolve(dirfd, *path, follow) : view.resolve_dirs(dirfd, *path);
  out.shown = *path;
  if (out.path) out.file = out.path->target;
  return out;
}

// MAY_EXEC on every directory the walk searched: CAP_DAC_READ_SEARCH (or DAC_OVERRIDE).
void check_walk(Findings& f, const Operand& op) {
  if (!op.path) return;
  for (const FileFacts& dir : op.path->walked)
    if (f.permission(dir, kMayExec, fmt::format("searching it to reach {}", op.shown))) return;
}

// ---- the file checks

void change_owner(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  const bool id16 = o.id16 && call.arch == tables::Arch::X86;
  auto id = [&](std::uint64_t v) -> std::int64_t {
    if (id16) return (v & 0xffff) == 0xffff ? -1 : static_cast<std::int64_t>(v & 0xffff);
    const auto u = static_cast<std::uint32_t>(v);
    return u == 0xffffffffu ? -1 : static_cast<std::int64_t>(u);
  };
  const std::int64_t uid = id(call.args[o.a]);
  const std::int64_t gid = id(call.args[o.b]);
  f.args["owner"] = uid;
  f.args["group"] = gid;
  if (!op.file) return;
  const FileFacts& file = *op.file;
  const Credentials& c = f.creds;
  const bool owner = c.fsuid == file.uid;
  // chown_ok(): the owner may "change" the uid to itself; chgrp_ok(): the owner may set a
  // group it is in. Anything else needs CAP_CHOWN.
  const bool uid_ok = uid < 0 || (owner && uid == file.uid);
  const bool gid_ok =
      gid < 0 || (owner && (gid == file.gid || c.in_group(static_cast<std::uint32_t>(gid))));
  if (uid_ok && gid_ok) return;
  if (!c.has(Capability::Chown)) return;
  std::string change;
  if (!uid_ok) change = fmt::format("new owner {}", uid);
  if (!gid_ok) change += fmt::format("{}new group {}", change.empty() ? "" : ", ", gid);
  f.add(Capability::Chown, fmt::format("{}: {} by fsuid {}{}", describe(file), change, c.fsuid,
                                       owner ? "" : " (not the owner)"));
}

void change_mode(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  const std::uint32_t mode = static_cast<std::uint32_t>(call.args[f.rule->ops.a]) & 07777;
  f.args["mode"] = fmt::format("{:04o}", mode);
  if (!op.file) return;
  const FileFacts& file = *op.file;
  const Credentials& c = f.creds;
  if (c.fsuid != file.uid) {
    if (c.has(Capability::Fowner))
      f.add(Capability::Fowner,
            fmt::format("{} not owned by fsuid {}: only the owner may chmod", describe(file), c.fsuid));
    return;
  }
  // setattr_prepare(): the setgid bit survives only for a member of the file's group.
  if ((mode & S_ISGID) && !c.in_group(file.gid) && c.has(Capability::Fsetid))
    f.add(Capability::Fsetid,
          fmt::format("setting setgid on {}, group {} is not one of the caller's groups",
                      describe(file), file.gid));
}

void set_times(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  const std::uint64_t ptr = call.args[o.a];
  // "touch" (NULL or both UTIME_NOW): owner or write permission suffices; explicit times:
  // owner only (ATTR_TIMES_SET).
  bool touch = ptr == 0;
  if (ptr && (call.name == "utimensat" || call.name == "utimensat_time64")) {
    constexpr long kNow = (1l << 30) - 1l, kOmit = (1l << 30) - 2l;
    std::int64_t nsec[2] = {0, 0};
    if (call.arch == tables::Arch::X86 && call.name == "utimensat") {
      std::int32_t ts[4];
      if (!view.read_memory(ptr, ts, sizeof ts)) return;
      nsec[0] = ts[1], nsec[1] = ts[3];
    } else {
      std::int64_t ts[4];
      if (!view.read_memory(ptr, ts, sizeof ts)) return;
      nsec[0] = ts[1], nsec[1] = ts[3];
    }
    if (nsec[0] == kOmit && nsec[1] == kOmit) return;  // changes nothing
    touch = nsec[0] == kNow && nsec[1] == kNow;
  }
  f.args["times"] = touch ? "now" : "explicit";
  if (!op.file) return;
  const FileFacts& file = *op.file;
  const Credentials& c = f.creds;
  if (c.fsuid == file.uid) return;
  if (touch && !dac_denied(c, file, kMayWrite)) return;
  if (c.has(Capability::Fowner)) {
    f.add(Capability::Fowner, fmt::format("{} times on {} not owned by fsuid {}",
                                          touch ? "touching" : "setting explicit", describe(file),
                                          c.fsuid));
  } else if (touch) {
    f.permission(file, kMayWrite, "touching its times");
  }
}

// setattr_should_drop_suidgid(): a write or truncate strips set-id bits unless CAP_FSETID.
void keeps_setid_bits(Findings& f, const FileFacts& file, std::string_view how) {
  if (!S_ISREG(file.mode)) return;
  const bool suid = file.mode & S_ISUID;
  const bool sgid = (file.mode & S_ISGID) &&
                    ((file.mode & S_IXGRP) || !f.creds.in_group(file.gid));
  if ((suid || sgid) && f.creds.has(Capability::Fsetid))
    f.add(Capability::Fsetid, fmt::format("{} {} keeps its set{}id bit", how, describe(file),
                                          suid ? "u" : "g"));
}

// Character devices of the mem driver (drivers/char/mem.c): major 1.
constexpr unsigned kMemMajor = 1, kMemMinor = 1, kKmemMinor = 2, kPortMinor = 4, kKmsgMinor = 11;

// /proc/PID/{mem,environ,...} and the /proc/PID/{exe,cwd,root} links are guarded by
// ptrace_may_access() with the fs credentials: CAP_SYS_PTRACE for other users' or
// non-dumpable processes.
void proc_pid_access(Findings& f, TraceeView& view, std::string_view path, std::string_view what) {
  static constexpr std::string_view kGuarded[] = {"mem", "environ", "auxv", "stack", "syscall",
                                                  "pagemap", "personality", "exe", "cwd", "root"};
  if (!path.starts_with("/proc/")) return;
  path.remove_prefix(6);
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos) return;
  int pid = 0;
  for (char ch : path.substr(0, slash)) {
    if (ch < '0' || ch > '9') return;
    pid = pid * 10 + (ch - '0');
  }
  std::string_view entry = path.substr(slash + 1);
  if (entry.starts_with("task/")) {  // /proc/PID/task/TID/entry
    const std::size_t s2 = entry.find('/', 5);
    if (s2 == std::string_view::npos) return;
    entry = entry.substr(s2 + 1);
  }
  if (std::ranges::find(kGuarded, entry) == std::end(kGuarded)) return;
  const ProcessFacts* target = view.process(pid);
  if (!target) return;
  const std::string why = ptrace_denial(f.caller, true, *target);
  if (!why.empty() && f.creds.has(Capability::SysPtrace))
    f.add(Capability::SysPtrace, fmt::format("{}: {}", what, why));
}

// inode_init_owner()/mode_strip_sgid(): a new file in a set-group-ID directory keeps a
// requested S_ISGID (with group exec) only for a member of the directory's group.
bool creates_setgid_file(std::uint64_t flags, const SyscallCall& call, const PathFacts& p, Findings& f) {
  if (!(flags & O_CREAT) || !p.parent || f.rule->ops.c < 0) return false;
  const auto mode = static_cast<std::uint32_t>(call.args[f.rule->ops.c]);
  const FileFacts& dir = *p.parent;
  if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && (dir.mode & S_ISGID) &&
      !f.creds.in_group(dir.gid) && f.creds.has(Capability::Fsetid)) {
    f.add(Capability::Fsetid, fmt::format("creating a set-group-ID file in {} of foreign group {}",
                                          describe(dir), dir.gid));
    return true;
  }
  return false;
}

void open_file(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  std::uint64_t flags = 0;
  if (call.name == "creat") {
    flags = O_CREAT | O_WRONLY | O_TRUNC;
  } else if (o.by_pointer) {
    if (!view.read_memory(call.args[o.flags], &flags, sizeof flags)) return;
  } else {
    flags = static_cast<std::uint32_t>(call.args[o.flags]);
  }
  f.args["flags"] = fmt::format("{:#o}", flags);
  const bool creates = flags & O_CREAT;
  const bool follow = !(flags & O_NOFOLLOW) && !(creates && (flags & O_EXCL));
  Operand op = operand(*f.rule, call, view, f.args, follow);
  check_walk(f, op);
  if (!op.path) return;
  const Credentials& c = f.creds;
  if (!op.file) {
    // may_o_create(): a new entry needs write and search on the directory.
    if (creates && op.path->parent) {
      f.permission(*op.path->parent, kMayWrite | kMayExec, fmt::format("creating {}", op.shown));
      creates_setgid_file(flags, call, *op.path, f);
    }
    return;
  }
  if (creates && (flags & O_EXCL)) return;  // EEXIST
  if (flags & O_PATH) return;
  const FileFacts& file = *op.file;
  int mask = 0;
  switch (flags & O_ACCMODE) {
    case O_RDONLY: mask = kMayRead; break;
    case O_WRONLY: mask = kMayWrite; break;
    default: mask = kMayRead | kMayWrite; break;
  }
  if (flags & O_TRUNC) mask |= kMayWrite;
  f.permission(file, mask, fmt::format("opening {}", op.shown));
  if ((flags & O_NOATIME) && c.fsuid != file.uid && c.has(Capability::Fowner))
    f.add(Capability::Fowner, fmt::format("O_NOATIME on {} not owned by fsuid {}", describe(file), c.fsuid));
  if ((flags & O_TRUNC) && S_ISREG(file.mode)) keeps_setid_bits(f, file, "truncating");
  if (S_ISCHR(file.mode)) {
    const dev_t dev = static_cast<dev_t>(file.rdev);
    const bool mem_driver = major(dev) == kMemMajor;
    const unsigned m = minor(dev);
    if (mem_driver && (m == kMemMinor || m == kKmemMinor || m == kPortMinor) &&
        c.has(Capability::SysRawio))
      f.add(Capability::SysRawio, fmt::format("opening the raw memory/port device {}", describe(file)));
    if (mem_driver && m == kKmsgMinor && (flags & O_ACCMODE) != O_WRONLY && view.sysctl("kernel/dmesg_restrict").value_or(0)) {
      if (auto cap = first_effective(c, {Capability::Syslog, Capability::SysAdmin}))
        f.add(*cap, fmt::format("reading {} with kernel.dmesg_restrict=1", file.path));
    }
  }
  proc_pid_access(f, view, file.path, fmt::format("opening {}", file.path));
  if (file.path == "/proc/kmsg") {
    if (auto cap = first_effective(c, {Capability::Syslog, Capability::SysAdmin}))
      f.add(*cap, "opening /proc/kmsg (SYSLOG_ACTION_OPEN)");
  }
}

void exec_file(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  if (op.file && S_ISREG(op.file->mode)) f.permission(*op.file, kMayExec, "executing it");
}

void lookup_path(Findings& f, const SyscallCall& call, TraceeView& view) {
  // A stat() searches the directories on the way and reads nothing of the file (fstat() is
  // newfstatat(fd, "", AT_EMPTY_PATH): nothing at all); a readlink() may read a /proc link.
  const bool reads_link = call.name.starts_with("readlink");
  Operand op = operand(*f.rule, call, view, f.args, true, reads_link);
  check_walk(f, op);
  if (reads_link && op.file)
    proc_pid_access(f, view, op.file->path, fmt::format("reading the link {}", op.file->path));
}

void create_entry(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args, false);
  check_walk(f, op);
  if (!op.path || op.file || !op.path->parent) return;  // EEXIST, or nothing known
  f.permission(*op.path->parent, kMayWrite | kMayExec, fmt::format("creating {}", op.shown));
}

// may_delete(): write+search on the directory, and the sticky-bit rule (check_sticky()).
void remove_checks(Findings& f, const PathFacts& p, const std::string& shown) {
  if (!p.target || !p.parent) return;
  const FileFacts& dir = *p.parent;
  const FileFacts& victim = *p.target;
  f.permission(dir, kMayWrite | kMayExec, fmt::format("removing {}", shown));
  const Credentials& c = f.creds;
  if ((dir.mode & S_ISVTX) && c.fsuid != victim.uid && c.fsuid != dir.uid &&
      c.has(Capability::Fowner))
    f.add(Capability::Fowner,
          fmt::format("removing {} from sticky directory {}: neither is owned by fsuid {}",
                      describe(victim), describe(dir), c.fsuid));
}

void remove_entry(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args, false);
  check_walk(f, op);
  if (op.path) remove_checks(f, *op.path, op.shown);
}

void rename_entry(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  Operand from = operand(*f.rule, call, view, f.args, false);
  check_walk(f, from);
  if (from.path) remove_checks(f, *from.path, from.shown);
  const int newdirfd = o.a >= 0 ? as_int(call.args[o.a]) : kAtFdcwd;
  auto newpath = view.read_string(call.args[o.b]);
  if (!newpath) return;
  f.args["newpath"] = *newpath;
  auto to = view.resolve(newdirfd, *newpath, false);
  if (!to) return;
  for (const FileFacts& dir : to->walked)
    if (f.permission(dir, kMayExec, fmt::format("searching it to reach {}", *newpath))) break;
  if (to->target) {
    remove_checks(f, *to, *newpath);
  } else if (to->parent) {
    f.permission(*to->parent, kMayWrite | kMayExec, fmt::format("creating {}", *newpath));
  }
  // Moving a directory to another parent rewrites its "..": write permission on it.
  if (from.file && S_ISDIR(from.file->mode) && from.path && from.path->parent && to->parent &&
      from.path->parent->path != to->parent->path)
    f.permission(*from.file, kMayWrite, "moving the directory to another parent");
}

void make_node(Findings& f, const SyscallCall& call, TraceeView&) {
  const auto& o = f.rule->ops;
  const std::uint32_t mode = static_cast<std::uint32_t>(call.args[o.a]);
  const std::uint64_t dev = call.args[o.b];
  const bool device = S_ISBLK(mode) || (S_ISCHR(mode) && dev != 0);  // char 0:0 is a whiteout
  if (!device || !f.creds.has(Capability::Mknod)) return;
  f.args["mode"] = fmt::format("{:#o}", mode);
  f.args["dev"] = fmt::format("{}:{}", major(static_cast<dev_t>(dev)), minor(static_cast<dev_t>(dev)));
  f.add(Capability::Mknod, fmt::format("creating a {} device node {}:{}", S_ISBLK(mode) ? "block" : "character",
                                       major(static_cast<dev_t>(dev)), minor(static_cast<dev_t>(dev))));
}

void truncate_path(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  if (!op.file) return;
  f.permission(*op.file, kMayWrite, "truncating it");
  keeps_setid_bits(f, *op.file, "truncating");
}

void write_fd(Findings& f, const SyscallCall& call, TraceeView& view) {
  if (!f.creds.has(Capability::Fsetid)) return;
  const int fd = as_int(call.args[f.rule->ops.fd]);
  auto quick = view.fd_stat(fd);
  if (!quick || !S_ISREG(quick->mode) || !(quick->mode & (S_ISUID | S_ISGID))) return;
  auto file = view.fd_file(fd);
  if (!file) return;
  f.args["fd"] = fd;
  f.args["file"] = file->path;
  keeps_setid_bits(f, *file, "writing to");
}

void change_dir(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  if (op.file && S_ISDIR(op.file->mode)) f.permission(*op.file, kMayExec, "entering it");
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

void set_xattr(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  auto name = view.read_string(call.args[f.rule->ops.a]);
  if (!name || !op.file) return;
  f.args["name"] = *name;
  const FileFacts& file = *op.file;
  const Credentials& c = f.creds;
  if (*name == "security.capability") {
    if (c.has(Capability::Setfcap))
      f.add(Capability::Setfcap, fmt::format("changing file capabilities of {}", describe(file)));
  } else if (starts_with(*name, "trusted.") || starts_with(*name, "security.")) {
    if (c.has(Capability::SysAdmin))
      f.add(Capability::SysAdmin, fmt::format("changing the {} attribute of {}", *name, describe(file)));
  } else if (starts_with(*name, "system.posix_acl_")) {
    if (c.fsuid != file.uid && c.has(Capability::Fowner))
      f.add(Capability::Fowner, fmt::format("changing the ACL of {} not owned by fsuid {}", describe(file), c.fsuid));
  } else if (starts_with(*name, "user.")) {
    if (S_ISDIR(file.mode) && (file.mode & S_ISVTX) && c.fsuid != file.uid &&
        c.has(Capability::Fowner))
      f.add(Capability::Fowner, fmt::format("user xattr on sticky directory {}", describe(file)));
    else
      f.permission(file, kMayWrite, fmt::format("changing attribute {}", *name));
  }
}

void get_xattr(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  auto name = view.read_string(call.args[f.rule->ops.a]);
  if (!name || !op.file) return;
  f.args["name"] = *name;
  if (starts_with(*name, "trusted.")) {
    if (f.creds.has(Capability::SysAdmin))
      f.add(Capability::SysAdmin, fmt::format("reading trusted attribute {} of {}", *name, describe(*op.file)));
  } else if (starts_with(*name, "user.")) {
    f.permission(*op.file, kMayRead, fmt::format("reading attribute {}", *name));
  }
}

void always(Findings& f, const SyscallCall& call, TraceeView& view) {
  const Capability cap = *f.rule->caps[0];
  if (f.rule->ops.path >= 0 || f.rule->ops.fd >= 0) {
    Operand op = operand(*f.rule, call, view, f.args);
    (void)op;
  }
  if (f.creds.has(cap))
    f.add(cap, fmt::format("{} always requires {}", call.name, tables::capability_name(cap)));
}

CheckFn check_function(CapCheck check) {
  switch (check) {
    case CapCheck::ChangeOwner: return change_owner;
    case CapCheck::ChangeMode: return change_mode;
    case CapCheck::SetTimes: return set_times;
    case CapCheck::OpenFile: return open_file;
    case CapCheck::ExecFile: return exec_file;
    case CapCheck::LookupPath: return lookup_path;
    case CapCheck::CreateEntry: return create_entry;
    case CapCheck::RemoveEntry: return remove_entry;
    case CapCheck::RenameEntry: return rename_entry;
    case CapCheck::TruncatePath: return truncate_path;
    case CapCheck::WriteFd: return write_fd;
    case CapCheck::ChangeDir: return change_dir;
    case CapCheck::SetXattr: return set_xattr;
    case CapCheck::GetXattr: return get_xattr;
    case CapCheck::Always: return always;
    case CapCheck::MakeNode: return make_node;
    default: return process_check_function(check);
  }
}

// The call an i386 socketcall(2) or ipc(2) carries, as if made directly; nullopt when it is
// not one the rules know or its arguments cannot be read.
std::optional<SyscallCall> unpack_multiplexed(const SyscallCall& call, TraceeView& view) {
  SyscallCall inner{"", call.arch, {}};
  if (call.name == "socketcall") {
    static constexpr std::string_view kNames[] = {
        "", "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername",
        "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt",
        "getsockopt", "sendmsg", "recvmsg"};
    const auto n = static_cast<std::uint32_t>(call.args[0]);
    if (n == 0 || n >= std::size(kNames)) return std::nullopt;
    std::uint32_t a[6] = {};
    if (!view.read_memory(call.args[1], a, sizeof a)) return std::nullopt;
    inner.name = kNames[n];
    for (int i = 0; i < 6; ++i) inner.args[i] = a[i];
    return inner;
  }
  if (call.name == "ipc") {
    // ipc(call, first, second, third, ptr, fifth)
    const auto n = static_cast<std::uint32_t>(call.args[0]) & 0xffff;
    const auto first = call.args[1], second = call.args[2], third = call.args[3], ptr = call.args[4];
    switch (n) {
      case 1: inner.name = "semop", inner.args = {first, ptr, second}; break;
      case 3: inner.name = "semctl", inner.args = {first, second, third, ptr}; break;
      case 4: inner.name = "semtimedop", inner.args = {first, ptr, second, call.args[5]}; break;
      case 11: inner.name = "msgsnd", inner.args = {first, ptr, second, third}; break;
      case 12: inner.name = "msgrcv", inner.args = {first, ptr, second, 0, third}; break;
      case 14: inner.name = "msgctl", inner.args = {first, second, ptr}; break;
      case 21: inner.name = "shmat", inner.args = {first, ptr, second}; break;
      case 24: inner.name = "shmctl", inner.args = {first, second, ptr}; break;
      default: return std::nullopt;
    }
    return inner;
  }
  return std::nullopt;
}

}  // namespace

std::vector<CapabilityUse> check_capabilities(const SyscallCall& call, TraceeView& view) {
  std::vector<CapabilityUse> uses;
  auto rules = tables::capability_rules_for(call.name);
  if (rules.empty()) return uses;
  if (rules[0].check == CapCheck::Multiplexer) {
    auto inner = unpack_multiplexed(call, view);
    if (!inner) return uses;
    uses = check_capabilities(*inner, view);
    for (CapabilityUse& u : uses) {
      nlohmann::ordered_json args = {{"call", inner->name}};
      for (auto it = u.args.begin(); it != u.args.end(); ++it) args[it.key()] = it.value();
      u.args = std::move(args);
    }
    return uses;
  }
  const ProcessFacts* me = view.process(view.caller());
  if (!me || me->creds.cap_eff == 0) return uses;  // no capability to exercise
  for (const CapabilityRule& rule : rules) {
    // In a user namespace of its own, ns_capable() checks pass without real capabilities.
    if (!me->initial_user_ns && rule.scope == tables::CapScope::OwnUserNs) continue;
    CheckFn fn = check_function(rule.check);
    if (!fn) continue;
    Findings f{&rule, me->creds, *me, nlohmann::ordered_json::object(), {}};
    fn(f, call, view);
    for (CapabilityUse& u : f.uses) u.args = f.args;
    for (CapabilityUse& u : f.uses)
      if (std::ranges::none_of(uses, [&](const CapabilityUse& x) { return x.cap == u.cap; }))
        uses.push_back(std::move(u));
  }
  return uses;
}

bool outcome_confirms(tables::CapOutcome outcome, std::int64_t rval) {
  switch (outcome) {
    case tables::CapOutcome::Succeeded: return rval >= 0;
    case tables::CapOutcome::Wrote: return rval > 0;
    case tables::CapOutcome::NotRefused:
      return rval != -EPERM && rval != -EACCES && rval != -ENOSYS;
    case tables::CapOutcome::Any: return true;
  }
  return false;
}

bool may_exercise_capability(std::string_view syscall) {
  return !tables::capability_rules_for(syscall).empty();
}

}  // namespace syscap::capabilities
