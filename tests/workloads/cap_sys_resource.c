/* CAP_SYS_RESOURCE: raise the hard RLIMIT_NOFILE limit (need); lower the soft one (benign). */
#include "cap_common.h"

#include <sys/resource.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) cap_fail("getrlimit");
  if (need) {
    lim.rlim_max += 1;
  } else {
    lim.rlim_cur = lim.rlim_cur > 64 ? lim.rlim_cur - 1 : lim.rlim_cur;
  }
  if (setrlimit(RLIMIT_NOFILE, &lim) != 0) cap_fail("setrlimit");
  return 0;
}
