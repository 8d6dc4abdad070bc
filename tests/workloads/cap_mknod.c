/* CAP_MKNOD: create a character device node (1:3, like /dev/null) (need); a FIFO (benign). */
#include "cap_common.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  cap_tmpdir();
  int r = need ? mknod(cap_path("n"), S_IFCHR | 0600, makedev(1, 3)) : mkfifo(cap_path("n"), 0600);
  if (r != 0) {
    int err = errno;
    cap_cleanup(NULL);
    errno = err;
    cap_fail(need ? "mknod(S_IFCHR)" : "mkfifo");
  }
  cap_cleanup("n");
  return 0;
}
