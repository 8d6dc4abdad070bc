/* CAP_KILL: signal (0) PID, a process of another user (need); signal oneself and one's own
 * child (benign). The test starts PID under another uid. */
#include "cap_common.h"

#include <signal.h>
#include <sys/wait.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  if (need) {
    if (argc < 3) cap_parse(0, argv, 1);
    if (kill((pid_t)atoi(argv[2]), 0) != 0) cap_fail("kill(PID, 0)");
    return 0;
  }
  if (kill(getpid(), 0) != 0) cap_fail("kill(self, 0)");
  pid_t child = fork();
  if (child < 0) cap_fail("fork");
  if (child == 0) {
    pause();
    _exit(0);
  }
  if (kill(child, SIGTERM) != 0) cap_fail("kill(child, SIGTERM)");
  waitpid(child, NULL, 0);
  return 0;
}
