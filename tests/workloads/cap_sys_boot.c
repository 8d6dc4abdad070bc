/* CAP_SYS_BOOT: reboot() with wrong magic numbers: the kernel checks the capability first and
 * then refuses with EINVAL, so nothing happens (need); uname (benign). Exit 0 on EINVAL. */
#include "cap_common.h"

#include <sys/syscall.h>
#include <sys/utsname.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (syscall(SYS_reboot, 0, 0, 0, NULL) == 0 || errno != EINVAL) cap_fail("reboot(0, 0, 0)");
  } else {
    struct utsname u;
    if (uname(&u) != 0) cap_fail("uname");
  }
  return 0;
}
