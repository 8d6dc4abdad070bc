// The capability rule table: which syscalls can exercise which capability, and where the
// kernel check's inputs are. One row per (syscall, check). Sources: capabilities(7) and the
// kernel function named in each row's last column (Linux 6.x).
#include <algorithm>
#include <vector>

#include "syscap/tables/capabilities.hpp"

namespace syscap::tables {
namespace {

using C = Capability;
using K = CapCheck;
using O = CapOperands;
constexpr CapOutcome kOk = CapOutcome::Succeeded;
constexpr CapOutcome kWrote = CapOutcome::Wrote;
constexpr CapOutcome kChecked = CapOutcome::NotRefused;
constexpr CapOutcome kAny = CapOutcome::Any;
constexpr CapScope kOwn = CapScope::OwnUserNs;
constexpr CapScope kInit = CapScope::InitUserNs;

// Capability lists shared by many rows.
#define CAPS(...) std::array<std::optional<Capability>, kMaxCapsPerRule>{__VA_ARGS__}
#define DAC_CAPS CAPS(C::DacOverride, C::DacReadSearch)
// A lookup that follows its last component may follow another process's /proc link (ns/net):
// fs/proc/namespaces.c proc_ns_get_link, fs/proc/base.c proc_pid_get_link ask ptrace_may_access.
#define LOOKUP_CAPS CAPS(C::DacOverride, C::DacReadSearch, C::SysPtrace)

constexpr CapabilityRule kRules[] = {
    // ---- file ownership: fs/attr.c chown_ok()/chgrp_ok(), fs/open.c chown_common()
    {"chown", K::ChangeOwner, CAPS(C::Chown), O{.path = 0, .a = 1, .b = 2, .id16 = true}, kOk, kOwn, "fs/attr.c chown_ok, chgrp_ok"},
    {"chown32", K::ChangeOwner, CAPS(C::Chown), O{.path = 0, .a = 1, .b = 2}, kOk, kOwn, "fs/attr.c chown_ok, chgrp_ok"},
    {"lchown", K::ChangeOwner, CAPS(C::Chown), O{.path = 0, .a = 1, .b = 2, .nofollow = true, .id16 = true}, kOk, kOwn, "fs/attr.c chown_ok, chgrp_ok"},
    {"lchown32", K::ChangeOwner, CAPS(C::Chown), O{.path = 0, .a = 1, .b = 2, .nofollow = true}, kOk, kOwn, "fs/attr.c chown_ok, chgrp_ok"},
    {"fchown", K::ChangeOwner, CAPS(C::Chown), O{.fd = 0, .a = 1, .b = 2, .id16 = true}, kOk, kOwn, "fs/attr.c chown_ok, chgrp_ok"},
    {"fchown32", K::ChangeOwner, CAPS(C::Chown), O{.fd = 0, .a = 1, .b = 2}, kOk, kOwn, "fs/attr.c chown_ok, chgrp_ok"},
    {"fchownat", K::ChangeOwner, CAPS(C::Chown), O{.dirfd = 0, .path = 1, .flags = 4, .a = 2, .b = 3, .at_flags = true}, kOk, kOwn, "fs/attr.c chown_ok, chgrp_ok"},

    // ---- file mode: fs/attr.c setattr_prepare() (inode_owner_or_capable, in_group_or_capable)
    {"chmod", K::ChangeMode, CAPS(C::Fowner, C::Fsetid), O{.path = 0, .a = 1}, kOk, kOwn, "fs/attr.c setattr_prepare"},
    {"fchmod", K::ChangeMode, CAPS(C::Fowner, C::Fsetid), O{.fd = 0, .a = 1}, kOk, kOwn, "fs/attr.c setattr_prepare"},
    {"fchmodat", K::ChangeMode, CAPS(C::Fowner, C::Fsetid), O{.dirfd = 0, .path = 1, .a = 2}, kOk, kOwn, "fs/attr.c setattr_prepare"},
    {"fchmodat2", K::ChangeMode, CAPS(C::Fowner, C::Fsetid), O{.dirfd = 0, .path = 1, .flags = 3, .a = 2, .at_flags = true}, kOk, kOwn, "fs/attr.c setattr_prepare"},

    // ---- timestamps: fs/utimes.c vfs_utimes(), setattr_prepare() ATTR_TIMES_SET
    {"utime", K::SetTimes, CAPS(C::Fowner, C::DacOverride), O{.path = 0, .a = 1}, kOk, kOwn, "fs/utimes.c vfs_utimes"},
    {"utimes", K::SetTimes, CAPS(C::Fowner, C::DacOverride), O{.path = 0, .a = 1}, kOk, kOwn, "fs/utimes.c vfs_utimes"},
    {"futimesat", K::SetTimes, CAPS(C::Fowner, C::DacOverride), O{.dirfd = 0, .path = 1, .a = 2}, kOk, kOwn, "fs/utimes.c vfs_utimes"},
    {"utimensat", K::SetTimes, CAPS(C::Fowner, C::DacOverride), O{.dirfd = 0, .path = 1, .flags = 3, .a = 2, .at_flags = true}, kOk, kOwn, "fs/utimes.c vfs_utimes"},
    {"utimensat_time64", K::SetTimes, CAPS(C::Fowner, C::DacOverride), O{.dirfd = 0, .path = 1, .flags = 3, .a = 2, .at_flags = true}, kOk, kOwn, "fs/utimes.c vfs_utimes"},

    // ---- open: fs/namei.c may_open(), may_o_create(), generic_permission(); drivers/char/mem.c
    // open_port(); kernel/printk devkmsg_open(); fs/open.c do_truncate() via handle_truncate()
    {"open", K::OpenFile, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner, C::Fsetid, C::Syslog, C::SysRawio, C::SysPtrace, C::SysAdmin), O{.path = 0, .flags = 1, .c = 2}, kOk, kOwn, "fs/namei.c may_open, generic_permission"},
    {"creat", K::OpenFile, CAPS(C::DacOverride, C::DacReadSearch, C::Fsetid, C::SysPtrace), O{.path = 0, .c = 1}, kOk, kOwn, "fs/namei.c may_open, may_o_create"},
    {"openat", K::OpenFile, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner, C::Fsetid, C::Syslog, C::SysRawio, C::SysPtrace, C::SysAdmin), O{.dirfd = 0, .path = 1, .flags = 2, .c = 3}, kOk, kOwn, "fs/namei.c may_open, generic_permission"},
    {"openat2", K::OpenFile, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner, C::Fsetid, C::Syslog, C::SysRawio, C::SysPtrace, C::SysAdmin), O{.dirfd = 0, .path = 1, .flags = 2, .by_pointer = true}, kOk, kOwn, "fs/namei.c may_open, generic_permission"},
    {"open_by_handle_at", K::Always, CAPS(C::DacReadSearch), O{.fd = 0}, kOk, kInit, "fs/fhandle.c may_decode_fh"},

    // ---- exec and path walks: fs/namei.c may_lookup(), generic_permission()
    {"execve", K::ExecFile, DAC_CAPS, O{.path = 0}, kOk, kOwn, "fs/exec.c do_open_execat, generic_permission"},
    {"execveat", K::ExecFile, DAC_CAPS, O{.dirfd = 0, .path = 1, .flags = 4, .at_flags = true}, kOk, kOwn, "fs/exec.c do_open_execat, generic_permission"},
    {"stat", K::LookupPath, LOOKUP_CAPS, O{.path = 0}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"stat64", K::LookupPath, LOOKUP_CAPS, O{.path = 0}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"lstat", K::LookupPath, DAC_CAPS, O{.path = 0, .nofollow = true}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"lstat64", K::LookupPath, DAC_CAPS, O{.path = 0, .nofollow = true}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"newfstatat", K::LookupPath, LOOKUP_CAPS, O{.dirfd = 0, .path = 1, .flags = 3, .at_flags = true}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"fstatat64", K::LookupPath, LOOKUP_CAPS, O{.dirfd = 0, .path = 1, .flags = 3, .at_flags = true}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"statx", K::LookupPath, LOOKUP_CAPS, O{.dirfd = 0, .path = 1, .flags = 2, .at_flags = true}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"readlink", K::LookupPath, CAPS(C::DacOverride, C::DacReadSearch, C::SysPtrace), O{.path = 0, .nofollow = true}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"readlinkat", K::LookupPath, CAPS(C::DacOverride, C::DacReadSearch, C::SysPtrace), O{.dirfd = 0, .path = 1, .nofollow = true}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"statfs", K::LookupPath, LOOKUP_CAPS, O{.path = 0}, kOk, kOwn, "fs/namei.c may_lookup"},
    {"link", K::LinkSource, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.path = 0, .nofollow = true}, kOk, kOwn, "fs/namei.c may_lookup, may_linkat"},
    {"linkat", K::LinkSource, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.dirfd = 0, .path = 1, .nofollow = true}, kOk, kOwn, "fs/namei.c may_lookup, may_linkat"},

    // ---- directory entries: fs/namei.c may_create(), may_delete(), check_sticky()
    {"mkdir", K::CreateEntry, DAC_CAPS, O{.path = 0}, kOk, kOwn, "fs/namei.c may_create"},
    {"mkdirat", K::CreateEntry, DAC_CAPS, O{.dirfd = 0, .path = 1}, kOk, kOwn, "fs/namei.c may_create"},
    {"mknod", K::CreateEntry, DAC_CAPS, O{.path = 0}, kOk, kOwn, "fs/namei.c may_create"},
    {"mknodat", K::CreateEntry, DAC_CAPS, O{.dirfd = 0, .path = 1}, kOk, kOwn, "fs/namei.c may_create"},
    {"symlink", K::CreateEntry, DAC_CAPS, O{.path = 1}, kOk, kOwn, "fs/namei.c may_create"},
    {"symlinkat", K::CreateEntry, DAC_CAPS, O{.dirfd = 1, .path = 2}, kOk, kOwn, "fs/namei.c may_create"},
    {"link", K::CreateEntry, DAC_CAPS, O{.path = 1}, kOk, kOwn, "fs/namei.c may_create"},
    {"linkat", K::CreateEntry, DAC_CAPS, O{.dirfd = 2, .path = 3}, kOk, kOwn, "fs/namei.c may_create"},
    {"unlink", K::RemoveEntry, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.path = 0}, kOk, kOwn, "fs/namei.c may_delete, check_sticky"},
    {"unlinkat", K::RemoveEntry, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.dirfd = 0, .path = 1}, kOk, kOwn, "fs/namei.c may_delete, check_sticky"},
    {"rmdir", K::RemoveEntry, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.path = 0}, kOk, kOwn, "fs/namei.c may_delete, check_sticky"},
    {"rename", K::RenameEntry, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.path = 0, .b = 1}, kOk, kOwn, "fs/namei.c may_delete, may_create"},
    {"renameat", K::RenameEntry, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.dirfd = 0, .path = 1, .a = 2, .b = 3}, kOk, kOwn, "fs/namei.c may_delete, may_create"},
    {"renameat2", K::RenameEntry, CAPS(C::DacOverride, C::DacReadSearch, C::Fowner), O{.dirfd = 0, .path = 1, .a = 2, .b = 3}, kOk, kOwn, "fs/namei.c may_delete, may_create"},
    {"mknod", K::MakeNode, CAPS(C::Mknod), O{.path = 0, .a = 1, .b = 2}, kOk, kInit, "fs/namei.c vfs_mknod"},
    {"mknodat", K::MakeNode, CAPS(C::Mknod), O{.dirfd = 0, .path = 1, .a = 2, .b = 3}, kOk, kInit, "fs/namei.c vfs_mknod"},

    // ---- truncation and writes: fs/open.c do_truncate(), fs/inode.c file_remove_privs(),
    // fs/attr.c setattr_should_drop_suidgid()
    {"truncate", K::TruncatePath, CAPS(C::DacOverride, C::DacReadSearch, C::Fsetid), O{.path = 0}, kOk, kOwn, "fs/open.c vfs_truncate"},
    {"truncate64", K::TruncatePath, CAPS(C::DacOverride, C::DacReadSearch, C::Fsetid), O{.path = 0}, kOk, kOwn, "fs/open.c vfs_truncate"},
    {"ftruncate", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kOk, kInit, "fs/attr.c setattr_should_drop_suidgid"},
    {"ftruncate64", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kOk, kInit, "fs/attr.c setattr_should_drop_suidgid"},
    {"fallocate", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kOk, kInit, "fs/attr.c setattr_should_drop_suidgid"},
    {"write", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kWrote, kInit, "fs/inode.c file_remove_privs"},
    {"pwrite64", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kWrote, kInit, "fs/inode.c file_remove_privs"},
    {"writev", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kWrote, kInit, "fs/inode.c file_remove_privs"},
    {"pwritev", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kWrote, kInit, "fs/inode.c file_remove_privs"},
    {"pwritev2", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kWrote, kInit, "fs/inode.c file_remove_privs"},
    {"copy_file_range", K::WriteFd, CAPS(C::Fsetid), O{.fd = 2}, kWrote, kInit, "fs/inode.c file_remove_privs"},
    {"sendfile", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kWrote, kInit, "fs/inode.c file_remove_privs"},
    {"sendfile64", K::WriteFd, CAPS(C::Fsetid), O{.fd = 0}, kWrote, kInit, "fs/inode.c file_remove_privs"},

    // ---- working and root directory: fs/open.c chdir/fchdir/chroot
    {"chdir", K::ChangeDir, DAC_CAPS, O{.path = 0}, kOk, kOwn, "fs/open.c chdir, path_permission"},
    {"fchdir", K::ChangeDir, DAC_CAPS, O{.fd = 0}, kOk, kOwn, "fs/open.c fchdir, file_permission"},
    {"chroot", K::ChangeDir, DAC_CAPS, O{.path = 0}, kOk, kOwn, "fs/open.c chroot, path_permission"},
    {"chroot", K::Always, CAPS(C::SysChroot), O{.path = 0}, kOk, kOwn, "fs/open.c chroot"},

    // ---- extended attributes: fs/xattr.c xattr_permission(), security/commoncap.c
    // cap_inode_setxattr(), cap_convert_nscap(), cap_inode_removexattr(); fs/posix_acl.c
    {"setxattr", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.path = 0, .a = 1}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_setxattr"},
    {"lsetxattr", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.path = 0, .a = 1, .nofollow = true}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_setxattr"},
    {"fsetxattr", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.fd = 0, .a = 1}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_setxattr"},
    {"setxattrat", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.dirfd = 0, .path = 1, .flags = 2, .a = 3, .at_flags = true}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_setxattr"},
    {"removexattr", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.path = 0, .a = 1}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_removexattr"},
    {"lremovexattr", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.path = 0, .a = 1, .nofollow = true}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_removexattr"},
    {"fremovexattr", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.fd = 0, .a = 1}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_removexattr"},
    {"removexattrat", K::SetXattr, CAPS(C::Setfcap, C::SysAdmin, C::Fowner, C::DacOverride), O{.dirfd = 0, .path = 1, .flags = 2, .a = 3, .at_flags = true}, kOk, kOwn, "fs/xattr.c xattr_permission; commoncap cap_inode_removexattr"},
    {"getxattr", K::GetXattr, CAPS(C::SysAdmin, C::DacReadSearch, C::DacOverride), O{.path = 0, .a = 1}, kOk, kOwn, "fs/xattr.c xattr_permission"},
    {"lgetxattr", K::GetXattr, CAPS(C::SysAdmin, C::DacReadSearch, C::DacOverride), O{.path = 0, .a = 1, .nofollow = true}, kOk, kOwn, "fs/xattr.c xattr_permission"},
    {"fgetxattr", K::GetXattr, CAPS(C::SysAdmin, C::DacReadSearch, C::DacOverride), O{.fd = 0, .a = 1}, kOk, kOwn, "fs/xattr.c xattr_permission"},
    {"getxattrat", K::GetXattr, CAPS(C::SysAdmin, C::DacReadSearch, C::DacOverride), O{.dirfd = 0, .path = 1, .flags = 2, .a = 3, .at_flags = true}, kOk, kOwn, "fs/xattr.c xattr_permission"},

    // ---- calls that always check one capability (before validating their arguments where
    // the outcome is kChecked: the kernel tests the capability first)
    {"acct", K::Always, CAPS(C::SysPacct), O{}, kChecked, kInit, "kernel/acct.c sys_acct"},
    {"reboot", K::Always, CAPS(C::SysBoot), O{}, kChecked, kOwn, "kernel/reboot.c sys_reboot"},
    {"kexec_load", K::Always, CAPS(C::SysBoot), O{}, kChecked, kInit, "kernel/kexec.c kexec_load_check"},
    {"kexec_file_load", K::Always, CAPS(C::SysBoot), O{}, kChecked, kInit, "kernel/kexec_file.c kexec_load_check"},
    {"init_module", K::Always, CAPS(C::SysModule), O{}, kChecked, kInit, "kernel/module/main.c may_init_module"},
    {"finit_module", K::Always, CAPS(C::SysModule), O{}, kChecked, kInit, "kernel/module/main.c may_init_module"},
    {"delete_module", K::Always, CAPS(C::SysModule), O{}, kChecked, kInit, "kernel/module/main.c delete_module"},
    {"sethostname", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "kernel/sys.c sethostname"},
    {"setdomainname", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "kernel/sys.c setdomainname"},
    {"mount", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/namespace.c may_mount"},
    {"umount", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/namespace.c may_mount"},
    {"umount2", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/namespace.c may_mount"},
    {"pivot_root", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/namespace.c may_mount"},
    {"fsopen", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/fsopen.c fsopen"},
    {"fspick", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/fsopen.c fspick"},
    {"fsmount", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/namespace.c fsmount may_mount"},
    {"mount_setattr", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/namespace.c mount_setattr may_mount"},
    {"move_mount", K::Always, CAPS(C::SysAdmin), O{}, kOk, kOwn, "fs/namespace.c move_mount may_mount"},
    {"swapon", K::Always, CAPS(C::SysAdmin), O{}, kOk, kInit, "mm/swapfile.c swapon"},
    {"swapoff", K::Always, CAPS(C::SysAdmin), O{}, kOk, kInit, "mm/swapfile.c swapoff"},
    {"lookup_dcookie", K::Always, CAPS(C::SysAdmin), O{}, kOk, kInit, "fs/dcookies.c lookup_dcookie"},
    {"vhangup", K::Always, CAPS(C::SysTtyConfig), O{}, kOk, kInit, "fs/open.c vhangup"},
    {"setgroups", K::Always, CAPS(C::Setgid), O{}, kOk, kOwn, "kernel/groups.c may_setgroups"},
    {"setgroups32", K::Always, CAPS(C::Setgid), O{}, kOk, kOwn, "kernel/groups.c may_setgroups"},
    // The time calls validate the new time, then check the capability, then validate the rest
    // (e.g. the timezone): SetClock screens out invalid times, the outcome does the rest.
    {"settimeofday", K::SetClock, CAPS(C::SysTime), O{.b = 0}, kChecked, kInit, "kernel/time/time.c do_sys_settimeofday64, commoncap cap_settime"},
    {"stime", K::SetClock, CAPS(C::SysTime), O{}, kChecked, kInit, "kernel/time/time.c stime, commoncap cap_settime"},
    {"clock_settime", K::SetClock, CAPS(C::SysTime), O{.a = 0, .b = 1}, kChecked, kInit, "kernel/time/posix-timers.c posix_clock_realtime_set"},
    {"clock_settime64", K::SetClock, CAPS(C::SysTime), O{.a = 0, .b = 1}, kChecked, kInit, "kernel/time/posix-timers.c posix_clock_realtime_set"},
    {"adjtimex", K::AdjustTime, CAPS(C::SysTime), O{.b = 0}, kChecked, kInit, "kernel/time/timekeeping.c timekeeping_validate_timex"},
    {"clock_adjtime", K::AdjustTime, CAPS(C::SysTime), O{.a = 0, .b = 1}, kChecked, kInit, "kernel/time/timekeeping.c timekeeping_validate_timex"},
    {"clock_adjtime64", K::AdjustTime, CAPS(C::SysTime), O{.a = 0, .b = 1}, kChecked, kInit, "kernel/time/timekeeping.c timekeeping_validate_timex"},
    {"timerfd_create", K::AlarmClock, CAPS(C::WakeAlarm), O{.a = 0}, kOk, kInit, "fs/timerfd.c timerfd_create"},
    {"timer_create", K::AlarmClock, CAPS(C::WakeAlarm), O{.a = 0}, kOk, kInit, "kernel/time/alarmtimer.c alarm_timer_create"},
    {"iopl", K::Iopl, CAPS(C::SysRawio), O{.a = 0}, kOk, kInit, "arch/x86/kernel/ioport.c iopl"},
    {"ioperm", K::Iopl, CAPS(C::SysRawio), O{.c = 2}, kOk, kInit, "arch/x86/kernel/ioport.c ioperm"},
    {"fanotify_init", K::FanotifyInit, CAPS(C::SysAdmin), O{.flags = 0}, kOk, kInit, "fs/notify/fanotify/fanotify_user.c fanotify_init"},

    // ---- signals: kernel/signal.c check_kill_permission(), kill_ok_by_cred()
    {"kill", K::Signal, CAPS(C::Kill), O{.a = 0, .b = 1}, kOk, kOwn, "kernel/signal.c kill_ok_by_cred"},
    {"tkill", K::Signal, CAPS(C::Kill), O{.a = 0, .b = 1}, kOk, kOwn, "kernel/signal.c kill_ok_by_cred"},
    {"tgkill", K::Signal, CAPS(C::Kill), O{.a = 1, .b = 2}, kOk, kOwn, "kernel/signal.c kill_ok_by_cred"},
    {"rt_sigqueueinfo", K::Signal, CAPS(C::Kill), O{.a = 0, .b = 1}, kOk, kOwn, "kernel/signal.c kill_ok_by_cred"},
    {"rt_tgsigqueueinfo", K::Signal, CAPS(C::Kill), O{.a = 1, .b = 2}, kOk, kOwn, "kernel/signal.c kill_ok_by_cred"},
    {"pidfd_send_signal", K::Signal, CAPS(C::Kill), O{.fd = 0, .b = 1}, kOk, kOwn, "kernel/signal.c kill_ok_by_cred"},

    // ---- credentials: kernel/sys.c __sys_setuid() and friends, kernel/groups.c
    {"setuid", K::SetUid, CAPS(C::Setuid), O{.a = 0, .id16 = true}, kOk, kOwn, "kernel/sys.c __sys_setuid"},
    {"setuid32", K::SetUid, CAPS(C::Setuid), O{.a = 0}, kOk, kOwn, "kernel/sys.c __sys_setuid"},
    {"setreuid", K::SetReUid, CAPS(C::Setuid), O{.a = 0, .b = 1, .id16 = true}, kOk, kOwn, "kernel/sys.c __sys_setreuid"},
    {"setreuid32", K::SetReUid, CAPS(C::Setuid), O{.a = 0, .b = 1}, kOk, kOwn, "kernel/sys.c __sys_setreuid"},
    {"setresuid", K::SetResUid, CAPS(C::Setuid), O{.a = 0, .b = 1, .c = 2, .id16 = true}, kOk, kOwn, "kernel/sys.c __sys_setresuid"},
    {"setresuid32", K::SetResUid, CAPS(C::Setuid), O{.a = 0, .b = 1, .c = 2}, kOk, kOwn, "kernel/sys.c __sys_setresuid"},
    {"setfsuid", K::SetFsUid, CAPS(C::Setuid), O{.a = 0, .id16 = true}, kAny, kOwn, "kernel/sys.c __sys_setfsuid"},
    {"setfsuid32", K::SetFsUid, CAPS(C::Setuid), O{.a = 0}, kAny, kOwn, "kernel/sys.c __sys_setfsuid"},
    {"setgid", K::SetGid, CAPS(C::Setgid), O{.a = 0, .id16 = true}, kOk, kOwn, "kernel/sys.c __sys_setgid"},
    {"setgid32", K::SetGid, CAPS(C::Setgid), O{.a = 0}, kOk, kOwn, "kernel/sys.c __sys_setgid"},
    {"setregid", K::SetReGid, CAPS(C::Setgid), O{.a = 0, .b = 1, .id16 = true}, kOk, kOwn, "kernel/sys.c __sys_setregid"},
    {"setregid32", K::SetReGid, CAPS(C::Setgid), O{.a = 0, .b = 1}, kOk, kOwn, "kernel/sys.c __sys_setregid"},
    {"setresgid", K::SetResGid, CAPS(C::Setgid), O{.a = 0, .b = 1, .c = 2, .id16 = true}, kOk, kOwn, "kernel/sys.c __sys_setresgid"},
    {"setresgid32", K::SetResGid, CAPS(C::Setgid), O{.a = 0, .b = 1, .c = 2}, kOk, kOwn, "kernel/sys.c __sys_setresgid"},
    {"setfsgid", K::SetFsGid, CAPS(C::Setgid), O{.a = 0, .id16 = true}, kAny, kOwn, "kernel/sys.c __sys_setfsgid"},
    {"setfsgid32", K::SetFsGid, CAPS(C::Setgid), O{.a = 0}, kAny, kOwn, "kernel/sys.c __sys_setfsgid"},
    {"capset", K::Capset, CAPS(C::Setpcap), O{.a = 0, .b = 1}, kOk, kOwn, "security/commoncap.c cap_capset"},
    {"prctl", K::Prctl, CAPS(C::Setpcap, C::SysResource), O{.a = 0, .b = 1}, kOk, kOwn, "security/commoncap.c cap_task_prctl; kernel/sys.c prctl_set_mm"},

    // ---- networking: net/ipv4/af_inet.c __inet_bind(), inet_create(); net/packet/af_packet.c
    // packet_create(); net/core/sock.c sk_setsockopt(); net/core/dev_ioctl.c; net/netlink
    {"bind", K::Bind, CAPS(C::NetBindService), O{.fd = 0, .a = 1, .b = 2}, kOk, kOwn, "net/ipv4/af_inet.c __inet_bind, inet_port_requires_bind_service"},
    {"socket", K::CreateSocket, CAPS(C::NetRaw), O{.a = 0, .b = 1, .c = 2}, kOk, kOwn, "net/ipv4/af_inet.c inet_create; net/packet/af_packet.c packet_create"},
    {"setsockopt", K::SetSockOpt, CAPS(C::NetAdmin, C::NetRaw), O{.fd = 0, .a = 1, .b = 2, .c = 3}, kOk, kOwn, "net/core/sock.c sk_setsockopt, sk_set_prio_allowed"},
    {"ioctl", K::InodeFlags, CAPS(C::Fowner, C::LinuxImmutable), O{.fd = 0, .a = 1, .b = 2}, kOk, kOwn, "fs/file_attr.c vfs_fileattr_set, fileattr_set_prepare"},
    {"ioctl", K::Ioctl, CAPS(C::NetAdmin), O{.fd = 0, .a = 1}, kOk, kOwn, "net/core/dev_ioctl.c dev_ioctl; drivers/net/tun.c tun_set_iff"},
    {"sendto", K::SendNetlink, CAPS(C::AuditWrite, C::NetAdmin, C::AuditControl), O{.fd = 0, .a = 1, .b = 2}, kOk, kOwn, "kernel/audit.c audit_netlink_ok; net/core/rtnetlink.c rtnetlink_rcv_msg; nfnetlink_rcv; xfrm_user_rcv_msg; sock_diag_destroy"},
    {"sendmsg", K::SendNetlink, CAPS(C::AuditWrite, C::NetAdmin, C::AuditControl), O{.fd = 0, .a = 1}, kOk, kOwn, "kernel/audit.c audit_netlink_ok; net/core/rtnetlink.c rtnetlink_rcv_msg; nfnetlink_rcv; xfrm_user_rcv_msg; sock_diag_destroy"},

    // i386 multiplexers (glibc uses them on kernels without the direct calls)
    {"socketcall", K::Multiplexer, CAPS(C::NetBindService, C::NetRaw, C::NetAdmin, C::AuditWrite, C::AuditControl), O{.a = 0, .b = 1}, kOk, kOwn, "net/socket.c sys_socketcall"},
    {"ipc", K::Multiplexer, CAPS(C::IpcOwner, C::SysAdmin, C::IpcLock), O{.a = 0}, kOk, kOwn, "ipc/syscall.c ksys_ipc"},

    // ---- memory locking: mm/mlock.c can_do_mlock(), do_mlock(), mlockall(); mm/mmap.c
    {"mlock", K::MemoryLock, CAPS(C::IpcLock), O{.a = 0, .b = 1}, kOk, kInit, "mm/mlock.c can_do_mlock, do_mlock"},
    {"mlock2", K::MemoryLock, CAPS(C::IpcLock), O{.flags = 2, .a = 0, .b = 1}, kOk, kInit, "mm/mlock.c can_do_mlock, do_mlock"},
    {"mlockall", K::MemoryLock, CAPS(C::IpcLock), O{.flags = 0}, kOk, kInit, "mm/mlock.c can_do_mlock, mlockall"},
    {"mmap", K::MapLocked, CAPS(C::IpcLock), O{.flags = 3, .b = 1}, kOk, kInit, "mm/mmap.c mlock_future_ok"},
    {"mmap2", K::MapLocked, CAPS(C::IpcLock), O{.flags = 3, .b = 1}, kOk, kInit, "mm/mmap.c mlock_future_ok"},

    // ---- System V IPC: ipc/util.c ipcperms(), ipcctl_obtain_check(); ipc/shm.c SHM_LOCK
    {"shmat", K::IpcAccess, CAPS(C::IpcOwner), O{.flags = 2, .a = 0}, kOk, kOwn, "ipc/util.c ipcperms"},
    {"shmctl", K::IpcAccess, CAPS(C::IpcOwner, C::SysAdmin, C::IpcLock), O{.a = 0, .b = 1}, kOk, kOwn, "ipc/util.c ipcperms, ipcctl_obtain_check; ipc/shm.c shmctl_do_lock"},
    {"msgsnd", K::IpcAccess, CAPS(C::IpcOwner), O{.a = 0}, kOk, kOwn, "ipc/util.c ipcperms"},
    {"msgrcv", K::IpcAccess, CAPS(C::IpcOwner), O{.a = 0}, kOk, kOwn, "ipc/util.c ipcperms"},
    {"msgctl", K::IpcAccess, CAPS(C::IpcOwner, C::SysAdmin), O{.a = 0, .b = 1}, kOk, kOwn, "ipc/util.c ipcperms, ipcctl_obtain_check"},
    {"semop", K::IpcAccess, CAPS(C::IpcOwner), O{.a = 0, .b = 1, .c = 2}, kOk, kOwn, "ipc/util.c ipcperms"},
    {"semtimedop", K::IpcAccess, CAPS(C::IpcOwner), O{.a = 0, .b = 1, .c = 2}, kOk, kOwn, "ipc/util.c ipcperms"},
    {"semtimedop_time64", K::IpcAccess, CAPS(C::IpcOwner), O{.a = 0, .b = 1, .c = 2}, kOk, kOwn, "ipc/util.c ipcperms"},
    {"semctl", K::IpcAccess, CAPS(C::IpcOwner, C::SysAdmin), O{.a = 0, .b = 2}, kOk, kOwn, "ipc/util.c ipcperms, ipcctl_obtain_check"},

    // ---- fcntl: fs/locks.c generic_setlease() (CAP_LEASE), fs/pipe.c pipe_set_size(),
    // fs/fcntl.c setfl() (O_NOATIME)
    {"fcntl", K::Fcntl, CAPS(C::Lease, C::SysResource, C::Fowner), O{.fd = 0, .a = 1, .b = 2}, kOk, kInit, "fs/locks.c generic_setlease; fs/pipe.c pipe_set_size; fs/fcntl.c setfl"},
    {"fcntl64", K::Fcntl, CAPS(C::Lease, C::SysResource, C::Fowner), O{.fd = 0, .a = 1, .b = 2}, kOk, kInit, "fs/locks.c generic_setlease; fs/pipe.c pipe_set_size; fs/fcntl.c setfl"},

    // ---- namespaces: kernel/fork.c ksys_unshare()/copy_namespaces(), kernel/nsproxy.c setns
    {"unshare", K::Namespaces, CAPS(C::SysAdmin), O{.flags = 0}, kOk, kOwn, "kernel/nsproxy.c unshare_nsproxy_namespaces"},
    {"clone", K::Namespaces, CAPS(C::SysAdmin), O{.flags = 0}, kOk, kOwn, "kernel/nsproxy.c copy_namespaces"},
    {"clone3", K::Namespaces, CAPS(C::SysAdmin), O{.flags = 0, .by_pointer = true}, kOk, kOwn, "kernel/nsproxy.c copy_namespaces"},
    {"setns", K::SetNs, CAPS(C::SysAdmin, C::SysChroot), O{.fd = 0, .b = 1}, kOk, kOwn, "kernel/nsproxy.c setns; fs/namespace.c mntns_install"},

    // ---- scheduling: kernel/sys.c set_one_prio(), kernel/sched/syscalls.c
    // user_check_sched_setscheduler(), block/ioprio.c ioprio_check_cap()
    {"setpriority", K::SetPriority, CAPS(C::SysNice), O{.a = 0, .b = 1, .c = 2}, kOk, kInit, "kernel/sys.c set_one_prio, can_nice"},
    {"nice", K::SetPriority, CAPS(C::SysNice), O{.c = 0}, kOk, kInit, "kernel/sched/syscalls.c sys_nice, can_nice"},
    {"sched_setscheduler", K::SchedPolicy, CAPS(C::SysNice), O{.a = 0, .b = 1, .c = 2}, kOk, kInit, "kernel/sched/syscalls.c user_check_sched_setscheduler"},
    {"sched_setparam", K::SchedPolicy, CAPS(C::SysNice), O{.a = 0, .c = 1}, kOk, kInit, "kernel/sched/syscalls.c user_check_sched_setscheduler"},
    {"sched_setattr", K::SchedPolicy, CAPS(C::SysNice), O{.a = 0, .c = 1, .by_pointer = true}, kOk, kInit, "kernel/sched/syscalls.c user_check_sched_setscheduler"},
    {"ioprio_set", K::IoPrio, CAPS(C::SysNice, C::SysAdmin), O{.a = 0, .b = 1, .c = 2}, kOk, kInit, "block/ioprio.c ioprio_check_cap"},

    // ---- resource limits: kernel/sys.c do_prlimit(), check_prlimit_permission()
    {"setrlimit", K::Rlimit, CAPS(C::SysResource), O{.a = 0, .c = 1}, kOk, kInit, "kernel/sys.c do_prlimit"},
    {"prlimit64", K::Rlimit, CAPS(C::SysResource), O{.a = 1, .b = 0, .c = 2}, kOk, kInit, "kernel/sys.c do_prlimit, check_prlimit_permission"},

    // ---- other processes' memory: kernel/ptrace.c __ptrace_may_access()
    {"ptrace", K::PtraceAccess, CAPS(C::SysPtrace), O{.a = 0, .b = 1}, kOk, kOwn, "kernel/ptrace.c __ptrace_may_access"},
    {"process_vm_readv", K::PtraceAccess, CAPS(C::SysPtrace), O{.b = 0}, kOk, kOwn, "kernel/ptrace.c __ptrace_may_access"},
    {"process_vm_writev", K::PtraceAccess, CAPS(C::SysPtrace), O{.b = 0}, kOk, kOwn, "kernel/ptrace.c __ptrace_may_access"},
    {"kcmp", K::PtraceAccess, CAPS(C::SysPtrace), O{.b = 0, .c = 1}, kOk, kOwn, "kernel/ptrace.c __ptrace_may_access"},
    {"pidfd_getfd", K::PtraceAccess, CAPS(C::SysPtrace), O{.fd = 0}, kOk, kOwn, "kernel/ptrace.c __ptrace_may_access"},
    {"process_madvise", K::PtraceAccess, CAPS(C::SysPtrace), O{.fd = 0}, kOk, kOwn, "kernel/ptrace.c __ptrace_may_access"},

    // ---- kernel log, BPF, perf: kernel/printk/printk.c check_syslog_permissions(),
    // kernel/bpf/syscall.c, kernel/events/core.c perf_event_open()
    {"syslog", K::Syslog, CAPS(C::Syslog, C::SysAdmin), O{.a = 0}, kOk, kInit, "kernel/printk/printk.c check_syslog_permissions"},
    {"bpf", K::Bpf, CAPS(C::Bpf, C::SysAdmin, C::NetAdmin, C::Perfmon), O{.a = 0}, kOk, kInit, "kernel/bpf/syscall.c bpf_token_capable"},
    {"perf_event_open", K::PerfEventOpen, CAPS(C::Perfmon, C::SysAdmin), O{.a = 0, .b = 1, .c = 2}, kOk, kInit, "kernel/events/core.c perf_allow_kernel, perf_allow_cpu"},
};

#undef CAPS
#undef DAC_CAPS
#undef LOOKUP_CAPS

const std::vector<CapabilityRule>& sorted_rules() {
  static const std::vector<CapabilityRule> rules = [] {
    std::vector<CapabilityRule> v(std::begin(kRules), std::end(kRules));
    std::ranges::stable_sort(v, {}, &CapabilityRule::syscall);
    return v;
  }();
  return rules;
}

}  // namespace

std::span<const CapabilityRule> capability_rules() { return sorted_rules(); }

std::span<const CapabilityRule> capability_rules_for(std::string_view syscall) {
  const auto& rules = sorted_rules();
  auto [first, last] = std::ranges::equal_range(rules, syscall, {}, &CapabilityRule::syscall);
  return {first, last};
}

}  // namespace syscap::tables
