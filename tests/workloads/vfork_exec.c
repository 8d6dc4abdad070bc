// vfork + exec: the child of vfork execs /bin/true (or exits at once in mode "exit").
//   wl_vfork_exec [exec|exit]
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  volatile const int exec_child = !(argc > 1 && strcmp(argv[1], "exit") == 0);
  for (volatile int i = 0; i < 3; i = i + 1) {  // volatile: vfork shares our stack
    pid_t pid = vfork();
    if (pid == 0) {
      if (exec_child) execl("/bin/true", "true", (char*)NULL);
      _exit(7);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return 1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != (exec_child ? 0 : 7)) return 2;
  }
  return 0;
}
