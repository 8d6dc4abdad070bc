/* CAP_DAC_OVERRIDE: write to a file whose mode denies it even to its owner (need); read and
 * write files the mode allows (benign). */
#include "cap_common.h"

#include <fcntl.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  cap_tmpdir();
  /* A new file is opened without a permission check, whatever its mode. */
  int fd = open(cap_path("f"), O_CREAT | O_WRONLY, need ? 0444 : 0644);
  if (fd < 0) cap_fail("create");
  close(fd);
  fd = open(cap_path("f"), O_WRONLY);
  if (fd < 0) cap_fail("open for writing");
  if (write(fd, "x", 1) != 1) cap_fail("write");
  close(fd);
  fd = open(cap_path("f"), O_RDONLY);
  if (fd < 0) cap_fail("open for reading");
  close(fd);
  cap_cleanup("f");
  return 0;
}
