// Daemonising workload: double fork; the parent and the middle child exit at once, the
// grandchild (re-parented to init or a subreaper) waits for its parent to go, then does work
// the tests look for (a socketpair and a write to the file named by argv[1], if any).
//   wl_daemon [OUTPUT_FILE]
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid > 0) {
    int status;
    waitpid(pid, &status, 0);
    return 0;
  }
  // Middle child: new session, fork the daemon, exit.
  setsid();
  const pid_t middle = getpid();
  pid_t daemon_pid = fork();
  if (daemon_pid != 0) _exit(0);

  // Wait until the middle child is gone and we are re-parented. Sleep at least once, so the
  // set of syscalls does not depend on who wins the race (the strace oracle compares sets).
  int waited = 0;
  do {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  } while (++waited < 2000 && getppid() == middle);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
    close(sv[0]);
    close(sv[1]);
  }
  if (argc > 1) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      char line[64];
      int n = snprintf(line, sizeof line, "daemon %d ppid %d\n", getpid(), getppid());
      if (write(fd, line, (size_t)n) < 0) _exit(3);
      close(fd);
    }
  }
  _exit(0);
}
