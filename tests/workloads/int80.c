// A 64-bit program that makes i386 syscalls through `int $0x80`: getpid (i386 nr 20) and
// getppid (i386 nr 64). The tracer must record them as SCMP_ARCH_X86 "getpid"/"getppid".
//   wl_int80
#include <stdio.h>
#include <unistd.h>

static long int80(long nr) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
  return ret;
}

int main(void) {
  long pid32 = int80(20);    // i386 __NR_getpid
  long ppid32 = int80(64);   // i386 __NR_getppid
  if (pid32 != getpid() || ppid32 != getppid()) {
    fprintf(stderr, "int $0x80 gave %ld/%ld\n", pid32, ppid32);
    return 1;
  }
  return 0;
}
