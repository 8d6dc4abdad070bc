/* CAP_SETFCAP: give a file a capability set (security.capability) (need); set a user.*
 * attribute (benign). */
#include "cap_common.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/xattr.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  cap_tmpdir();
  int fd = open(cap_path("f"), O_CREAT | O_WRONLY, 0755);
  if (fd < 0) cap_fail("create");
  close(fd);
  if (need) {
    /* VFS_CAP_REVISION_2: cap_net_raw in permitted, nothing effective. */
    uint32_t caps[5] = {VFS_CAP_REVISION_2, 1u << CAP_NET_RAW, 0, 0, 0};
    if (setxattr(cap_path("f"), "security.capability", caps, sizeof caps, 0) != 0)
      cap_fail("setxattr(security.capability)");
  } else {
    if (setxattr(cap_path("f"), "user.syscap", "1", 1, 0) != 0) cap_fail("setxattr(user.syscap)");
  }
  cap_cleanup("f");
  return 0;
}
