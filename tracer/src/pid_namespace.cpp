#include "pid_namespace.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace syscap::tracer::detail {

namespace {

// The initial PID namespace's inode number, fixed by the kernel (PROC_PID_INIT_INO in
// include/linux/proc_ns.h); every other namespace's is allocated from 0xF0000000 up.
constexpr ino_t kInitialPidNamespaceInode = 0xEFFFFFFCU;

}  // namespace

std::optional<std::string> pid_namespace_mismatch() {
  // ns/pid is this process's own namespace whichever namespace the proc mount belongs to.
  struct stat ns{};
  if (stat("/proc/self/ns/pid", &ns) != 0)
    return fmt::format("cannot tell whether syscap runs in the initial PID namespace (/proc/self/ns/pid: {})",
                       std::strerror(errno));
  if (ns.st_ino == kInitialPidNamespaceInode) return std::nullopt;
  return "syscap runs in a PID namespace of its own (a container's?), and BPF programs know tasks only by "
         "their pids in the initial one";
}

}  // namespace syscap::tracer::detail
