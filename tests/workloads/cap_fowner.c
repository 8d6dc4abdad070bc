/* CAP_FOWNER: chmod and set explicit times on FILE, owned by another user (need); the same on
 * a file of one's own (benign). The test prepares FILE: another uid's, mode 0644. */
#include "cap_common.h"

#include <fcntl.h>
#include <sys/stat.h>

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
  if (chmod(file, 0640) != 0) cap_fail("chmod");
  struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
  if (utimensat(AT_FDCWD, file, times, 0) != 0) cap_fail("utimensat");
  if (!need) cap_cleanup("f");
  return 0;
}
