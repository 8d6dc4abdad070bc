/* CAP_SETUID: become uid 65534 (need); setuid to one's own uid (benign). */
#include "cap_common.h"

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (setresuid(65534, 65534, 65534) != 0) cap_fail("setresuid(65534)");
  } else {
    if (setuid(getuid()) != 0) cap_fail("setuid(own uid)");
    if (setreuid((uid_t)-1, geteuid()) != 0) cap_fail("setreuid(-1, own euid)");
  }
  return 0;
}
