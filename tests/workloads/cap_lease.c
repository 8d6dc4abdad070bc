/* CAP_LEASE: take a read lease on FILE, owned by another user (need); on a file of one's own
 * (benign). The test prepares FILE: another uid's, readable. */
#include "cap_common.h"

#include <fcntl.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  const char* file;
  if (need) {
    if (argc < 3) cap_parse(0, argv, 1);
    file = argv[2];
  } else {
    cap_tmpdir();
    int fd = open(cap_path("f"), O_CREAT | O_WRONLY, 0644);
    if (fd < 0) cap_fail("create");
    close(fd);
    file = cap_path("f");
  }
  int fd = open(file, O_RDONLY);
  if (fd < 0) cap_fail("open");
  if (fcntl(fd, F_SETLEASE, F_RDLCK) != 0) cap_fail("fcntl(F_SETLEASE, F_RDLCK)");
  fcntl(fd, F_SETLEASE, F_UNLCK);
  close(fd);
  if (!need) cap_cleanup("f");
  return 0;
}
