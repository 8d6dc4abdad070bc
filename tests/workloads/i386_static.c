// An i386 static binary (-m32 -static): every syscall of it is an SCMP_ARCH_X86 call, including
// i386-only ones such as socketcall's successors, _llseek and mmap2 via libc.
//   wl_i386_static
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  int fd = open("/proc/self/status", O_RDONLY);
  if (fd >= 0) {
    char buf[128];
    if (read(fd, buf, sizeof buf) < 0) return 1;
    lseek(fd, 0, SEEK_SET);
    close(fd);
  }
  int s = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (s >= 0) close(s);
  printf("pid %d\n", getpid());
  return 0;
}
