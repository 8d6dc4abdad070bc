/* CAP_IPC_LOCK: mlock more memory than RLIMIT_MEMLOCK allows (need); one page (benign). */
#include "cap_common.h"

#include <sys/mman.h>
#include <sys/resource.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  struct rlimit lim;
  if (getrlimit(RLIMIT_MEMLOCK, &lim) != 0) cap_fail("getrlimit");
  if (need && lim.rlim_cur == RLIM_INFINITY) {
    fprintf(stderr, "need: RLIMIT_MEMLOCK is unlimited\n");
    return 2;
  }
  size_t len = need ? (size_t)lim.rlim_cur + 2 * 4096 : 4096;
  void* p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) cap_fail("mmap");
  if (mlock(p, len) != 0) cap_fail("mlock");
  munlock(p, len);
  munmap(p, len);
  return 0;
}
