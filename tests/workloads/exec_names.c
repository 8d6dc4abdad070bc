// The names the kernel gives the programs exec calls run (bprm->filename): re-runs itself in
// several ways, each run making one syscall nothing else here makes, so a trace's first caller
// of that syscall shows the name its program ran under.
//   wl_exec_names [DIR]   with 40 this program's directory and 41 this program:
//     execveat(40, "wl_exec_names", 0): sched_yield under "/dev/fd/40/wl_exec_names";
//     execveat(41, "", AT_EMPTY_PATH): getpgrp under "/dev/fd/41";
//     execveat(AT_FDCWD, absolute path, 0): times under that path;
//     execveat(40, "no-such-program", 0) fails, then getsid under this program's own name;
//     with DIR, execve("DIR/wl_exec_names.sh"), a "#!" script running this program:
//       getpriority under the script's path.
//   wl_exec_names yield|pgrp|times|interp   the runs' own modes
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

static char* const kNoEnvironment[] = {NULL};

static int exits_zero(pid_t pid) {
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int run(int dirfd, const char* path, int flags, const char* mode) {
  pid_t pid = fork();
  if (pid == 0) {
    char* const argv[] = {"wl_exec_names", (char*)mode, NULL};
    syscall(SYS_execveat, dirfd, path, argv, kNoEnvironment, flags);
    _exit(127);
  }
  return exits_zero(pid);
}

// An exec that fails: the child goes on as this program.
static int run_after_failed_exec(void) {
  pid_t pid = fork();
  if (pid == 0) {
    char* const argv[] = {"no-such-program", NULL};
    if (syscall(SYS_execveat, 40, "no-such-program", argv, kNoEnvironment, 0) == 0) _exit(1);
    // 0 is a session id too: the one a session leader outside this PID namespace has here.
    _exit(getsid(0) >= 0 ? 0 : 1);
  }
  return exits_zero(pid);
}

static int run_script(const char* dir, const char* self) {
  char script[PATH_MAX];
  snprintf(script, sizeof script, "%s/wl_exec_names.sh", dir);
  FILE* f = fopen(script, "w");
  if (!f) return 0;
  fprintf(f, "#!%s interp\n", self);
  if (fclose(f) != 0 || chmod(script, 0755) != 0) return 0;
  pid_t pid = fork();
  if (pid == 0) {
    char* const argv[] = {script, NULL};
    execve(script, argv, kNoEnvironment);
    _exit(127);
  }
  return exits_zero(pid);
}

int main(int argc, char** argv) {
  if (argc > 1 && argv[1][0] != '/') {
    if (strcmp(argv[1], "yield") == 0) return sched_yield();
    if (strcmp(argv[1], "pgrp") == 0) return getpgrp() >= 0 ? 0 : 1;  // 0: a group led from outside our PID namespace
    if (strcmp(argv[1], "times") == 0) {
      struct tms t;
      return times(&t) == (clock_t)-1;
    }
    if (strcmp(argv[1], "interp") == 0) {
      errno = 0;
      return getpriority(PRIO_PROCESS, 0) == -1 && errno != 0;
    }
    return 2;
  }
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 3;
  self[n] = 0;
  char dir[PATH_MAX];
  memcpy(dir, self, (size_t)n + 1);
  if (dup2(open(dirname(dir), O_PATH | O_DIRECTORY), 40) != 40) return 4;
  if (dup2(open(self, O_PATH), 41) != 41) return 5;
  if (!run(40, "wl_exec_names", 0, "yield")) return 6;
  if (!run(41, "", AT_EMPTY_PATH, "pgrp")) return 7;
  if (!run(AT_FDCWD, self, 0, "times")) return 8;
  if (!run_after_failed_exec()) return 9;
  if (argc > 1 && !run_script(argv[1], self)) return 10;
  return 0;
}
