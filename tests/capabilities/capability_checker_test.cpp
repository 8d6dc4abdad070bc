// Unit tests of the capability checker against a fake tracee: each case is one syscall with
// credentials and file metadata, and the capabilities the kernel would need for it (usually
// none: root doing what DAC already allows must report nothing).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <csignal>

#include "fake_tracee_view.hpp"
#include "syscap/capabilities/checker.hpp"

namespace syscap::capabilities {
namespace {

using tables::Arch;
using tables::Capability;
using testing::FakeTraceeView;
using testing::kAllCaps;

constexpr std::uint64_t kAtFdcwd = static_cast<std::uint64_t>(static_cast<std::int64_t>(AT_FDCWD));
constexpr std::uint64_t kMinus1 = 0xffffffffu;

class CheckerTest : public ::testing::Test {
 protected:
  // The capability names `name(args)` exercises, sorted.
  std::vector<std::string> caps(std::string_view name, std::array<std::uint64_t, 6> args,
                                Arch arch = Arch::X86_64) {
    SyscallCall call{name, arch, args};
    last_ = check_capabilities(call, view);
    std::vector<std::string> out;
    for (const CapabilityUse& u : last_) out.emplace_back(tables::capability_name(u.cap));
    std::ranges::sort(out);
    return out;
  }
  using Caps = std::vector<std::string>;
  // Drops `cap` from the caller's effective set.
  void drop(Capability cap) { view.me.creds.cap_eff &= ~tables::capability_bit(cap); }
  ProcessFacts& other(pid_t pid, std::uint32_t uid) {
    ProcessFacts& p = view.others[pid];
    p.pid = p.tgid = pid;
    p.pgid = p.sid = pid;
    p.creds.ruid = p.creds.euid = p.creds.suid = p.creds.fsuid = uid;
    p.creds.rgid = p.creds.egid = p.creds.sgid = p.creds.fsgid = uid;
    p.limits = view.me.limits;
    return p;
  }

  FakeTraceeView view;
  std::vector<CapabilityUse> last_;
};

// ---- CAP_CHOWN

TEST_F(CheckerTest, ChownToOwnUidOrMinusOneNeedsNothing) {
  view.file("/f", 0100644, 0, 0);
  const auto p = view.str("/f");
  EXPECT_EQ(caps("chown", {p, 0, kMinus1}), Caps{});
  EXPECT_EQ(caps("chown", {p, kMinus1, kMinus1}), Caps{});
  EXPECT_EQ(caps("chown", {p, kMinus1, 0}), Caps{});
  EXPECT_EQ(caps("fchownat", {kAtFdcwd, p, 0, 0, 0}), Caps{});
}

TEST_F(CheckerTest, ChownToAnotherUserNeedsChown) {
  view.file("/f", 0100644, 0, 0);
  const auto p = view.str("/f");
  EXPECT_EQ(caps("chown", {p, 1000, kMinus1}), Caps{"CAP_CHOWN"});
  ASSERT_EQ(last_.size(), 1u);
  EXPECT_EQ(last_[0].args["path"], "/f");
  EXPECT_EQ(last_[0].args["owner"], 1000);
  EXPECT_EQ(last_[0].args["group"], -1);
  EXPECT_NE(last_[0].why.find("new owner 1000"), std::string::npos) << last_[0].why;
  EXPECT_EQ(caps("fchownat", {kAtFdcwd, p, kMinus1, 1000, 0}), Caps{"CAP_CHOWN"});
}

TEST_F(CheckerTest, ChownOfSomeoneElsesFileNeedsChownEvenToItsOwnOwner) {
  view.file("/f", 0100644, 1000, 1000);
  EXPECT_EQ(caps("chown", {view.str("/f"), 1000, kMinus1}), Caps{"CAP_CHOWN"});
}

TEST_F(CheckerTest, ChgrpToASupplementaryGroupNeedsNothing) {
  view.file("/f", 0100644, 0, 0);
  view.me.creds.groups = {27};
  EXPECT_EQ(caps("chown", {view.str("/f"), kMinus1, 27}), Caps{});
  EXPECT_EQ(caps("chown", {view.str("/f"), kMinus1, 28}), Caps{"CAP_CHOWN"});
}

TEST_F(CheckerTest, I386ChownTakes16BitIds) {
  view.file("/f", 0100644, 0, 0);
  const auto p = view.str("/f");
  EXPECT_EQ(caps("chown", {p, 0xffff, 0xffff}, Arch::X86), Caps{});
  EXPECT_EQ(caps("chown32", {p, 0xffff, kMinus1}, Arch::X86), Caps{"CAP_CHOWN"});
  EXPECT_EQ(caps("fchown", {3, 0, 0xffff}, Arch::X86), Caps{});  // fd 3 unknown: nothing
}

TEST_F(CheckerTest, FchownUsesTheFdsFile) {
  view.fds[3] = FileFacts{"/f", 0100644, 0, 0, 0, 0};
  EXPECT_EQ(caps("fchown", {3, 0, 0}), Caps{});
  EXPECT_EQ(caps("fchown", {3, 1, 0}), Caps{"CAP_CHOWN"});
}

TEST_F(CheckerTest, NothingWithoutEffectiveCapabilities) {
  view.file("/f", 0100644, 0, 0);
  view.me.creds.cap_eff = 0;
  EXPECT_EQ(caps("chown", {view.str("/f"), 1000, kMinus1}), Caps{});
  EXPECT_EQ(caps("reboot", {0, 0, 0, 0}), Caps{});
}

// ---- CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH

TEST_F(CheckerTest, OpeningWhatTheModeAllowsNeedsNothing) {
  view.file("/f", 0100600, 0, 0);
  const auto p = view.str("/f");
  EXPECT_EQ(caps("openat", {kAtFdcwd, p, O_RDWR}), Caps{});
  EXPECT_EQ(caps("open", {p, O_RDONLY}), Caps{});
  view.file("/g", 0100644, 1000, 1000);
  EXPECT_EQ(caps("open", {view.str("/g"), O_RDONLY}), Caps{});
}

TEST_F(CheckerTest, WritingAReadOnlyFileNeedsDacOverride) {
  view.file("/f", 0100444, 0, 0);
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/f"), O_WRONLY}), Caps{"CAP_DAC_OVERRIDE"});
  EXPECT_EQ(caps("open", {view.str("/f"), O_RDONLY | O_TRUNC}), Caps{"CAP_DAC_OVERRIDE"});
}

TEST_F(CheckerTest, ReadingAnUnreadableFileNeedsDacReadSearchOrElseDacOverride) {
  view.file("/f", 0100000, 0, 0);
  const auto p = view.str("/f");
  EXPECT_EQ(caps("openat", {kAtFdcwd, p, O_RDONLY}), Caps{"CAP_DAC_READ_SEARCH"});
  drop(Capability::DacReadSearch);  // Docker's default set: DAC_OVERRIDE does it
  EXPECT_EQ(caps("openat", {kAtFdcwd, p, O_RDONLY}), Caps{"CAP_DAC_OVERRIDE"});
}

TEST_F(CheckerTest, ListingAnUnreadableDirectoryNeedsDacReadSearch) {
  view.file("/d", 040300, 0, 0);
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/d"), O_RDONLY | O_DIRECTORY}),
            Caps{"CAP_DAC_READ_SEARCH"});
}

TEST_F(CheckerTest, SearchingADirectoryOnTheWayNeedsDacReadSearch) {
  PathFacts p;
  p.target = FileFacts{"/secret/f", 0100644, 0, 0, 0, 0};
  p.parent = FileFacts{"/secret", 040700, 1000, 1000, 0, 0};
  p.walked = {FileFacts{"/", 040755, 0, 0, 0, 0}, *p.parent};
  view.paths["/secret/f"] = p;
  EXPECT_EQ(caps("newfstatat", {kAtFdcwd, view.str("/secret/f"), 0, 0}), Caps{"CAP_DAC_READ_SEARCH"});
  EXPECT_NE(last_[0].why.find("/secret"), std::string::npos);
}

TEST_F(CheckerTest, CreatingInAnotherUsersDirectoryNeedsDacOverride) {
  view.missing("/home/u/new", FileFacts{"/home/u", 040755, 1000, 1000, 0, 0});
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/home/u/new"), O_CREAT | O_WRONLY, 0644}),
            Caps{"CAP_DAC_OVERRIDE"});
  EXPECT_EQ(caps("mkdir", {view.str("/home/u/new"), 0755}), Caps{"CAP_DAC_OVERRIDE"});
  view.missing("/tmp/new", FileFacts{"/tmp", 041777, 0, 0, 0, 0});
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/tmp/new"), O_CREAT | O_WRONLY, 0644}), Caps{});
}

TEST_F(CheckerTest, ExecutingWithoutAnyExecBitIsRefusedNotOverridden) {
  view.file("/x", 0100644, 0, 0);
  EXPECT_EQ(caps("execve", {view.str("/x"), 0, 0}), Caps{});
  view.file("/y", 0100001, 1000, 1000);  // others may exec, root is "others": allowed
  EXPECT_EQ(caps("execve", {view.str("/y"), 0, 0}), Caps{});
  view.file("/z", 0100100, 1000, 1000);  // only the owner may exec
  EXPECT_EQ(caps("execve", {view.str("/z"), 0, 0}), Caps{"CAP_DAC_OVERRIDE"});
}

// ---- CAP_FOWNER / CAP_FSETID

TEST_F(CheckerTest, ChmodOfOwnFileNeedsNothingOfOthersNeedsFowner) {
  view.file("/mine", 0100644, 0, 0);
  view.file("/theirs", 0100644, 1000, 1000);
  EXPECT_EQ(caps("chmod", {view.str("/mine"), 0600}), Caps{});
  EXPECT_EQ(caps("fchmodat", {kAtFdcwd, view.str("/theirs"), 0600}), Caps{"CAP_FOWNER"});
}

TEST_F(CheckerTest, SetgidOnAFileOfAForeignGroupNeedsFsetid) {
  view.file("/f", 0100755, 0, 1000);
  EXPECT_EQ(caps("chmod", {view.str("/f"), 02755}), Caps{"CAP_FSETID"});
  view.file("/g", 0100755, 0, 0);
  EXPECT_EQ(caps("chmod", {view.str("/g"), 02755}), Caps{});
  // Another user's directory of another group (cp -a, tar -xp of nobody:nogroup's 2755 dir):
  // CAP_FOWNER to change its mode at all, and CAP_FSETID for the bit to stay.
  view.file("/d", 040755, 65534, 65534);
  EXPECT_EQ(caps("chmod", {view.str("/d"), 02755}), (Caps{"CAP_FOWNER", "CAP_FSETID"}));
  EXPECT_EQ(caps("chmod", {view.str("/d"), 0755}), Caps{"CAP_FOWNER"});
  drop(Capability::Fowner);
  EXPECT_EQ(caps("chmod", {view.str("/d"), 02755}), Caps{});  // EPERM before the bit matters
}

TEST_F(CheckerTest, ExplicitTimesNeedOwnershipTouchNeedsWriteAccess) {
  struct { std::int64_t s0, ns0, s1, ns1; } explicit_times{1, 0, 1, 0};
  struct { std::int64_t s0, ns0, s1, ns1; } now{0, (1 << 30) - 1, 0, (1 << 30) - 1};
  view.file("/theirs", 0100666, 1000, 1000);
  const auto p = view.str("/theirs");
  EXPECT_EQ(caps("utimensat", {kAtFdcwd, p, view.put(explicit_times), 0}), Caps{"CAP_FOWNER"});
  EXPECT_EQ(caps("utimensat", {kAtFdcwd, p, view.put(now), 0}), Caps{});  // world-writable
  EXPECT_EQ(caps("utimensat", {kAtFdcwd, p, 0, 0}), Caps{});
  view.file("/ro", 0100644, 1000, 1000);
  EXPECT_EQ(caps("utimensat", {kAtFdcwd, view.str("/ro"), 0, 0}), Caps{"CAP_FOWNER"});
}

TEST_F(CheckerTest, WritingASetuidFileNeedsFsetidToKeepTheBit) {
  view.fds[3] = FileFacts{"/suid", 0104755, 0, 0, 0, 0};
  view.fds[4] = FileFacts{"/plain", 0100755, 0, 0, 0, 0};
  EXPECT_EQ(caps("write", {3, 0x1000, 1}), Caps{"CAP_FSETID"});
  EXPECT_EQ(last_[0].outcome, tables::CapOutcome::Wrote);
  EXPECT_EQ(caps("write", {4, 0x1000, 1}), Caps{});
  view.fds[5] = FileFacts{"/sgid-noexec", 0102644, 0, 0, 0, 0};  // mandatory-locking style
  EXPECT_EQ(caps("write", {5, 0x1000, 1}), Caps{});
}

TEST_F(CheckerTest, RemovingFromAStickyDirectory) {
  const FileFacts tmp{"/tmp", 041777, 0, 0, 0, 0};
  view.file("/tmp/theirs", 0100644, 1000, 1000, tmp);
  EXPECT_EQ(caps("unlink", {view.str("/tmp/theirs")}), Caps{});  // root owns /tmp
  const FileFacts shared{"/shared", 041777, 2000, 2000, 0, 0};
  view.file("/shared/theirs", 0100644, 1000, 1000, shared);
  EXPECT_EQ(caps("unlinkat", {kAtFdcwd, view.str("/shared/theirs"), 0}), Caps{"CAP_FOWNER"});
}

TEST_F(CheckerTest, NoatimeOnAnotherUsersFileNeedsFowner) {
  view.file("/theirs", 0100644, 1000, 1000);
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/theirs"), O_RDONLY | O_NOATIME}), Caps{"CAP_FOWNER"});
}

// ---- CAP_KILL

TEST_F(CheckerTest, SignallingOwnProcessesNeedsNothing) {
  other(200, 0);
  EXPECT_EQ(caps("kill", {200, SIGTERM}), Caps{});
  EXPECT_EQ(caps("kill", {100, SIGTERM}), Caps{});
  EXPECT_EQ(caps("kill", {0, SIGTERM}), Caps{});
}

TEST_F(CheckerTest, SignallingAnotherUsersProcessNeedsKill) {
  other(300, 1000);
  EXPECT_EQ(caps("kill", {300, 0}), Caps{"CAP_KILL"});
  EXPECT_EQ(caps("tgkill", {300, 300, SIGUSR1}), Caps{"CAP_KILL"});
  view.pidfds[7] = 300;
  EXPECT_EQ(caps("pidfd_send_signal", {7, SIGTERM, 0, 0}), Caps{"CAP_KILL"});
  view.others[300].sid = view.me.sid;  // SIGCONT within the session is allowed
  EXPECT_EQ(caps("kill", {300, SIGCONT}), Caps{});
}

TEST_F(CheckerTest, SignallingAProcessWhoseSavedUidIsOursNeedsNothing) {
  other(300, 1000).creds.suid = 0;
  EXPECT_EQ(caps("kill", {300, SIGTERM}), Caps{});
}

// ---- CAP_SETUID / CAP_SETGID

TEST_F(CheckerTest, SetuidFamily) {
  EXPECT_EQ(caps("setuid", {0}), Caps{});
  EXPECT_EQ(caps("setuid", {1000}), Caps{"CAP_SETUID"});
  EXPECT_EQ(caps("setresuid", {kMinus1, 0, kMinus1}), Caps{});
  EXPECT_EQ(caps("setresuid", {kMinus1, 1000, kMinus1}), Caps{"CAP_SETUID"});
  EXPECT_EQ(caps("setreuid", {kMinus1, 0}), Caps{});
  EXPECT_EQ(caps("setfsuid", {kMinus1}), Caps{});
  EXPECT_EQ(caps("setfsuid", {5}), Caps{"CAP_SETUID"});
  view.me.creds.suid = 1000;  // a saved uid may be taken back without the capability
  EXPECT_EQ(caps("setuid", {1000}), Caps{});
  EXPECT_EQ(caps("setuid", {0xffff}, Arch::X86), Caps{});  // 16-bit -1
}

TEST_F(CheckerTest, SetgidFamilyAndSetgroups) {
  EXPECT_EQ(caps("setgid", {0}), Caps{});
  EXPECT_EQ(caps("setresgid", {1000, 1000, 1000}), Caps{"CAP_SETGID"});
  EXPECT_EQ(caps("setgroups", {0, 0}), Caps{"CAP_SETGID"});
}

// ---- CAP_SETPCAP / CAP_SETFCAP

TEST_F(CheckerTest, BoundingSetDropNeedsSetpcap) {
  EXPECT_EQ(caps("prctl", {24 /* PR_CAPBSET_DROP */, 34}), Caps{"CAP_SETPCAP"});
  EXPECT_EQ(caps("prctl", {23 /* PR_CAPBSET_READ */, 34}), Caps{});
  EXPECT_EQ(caps("prctl", {15 /* PR_SET_NAME */, 0}), Caps{});
}

TEST_F(CheckerTest, CapsetRaisingInheritableBeyondPermittedNeedsSetpcap) {
  view.me.creds.cap_prm = 0x1;
  struct { std::uint32_t version; std::int32_t pid; } hdr{0x20080522, 0};
  struct { std::uint32_t e, p, i; } data[2] = {{0, 1, 0x3}, {0, 0, 0}};
  EXPECT_EQ(caps("capset", {view.put(hdr), view.put(data)}), Caps{"CAP_SETPCAP"});
  data[0].i = 0x1;
  EXPECT_EQ(caps("capset", {view.put(hdr), view.put(data)}), Caps{});
}

TEST_F(CheckerTest, FileCapabilitiesNeedSetfcapOtherXattrsDoNot) {
  view.file("/f", 0100755, 0, 0);
  const auto p = view.str("/f");
  EXPECT_EQ(caps("setxattr", {p, view.str("security.capability"), 0, 20, 0}), Caps{"CAP_SETFCAP"});
  EXPECT_EQ(caps("removexattr", {p, view.str("security.capability")}), Caps{"CAP_SETFCAP"});
  EXPECT_EQ(caps("setxattr", {p, view.str("user.x"), 0, 1, 0}), Caps{});
  EXPECT_EQ(caps("setxattr", {p, view.str("trusted.x"), 0, 1, 0}), Caps{"CAP_SYS_ADMIN"});
}

// ---- networking

TEST_F(CheckerTest, BindingLowPortsNeedsNetBindService) {
  view.sockets[3] = SocketFacts{AF_INET, SOCK_STREAM, 0};
  auto addr = [&](std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    return view.put(a);
  };
  EXPECT_EQ(caps("bind", {3, addr(80), sizeof(sockaddr_in)}), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(caps("bind", {3, addr(1024), sizeof(sockaddr_in)}), Caps{});
  EXPECT_EQ(caps("bind", {3, addr(0), sizeof(sockaddr_in)}), Caps{});
  view.sysctls["net/ipv4/ip_unprivileged_port_start"] = 80;
  EXPECT_EQ(caps("bind", {3, addr(80), sizeof(sockaddr_in)}), Caps{});
  EXPECT_EQ(caps("bind", {3, addr(79), sizeof(sockaddr_in)}), Caps{"CAP_NET_BIND_SERVICE"});
  const std::uint16_t unix_family = AF_UNIX;
  EXPECT_EQ(caps("bind", {3, view.put(unix_family), 4}), Caps{});
}

TEST_F(CheckerTest, RawAndPacketSocketsNeedNetRawPingSocketsDoNot) {
  EXPECT_EQ(caps("socket", {AF_INET, SOCK_RAW, IPPROTO_ICMP}), Caps{"CAP_NET_RAW"});
  EXPECT_EQ(caps("socket", {AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6}), Caps{"CAP_NET_RAW"});
  EXPECT_EQ(caps("socket", {AF_PACKET, SOCK_DGRAM, 0}), Caps{"CAP_NET_RAW"});
  EXPECT_EQ(caps("socket", {AF_INET, SOCK_DGRAM, IPPROTO_ICMP}), Caps{});
  EXPECT_EQ(caps("socket", {AF_NETLINK, SOCK_RAW, 0}), Caps{});
  EXPECT_EQ(caps("socket", {AF_INET, SOCK_STREAM, 0}), Caps{});
}

TEST_F(CheckerTest, SocketOptions) {
  const int big = 1 << 20, prio = 7, low_prio = 3;
  EXPECT_EQ(caps("setsockopt", {3, SOL_SOCKET, SO_RCVBUFFORCE, view.put(big), 4}), Caps{"CAP_NET_ADMIN"});
  EXPECT_EQ(caps("setsockopt", {3, SOL_SOCKET, SO_RCVBUF, view.put(big), 4}), Caps{});
  EXPECT_EQ(caps("setsockopt", {3, SOL_SOCKET, SO_PRIORITY, view.put(prio), 4}), Caps{"CAP_NET_RAW"});
  EXPECT_EQ(caps("setsockopt", {3, SOL_SOCKET, SO_PRIORITY, view.put(low_prio), 4}), Caps{});
  drop(Capability::NetRaw);
  EXPECT_EQ(caps("setsockopt", {3, SOL_SOCKET, SO_PRIORITY, view.put(prio), 4}), Caps{"CAP_NET_ADMIN"});
}

TEST_F(CheckerTest, InterfaceIoctlsNeedNetAdmin) {
  view.sockets[3] = SocketFacts{AF_INET, SOCK_DGRAM, 0};
  EXPECT_EQ(caps("ioctl", {3, 0x8914 /* SIOCSIFFLAGS */, 0}), Caps{"CAP_NET_ADMIN"});
  EXPECT_EQ(caps("ioctl", {3, 0x8913 /* SIOCGIFFLAGS */, 0}), Caps{});
  EXPECT_EQ(caps("ioctl", {4, 0x8914, 0}), Caps{});  // not a socket: ENOTTY
}

TEST_F(CheckerTest, AuditUserMessagesNeedAuditWrite) {
  view.sockets[3] = SocketFacts{AF_NETLINK, SOCK_RAW, NETLINK_AUDIT};
  nlmsghdr user{sizeof(nlmsghdr), 1112, 0, 0, 0};
  nlmsghdr get{sizeof(nlmsghdr), 1000, 0, 0, 0};
  EXPECT_EQ(caps("sendto", {3, view.put(user), sizeof user, 0, 0, 0}), Caps{"CAP_AUDIT_WRITE"});
  EXPECT_EQ(caps("sendto", {3, view.put(get), sizeof get, 0, 0, 0}), Caps{"CAP_AUDIT_CONTROL"});
  view.sockets[4] = SocketFacts{AF_NETLINK, SOCK_RAW, NETLINK_ROUTE};
  nlmsghdr newlink{sizeof(nlmsghdr), 16 /* RTM_NEWLINK */, 0, 0, 0};
  nlmsghdr getlink{sizeof(nlmsghdr), 18 /* RTM_GETLINK */, 0, 0, 0};
  EXPECT_EQ(caps("sendto", {4, view.put(newlink), sizeof newlink, 0, 0, 0}), Caps{"CAP_NET_ADMIN"});
  EXPECT_EQ(caps("sendto", {4, view.put(getlink), sizeof getlink, 0, 0, 0}), Caps{});
}

// nfnetlink_rcv() and xfrm_user_rcv_msg() refuse every request without CAP_NET_ADMIN, reads
// too; sock_diag needs it only to close a socket (ss -K), not for its dumps (ss).
TEST_F(CheckerTest, NetfilterAndXfrmRequestsNeedNetAdminAndSockDiagOnlyToDestroy) {
  nlmsghdr getgen{sizeof(nlmsghdr), (10 << 8) | 16 /* NFT_MSG_GETGEN */, 1, 0, 0};
  view.sockets[3] = SocketFacts{AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER};
  EXPECT_EQ(caps("sendto", {3, view.put(getgen), sizeof getgen, 0, 0, 0}), Caps{"CAP_NET_ADMIN"});
  // The same through sendmsg's first iovec.
  const std::uint64_t iov[2] = {view.put(getgen), sizeof getgen};
  const std::uint64_t msg[7] = {0, 0, view.put(iov), 1, 0, 0, 0};
  EXPECT_EQ(caps("sendmsg", {3, view.put(msg), 0}), Caps{"CAP_NET_ADMIN"});
  view.sockets[4] = SocketFacts{AF_NETLINK, SOCK_RAW, NETLINK_XFRM};
  nlmsghdr getsa{sizeof(nlmsghdr), 18 /* XFRM_MSG_GETSA */, 1, 0, 0};
  EXPECT_EQ(caps("sendto", {4, view.put(getsa), sizeof getsa, 0, 0, 0}), Caps{"CAP_NET_ADMIN"});
  view.sockets[5] = SocketFacts{AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG};
  nlmsghdr dump{sizeof(nlmsghdr), 20 /* SOCK_DIAG_BY_FAMILY */, 1 | 0x300, 0, 0};
  nlmsghdr destroy{sizeof(nlmsghdr), 21 /* SOCK_DESTROY */, 1, 0, 0};
  EXPECT_EQ(caps("sendto", {5, view.put(dump), sizeof dump, 0, 0, 0}), Caps{});
  EXPECT_EQ(caps("sendto", {5, view.put(destroy), sizeof destroy, 0, 0, 0}), Caps{"CAP_NET_ADMIN"});
  drop(Capability::NetAdmin);
  EXPECT_EQ(caps("sendto", {3, view.put(getgen), sizeof getgen, 0, 0, 0}), Caps{});
}

TEST_F(CheckerTest, I386MultiplexersAreCheckedAsTheCallTheyCarry) {
  view.sockets[3] = SocketFacts{AF_INET, SOCK_STREAM, 0};
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(80);
  const std::uint32_t bind_args[6] = {3, static_cast<std::uint32_t>(view.put(a)), sizeof a};
  EXPECT_EQ(caps("socketcall", {2 /* SYS_BIND */, view.put(bind_args)}, Arch::X86), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(last_[0].args["call"], "bind");
  const std::uint32_t socket_args[6] = {AF_INET, SOCK_DGRAM, 0};
  EXPECT_EQ(caps("socketcall", {1 /* SYS_SOCKET */, view.put(socket_args)}, Arch::X86), Caps{});
  view.ipc[5] = IpcObjectFacts{0, 0, 0, 0, 0000};
  EXPECT_EQ(caps("ipc", {21 /* SHMAT */, 5, 0, 0, 0, 0}, Arch::X86), Caps{"CAP_IPC_OWNER"});
  EXPECT_EQ(caps("ipc", {23 /* SHMGET */, 0, 4096, 0, 0, 0}, Arch::X86), Caps{});
}

// ---- memory, IPC, devices, leases

TEST_F(CheckerTest, MlockBeyondTheLimitNeedsIpcLock) {
  EXPECT_EQ(caps("mlock", {0x10000, 4096}), Caps{});
  EXPECT_EQ(caps("mlock", {0x10000, (8u << 20) + 4096}), Caps{"CAP_IPC_LOCK"});
  view.me.limits[8] = Rlimit{0, 0};
  EXPECT_EQ(caps("mlock", {0x10000, 4096}), Caps{"CAP_IPC_LOCK"});
  EXPECT_EQ(caps("mmap", {0, 4096, 3, 0x22, kMinus1, 0}), Caps{});
  EXPECT_EQ(caps("mmap", {0, 4096, 3, 0x2022, kMinus1, 0}), Caps{"CAP_IPC_LOCK"});
}

TEST_F(CheckerTest, IpcObjectsDeniedByModeNeedIpcOwner) {
  view.ipc[5] = IpcObjectFacts{0, 0, 0, 0, 0000};
  view.ipc[6] = IpcObjectFacts{0, 0, 0, 0, 0600};
  EXPECT_EQ(caps("shmat", {5, 0, 0}), Caps{"CAP_IPC_OWNER"});
  EXPECT_EQ(caps("shmat", {6, 0, 0}), Caps{});
  EXPECT_EQ(caps("shmctl", {5, 0 /* IPC_RMID */, 0}), Caps{});  // the owner may remove it
  view.ipc[7] = IpcObjectFacts{1000, 1000, 1000, 1000, 0666};
  EXPECT_EQ(caps("shmctl", {7, 0, 0}), Caps{"CAP_SYS_ADMIN"});
}

TEST_F(CheckerTest, DeviceNodesNeedMknodFifosDoNot) {
  view.missing("/tmp/n", FileFacts{"/tmp", 041777, 0, 0, 0, 0});
  const auto p = view.str("/tmp/n");
  EXPECT_EQ(caps("mknod", {p, S_IFCHR | 0600, makedev(1, 3)}), Caps{"CAP_MKNOD"});
  EXPECT_EQ(caps("mknodat", {kAtFdcwd, p, S_IFBLK | 0600, makedev(7, 0)}), Caps{"CAP_MKNOD"});
  EXPECT_EQ(caps("mknod", {p, S_IFIFO | 0600, 0}), Caps{});
  EXPECT_EQ(caps("mknod", {p, S_IFCHR | 0600, 0}), Caps{});  // a whiteout
}

TEST_F(CheckerTest, LeasesOnOthersFilesNeedLease) {
  view.fds[3] = FileFacts{"/theirs", 0100644, 1000, 1000, 0, 0};
  view.fds[4] = FileFacts{"/mine", 0100644, 0, 0, 0, 0};
  EXPECT_EQ(caps("fcntl", {3, F_SETLEASE, F_RDLCK}), Caps{"CAP_LEASE"});
  EXPECT_EQ(caps("fcntl", {4, F_SETLEASE, F_RDLCK}), Caps{});
  EXPECT_EQ(caps("fcntl", {3, F_GETFL, 0}), Caps{});
}

// ---- scheduling and limits

TEST_F(CheckerTest, RaisingNiceNeedsNothingLoweringItNeedsSysNice) {
  EXPECT_EQ(caps("setpriority", {0 /* PRIO_PROCESS */, 0, 5}), Caps{});
  EXPECT_EQ(caps("setpriority", {0, 0, kMinus1}), Caps{"CAP_SYS_NICE"});
  view.me.limits[13] = Rlimit{25, 25};  // RLIMIT_NICE 25: down to nice -5
  EXPECT_EQ(caps("setpriority", {0, 0, static_cast<std::uint64_t>(-5)}), Caps{});
  EXPECT_EQ(caps("setpriority", {0, 0, static_cast<std::uint64_t>(-6)}), Caps{"CAP_SYS_NICE"});
}

TEST_F(CheckerTest, RealTimeSchedulingNeedsSysNice) {
  const int prio = 10;
  EXPECT_EQ(caps("sched_setscheduler", {0, SCHED_FIFO, view.put(prio)}), Caps{"CAP_SYS_NICE"});
  const int zero = 0;
  EXPECT_EQ(caps("sched_setscheduler", {0, SCHED_BATCH, view.put(zero)}), Caps{});
}

TEST_F(CheckerTest, RaisingAHardLimitNeedsSysResource) {
  view.me.limits[7] = Rlimit{1024, 4096};
  std::uint64_t raise[2] = {1024, 8192}, lower[2] = {512, 4096};
  EXPECT_EQ(caps("setrlimit", {7, view.put(raise)}), Caps{"CAP_SYS_RESOURCE"});
  EXPECT_EQ(caps("setrlimit", {7, view.put(lower)}), Caps{});
  EXPECT_EQ(caps("prlimit64", {0, 7, view.put(raise), 0}), Caps{"CAP_SYS_RESOURCE"});
  EXPECT_EQ(caps("prlimit64", {0, 7, 0, view.put(raise)}), Caps{});  // a query
}

// ---- ptrace

TEST_F(CheckerTest, ReadingAnotherProcessNeedsSysPtraceUnlessSameCredsAndDumpable) {
  other(200, 0);
  EXPECT_EQ(caps("process_vm_readv", {200, 0, 1, 0, 1, 0}), Caps{});
  view.others[200].dumpable = false;
  EXPECT_EQ(caps("process_vm_readv", {200, 0, 1, 0, 1, 0}), Caps{"CAP_SYS_PTRACE"});
  other(300, 1000);
  EXPECT_EQ(caps("ptrace", {16 /* PTRACE_ATTACH */, 300}), Caps{"CAP_SYS_PTRACE"});
  EXPECT_EQ(caps("ptrace", {0 /* PTRACE_TRACEME */, 0}), Caps{});
}

// commoncap's cap_ptrace_access_check: same credentials, but the target holds a capability the
// caller does not (root without CAP_SYS_RESOURCE in its bounding set, reading pid 1's links).
TEST_F(CheckerTest, ReadingAProcessWithCapabilitiesTheCallerLacksNeedsSysPtrace) {
  const std::uint64_t resource = tables::capability_bit(Capability::SysResource);
  view.me.creds.cap_eff &= ~resource;
  view.me.creds.cap_prm &= ~resource;
  other(200, 0).creds.cap_prm = kAllCaps;
  view.file("/proc/200/exe", 0120777, 0, 0);
  EXPECT_EQ(caps("readlink", {view.str("/proc/200/exe"), 0, 0}), Caps{"CAP_SYS_PTRACE"});
  EXPECT_EQ(caps("process_vm_readv", {200, 0, 1, 0, 1, 0}), Caps{"CAP_SYS_PTRACE"});
  view.others[200].creds.cap_prm = kAllCaps & ~resource;
  EXPECT_EQ(caps("readlink", {view.str("/proc/200/exe"), 0, 0}), Caps{});
  EXPECT_EQ(caps("process_vm_readv", {200, 0, 1, 0, 1, 0}), Caps{});
}

TEST_F(CheckerTest, ProcFilesOfOtherProcessesNeedSysPtrace) {
  other(200, 0);
  view.file("/proc/200/environ", 0100400, 0, 0);
  view.file("/proc/200/status", 0100444, 0, 0);
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/proc/200/environ"), O_RDONLY}), Caps{});
  view.others[200].dumpable = false;
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/proc/200/environ"), O_RDONLY}), Caps{"CAP_SYS_PTRACE"});
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/proc/200/status"), O_RDONLY}), Caps{});
  other(300, 1000);
  view.file("/proc/300/exe", 0120777, 1000, 1000);
  EXPECT_EQ(caps("readlink", {view.str("/proc/300/exe"), 0, 0}), Caps{"CAP_SYS_PTRACE"});
}

// lsns: fstatat(pid_dir, "ns/net") follows the link, readlinkat and openat of ns/ links, as
// for fd/ links and fdinfo/ files: proc_ns_get_link, proc_fd_link and the like ask
// ptrace_may_access(PTRACE_MODE_READ_FSCREDS).
TEST_F(CheckerTest, LinksOfOtherProcessesNeedSysPtraceWhenFollowedOrRead) {
  other(300, 1000);
  const FileFacts ns{"/proc/300/ns", 040511, 1000, 1000, 0, 0};
  const FileFacts fd{"/proc/300/fd", 040500, 1000, 1000, 0, 0};
  view.file("ns/net", 0100444, 1000, 1000, ns);
  view.missing("ns/ipc", ns);  // its target ("ipc:[4026531839]") is no path to resolve
  view.file("fd/0", 0120700, 1000, 1000, fd);
  view.file("/proc/300/fdinfo/0", 0100444, 1000, 1000);
  constexpr std::uint64_t kDir = 4;
  EXPECT_EQ(caps("newfstatat", {kDir, view.str("ns/net"), 0, 0}), Caps{"CAP_SYS_PTRACE"});
  EXPECT_EQ(caps("newfstatat", {kDir, view.str("ns/net"), 0, AT_SYMLINK_NOFOLLOW}), Caps{});
  EXPECT_EQ(caps("statx", {kDir, view.str("ns/net"), 0, 0, 0}), Caps{"CAP_SYS_PTRACE"});
  EXPECT_EQ(caps("readlinkat", {kDir, view.str("ns/net"), 0, 0}), Caps{"CAP_SYS_PTRACE"});
  EXPECT_EQ(caps("openat", {kDir, view.str("ns/ipc"), O_RDONLY}), Caps{"CAP_SYS_PTRACE"});
  EXPECT_EQ(caps("openat", {kDir, view.str("ns/ipc"), O_RDONLY | O_NOFOLLOW}), Caps{});  // ELOOP
  EXPECT_EQ(caps("openat", {kDir, view.str("ns/ipc"), O_PATH | O_NOFOLLOW}), Caps{});
  EXPECT_EQ(caps("openat", {kDir, view.str("ns/ipc"), O_PATH}), Caps{"CAP_SYS_PTRACE"});
  // fd/ is the process's own 0500 directory: searching it is the other capability root uses.
  EXPECT_EQ(caps("readlinkat", {kDir, view.str("fd/0"), 0, 0}), (Caps{"CAP_DAC_READ_SEARCH", "CAP_SYS_PTRACE"}));
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/proc/300/fdinfo/0"), O_RDONLY}), Caps{"CAP_SYS_PTRACE"});
  // The same process with the caller's credentials, and its files that are not guarded.
  other(300, 0);
  EXPECT_EQ(caps("newfstatat", {kDir, view.str("ns/net"), 0, 0}), Caps{});
  EXPECT_EQ(caps("openat", {kDir, view.str("ns/ipc"), O_RDONLY}), Caps{});
  other(300, 1000);
  view.file("/proc/300/status", 0100444, 1000, 1000);
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/proc/300/status"), O_RDONLY}), Caps{});
  EXPECT_EQ(caps("stat", {view.str("/proc/300/status"), 0}), Caps{});
  view.file("/proc/300/environ", 0100400, 1000, 1000);
  EXPECT_EQ(caps("stat", {view.str("/proc/300/environ"), 0}), Caps{});  // stat opens nothing
}

// A caller in another pid namespace (unshare -p --mount-proc) names its own processes: pid 200
// there is not the tracer's pid 200, whose facts say nothing of it.
TEST_F(CheckerTest, PidsNamedFromAnotherPidNamespaceAreNotTheTracers) {
  other(200, 1000);
  view.file("/proc/200/environ", 0100444, 1000, 1000);
  ASSERT_EQ(caps("openat", {kAtFdcwd, view.str("/proc/200/environ"), O_RDONLY}), Caps{"CAP_SYS_PTRACE"});
  ASSERT_EQ(caps("process_vm_readv", {200, 0, 1, 0, 1, 0}), Caps{"CAP_SYS_PTRACE"});
  view.me.tracer_pid_ns = false;
  EXPECT_EQ(caps("openat", {kAtFdcwd, view.str("/proc/200/environ"), O_RDONLY}), Caps{});
  EXPECT_EQ(caps("process_vm_readv", {200, 0, 1, 0, 1, 0}), Caps{});
}

TEST_F(CheckerTest, SetgidFileInASetgidDirectoryOfAForeignGroupNeedsFsetid) {
  const FileFacts mail{"/var/mail", 042775, 0, 8, 0, 0};
  view.missing("/var/mail/x", mail);
  const auto p = view.str("/var/mail/x");
  EXPECT_EQ(caps("openat", {kAtFdcwd, p, O_CREAT | O_WRONLY, 02755}), Caps{"CAP_FSETID"});
  EXPECT_EQ(caps("openat", {kAtFdcwd, p, O_CREAT | O_WRONLY, 0755}), Caps{});
}

// chattr: fileattr_set_prepare() asks CAP_LINUX_IMMUTABLE when the append-only or immutable
// flag changes, either way; vfs_fileattr_set() CAP_FOWNER of a caller that is not the owner.
TEST_F(CheckerTest, ChangingTheAppendOnlyOrImmutableFlagNeedsLinuxImmutable) {
  view.fds[3] = FileFacts{"/data/log", 0100644, 0, 0, 0, 0};
  view.inode_flags[3] = {false, 0x80000 /* FS_EXTENT_FL */};
  const std::uint64_t set_flags = 0x40086602, set_flags32 = 0x40046602, set_xattr = 0x401c5820;
  const std::uint32_t append = 0x80000 | 0x20, nodump = 0x80000 | 0x40;
  EXPECT_EQ(caps("ioctl", {3, set_flags, view.put(append)}), Caps{"CAP_LINUX_IMMUTABLE"});
  EXPECT_EQ(caps("ioctl", {3, set_flags32, view.put(append)}, Arch::X86), Caps{"CAP_LINUX_IMMUTABLE"});
  EXPECT_EQ(caps("ioctl", {3, set_flags, view.put(nodump)}), Caps{});
  view.inode_flags[3] = {false, 0x80000 | 0x10 /* FS_IMMUTABLE_FL */};
  const std::uint32_t cleared = 0x80000;
  EXPECT_EQ(caps("ioctl", {3, set_flags, view.put(cleared)}), Caps{"CAP_LINUX_IMMUTABLE"});  // chattr -i
  view.inode_flags[3] = {true, 0};
  const std::uint32_t xflags[7] = {0x8 /* FS_XFLAG_IMMUTABLE */};
  EXPECT_EQ(caps("ioctl", {3, set_xattr, view.put(xflags)}), Caps{"CAP_LINUX_IMMUTABLE"});
  view.fds[4] = FileFacts{"/data/theirs", 0100644, 1000, 1000, 0, 0};
  view.inode_flags[4] = {false, 0};
  EXPECT_EQ(caps("ioctl", {4, set_flags, view.put(nodump)}), Caps{"CAP_FOWNER"});
  EXPECT_EQ(caps("ioctl", {4, set_flags, view.put(append)}), (Caps{"CAP_FOWNER", "CAP_LINUX_IMMUTABLE"}));
}

// may_linkat() with fs.protected_hardlinks: the owner may link anything (git links its own
// read-only objects); anyone else a regular file it may read and write (CAP_DAC_OVERRIDE
// counting), or anything with CAP_FOWNER.
TEST_F(CheckerTest, HardLinksOfOthersFilesNeedDacOverrideOrFowner) {
  view.sysctls["fs/protected_hardlinks"] = 1;
  view.file("/repo/obj", 0100444, 0, 0);
  view.file("/home/u/notes", 0100644, 1000, 1000);
  view.file("/home/u/shared", 0100666, 1000, 1000);
  view.file("/usr/bin/su", 0104755, 1000, 1000);
  const auto link = [&](const char* from) { return caps("linkat", {kAtFdcwd, view.str(from), kAtFdcwd, view.str("/x"), 0}); };
  EXPECT_EQ(link("/repo/obj"), Caps{});                        // the owner's, read-only
  EXPECT_EQ(link("/home/u/notes"), Caps{"CAP_DAC_OVERRIDE"});  // not writable by root's mode bits
  EXPECT_EQ(link("/home/u/shared"), Caps{});                   // readable and writable: safe
  EXPECT_EQ(link("/usr/bin/su"), Caps{"CAP_FOWNER"});          // set-user-ID: never a safe source
  drop(Capability::DacOverride);
  EXPECT_EQ(link("/home/u/notes"), Caps{"CAP_FOWNER"});
  view.sysctls["fs/protected_hardlinks"] = 0;
  EXPECT_EQ(link("/usr/bin/su"), Caps{});
}

TEST_F(CheckerTest, TunDeviceCreationNeedsNetAdmin) {
  view.fds[3] = FileFacts{"/dev/net/tun", 020666, 0, 0, makedev(10, 200), 2};
  view.fds[4] = FileFacts{"/dev/null", 020666, 0, 0, makedev(1, 3), 2};
  EXPECT_EQ(caps("ioctl", {3, 0x400454ca, 0}), Caps{"CAP_NET_ADMIN"});
  EXPECT_EQ(caps("ioctl", {4, 0x400454ca, 0}), Caps{});
}

// ---- always-checked syscalls and kernel facilities

TEST_F(CheckerTest, AlwaysCheckedSyscalls) {
  EXPECT_EQ(caps("reboot", {0, 0, 0, 0}), Caps{"CAP_SYS_BOOT"});
  EXPECT_EQ(last_[0].outcome, tables::CapOutcome::NotRefused);
  EXPECT_EQ(caps("acct", {0}), Caps{"CAP_SYS_PACCT"});
  EXPECT_EQ(caps("init_module", {0, 0, 0}), Caps{"CAP_SYS_MODULE"});
  EXPECT_EQ(caps("finit_module", {3, 0, 0}), Caps{"CAP_SYS_MODULE"});
  EXPECT_EQ(caps("delete_module", {0, 0}), Caps{"CAP_SYS_MODULE"});
  EXPECT_EQ(caps("sethostname", {0, 0}), Caps{"CAP_SYS_ADMIN"});
  EXPECT_EQ(caps("mount", {0, 0, 0, 0, 0}), Caps{"CAP_SYS_ADMIN"});
  EXPECT_EQ(caps("settimeofday", {0, 0}), Caps{"CAP_SYS_TIME"});
  const std::int64_t valid[2] = {1700000000, 0}, invalid[2] = {1700000000, 1000000000};
  EXPECT_EQ(caps("clock_settime", {0, view.put(valid)}), Caps{"CAP_SYS_TIME"});
  EXPECT_EQ(last_[0].outcome, tables::CapOutcome::NotRefused);
  EXPECT_EQ(caps("clock_settime", {0, view.put(invalid)}), Caps{});  // EINVAL before the check
  EXPECT_EQ(caps("clock_settime", {1 /* CLOCK_MONOTONIC: EINVAL */, view.put(valid)}), Caps{});
  const std::int64_t bad_usec[2] = {1700000000, 1000000};
  EXPECT_EQ(caps("settimeofday", {view.put(bad_usec), 0}), Caps{});
  EXPECT_EQ(caps("vhangup", {}), Caps{"CAP_SYS_TTY_CONFIG"});
  EXPECT_EQ(caps("ioperm", {0x80, 1, 1}), Caps{"CAP_SYS_RAWIO"});
  EXPECT_EQ(caps("ioperm", {0x80, 1, 0}), Caps{});
  EXPECT_EQ(caps("iopl", {3}), Caps{"CAP_SYS_RAWIO"});
  EXPECT_EQ(caps("kexec_load", {0, 0, 0, 0}), Caps{"CAP_SYS_BOOT"});
}

TEST_F(CheckerTest, ChrootNeedsSysChroot) {
  view.file("/", 040755, 0, 0);
  EXPECT_EQ(caps("chroot", {view.str("/")}), Caps{"CAP_SYS_CHROOT"});
  EXPECT_EQ(caps("chdir", {view.str("/")}), Caps{});
}

TEST_F(CheckerTest, NamespacesNeedSysAdminUnlessAUserNamespaceComesWithThem) {
  EXPECT_EQ(caps("unshare", {CLONE_NEWUTS}), Caps{"CAP_SYS_ADMIN"});
  EXPECT_EQ(caps("unshare", {CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWNS}), Caps{});
  EXPECT_EQ(caps("unshare", {CLONE_FILES}), Caps{});
  EXPECT_EQ(caps("clone", {CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0}), Caps{"CAP_SYS_ADMIN"});
  EXPECT_EQ(caps("clone", {0x80 /* exit signal bits, not CLONE_NEWTIME */, 0, 0, 0, 0}), Caps{});
  std::uint64_t clone_args[11] = {CLONE_NEWPID};
  EXPECT_EQ(caps("clone3", {view.put(clone_args), sizeof clone_args}), Caps{"CAP_SYS_ADMIN"});
}

TEST_F(CheckerTest, JoiningAMountNamespaceNeedsSysAdminAndSysChroot) {
  view.links[3] = "mnt:[4026531841]";
  view.links[4] = "net:[4026531840]";
  EXPECT_EQ(caps("setns", {3, 0}), (Caps{"CAP_SYS_ADMIN", "CAP_SYS_CHROOT"}));
  EXPECT_EQ(caps("setns", {4, 0}), Caps{"CAP_SYS_ADMIN"});
}

TEST_F(CheckerTest, InAUserNamespaceOfItsOwnOnlyInitNamespaceChecksCount) {
  view.me.initial_user_ns = false;
  EXPECT_EQ(caps("sethostname", {0, 0}), Caps{});
  EXPECT_EQ(caps("unshare", {CLONE_NEWNS}), Caps{});
  EXPECT_EQ(caps("settimeofday", {0, 0}), Caps{"CAP_SYS_TIME"});
}

TEST_F(CheckerTest, SyslogUnderDmesgRestrict) {
  EXPECT_EQ(caps("syslog", {10 /* SIZE_BUFFER */, 0, 0}), Caps{"CAP_SYSLOG"});
  view.sysctls["kernel/dmesg_restrict"] = 0;
  EXPECT_EQ(caps("syslog", {10, 0, 0}), Caps{});
  EXPECT_EQ(caps("syslog", {3 /* READ_ALL */, 0, 0}), Caps{});
  EXPECT_EQ(caps("syslog", {9 /* SIZE_UNREAD */, 0, 0}), Caps{"CAP_SYSLOG"});
  drop(Capability::Syslog);
  EXPECT_EQ(caps("syslog", {9, 0, 0}), Caps{"CAP_SYS_ADMIN"});
}

TEST_F(CheckerTest, BpfAndPerf) {
  EXPECT_EQ(caps("bpf", {0 /* BPF_MAP_CREATE */, 0, 0}), Caps{"CAP_BPF"});
  EXPECT_EQ(caps("bpf", {14 /* BPF_MAP_GET_FD_BY_ID */, 0, 0}), Caps{"CAP_SYS_ADMIN"});
  const std::uint32_t socket_filter = 1, kprobe = 2, xdp = 6;
  EXPECT_EQ(caps("bpf", {5 /* BPF_PROG_LOAD */, view.put(socket_filter), 4}), Caps{"CAP_BPF"});
  EXPECT_EQ(caps("bpf", {5, view.put(kprobe), 4}), (Caps{"CAP_BPF", "CAP_PERFMON"}));
  EXPECT_EQ(caps("bpf", {5, view.put(xdp), 4}), (Caps{"CAP_BPF", "CAP_NET_ADMIN"}));
  view.sysctls["kernel/unprivileged_bpf_disabled"] = 0;
  EXPECT_EQ(caps("bpf", {0, 0, 0}), Caps{});
  EXPECT_EQ(caps("bpf", {5, view.put(socket_filter), 4}), Caps{});
  std::uint64_t attr[16] = {1 /* PERF_TYPE_SOFTWARE */, 0, 0, 0, 0, 1u << 5 | 1u << 6};
  EXPECT_EQ(caps("perf_event_open", {view.put(attr), 0, kMinus1, kMinus1, 0}), Caps{});
  attr[5] = 0;  // includes the kernel
  EXPECT_EQ(caps("perf_event_open", {view.put(attr), 0, kMinus1, kMinus1, 0}), Caps{"CAP_PERFMON"});
  drop(Capability::Perfmon);
  EXPECT_EQ(caps("perf_event_open", {view.put(attr), 0, kMinus1, kMinus1, 0}), Caps{"CAP_SYS_ADMIN"});
}

TEST_F(CheckerTest, ClockAdjustmentAndAlarms) {
  std::uint32_t read_only = 0, set_freq = 0x0002, singleshot_read = 0xa001;
  EXPECT_EQ(caps("adjtimex", {view.put(read_only)}), Caps{});
  EXPECT_EQ(caps("adjtimex", {view.put(set_freq)}), Caps{"CAP_SYS_TIME"});
  EXPECT_EQ(caps("adjtimex", {view.put(singleshot_read)}), Caps{});
  EXPECT_EQ(caps("timerfd_create", {9 /* CLOCK_BOOTTIME_ALARM */, 0}), Caps{"CAP_WAKE_ALARM"});
  EXPECT_EQ(caps("timerfd_create", {7 /* CLOCK_BOOTTIME */, 0}), Caps{});
}

TEST_F(CheckerTest, OutcomesDecide) {
  using tables::CapOutcome;
  EXPECT_TRUE(outcome_confirms(CapOutcome::Succeeded, 0));
  EXPECT_FALSE(outcome_confirms(CapOutcome::Succeeded, -EPERM));
  EXPECT_FALSE(outcome_confirms(CapOutcome::Succeeded, -EINVAL));
  EXPECT_TRUE(outcome_confirms(CapOutcome::NotRefused, -EINVAL));
  EXPECT_FALSE(outcome_confirms(CapOutcome::NotRefused, -EPERM));
  EXPECT_FALSE(outcome_confirms(CapOutcome::NotRefused, -EACCES));
  EXPECT_FALSE(outcome_confirms(CapOutcome::NotRefused, -ENOSYS));  // no such syscall here
  EXPECT_FALSE(outcome_confirms(CapOutcome::Wrote, 0));
  EXPECT_TRUE(outcome_confirms(CapOutcome::Wrote, 1));
  EXPECT_TRUE(outcome_confirms(CapOutcome::Any, -EPERM));
}

TEST_F(CheckerTest, SyscallsWithoutRulesNeedNothing) {
  EXPECT_FALSE(may_exercise_capability("read"));
  EXPECT_TRUE(may_exercise_capability("chown"));
  EXPECT_EQ(caps("getpid", {}), Caps{});
}

}  // namespace
}  // namespace syscap::capabilities
