/* CAP_NET_RAW: open a raw ICMP socket (need); a UDP socket (benign). */
#include "cap_common.h"

#include <netinet/in.h>
#include <sys/socket.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int s = need ? socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) : socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) cap_fail("socket");
  close(s);
  return 0;
}
