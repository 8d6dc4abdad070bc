/* CAP_NET_BIND_SERVICE: bind a TCP socket to a port below 1024 (need); to port 0 and to a port
 * at or above net.ipv4.ip_unprivileged_port_start (benign). */
#include "cap_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static int try_bind(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) cap_fail("socket");
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int r = bind(s, (struct sockaddr*)&a, sizeof a);
  int err = errno;
  close(s);
  errno = err;
  return r;
}

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  /* The privilege check comes before the address-in-use check: EACCES means refused. */
  int base = need ? 900 : 40000;
  for (int port = base; port < base + 100; ++port) {
    if (try_bind(port) == 0) {
      if (!need && try_bind(0) != 0) cap_fail("bind port 0");
      return 0;
    }
    if (errno != EADDRINUSE) cap_fail("bind");
  }
  cap_fail("bind (every port in use)");
}
