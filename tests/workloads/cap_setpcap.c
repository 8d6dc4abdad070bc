/* CAP_SETPCAP: drop CAP_SYSLOG from one's own bounding set (need); read it, and set one's own
 * capability sets again with the inheritable set emptied, as setpriv --inh-caps=-all and
 * libcap's cap_set_proc do (benign: the kernel asks for CAP_SETPCAP at every capset, before it
 * tests whether the new inheritable set stays within the old inheritable and permitted ones). */
#include "cap_common.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (prctl(PR_CAPBSET_DROP, CAP_SYSLOG, 0, 0, 0) != 0) cap_fail("prctl(PR_CAPBSET_DROP)");
  } else {
    if (prctl(PR_CAPBSET_READ, CAP_SYSLOG, 0, 0, 0) < 0) cap_fail("prctl(PR_CAPBSET_READ)");
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct sets[_LINUX_CAPABILITY_U32S_3];
    if (syscall(SYS_capget, &header, sets) != 0) cap_fail("capget");
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; ++i) sets[i].inheritable = 0;
    if (syscall(SYS_capset, &header, sets) != 0) cap_fail("capset");
  }
  return 0;
}
