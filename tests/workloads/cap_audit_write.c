/* CAP_AUDIT_WRITE: send a user message to the kernel audit system (need); open an audit socket
 * and send nothing (benign). The kernel answers through the netlink ACK. */
#include "cap_common.h"

#include <linux/audit.h>
#include <linux/netlink.h>
#include <sys/socket.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
  if (s < 0) cap_fail("socket(NETLINK_AUDIT)");
  if (need) {
    struct {
      struct nlmsghdr h;
      char text[64];
    } msg;
    memset(&msg, 0, sizeof msg);
    const char* text = "syscap capability test";
    msg.h.nlmsg_len = NLMSG_LENGTH(strlen(text) + 1);
    msg.h.nlmsg_type = 1112; /* AUDIT_USER_MSG (libaudit.h) */
    msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    msg.h.nlmsg_seq = 1;
    strcpy(msg.text, text);
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(s, &msg, msg.h.nlmsg_len, 0, (struct sockaddr*)&kernel, sizeof kernel) < 0)
      cap_fail("sendto");
    char buf[512];
    ssize_t n = recv(s, buf, sizeof buf, 0);
    if (n < 0) cap_fail("recv");
    struct nlmsghdr* h = (struct nlmsghdr*)buf;
    if (h->nlmsg_type == NLMSG_ERROR) {
      struct nlmsgerr* e = NLMSG_DATA(h);
      if (e->error != 0) {
        errno = -e->error;
        cap_fail("AUDIT_USER_MSG ack");
      }
    }
  }
  close(s);
  return 0;
}
