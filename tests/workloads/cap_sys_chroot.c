/* CAP_SYS_CHROOT: chroot("/") (need, changes nothing); chdir("/") (benign). */
#include "cap_common.h"

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need ? chroot("/") != 0 : chdir("/") != 0) cap_fail(need ? "chroot" : "chdir");
  return 0;
}
