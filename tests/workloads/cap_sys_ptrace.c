/* CAP_SYS_PTRACE: read the memory of one's own child after it made itself non-dumpable (need);
 * of a dumpable child, and read /proc/<pid>/stat and wchan of kthreadd (benign: where the
 * reader's capabilities are not all of the target's, those reads ask for CAP_SYS_PTRACE,
 * noaudit, and hide a few fields without it). Same uid either way. */
#include "cap_common.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>

static char secret[16] = "syscap";

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int ready[2];
  if (pipe(ready) != 0) cap_fail("pipe");
  pid_t child = fork();
  if (child < 0) cap_fail("fork");
  if (child == 0) {
    if (need && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) _exit(3);
    if (write(ready[1], "r", 1) != 1) _exit(3);
    pause();
    _exit(0);
  }
  char c;
  if (read(ready[0], &c, 1) != 1) cap_fail("waiting for the child");
  char buf[16];
  struct iovec local = {buf, sizeof buf}, remote = {secret, sizeof secret};
  ssize_t n = process_vm_readv(child, &local, 1, &remote, 1, 0);
  int err = errno;
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  errno = err;
  if (n != (ssize_t)sizeof buf) cap_fail("process_vm_readv");
  if (!need) {
    cap_read_if_there("/proc/2/stat");
    cap_read_if_there("/proc/2/wchan");
  }
  return 0;
}
