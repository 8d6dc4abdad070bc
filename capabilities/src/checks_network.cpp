// The checker's networking checks: privileged ports, raw and packet sockets, socket options,
// interface-configuring ioctls, and netlink requests to audit, rtnetlink, netfilter, xfrm and
// sock_diag.
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities::detail {

using tables::Arch;
using tables::Capability;

void bind(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const std::uint64_t len = call.args[o.b];
  if (len < 4) return;
  unsigned char sa[4];
  if (!view.read_memory(call.args[o.a], sa, sizeof sa)) return;
  std::uint16_t family;
  std::memcpy(&family, sa, 2);
  if (family != AF_INET && family != AF_INET6) return;
  const unsigned port = (unsigned{sa[2]} << 8) | sa[3];
  f.args["family"] = family == AF_INET ? "AF_INET" : "AF_INET6";
  f.args["port"] = port;
  if (port == 0) return;
  const int fd = as_int(call.args[o.fd]);
  if (auto sock = view.fd_socket(fd); sock && sock->type == SOCK_RAW) return;  // raw_bind: no port check
  const std::int64_t first = view.sysctl("net/ipv4/ip_unprivileged_port_start").value_or(1024);
  if (port >= first || !f.creds.has(Capability::NetBindService)) return;
  f.add(Capability::NetBindService,
        fmt::format("binding port {} < net.ipv4.ip_unprivileged_port_start {}", port, first));
}

void create_socket(Findings& f, const SyscallCall& call, TraceeView&) {
  const int domain = as_int(call.args[0]);
  const int type = as_int(call.args[1]) & 0xf;
  const int protocol = as_int(call.args[2]);
  f.args["domain"] = domain;
  f.args["type"] = type;
  f.args["protocol"] = protocol;
  std::string what;
  if ((domain == AF_INET || domain == AF_INET6) && type == SOCK_RAW)
    what = fmt::format("a raw {} socket", domain == AF_INET ? "AF_INET" : "AF_INET6");
  else if (domain == AF_PACKET || (domain == AF_INET && type == SOCK_PACKET))
    what = "a packet socket";
  if (!what.empty() && f.creds.has(Capability::NetRaw))
    f.add(Capability::NetRaw, "creating " + what);
}

void set_sock_opt(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int level = as_int(call.args[o.a]);
  const int name = as_int(call.args[o.b]);
  std::int32_t val = 0;
  if (call.args[o.c] && !view.read_memory(call.args[o.c], &val, sizeof val)) return;
  f.args["level"] = level;
  f.args["optname"] = name;
  f.args["value"] = val;
  const Credentials& c = f.creds;
  std::optional<Capability> cap;
  std::string why;
  if (level == SOL_SOCKET) {
    if (name == SO_SNDBUFFORCE || name == SO_RCVBUFFORCE) {
      cap = c.has(Capability::NetAdmin) ? std::optional(Capability::NetAdmin) : std::nullopt;
      why = "SO_SNDBUFFORCE/SO_RCVBUFFORCE ignore net.core.[rw]mem_max";
    } else if (name == SO_DEBUG && val != 0) {
      cap = c.has(Capability::NetAdmin) ? std::optional(Capability::NetAdmin) : std::nullopt;
      why = "SO_DEBUG";
    } else if (name == SO_PRIORITY && (val < 0 || val > 6)) {
      cap = first_effective(c, {Capability::NetRaw, Capability::NetAdmin});
      why = fmt::format("SO_PRIORITY {} outside 0..6", val);
    } else if (name == SO_MARK) {
      cap = first_effective(c, {Capability::NetRaw, Capability::NetAdmin});
      why = "SO_MARK";
    }
  } else if ((level == SOL_IP && name == 19 /* IP_TRANSPARENT */) ||
             (level == SOL_IPV6 && name == 75 /* IPV6_TRANSPARENT */)) {
    if (val != 0) {
      cap = first_effective(c, {Capability::NetRaw, Capability::NetAdmin});
      why = "IP_TRANSPARENT";
    }
  }
  if (cap) f.add(*cap, "setsockopt " + why);
}

void ioctl(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto cmd = static_cast<std::uint32_t>(call.args[f.rule->ops.a]);
  // net/core/dev_ioctl.c: the interface-changing requests need CAP_NET_ADMIN;
  // net/ipv4/af_inet.c: routes and ARP entries too.
  static constexpr std::uint32_t kNetAdmin[] = {
      0x890B /* SIOCADDRT */,    0x890C /* SIOCDELRT */,     0x8914 /* SIOCSIFFLAGS */,
      0x8916 /* SIOCSIFADDR */,  0x8918 /* SIOCSIFDSTADDR */, 0x891A /* SIOCSIFBRDADDR */,
      0x891C /* SIOCSIFNETMASK */, 0x891E /* SIOCSIFMETRIC */, 0x8922 /* SIOCSIFMTU */,
      0x8923 /* SIOCSIFNAME */,  0x8924 /* SIOCSIFHWADDR */, 0x8931 /* SIOCADDMULTI */,
      0x8932 /* SIOCDELMULTI */, 0x8934 /* SIOCSIFPFLAGS */,  0x8936 /* SIOCDIFADDR */,
      0x8937 /* SIOCSIFHWBROADCAST */, 0x8943 /* SIOCSIFTXQLEN */, 0x8953 /* SIOCDARP */,
      0x8955 /* SIOCSARP */,     0x8971 /* SIOCSIFMAP */};
  const int fd = as_int(call.args[f.rule->ops.fd]);
  if (cmd == 0x400454ca /* TUNSETIFF */) {
    // drivers/net/tun.c tun_set_iff(): creating an interface needs CAP_NET_ADMIN.
    auto file = view.fd_file(fd);
    if (file && file->path == "/dev/net/tun" && f.creds.has(Capability::NetAdmin)) {
      f.args["fd"] = fd;
      f.args["request"] = "TUNSETIFF";
      f.add(Capability::NetAdmin, "creating a tun/tap interface (TUNSETIFF)");
    }
    return;
  }
  if (std::ranges::find(kNetAdmin, cmd) == std::end(kNetAdmin)) return;
  if (!view.fd_socket(fd)) return;
  f.args["fd"] = fd;
  f.args["request"] = fmt::format("{:#x}", cmd);
  if (f.creds.has(Capability::NetAdmin))
    f.add(Capability::NetAdmin, fmt::format("network configuration ioctl {:#x}", cmd));
}

void send_netlink(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int fd = as_int(call.args[o.fd]);
  auto sock = view.fd_socket(fd);
  if (!sock || sock->domain != AF_NETLINK) return;
  if (sock->protocol != NETLINK_AUDIT && sock->protocol != NETLINK_ROUTE && sock->protocol != NETLINK_NETFILTER &&
      sock->protocol != NETLINK_XFRM && sock->protocol != NETLINK_SOCK_DIAG)
    return;
  std::uint64_t buf = 0, len = 0;
  if (call.name == "sendto") {
    buf = call.args[o.a];
    len = call.args[o.b];
  } else {
    // struct msghdr: the first iovec only.
    const bool compat = call.arch == Arch::X86;
    std::uint64_t iov = 0;
    if (compat) {
      std::uint32_t m[4];
      if (!view.read_memory(call.args[o.a], m, sizeof m)) return;
      std::uint32_t v[2];
      if (m[3] == 0 || !view.read_memory(m[2], v, sizeof v)) return;
      buf = v[0], len = v[1];
    } else {
      std::uint64_t m[4];
      if (!view.read_memory(call.args[o.a], m, sizeof m)) return;
      iov = m[2];
      std::uint64_t v[2];
      if (m[3] == 0 || !view.read_memory(iov, v, sizeof v)) return;
      buf = v[0], len = v[1];
    }
  }
  if (len < sizeof(nlmsghdr)) return;
  nlmsghdr h{};
  if (!view.read_memory(buf, &h, sizeof h)) return;
  f.args["nlmsg_type"] = h.nlmsg_type;
  if (sock->protocol == NETLINK_AUDIT) {
    const unsigned t = h.nlmsg_type;
    const bool user = t == 1005 /* AUDIT_USER */ || (t >= 1100 && t <= 1199) || (t >= 2100 && t <= 2999);
    f.args["protocol"] = "NETLINK_AUDIT";
    // audit_netlink_ok(): configuration requests need CAP_AUDIT_CONTROL.
    static constexpr unsigned kControl[] = {1000 /* GET */, 1001 /* SET */, 1010 /* SIGNAL_INFO */,
                                            1011, 1012, 1013 /* rules */, 1014 /* TRIM */,
                                            1015 /* MAKE_EQUIV */, 1018, 1019 /* features */};
    if (user && f.creds.has(Capability::AuditWrite))
      f.add(Capability::AuditWrite, fmt::format("sending audit user message type {}", t));
    else if (std::ranges::find(kControl, t) != std::end(kControl) && f.creds.has(Capability::AuditControl))
      f.add(Capability::AuditControl, fmt::format("audit configuration request type {}", t));
  } else if (sock->protocol == NETLINK_ROUTE) {
    const unsigned t = h.nlmsg_type;
    // rtnetlink_rcv_msg(): every kind but GET (type & 3 == 2) needs CAP_NET_ADMIN.
    if (t >= 16 && ((t - 16) & 3) != 2 && f.creds.has(Capability::NetAdmin))
      f.args["protocol"] = "NETLINK_ROUTE",
      f.add(Capability::NetAdmin, fmt::format("rtnetlink change request type {}", t));
  } else if (sock->protocol == NETLINK_SOCK_DIAG) {
    // sock_diag_destroy(): SOCK_DESTROY (ss -K) closes another socket; the dumps need nothing.
    constexpr unsigned kSockDestroy = 21;
    if (h.nlmsg_type == kSockDestroy && f.creds.has(Capability::NetAdmin)) {
      f.args["protocol"] = "NETLINK_SOCK_DIAG";
      f.add(Capability::NetAdmin, "closing a socket through sock_diag (SOCK_DESTROY)");
    }
  } else if (f.creds.has(Capability::NetAdmin)) {
    // net/netfilter/nfnetlink.c nfnetlink_rcv(), net/xfrm/xfrm_user.c xfrm_user_rcv_msg(): every
    // request, reads too (iptables -L on nf_tables, ip xfrm state), needs CAP_NET_ADMIN.
    const bool netfilter = sock->protocol == NETLINK_NETFILTER;
    f.args["protocol"] = netfilter ? "NETLINK_NETFILTER" : "NETLINK_XFRM";
    f.add(Capability::NetAdmin, fmt::format("{} request type {:#x}", netfilter ? "nfnetlink" : "xfrm", h.nlmsg_type));
  }
}

}  // namespace syscap::capabilities::detail
