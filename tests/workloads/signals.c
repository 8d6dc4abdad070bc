// Signal-heavy workload. Modes (argv[1]):
//   handlers        SIGUSR1/SIGUSR2 handlers run via raise and kill
//   stopcont        a child stops itself (SIGSTOP) and is continued; the parent stops itself
//                   and a child continues it; both checked through waitpid(WUNTRACED)
//   sigkill-child   a child blocked in pause() is killed with SIGKILL
//   segv-child      a child segfaults; the parent sees SIGSEGV
//   all             every mode above, in order (exit 0 when all behaved)
//   segv            this process segfaults
//   exit N          exits with code N
//   raise SIGNO     raises SIGNO with its default action
//   sleep FILE      writes its pid to FILE, then sleeps up to 60 s (for tests that signal syscap)
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2;
static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }
static void on_usr2(int sig) { (void)sig; got_usr2 = 1; }

static void nap_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

static int handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = on_usr2;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR1);
  kill(getpid(), SIGUSR2);
  return got_usr1 && got_usr2 ? 0 : 10;
}

static int stopcont(void) {
  // A child stops itself; we see it stopped, continue it, see it exit.
  pid_t child = fork();
  if (child == 0) {
    raise(SIGSTOP);
    _exit(0);
  }
  int status = 0;
  if (waitpid(child, &status, WUNTRACED) != child || !WIFSTOPPED(status) ||
      WSTOPSIG(status) != SIGSTOP)
    return 20;
  kill(child, SIGCONT);
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return 21;

  // We stop ourselves; a child continues us once it sees us stopped.
  pid_t parent = getpid();
  pid_t helper = fork();
  if (helper == 0) {
    for (int i = 0; i < 10000; ++i) {
      char path[64], state = 0;
      snprintf(path, sizeof path, "/proc/%d/stat", parent);
      int fd = open(path, O_RDONLY);
      if (fd >= 0) {
        char buf[256];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n > 0) {
          buf[n] = 0;
          char* p = strrchr(buf, ')');
          if (p && p[1] == ' ') state = p[2];
        }
      }
      if (state == 'T' || state == 't') break;  // 't': stopped while traced
      nap_ms(1);
    }
    kill(parent, SIGCONT);
    _exit(0);
  }
  raise(SIGSTOP);
  if (waitpid(helper, &status, 0) != helper || !WIFEXITED(status)) return 22;
  return 0;
}

static int sigkill_child(void) {
  pid_t child = fork();
  if (child == 0) {
    for (;;) pause();
  }
  nap_ms(5);
  kill(child, SIGKILL);
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
    return 30;
  return 0;
}

static void segfault(void) {
  volatile int* volatile p = NULL;
  *p = 1;
}

static int segv_child(void) {
  pid_t child = fork();
  if (child == 0) {
    segfault();
    _exit(0);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
    return 40;
  return 0;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "all";
  const char* arg = argc > 2 ? argv[2] : "";
  if (strcmp(mode, "handlers") == 0) return handlers();
  if (strcmp(mode, "stopcont") == 0) return stopcont();
  if (strcmp(mode, "sigkill-child") == 0) return sigkill_child();
  if (strcmp(mode, "segv-child") == 0) return segv_child();
  if (strcmp(mode, "all") == 0) {
    int rc;
    if ((rc = handlers()) || (rc = stopcont()) || (rc = sigkill_child()) || (rc = segv_child()))
      return rc;
    return 0;
  }
  if (strcmp(mode, "segv") == 0) {
    segfault();
    return 1;
  }
  if (strcmp(mode, "exit") == 0) return atoi(arg);
  if (strcmp(mode, "raise") == 0) {
    signal(atoi(arg), SIG_DFL);
    raise(atoi(arg));
    return 1;
  }
  if (strcmp(mode, "sleep") == 0) {
    // Write our pid to a temporary name, then rename: the reader sees all of it or nothing.
    char tmp[4096], line[32];
    snprintf(tmp, sizeof tmp, "%s.tmp", arg);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      int n = snprintf(line, sizeof line, "%d\n", getpid());
      if (write(fd, line, (size_t)n) != n) return 3;
      close(fd);
      rename(tmp, arg);
    }
    for (int i = 0; i < 600; ++i) nap_ms(100);
    return 0;
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}
