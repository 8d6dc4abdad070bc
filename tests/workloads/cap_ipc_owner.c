/* CAP_IPC_OWNER: attach a shared memory segment whose mode (0000) denies it (need); one with
 * mode 0600 (benign). */
#include "cap_common.h"

#include <sys/ipc.h>
#include <sys/shm.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | (need ? 0000 : 0600));
  if (id < 0) cap_fail("shmget");
  void* p = shmat(id, NULL, 0);
  int err = errno;
  shmctl(id, IPC_RMID, NULL);
  errno = err;
  if (p == (void*)-1) cap_fail("shmat");
  shmdt(p);
  return 0;
}
