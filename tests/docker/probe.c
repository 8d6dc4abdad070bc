/* The parity probe: for each name on the command line, one system call in a harmless form,
 * printed as "NAME RESULT" where RESULT is "ok" or the errno's name ("EPERM", "EINVAL", ...).
 * Unknown names print "NAME unknown-probe" and make the exit status 2.
 *
 *   probe getpid mount setns      # getpid ok / mount EPERM / setns EPERM   (Docker's default)
 *   probe capeff                  # capeff 0x00000000a80425fb: the effective capability set
 *
 * Every probe is built so that, whatever seccomp decides, nothing changes on the machine even
 * when it runs as root with CAP_SYS_ADMIN outside a container (under `syscap enforce`): paths
 * that do not exist, invalid flags, descriptor -1, NULL structures, bad magic numbers. Where
 * the filter lets a call through, the kernel therefore answers ENOENT/EINVAL/EBADF/EFAULT/...;
 * a refusal by seccomp is EPERM (ENOSYS for Docker's clone3 rule). Raw syscall(2) throughout,
 * so that glibc neither hides a call nor substitutes another one.
 *
 * Built static (tests/docker/CMakeLists.txt) so it runs in a busybox image. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A path that exists neither on the host nor in the image. */
#define NOWHERE "/nonexistent-syscap-probe"

static long probe_getpid(void) { return syscall(SYS_getpid); }

static long probe_uname(void) {
  struct utsname u;
  return syscall(SYS_uname, &u);
}

/* clone without namespace flags: allowed by Docker's clone rule for everybody. The child
 * leaves at once. */
static long probe_fork(void) {
  long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) syscall(SYS_exit_group, 0);
  if (pid < 0) return pid;
  int status = 0;
  if (waitpid((pid_t)pid, &status, 0) < 0) return -1;
  return 0;
}

static long probe_socket_unix(void) {
  long fd = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
  if (fd >= 0) syscall(SYS_close, fd);
  return fd < 0 ? fd : 0;
}

/* 0xffffffff only queries the persona: one of the five values Docker's profile allows. */
static long probe_personality_query(void) {
  long r = syscall(SYS_personality, 0xffffffffUL);
  return r < 0 ? r : 0;
}

/* PER_BSD (6) is not among the allowed values; if it were let through it would only change
 * this process's persona, and is put back. */
static long probe_personality_bsd(void) {
  long old = syscall(SYS_personality, 6UL);
  if (old < 0) return old;
  syscall(SYS_personality, (unsigned long)old);
  return 0;
}

/* CAP_SYS_CHROOT is among Docker's default 14: allowed, and the kernel says ENOENT. */
static long probe_chroot(void) { return syscall(SYS_chroot, NOWHERE); }

/* ptrace is allowed for kernels >= 4.8; pid 0 is nobody (ESRCH). */
static long probe_ptrace(void) { return syscall(SYS_ptrace, 1 /* PEEKTEXT */, 0, 0, 0); }

/* Never allowed. AF_VSOCK (40) is the gap in Docker's socket rules; the type 999 makes the
 * kernel answer EINVAL before it looks for the family (no module is ever requested). */
static long probe_socket_vsock(void) { return syscall(SYS_socket, 40, 999, 0); }

static long probe_kexec_load(void) { return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL); }

static long probe_add_key(void) { return syscall(SYS_add_key, NULL, NULL, NULL, 0, 0); }

/* UFFD_USER_MODE_ONLY (1) passes the sysctl check; the unknown flag 2 makes it EINVAL. */
static long probe_userfaultfd(void) { return syscall(SYS_userfaultfd, 1 | 2); }

/* CAP_SYS_PTRACE only; pid 0 is nobody (ESRCH). */
static long probe_kcmp(void) { return syscall(SYS_kcmp, 0, 0, 0, 0, 0); }

/* Not allowed even with CAP_SYS_ADMIN; the kernel would answer ENOENT. */
static long probe_swapon(void) { return syscall(SYS_swapon, NOWHERE, 0); }

/* CAP_SYS_TIME only. CLOCK_MONOTONIC cannot be set, and the NULL time is EFAULT anyway. */
static long probe_clock_settime(void) { return syscall(SYS_clock_settime, CLOCK_MONOTONIC, NULL); }

/* CAP_SYS_BOOT only; a bad magic number is EINVAL. */
static long probe_reboot(void) { return syscall(SYS_reboot, 0, 0, 0, NULL); }

/* CAP_SYS_PACCT only (never NULL: that would switch accounting off). */
static long probe_acct(void) { return syscall(SYS_acct, NOWHERE); }

/* CAP_DAC_READ_SEARCH only (the "shocker" escape); descriptor -1, no handle. */
static long probe_open_by_handle_at(void) { return syscall(SYS_open_by_handle_at, -1, NULL, 0); }

/* CAP_SYS_ADMIN-tied calls: with it they reach the kernel, which refuses the arguments. */
static long probe_mount(void) { return syscall(SYS_mount, "none", NOWHERE, "tmpfs", 0UL, NULL); }

/* 0x100 is no umount flag: EINVAL before any lookup. */
static long probe_umount2(void) { return syscall(SYS_umount2, NOWHERE, 0x100); }

/* CLONE_PTRACE is not a flag unshare accepts: EINVAL before anything is unshared. */
static long probe_unshare(void) {
  return syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS | CLONE_PTRACE);
}

static long probe_setns(void) { return syscall(SYS_setns, -1, 0); }

/* Namespace flags fail Docker's masked clone rule without CAP_SYS_ADMIN; with it the kernel
 * refuses CLONE_NEWUSER together with CLONE_FS (EINVAL), so no child is ever made. */
static long probe_clone_newuser(void) {
  long pid = syscall(SYS_clone, CLONE_NEWUSER | CLONE_FS | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) syscall(SYS_exit_group, 0);
  if (pid > 0) waitpid((pid_t)pid, NULL, 0);
  return pid < 0 ? pid : 0;
}

/* Docker answers ENOSYS without CAP_SYS_ADMIN (so that libcs fall back to clone); with it the
 * kernel refuses a NULL, zero-sized argument (EINVAL). */
static long probe_clone3(void) { return syscall(SYS_clone3, NULL, 0); }

/* A negative length is EINVAL once the capability check passes, and the NULL name would be
 * EFAULT: the hostname never changes. (syslog, also tied to CAP_SYS_ADMIN by Docker, is no
 * probe: current kernels want CAP_SYSLOG for it, so the kernel's own EPERM would hide the
 * flip.) */
static long probe_sethostname(void) { return syscall(SYS_sethostname, NULL, -1); }

/* Command 9999 does not exist: EINVAL. */
static long probe_bpf(void) { return syscall(SYS_bpf, 9999, NULL, 0); }

/* The NULL attribute is EFAULT before any event is made. */
static long probe_perf_event_open(void) { return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0); }

struct probe {
  const char* name;
  long (*run)(void);
};

static const struct probe probes[] = {
    {"getpid", probe_getpid},
    {"uname", probe_uname},
    {"fork", probe_fork},
    {"socket_unix", probe_socket_unix},
    {"personality_query", probe_personality_query},
    {"chroot", probe_chroot},
    {"ptrace", probe_ptrace},
    {"personality_bsd", probe_personality_bsd},
    {"socket_vsock", probe_socket_vsock},
    {"kexec_load", probe_kexec_load},
    {"add_key", probe_add_key},
    {"userfaultfd", probe_userfaultfd},
    {"kcmp", probe_kcmp},
    {"swapon", probe_swapon},
    {"clock_settime", probe_clock_settime},
    {"reboot", probe_reboot},
    {"acct", probe_acct},
    {"open_by_handle_at", probe_open_by_handle_at},
    {"mount", probe_mount},
    {"umount2", probe_umount2},
    {"unshare", probe_unshare},
    {"setns", probe_setns},
    {"clone_newuser", probe_clone_newuser},
    {"clone3", probe_clone3},
    {"sethostname", probe_sethostname},
    {"bpf", probe_bpf},
    {"perf_event_open", probe_perf_event_open},
};

/* The effective capability set, as one hexadecimal number. */
static void print_capeff(void) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capget, &header, data) != 0) {
    printf("capeff %s\n", strerrorname_np(errno));
    return;
  }
  unsigned long long eff = ((unsigned long long)data[1].effective << 32) | data[0].effective;
  printf("capeff 0x%016llx\n", eff);
}

int main(int argc, char** argv) {
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "capeff") == 0) {
      print_capeff();
      continue;
    }
    const struct probe* p = NULL;
    for (size_t k = 0; k < sizeof probes / sizeof probes[0]; ++k)
      if (strcmp(probes[k].name, argv[i]) == 0) p = &probes[k];
    if (p == NULL) {
      printf("%s unknown-probe\n", argv[i]);
      status = 2;
      continue;
    }
    errno = 0;
    long r = p->run();
    if (r >= 0) {
      printf("%s ok\n", p->name);
    } else {
      const char* name = strerrorname_np(errno);
      if (name != NULL)
        printf("%s %s\n", p->name, name);
      else
        printf("%s errno-%d\n", p->name, errno);
    }
  }
  fflush(stdout);
  return status;
}
