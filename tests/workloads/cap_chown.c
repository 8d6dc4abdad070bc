/* CAP_CHOWN: give a file to another user (need); chown to one's own uid and -1 (benign). */
#include "cap_common.h"

#include <fcntl.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  cap_tmpdir();
  int fd = open(cap_path("f"), O_CREAT | O_WRONLY, 0644);
  if (fd < 0) cap_fail("open");
  close(fd);
  if (need) {
    if (chown(cap_path("f"), 65534, 65534) != 0) cap_fail("chown to 65534");
  } else {
    if (chown(cap_path("f"), getuid(), (gid_t)-1) != 0) cap_fail("chown to own uid");
    if (chown(cap_path("f"), (uid_t)-1, (gid_t)-1) != 0) cap_fail("chown -1 -1");
    if (lchown(cap_path("f"), (uid_t)-1, getgid()) != 0) cap_fail("lchown to own gid");
  }
  cap_cleanup("f");
  return 0;
}
