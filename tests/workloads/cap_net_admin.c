/* CAP_NET_ADMIN: force a socket's receive buffer beyond net.core.rmem_max (need); set it
 * within the limit (benign). Changes nothing outside the process. */
#include "cap_common.h"

#include <sys/socket.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) cap_fail("socket");
  int size = 65536;
  if (setsockopt(s, SOL_SOCKET, need ? SO_RCVBUFFORCE : SO_RCVBUF, &size, sizeof size) != 0)
    cap_fail(need ? "setsockopt(SO_RCVBUFFORCE)" : "setsockopt(SO_RCVBUF)");
  close(s);
  return 0;
}
