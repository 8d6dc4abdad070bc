// A child made with CLONE_UNTRACED, which no tracer follows unless it clears the flag: the child
// makes a call nothing else here makes (getpgid) and exits 0; the parent exits with its status.
//   wl_untraced_clone clone|clone3|clone3_const|vfork
//     clone:        clone(CLONE_UNTRACED | SIGCHLD), raw syscall
//     clone3:       clone3 with struct clone_args {.flags = CLONE_UNTRACED, .exit_signal = SIGCHLD}
//     clone3_const: the same struct in read-only memory (a tracer must still be able to clear it)
//     vfork:        clone(CLONE_VFORK | CLONE_UNTRACED | SIGCHLD): the parent waits in the call
// Exits 0 natively. An untraced child under a tracer's SECCOMP_RET_TRACE filter can make no
// syscall at all (each fails with ENOSYS, exit too), so the parent gives it 20 s and then kills
// it and exits 2 (vfork: an alarm ends the parent instead). 3: the clone failed; 4: getpgid
// failed in the child; 77: this kernel has no clone3.
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const struct clone_args kConstArgs = {.flags = CLONE_UNTRACED, .exit_signal = SIGCHLD};

static void child(void) {
  long r = syscall(SYS_getpgid, 0);
  syscall(SYS_exit_group, r < 0 ? 4 : 0);
  for (;;) {  // only when exit_group itself failed: an untraced child under the filter
  }
}

// The child's exit status, or 2 when it has not ended within 20 s (it is killed then).
static int wait_child(pid_t pid) {
  for (int i = 0; i < 2000; ++i) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r < 0) return 3;
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  return 2;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "clone";
  long pid;
  if (strcmp(mode, "clone") == 0) {
    pid = syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED | SIGCHLD), 0L, NULL, NULL, 0L);
  } else if (strcmp(mode, "clone3") == 0 || strcmp(mode, "clone3_const") == 0) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_UNTRACED;
    args.exit_signal = SIGCHLD;
    const struct clone_args* p = strcmp(mode, "clone3") == 0 ? &args : &kConstArgs;
    pid = syscall(SYS_clone3, p, sizeof *p);
    if (pid < 0 && errno == ENOSYS) return 77;
  } else if (strcmp(mode, "vfork") == 0) {
    alarm(20);
    pid = syscall(SYS_clone, (unsigned long)(CLONE_VFORK | CLONE_UNTRACED | SIGCHLD), 0L, NULL, NULL, 0L);
    alarm(0);
  } else {
    return 64;
  }
  if (pid < 0) return 3;
  if (pid == 0) child();
  return wait_child((pid_t)pid);
}
