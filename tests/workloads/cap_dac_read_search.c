/* CAP_DAC_READ_SEARCH: read a file whose mode denies reading, and list a directory whose mode
 * denies it (need); the same with modes that allow it (benign). */
#include "cap_common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  cap_tmpdir();
  int fd = open(cap_path("f"), O_CREAT | O_WRONLY, need ? 0000 : 0400);
  if (fd < 0) cap_fail("create");
  close(fd);
  fd = open(cap_path("f"), O_RDONLY);
  if (fd < 0) cap_fail("open for reading");
  char c;
  if (read(fd, &c, 1) < 0) cap_fail("read");
  close(fd);
  if (mkdir(cap_path("d"), need ? 0300 : 0700) != 0) cap_fail("mkdir");
  DIR* d = opendir(cap_path("d"));
  if (!d) cap_fail("opendir");
  closedir(d);
  rmdir(cap_path("d"));
  cap_cleanup("f");
  return 0;
}
