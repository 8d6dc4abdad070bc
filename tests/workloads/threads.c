// Multithreaded workload.
//   wl_threads threads            4 pthreads each open/read/close a file and nanosleep
//   wl_threads exec-from-thread   a non-leader thread execs `wl_threads done` (the main thread
//                                 is blocked meanwhile), exercising PTRACE_EVENT_EXEC with a
//                                 changed tid
//   wl_threads done               prints "done" and exits 0
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char* self_path;

static void* worker(void* arg) {
  (void)arg;
  char buf[64];
  int fd = open("/proc/self/stat", O_RDONLY);
  if (fd >= 0) {
    if (read(fd, buf, sizeof buf) < 0) return NULL;
    close(fd);
  }
  struct timespec ts = {0, 1000000};
  nanosleep(&ts, NULL);
  return NULL;
}

// Whether the main thread (tid == pid) is asleep, i.e. blocked in pthread_join's futex.
static int main_thread_asleep(void) {
  char path[64], buf[256];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)getpid());
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  const char* state = strrchr(buf, ')');
  return state && state[1] == ' ' && state[2] == 'S';
}

static void* exec_worker(void* arg) {
  (void)arg;
  // The exec waits until the main thread has made its join call, so every run makes the same
  // calls however fast it runs (a recorder that slows threads down must not change them).
  while (!main_thread_asleep()) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  char* const argv[] = {(char*)self_path, (char*)"done", NULL};
  execv(self_path, argv);
  perror("execv");
  _exit(1);
}

int main(int argc, char** argv) {
  self_path = argv[0];
  const char* mode = argc > 1 ? argv[1] : "threads";
  if (strcmp(mode, "done") == 0) {
    printf("done\n");
    return 0;
  }
  if (strcmp(mode, "exec-from-thread") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, exec_worker, NULL);
    pthread_join(t, NULL);  // never returns: the exec replaces the whole process
    return 2;
  }
  pthread_t threads[4];
  for (int i = 0; i < 4; ++i) pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 4; ++i) pthread_join(threads[i], NULL);
  return 0;
}
