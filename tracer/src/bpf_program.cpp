#include "bpf_program.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <linux/capability.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "bpf_kernel_btf.hpp"
#include "bpf_load_failure.hpp"
#include "bpf_maps.hpp"
#include "pid_namespace.hpp"
#include "record_shared.h"
#include "syscap/tables/kernel_version.hpp"

namespace syscap::tracer::detail {

namespace {

// libbpf's own messages: kept for the error that explains a failed load, shown with -v.
std::string g_libbpf_log;
int keep_libbpf_log(enum libbpf_print_level level, const char* format, va_list args) {
  // libbpf says about 450 things at debug level in each load: formatted only for -v.
  if (level == LIBBPF_DEBUG && !spdlog::should_log(spdlog::level::debug)) return 0;
  // Whole: a failed load's message holds the verifier's log, whose end says why. Nothing may
  // escape into libbpf's C frames: a message that cannot be kept is dropped.
  try {
    va_list again;
    va_copy(again, args);
    const int length = std::vsnprintf(nullptr, 0, format, again);
    va_end(again);
    if (length <= 0) return 0;
    std::string line(static_cast<std::size_t>(length) + 1, '\0');
    std::vsnprintf(line.data(), line.size(), format, args);
    line.pop_back();
    if (level != LIBBPF_DEBUG) g_libbpf_log += line;
    spdlog::debug("{}", std::string_view(line).substr(0, line.find('\n')));  // libbpf's own "libbpf: " leads
  } catch (...) {
  }
  return 0;
}

// Whether this process may load and attach tracing programs: CAP_BPF and CAP_PERFMON, or
// CAP_SYS_ADMIN, effective.
bool has_bpf_privilege() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  auto effective = [&](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1u; };
  return effective(CAP_SYS_ADMIN) || (effective(CAP_BPF) && effective(CAP_PERFMON));
}

// Hash maps that allocate their elements as they fill (BPF_F_NO_PREALLOC, so that loading does
// not allocate and populate megabytes of elements) are safe in tracing programs since Linux
// 6.1 (bpf_mem_alloc); before it the kernel warns that they may deadlock, so there they are
// preallocated.
bool kernel_allocates_in_tracing_programs() {
  auto kernel = tables::running_kernel_version();
  return kernel && *kernel >= tables::KernelVersion{6, 1};
}

void preallocate_hash_maps(record_bpf& skel) {
  bpf_map* map = nullptr;
  bpf_object__for_each_map(map, skel.obj) {
    const __u32 flags = bpf_map__map_flags(map);
    if (bpf_map__type(map) == BPF_MAP_TYPE_HASH && (flags & BPF_F_NO_PREALLOC) != 0)
      bpf_map__set_map_flags(map, flags & ~BPF_F_NO_PREALLOC);
  }
}

// SYSCAP_BPF_SPILL_AT=<n> sizes the program's small hash maps (first, arg_values, cap_checks) at
// n entries, so that what does not fit goes to their spill tries from the n+1th on: the tests'
// way to run the spill on every workload. Unset: the program's own sizes.
Result<std::optional<__u32>> hash_size_asked() {
  const char* asked = std::getenv("SYSCAP_BPF_SPILL_AT");
  if (!asked) return std::nullopt;
  const std::string_view text(asked);
  __u32 n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n == 0 || n > SYSCAP_ARG_VALUES_HASH)
    return fail("load the BPF engine", "SYSCAP_BPF_SPILL_AT",
                fmt::format("expected a number of entries from 1 to {}, got '{}'", SYSCAP_ARG_VALUES_HASH, text), EINVAL);
  return n;
}

// Whether this kernel's LPM tries refuse BPF_NOEXIST for a key they hold, as hash maps do (Linux
// 6.13, and the stable series since December 2024). Before, the insert replaced the key's value
// and returned 0: a spill trie would then let a later first caller or a racing check replace
// the one kept. Asked of a trie of its own: a few microseconds.
bool tries_refuse_what_they_hold() {
  LIBBPF_OPTS(bpf_map_create_opts, options, .map_flags = BPF_F_NO_PREALLOC);
  const int fd = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "syscap_noexist", sizeof(syscap_first_spill_key), 1, 2, &options);
  if (fd < 0) return false;
  const syscap_first_spill_key key{32, 1};
  const __u8 value = 0;
  const bool refused = bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST) == 0 &&
                       bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST) != 0 && errno == EEXIST;
  close(fd);
  return refused;
}

// The sizes of the maps that fill as the run goes, before loading: the spill trie of argument
// values holds every watched argument's share and, for each, the surplus of a race between
// CPUs (record_arg_value). Where the tries do not refuse a key they hold, nothing spills: each
// hash is sized for all it may hold, as before the tries (SYSCAP_BPF_SPILL_AT is then set
// aside, and -v says so).
void size_hash_maps(record_bpf& skel, std::size_t watched, std::optional<__u32> spill_at) {
  const auto cpus = static_cast<std::size_t>(std::max(libbpf_num_possible_cpus(), 1));
  const auto values = static_cast<__u32>(std::max<std::size_t>(watched * (SYSCAP_ARG_VALUES_KEPT + cpus), 1));
  bpf_map__set_max_entries(skel.maps.arg_values_spill, values);
  if (!tries_refuse_what_they_hold()) {
    spdlog::debug("this kernel's LPM tries replace a key they hold under BPF_NOEXIST: no spill tries{}",
                  spill_at ? " (SYSCAP_BPF_SPILL_AT set aside)" : "");
    bpf_map__set_max_entries(skel.maps.first, SYSCAP_MAX_SYSCALL_KEYS);
    bpf_map__set_max_entries(skel.maps.arg_values, values);
    bpf_map__set_max_entries(skel.maps.cap_checks, SYSCAP_MAX_CAP_CHECKS);
    return;
  }
  if (spill_at)
    for (bpf_map* hash : {skel.maps.first, skel.maps.arg_values, skel.maps.cap_checks})
      bpf_map__set_max_entries(hash, *spill_at);
}

// Which programs to load: the syscall counter (record), the container start and the
// capability-check watch.
struct ProgramChoice {
  bool syscalls = true;
  bool container = false;
  bool checks = true;
};

Result<Skeleton> open_and_load(ProgramChoice choice, const CoreBtf& btf, std::optional<__u32> spill_at) {
  g_libbpf_log.clear();
  LIBBPF_OPTS(bpf_object_open_opts, options, .btf_custom_path = btf.custom_path());
  Skeleton skel(record_bpf__open_opts(&options));
  if (!skel) return fail_errno("open the BPF program", "", errno);
  // Which arguments to keep, in the program's global data; their number sizes the values map.
  auto watched = watch_arguments(*skel);
  if (!watched) return std::unexpected(watched.error());
  size_hash_maps(*skel, *watched, spill_at);
  if (!kernel_allocates_in_tracing_programs()) {
    spdlog::debug("kernel before 6.1: the BPF program's hash maps are preallocated");
    preallocate_hash_maps(*skel);
  }
  if (!choice.checks) {
    bpf_program__set_autoload(skel->progs.syscap_cap_capable, false);
    bpf_program__set_autoload(skel->progs.syscap_sys_exit, false);
  }
  mark_exec_calls(*skel);
  if (choice.syscalls && choice.checks) {
    // sys_exit starts a group's recording at its execve: the exec tracepoint is left alone.
    skel->bss->exec_in_sys_exit = 1;
    bpf_program__set_autoload(skel->progs.syscap_exec, false);
  }
  if (!choice.syscalls) bpf_program__set_autoload(skel->progs.syscap_sys_enter, false);
  if (!choice.container) bpf_program__set_autoload(skel->progs.syscap_container_exec, false);
  if (int err = record_bpf__load(skel.get()); err != 0) {
    std::string why = g_libbpf_log.empty() ? std::strerror(-err) : load_failure(g_libbpf_log);
    return fail("load the BPF program", "", why, -err);
  }
  return skel;
}

Result<Skeleton> load_and_attach(ProgramChoice choice, const CoreBtf& btf, std::optional<__u32> spill_at) {
  auto skel = open_and_load(choice, btf, spill_at);
  if (!skel) return skel;
  if (int err = record_bpf__attach(skel->get()); err != 0)
    return fail("attach the BPF program to the raw tracepoints", "", std::strerror(-err), -err);
  return skel;
}

}  // namespace

Result<LoadedProgram> load_program(ProgramUse use) {
  const bool record_syscalls = use != ProgramUse::WatchChecks;
  const bool container = use == ProgramUse::RecordContainer;
  if (!has_bpf_privilege())
    return fail("load the BPF engine", "", "needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN): run as root", EPERM);
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
    return fail("load the BPF engine", "", "this kernel has no BTF (/sys/kernel/btf/vmlinux)", ENOENT);
  if (auto mismatch = pid_namespace_mismatch()) return fail("load the BPF engine", "", *mismatch, EOPNOTSUPP);
  libbpf_set_print(keep_libbpf_log);
  LoadedProgram loaded;
  const CoreBtf btf = CoreBtf::for_running_kernel();
  spdlog::debug("BPF program relocated against {}", btf.description());
  // SYSCAP_BPF_CHECKS=0 records as on a kernel without the cap_capable tracepoint (less work per
  // call; the tests' way to run that configuration on any kernel).
  const char* checks_asked = std::getenv("SYSCAP_BPF_CHECKS");
  if (checks_asked && std::string_view(checks_asked) != "0" && std::string_view(checks_asked) != "1")
    return fail("load the BPF engine", "SYSCAP_BPF_CHECKS",
                fmt::format("expected 0 (no capability checks) or 1, got '{}'", checks_asked), EINVAL);
  const bool checks_off = checks_asked && std::string_view(checks_asked) == "0";
  auto spill_at = hash_size_asked();
  if (!spill_at) return std::unexpected(spill_at.error());
  Result<Skeleton> skel = checks_off ? fail("load the BPF program", "", "SYSCAP_BPF_CHECKS=0", EOPNOTSUPP)
                                     : load_and_attach({.syscalls = record_syscalls, .container = container, .checks = true}, btf, *spill_at);
  if (!skel) {
    // Kernels before 6.14 have no cap_capable tracepoint (a raw tracepoint program loads
    // anyway; attaching it fails): record without the checks.
    loaded.checks_unseen = checks_off ? "SYSCAP_BPF_CHECKS=0"
                                      : "the kernel has no cap_capable tracepoint (Linux 6.14+) or it would not attach";
    spdlog::debug("capability checks not watched: {}", skel.error().message());
    if (!record_syscalls)
      return fail("watch the kernel's capability checks", "", checks_off ? "SYSCAP_BPF_CHECKS=0" : skel.error().message(),
                  EOPNOTSUPP);
    skel = load_and_attach({.syscalls = true, .container = container, .checks = false}, btf, *spill_at);
    if (!skel) return std::unexpected(skel.error());
  }
  loaded.skel = std::move(*skel);
  return loaded;
}

}  // namespace syscap::tracer::detail
