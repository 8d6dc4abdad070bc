// Many short processes, each making one call nothing else in the run makes, so a recorder's
// count of that call is the number of processes it followed.
//   wl_fork_storm N [PARALLEL]   N children (default 10000), at most PARALLEL alive (default 8);
//                                each calls getpgid(0) once and exits; exits 0 when all did.
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000;
  long parallel = argc > 2 ? atol(argv[2]) : 8;
  long alive = 0, failed = 0;
  for (long i = 0; i < n; ++i) {
    if (alive == parallel) {
      int status = 0;
      if (wait(&status) > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) ++failed;
      --alive;
    }
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) {
      syscall(SYS_getpgid, 0);
      _exit(0);
    }
    ++alive;
  }
  int status = 0;
  while (wait(&status) > 0)
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) ++failed;
  return failed == 0 ? 0 : 1;
}
