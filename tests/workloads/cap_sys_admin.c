/* CAP_SYS_ADMIN: set the hostname in a new UTS namespace (need; the machine's stays); the same
 * inside a new user namespace, where the caller holds every capability of its own (benign). */
#include "cap_common.h"

#include <sched.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (unshare(need ? CLONE_NEWUTS : CLONE_NEWUSER | CLONE_NEWUTS) != 0) cap_fail("unshare");
  if (sethostname("syscap-test", 11) != 0) cap_fail("sethostname");
  return 0;
}
