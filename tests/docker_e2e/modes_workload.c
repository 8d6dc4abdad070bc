// A static workload for the container tests, one mode per argv[1]:
//   base     writes a line and exits 0;
//   extra    does what base does, then one more syscall (sysinfo); prints "sysinfo: errno N"
//            and exits with N when it fails (EPERM = 1 under a profile recorded from base),
//            "sysinfo: ok" and 0 when it works;
//   capsense exits 0 when CAP_NET_RAW is in its effective set and 3 when not, without ever
//            exercising it: a workload whose behaviour a capability set changes (capget needs
//            no capability).
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

static int base(void) {
  printf("base\n");
  return fflush(stdout) == 0 ? 0 : 2;
}

static int extra(void) {
  if (base() != 0) return 2;
  struct sysinfo info;
  if (sysinfo(&info) != 0) {
    int err = errno;
    printf("sysinfo: errno %d (%s)\n", err, strerror(err));
    fflush(stdout);
    return err;
  }
  printf("sysinfo: ok\n");
  return 0;
}

static int capsense(void) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) != 0) {
    printf("capget: errno %d\n", errno);
    return 2;
  }
  int has = (data[0].effective >> CAP_NET_RAW) & 1;
  printf("CAP_NET_RAW %s\n", has ? "held" : "not held");
  fflush(stdout);
  return has ? 0 : 3;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s base|extra|capsense\n", argv[0]);
    return 2;
  }
  if (strcmp(argv[1], "base") == 0) return base();
  if (strcmp(argv[1], "extra") == 0) return extra();
  if (strcmp(argv[1], "capsense") == 0) return capsense();
  fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[1]);
  return 2;
}
