// Capability names and Docker's default set (moby oci/caps/defaults.go: 14 capabilities).
#include <algorithm>
#include <cctype>

#include "syscap/tables/capabilities.hpp"

namespace syscap::tables {
namespace {

using C = Capability;

constexpr CapabilityFacts kCapabilities[] = {
    {C::Chown, "CAP_CHOWN", "CHOWN", true},
    {C::DacOverride, "CAP_DAC_OVERRIDE", "DAC_OVERRIDE", true},
    {C::DacReadSearch, "CAP_DAC_READ_SEARCH", "DAC_READ_SEARCH", false},
    {C::Fowner, "CAP_FOWNER", "FOWNER", true},
    {C::Fsetid, "CAP_FSETID", "FSETID", true},
    {C::Kill, "CAP_KILL", "KILL", true},
    {C::Setgid, "CAP_SETGID", "SETGID", true},
    {C::Setuid, "CAP_SETUID", "SETUID", true},
    {C::Setpcap, "CAP_SETPCAP", "SETPCAP", true},
    {C::LinuxImmutable, "CAP_LINUX_IMMUTABLE", "LINUX_IMMUTABLE", false},
    {C::NetBindService, "CAP_NET_BIND_SERVICE", "NET_BIND_SERVICE", true},
    {C::NetBroadcast, "CAP_NET_BROADCAST", "NET_BROADCAST", false},
    {C::NetAdmin, "CAP_NET_ADMIN", "NET_ADMIN", false},
    {C::NetRaw, "CAP_NET_RAW", "NET_RAW", true},
    {C::IpcLock, "CAP_IPC_LOCK", "IPC_LOCK", false},
    {C::IpcOwner, "CAP_IPC_OWNER", "IPC_OWNER", false},
    {C::SysModule, "CAP_SYS_MODULE", "SYS_MODULE", false},
    {C::SysRawio, "CAP_SYS_RAWIO", "SYS_RAWIO", false},
    {C::SysChroot, "CAP_SYS_CHROOT", "SYS_CHROOT", true},
    {C::SysPtrace, "CAP_SYS_PTRACE", "SYS_PTRACE", false},
    {C::SysPacct, "CAP_SYS_PACCT", "SYS_PACCT", false},
    {C::SysAdmin, "CAP_SYS_ADMIN", "SYS_ADMIN", false},
    {C::SysBoot, "CAP_SYS_BOOT", "SYS_BOOT", false},
    {C::SysNice, "CAP_SYS_NICE", "SYS_NICE", false},
    {C::SysResource, "CAP_SYS_RESOURCE", "SYS_RESOURCE", false},
    {C::SysTime, "CAP_SYS_TIME", "SYS_TIME", false},
    {C::SysTtyConfig, "CAP_SYS_TTY_CONFIG", "SYS_TTY_CONFIG", false},
    {C::Mknod, "CAP_MKNOD", "MKNOD", true},
    {C::Lease, "CAP_LEASE", "LEASE", false},
    {C::AuditWrite, "CAP_AUDIT_WRITE", "AUDIT_WRITE", true},
    {C::AuditControl, "CAP_AUDIT_CONTROL", "AUDIT_CONTROL", false},
    {C::Setfcap, "CAP_SETFCAP", "SETFCAP", true},
    {C::MacOverride, "CAP_MAC_OVERRIDE", "MAC_OVERRIDE", false},
    {C::MacAdmin, "CAP_MAC_ADMIN", "MAC_ADMIN", false},
    {C::Syslog, "CAP_SYSLOG", "SYSLOG", false},
    {C::WakeAlarm, "CAP_WAKE_ALARM", "WAKE_ALARM", false},
    {C::BlockSuspend, "CAP_BLOCK_SUSPEND", "BLOCK_SUSPEND", false},
    {C::AuditRead, "CAP_AUDIT_READ", "AUDIT_READ", false},
    {C::Perfmon, "CAP_PERFMON", "PERFMON", false},
    {C::Bpf, "CAP_BPF", "BPF", false},
    {C::CheckpointRestore, "CAP_CHECKPOINT_RESTORE", "CHECKPOINT_RESTORE", false},
};

static_assert(std::size(kCapabilities) == kCapabilityCount);

constexpr bool numbered_in_order() {
  for (int i = 0; i < kCapabilityCount; ++i)
    if (static_cast<int>(kCapabilities[i].cap) != i) return false;
  return true;
}
static_assert(numbered_in_order(), "kCapabilities[i] must be capability number i");

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::span<const CapabilityFacts> all_capabilities() { return kCapabilities; }

const CapabilityFacts& facts(Capability cap) { return kCapabilities[static_cast<int>(cap)]; }

std::string_view capability_name(Capability cap) { return facts(cap).name; }

std::optional<Capability> capability_by_name(std::string_view name) {
  for (const CapabilityFacts& f : kCapabilities)
    if (equal_ignoring_case(name, f.name) || equal_ignoring_case(name, f.docker_name)) return f.cap;
  return std::nullopt;
}

std::span<const Capability> stand_in_capabilities(Capability cap) {
  static constexpr Capability kSysAdmin[] = {Capability::SysAdmin};
  static constexpr Capability kDacOverride[] = {Capability::DacOverride};
  static constexpr Capability kNetAdmin[] = {Capability::NetAdmin};
  switch (cap) {
    case Capability::Bpf:
    case Capability::Perfmon:
    case Capability::Syslog: return kSysAdmin;
    case Capability::DacReadSearch: return kDacOverride;
    case Capability::NetRaw: return kNetAdmin;
    default: return {};
  }
}

std::vector<Capability> docker_default_capabilities() {
  std::vector<Capability> caps;
  for (const CapabilityFacts& f : kCapabilities)
    if (f.docker_default) caps.push_back(f.cap);
  return caps;
}

Result<CapabilityList> parse_capability_list(std::string_view value) {
  CapabilityList list;
  std::string_view rest = value;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    if (item.empty()) {
      return fail("capability list", "\"" + std::string(value) + "\"",
                  "an empty item; expected capability names separated by commas");
    }
    if (equal_ignoring_case(item, "ALL")) {
      list.all = true;
    } else if (auto cap = capability_by_name(item)) {
      if (std::ranges::find(list.caps, *cap) == list.caps.end()) list.caps.push_back(*cap);
    } else {
      return fail("capability list", "\"" + std::string(value) + "\"",
                  "\"" + std::string(item) + "\" is not a capability; expected CAP_NAME, NAME or ALL, several "
                  "separated by commas");
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return list;
}

}  // namespace syscap::tables
