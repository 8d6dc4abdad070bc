/* CAP_SETGID: become gid 65534 and drop supplementary groups (need); setgid to one's own gid
 * (benign). */
#include "cap_common.h"

#include <grp.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (setgroups(0, NULL) != 0) cap_fail("setgroups(0)");
    if (setresgid(65534, 65534, 65534) != 0) cap_fail("setresgid(65534)");
  } else {
    if (setgid(getgid()) != 0) cap_fail("setgid(own gid)");
  }
  return 0;
}
