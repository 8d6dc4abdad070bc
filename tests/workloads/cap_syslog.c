/* CAP_SYSLOG: ask the size of the unread kernel log, restricted when kernel.dmesg_restrict=1
 * (need); open /dev/kmsg for writing only, which is never checked, and write nothing (benign). */
#include "cap_common.h"

#include <fcntl.h>
#include <sys/klog.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (klogctl(9 /* SYSLOG_ACTION_SIZE_UNREAD */, NULL, 0) < 0) cap_fail("syslog");
  } else {
    int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
    if (fd < 0) cap_fail("open /dev/kmsg for writing");
    close(fd);
  }
  return 0;
}
