/* CAP_FSETID: write to a set-user-ID file and keep its set-user-ID bit (need); write to a plain
 * executable (benign). Without the capability the write succeeds but clears the bit: exit 1. */
#include "cap_common.h"

#include <fcntl.h>
#include <sys/stat.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  cap_tmpdir();
  int fd = open(cap_path("f"), O_CREAT | O_WRONLY, 0755);
  if (fd < 0) cap_fail("create");
  if (need && fchmod(fd, 04755) != 0) cap_fail("fchmod 04755");
  if (write(fd, "x", 1) != 1) cap_fail("write");
  struct stat st;
  if (fstat(fd, &st) != 0) cap_fail("fstat");
  close(fd);
  cap_cleanup("f");
  if (need && !(st.st_mode & S_ISUID)) {
    fprintf(stderr, "need: the write cleared the set-user-ID bit\n");
    return 1;
  }
  return 0;
}
