/* CAP_SYS_PTRACE through /proc links (lsns's way): follow, read and open the ns/ links and
 * follow the exe link of PID, a process of another user (need); the same of one's own child
 * (benign). Following or reading another process's /proc links asks ptrace_may_access() with
 * the fs credentials (proc_ns_get_link, proc_ns_readlink, proc_pid_get_link). The test starts
 * PID under another uid. */
#include "cap_common.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Each use of the links of the process whose /proc directory is `dir`. */
static void use_links(int dir) {
  struct stat st;
  char target[256];
  if (fstatat(dir, "ns/net", &st, 0) != 0) cap_fail("fstatat(ns/net)");
  if (readlinkat(dir, "ns/uts", target, sizeof target) < 0) cap_fail("readlinkat(ns/uts)");
  int ns = openat(dir, "ns/ipc", O_RDONLY | O_CLOEXEC);
  if (ns < 0) cap_fail("openat(ns/ipc)");
  close(ns);
  if (fstatat(dir, "exe", &st, 0) != 0) cap_fail("fstatat(exe)");
}

static int proc_dir(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d", (int)pid);
  int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) cap_fail("open(/proc/PID)");
  return dir;
}

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (argc < 3) cap_parse(0, argv, 1);
    use_links(proc_dir((pid_t)atoi(argv[2])));
    return 0;
  }
  int ready[2];
  if (pipe(ready) != 0) cap_fail("pipe");
  pid_t child = fork();
  if (child < 0) cap_fail("fork");
  if (child == 0) {
    if (write(ready[1], "r", 1) != 1) _exit(3);
    pause();
    _exit(0);
  }
  char c;
  if (read(ready[0], &c, 1) != 1) cap_fail("waiting for the child");
  use_links(proc_dir(child));
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  return 0;
}
