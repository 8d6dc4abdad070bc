/* CAP_SETPCAP: drop CAP_SYSLOG from one's own bounding set (need); read it (benign). */
#include "cap_common.h"

#include <linux/capability.h>
#include <sys/prctl.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (prctl(PR_CAPBSET_DROP, CAP_SYSLOG, 0, 0, 0) != 0) cap_fail("prctl(PR_CAPBSET_DROP)");
  } else {
    if (prctl(PR_CAPBSET_READ, CAP_SYSLOG, 0, 0, 0) < 0) cap_fail("prctl(PR_CAPBSET_READ)");
  }
  return 0;
}
