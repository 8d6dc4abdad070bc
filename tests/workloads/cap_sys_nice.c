/* CAP_SYS_NICE: lower one's nice value (raise priority) beyond RLIMIT_NICE (need); raise it
 * (benign). */
#include "cap_common.h"

#include <sys/resource.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  errno = 0;
  int nice_now = getpriority(PRIO_PROCESS, 0);
  if (errno) cap_fail("getpriority");
  int target = need ? nice_now - 1 : nice_now + 1;
  if (target < -20 || target > 19) {
    fprintf(stderr, "%s: nice %d is at the end of the range\n", cap_mode, nice_now);
    return 2;
  }
  if (setpriority(PRIO_PROCESS, 0, target) != 0) cap_fail("setpriority");
  return 0;
}
