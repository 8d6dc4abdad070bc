/* CAP_NET_ADMIN: force a socket's receive buffer beyond net.core.rmem_max (need); set it
 * within the limit, and read and stat net.core.somaxconn and ask whether it could be written, as
 * a Go server does at listen, and write its value back, as sysctl -w does (benign: the net
 * sysctls ask for CAP_NET_ADMIN, noaudit, at every walk through them and every read and write;
 * root writes them by their owner bits). Changes nothing outside the process. */
#include "cap_common.h"

#include <sys/socket.h>
#include <sys/stat.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) cap_fail("socket");
  int size = 65536;
  if (setsockopt(s, SOL_SOCKET, need ? SO_RCVBUFFORCE : SO_RCVBUF, &size, sizeof size) != 0)
    cap_fail(need ? "setsockopt(SO_RCVBUFFORCE)" : "setsockopt(SO_RCVBUF)");
  close(s);
  if (!need) {
    cap_read_if_there("/proc/sys/net/core/somaxconn");
    struct stat st;
    stat("/proc/sys/net/core/somaxconn", &st);
    access("/proc/sys/net/core/somaxconn", W_OK);
    cap_write_back_if_there("/proc/sys/net/core/somaxconn");
  }
  return 0;
}
