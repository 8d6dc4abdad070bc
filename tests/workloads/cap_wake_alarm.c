/* CAP_WAKE_ALARM: a timerfd on CLOCK_BOOTTIME_ALARM (need); on CLOCK_BOOTTIME (benign). */
#include "cap_common.h"

#include <sys/timerfd.h>
#include <time.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int fd = timerfd_create(need ? CLOCK_BOOTTIME_ALARM : CLOCK_BOOTTIME, 0);
  if (fd < 0) cap_fail("timerfd_create");
  close(fd);
  return 0;
}
