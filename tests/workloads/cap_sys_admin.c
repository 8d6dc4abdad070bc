/* CAP_SYS_ADMIN: set the hostname in a new UTS namespace (need; the machine's stays); the same
 * inside a new user namespace, where the caller holds every capability of its own, after reading
 * kernel.pid_max and kernel.msg_next_id (benign: since Linux 6.14 the first asks for CAP_SYS_ADMIN,
 * noaudit, at every open and read; the IPC ids' next_id ones ask for CAP_CHECKPOINT_RESTORE). */
#include "cap_common.h"

#include <sched.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (!need) {
    cap_read_if_there("/proc/sys/kernel/pid_max");
    cap_read_if_there("/proc/sys/kernel/msg_next_id");
  }
  if (unshare(need ? CLONE_NEWUTS : CLONE_NEWUSER | CLONE_NEWUTS) != 0) cap_fail("unshare");
  if (sethostname("syscap-test", 11) != 0) cap_fail("sethostname");
  return 0;
}
