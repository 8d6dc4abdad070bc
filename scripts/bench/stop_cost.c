/* What one stop per syscall costs, by mechanism (docs/performance.md): the workload calls getppid
 * N times and every call stops for a supervisor in another process, which answers at once.
 *   ptrace:      SECCOMP_RET_TRACE, waitpid + PTRACE_GET_SYSCALL_INFO + PTRACE_CONT (what
 *                syscap record does per call)
 *   notify:      SECCOMP_RET_USER_NOTIF, SECCOMP_IOCTL_NOTIF_RECV + SEND with
 *                SECCOMP_USER_NOTIF_FLAG_CONTINUE (Linux 5.5)
 *   notify-sync: the same with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP on the listener (Linux 6.6):
 *                the kernel hands the CPU over between the two sides
 * Prints microseconds per call for each, and native. Built and run by scripts/bench/stop-cost.
 *   stop_cost [N]     (default 100000) */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void calls(long n) {
  for (long i = 0; i < n; ++i) syscall(SYS_getppid);
}

/* getppid gets `action`, everything else runs. */
static int install(unsigned int action, unsigned int flags) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, action),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof f / sizeof f[0], f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static double run_ptrace(long n) {
  pid_t child = fork();
  if (child == 0) {
    if (install(SECCOMP_RET_TRACE, 0) < 0) _exit(2);
    raise(SIGSTOP);
    calls(n);
    _exit(0);
  }
  int status;
  waitpid(child, &status, WUNTRACED);  /* stopped, filter installed */
  ptrace(PTRACE_SEIZE, child, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL);
  double start = now_us();
  kill(child, SIGCONT);
  for (;;) {
    if (waitpid(child, &status, __WALL) < 0 || WIFEXITED(status) || WIFSIGNALED(status)) break;
    if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
      struct __ptrace_syscall_info info;
      ptrace(PTRACE_GET_SYSCALL_INFO, child, sizeof info, &info);
      ptrace(PTRACE_CONT, child, 0, 0);
    } else {
      int sig = WSTOPSIG(status);
      ptrace(PTRACE_CONT, child, 0, sig == SIGSTOP || sig == SIGCONT ? 0 : sig);
    }
  }
  return (now_us() - start) / n;
}

static double run_notify(long n, int sync) {
  int ready[2], go[2];
  if (pipe(ready) || pipe(go)) return -1;
  pid_t child = fork();
  if (child == 0) {
    int fd = install(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (write(ready[1], &fd, sizeof fd) != sizeof fd) _exit(2);
    char c;
    if (read(go[0], &c, 1) != 1) _exit(2);
    calls(n);
    _exit(0);
  }
  int child_fd = -1;
  if (read(ready[0], &child_fd, sizeof child_fd) != sizeof child_fd || child_fd < 0) return -1;
  int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
  int fd = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
  if (fd < 0) return -1;
  if (sync && ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) != 0) {
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return -2;  /* not on this kernel */
  }
  double start = now_us();
  if (write(go[1], "x", 1) != 1) return -1;
  for (long i = 0; i < n; ++i) {
    struct seccomp_notif req;
    struct seccomp_notif_resp resp;
    memset(&req, 0, sizeof req);
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) return -1;
    memset(&resp, 0, sizeof resp);
    resp.id = req.id;
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0) return -1;
  }
  waitpid(child, NULL, 0);
  return (now_us() - start) / n;
}

static void show(const char* name, double us, double native) {
  if (us == -2) printf("| %s | not on this kernel |\n", name);
  else if (us < 0) printf("| %s | failed: %s |\n", name, strerror(errno));
  else printf("| %s | %.2f us (%.0fx) |\n", name, us, us / native);
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  double start = now_us();
  calls(n);
  double native = (now_us() - start) / n;
  printf("| stop per getppid (%ld calls) | time per call |\n| --- | ---: |\n", n);
  printf("| native | %.2f us |\n", native);
  show("ptrace (SECCOMP_RET_TRACE)", run_ptrace(n), native);
  show("user notification", run_notify(n, 0), native);
  show("user notification, SYNC_WAKE_UP", run_notify(n, 1), native);
  return 0;
}
