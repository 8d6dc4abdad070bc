/* CAP_LINUX_IMMUTABLE: make a file of one's own append-only and back, as chattr +a and -a do
 * (need: fileattr_set_prepare() asks for it when that flag or the immutable one changes); set
 * and clear its no-dump flag (benign: the owner may). The file is made in $TMPDIR or /tmp and
 * removed; the flag is set only while the workload holds it. */
#include "cap_common.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

static void set_flags(int fd, int flags, const char* what) {
  if (ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0) cap_fail(what);
}

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  const char* tmp = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/syscap-cap-linux-immutable-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) cap_fail("mkstemp");
  int flags = 0;
  if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
    unlink(path);
    cap_fail("FS_IOC_GETFLAGS (this file system keeps no inode flags)");
  }
  const int flag = need ? FS_APPEND_FL : FS_NODUMP_FL;
  if (ioctl(fd, FS_IOC_SETFLAGS, &(int){flags | flag}) != 0) {
    int err = errno;
    unlink(path);
    errno = err;
    cap_fail(need ? "FS_IOC_SETFLAGS +append-only" : "FS_IOC_SETFLAGS +nodump");
  }
  set_flags(fd, flags, need ? "FS_IOC_SETFLAGS -append-only" : "FS_IOC_SETFLAGS -nodump");
  close(fd);
  if (unlink(path) != 0) cap_fail("unlink");
  return 0;
}
