/* A static workload for the generator round trips (tests/generator/roundtrip_test.cpp).
 *   base         write "ok\n" and exit 0
 *   extra        the same, then uname(), which `base` never makes: exit 0 if it was refused
 *                with EPERM, 3 if it succeeded, 4 on any other error
 *   chown FILE   chown(FILE, 1000, 1000): exit 0 on success, 1 on EPERM, 2 otherwise
 * Static so that both modes start with exactly the same syscalls. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc >= 2 && strcmp(argv[1], "chown") == 0 && argc == 3) {
    if (syscall(SYS_chown, argv[2], 1000, 1000) == 0) return 0;
    return errno == EPERM ? 1 : 2;
  }
  if (write(1, "ok\n", 3) != 3) return 5;
  if (argc >= 2 && strcmp(argv[1], "extra") == 0) {
    struct utsname u;
    if (syscall(SYS_uname, &u) == 0) return 3;
    return errno == EPERM ? 0 : 4;
  }
  return 0;
}
