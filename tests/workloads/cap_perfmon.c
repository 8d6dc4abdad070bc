/* CAP_PERFMON: count this process's CPU clock including kernel time (need, with
 * kernel.perf_event_paranoid >= 2); user time only (benign). */
#include "cap_common.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  struct perf_event_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.disabled = 1;
  attr.exclude_kernel = need ? 0 : 1;
  attr.exclude_hv = 1;
  int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd < 0) cap_fail("perf_event_open");
  close(fd);
  return 0;
}
