/* CAP_SYS_TIME: settimeofday(NULL, NULL), which checks the capability and sets nothing (need);
 * read the clock and the adjtimex state (benign). */
#include "cap_common.h"

#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (syscall(SYS_settimeofday, NULL, NULL) != 0) cap_fail("settimeofday(NULL, NULL)");
  } else {
    struct timeval tv;
    if (gettimeofday(&tv, NULL) != 0) cap_fail("gettimeofday");
    struct timex tx = {.modes = 0};
    if (adjtimex(&tx) < 0) cap_fail("adjtimex(modes 0)");
  }
  return 0;
}
