/* CAP_NET_ADMIN through netlink, as iptables-nft and nft ask: one nf_tables request (GETGEN,
 * the ruleset's generation) on a NETLINK_NETFILTER socket (need: nfnetlink_rcv() refuses every
 * request without it, in the ack); the same socket opened, and a link dump asked of rtnetlink,
 * which reads (benign). Changes nothing. */
#include "cap_common.h"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* Sends one request (a header and `body`) with sendmsg and reads replies until its ack or its
 * dump's end: 0, or the error the kernel answered with. */
static int request(int s, unsigned short type, unsigned short flags, const void* body, size_t body_len) {
  char out[64] = {0};
  struct nlmsghdr* h = (struct nlmsghdr*)out;
  h->nlmsg_len = NLMSG_LENGTH(body_len);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  h->nlmsg_seq = 1;
  memcpy(NLMSG_DATA(h), body, body_len);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  struct iovec iov = {out, h->nlmsg_len};
  struct msghdr m = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
  if (sendmsg(s, &m, 0) < 0) cap_fail("sendmsg");
  static char in[32768];
  for (;;) {
    ssize_t n = recv(s, in, sizeof in, 0);
    if (n < 0) cap_fail("recv");
    for (struct nlmsghdr* r = (struct nlmsghdr*)in; NLMSG_OK(r, (size_t)n); r = NLMSG_NEXT(r, n)) {
      if (r->nlmsg_type == NLMSG_DONE) return 0;
      if (r->nlmsg_type == NLMSG_ERROR) return -((struct nlmsgerr*)NLMSG_DATA(r))->error;
    }
  }
}

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int nf = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (nf < 0) cap_fail("socket(NETLINK_NETFILTER)");
  if (need) {
    struct nfgenmsg gen = {.nfgen_family = AF_UNSPEC, .version = NFNETLINK_V0};
    errno = request(nf, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN, 0, &gen, sizeof gen);
    if (errno != 0) cap_fail("nf_tables GETGEN");
    return 0;
  }
  close(nf);
  int rt = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (rt < 0) cap_fail("socket(NETLINK_ROUTE)");
  struct ifinfomsg link = {.ifi_family = AF_UNSPEC};
  errno = request(rt, RTM_GETLINK, NLM_F_DUMP, &link, sizeof link);
  if (errno != 0) cap_fail("RTM_GETLINK dump");
  return 0;
}
