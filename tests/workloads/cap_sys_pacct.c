/* CAP_SYS_PACCT: acct() on a missing file: the capability is checked, then ENOENT, and
 * accounting stays as it was (need); access() of the same path (benign). Exit 0 on ENOENT. */
#include "cap_common.h"

#include <sys/syscall.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  const char* missing = "/nonexistent-syscap/acct";
  if (need) {
    if (syscall(SYS_acct, missing) == 0 || errno != ENOENT) cap_fail("acct(missing file)");
  } else {
    if (access(missing, F_OK) == 0 || errno != ENOENT) cap_fail("access(missing file)");
  }
  return 0;
}
