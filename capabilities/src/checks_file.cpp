// The checker's checks on a file itself: ownership, mode and times, opening (with the devices
// and /proc entries that need more than mode bits), executing, searching, truncating, writing
// and entering it, and the calls that always need their capability.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <fmt/format.h>

#include "file_operand.hpp"
#include "proc_pid_entries.hpp"

namespace syscap::capabilities::detail {

using tables::Capability;

namespace {

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

}  // namespace

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
    if (!c.has(Capability::Fowner)) return;  // EPERM
    f.add(Capability::Fowner,
          fmt::format("{} not owned by fsuid {}: only the owner may chmod", describe(file), c.fsuid));
  }
  // setattr_prepare(): the setgid bit survives only for a member of the file's group, whoever
  // owns it (cp -a and tar -xp of another user's setgid directory).
  if ((mode & S_ISGID) && !c.in_group(file.gid) && c.has(Capability::Fsetid))
    f.add(Capability::Fsetid,
          fmt::format("setting setgid on {}, group {} is not one of the caller's groups",
                      describe(file), file.gid));
}

void inode_flags(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const auto cmd = static_cast<std::uint32_t>(call.args[o.a]);
  // FS_IOC_SETFLAGS is _IOW('f', 2, long): 4 bytes in an i386 program's number; both pass an int.
  const bool xflags = cmd == FS_IOC_FSSETXATTR;
  if (cmd != static_cast<std::uint32_t>(FS_IOC_SETFLAGS) && cmd != static_cast<std::uint32_t>(FS_IOC32_SETFLAGS) &&
      !xflags)
    return;
  const int fd = as_int(call.args[o.fd]);
  std::uint32_t wanted = 0;  // the flags, or struct fsxattr's first field, fsx_xflags
  if (!view.read_memory(call.args[o.b], &wanted, sizeof wanted)) return;
  auto file = view.fd_stat(fd);
  if (!file) return;
  f.args["fd"] = fd;
  f.args["request"] = xflags ? "FS_IOC_FSSETXATTR" : "FS_IOC_SETFLAGS";
  f.args["flags"] = fmt::format("{:#x}", wanted);
  const Credentials& c = f.creds;
  // vfs_fileattr_set(): the owner, or CAP_FOWNER.
  if (c.fsuid != file->uid) {
    if (!c.has(Capability::Fowner)) return;  // EPERM
    f.add(Capability::Fowner, fmt::format("setting the attributes of a file not owned by fsuid {}", c.fsuid));
  }
  // fileattr_set_prepare(): changing the append-only or immutable flag needs CAP_LINUX_IMMUTABLE.
  auto old = view.fd_inode_flags(fd, xflags);
  if (!old) return;
  const std::uint32_t guarded =
      xflags ? (FS_XFLAG_APPEND | FS_XFLAG_IMMUTABLE) : (FS_APPEND_FL | FS_IMMUTABLE_FL);
  if (((wanted ^ *old) & guarded) && c.has(Capability::LinuxImmutable))
    f.add(Capability::LinuxImmutable, fmt::format("changing the append-only or immutable flag ({:#x} -> {:#x})",
                                                  *old & guarded, wanted & guarded));
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
  // Another process's /proc entries: checked at the lookup, so a link whose target the view
  // cannot resolve (an ns/ link's "net:[4026531840]") is checked too.
  if (auto named = named_path(op)) {
    const ProcEntryUse use = (flags & O_PATH) ? (follow ? ProcEntryUse::Follow : ProcEntryUse::None)
                             : follow        ? ProcEntryUse::Open
                                             : ProcEntryUse::OpenNoFollow;
    proc_pid_entry_access(f, view, *named, use, fmt::format("opening {}", *named));
  }
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
  // Another process's /proc links (ns/, fd/, exe...): reading one, or following it (lsns's
  // fstatat of each ns/ link), asks whether the caller may trace the process.
  if (auto named = named_path(op); named && (reads_link || op.followed))
    proc_pid_entry_access(f, view, *named, reads_link ? ProcEntryUse::ReadLink : ProcEntryUse::Follow,
                          fmt::format("{} the link {}", reads_link ? "reading" : "following", *named));
}

void link_source(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  if (!op.file) return;
  // may_linkat(): with fs.protected_hardlinks (the default) a file is hard-linked by its owner,
  // or if it is a safe source (a regular file, not set-user-ID, not executable set-group-ID,
  // that the caller may read and write, CAP_DAC_OVERRIDE counting), or with CAP_FOWNER. git
  // links its own read-only objects: the owner needs nothing.
  if (view.sysctl("fs/protected_hardlinks").value_or(1) == 0) return;
  const FileFacts& file = *op.file;
  const Credentials& c = f.creds;
  if (c.fsuid == file.uid) return;
  const bool safe_kind = S_ISREG(file.mode) && !(file.mode & S_ISUID) &&
                         (file.mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP);
  if (safe_kind && !dac_denied(c, file, kMayRead | kMayWrite)) return;
  if (safe_kind && c.has(Capability::DacOverride)) {
    f.add(Capability::DacOverride, fmt::format("hard-linking {}, which fsuid {} may not read and write "
                                               "(fs.protected_hardlinks)", describe(file), c.fsuid));
    return;
  }
  if (c.has(Capability::Fowner))
    f.add(Capability::Fowner, fmt::format("hard-linking {}, not owned by fsuid {} (fs.protected_hardlinks)",
                                          describe(file), c.fsuid));
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

void always(Findings& f, const SyscallCall& call, TraceeView& view) {
  const Capability cap = *f.rule->caps[0];
  if (f.rule->ops.path >= 0 || f.rule->ops.fd >= 0) {
    Operand op = operand(*f.rule, call, view, f.args);
    (void)op;
  }
  if (f.creds.has(cap))
    f.add(cap, fmt::format("{} always requires {}", call.name, tables::capability_name(cap)));
}

}  // namespace syscap::capabilities::detail
