// Resolving a file check's operand through the tracee's view, and the search permission on
// the directories on the way.
#include "file_operand.hpp"

#include <fmt/format.h>

namespace syscap::capabilities::detail {

using tables::CapabilityRule;

Operand operand(const CapabilityRule& rule, const SyscallCall& call, TraceeView& view,
                nlohmann::ordered_json& args, bool follow_default, bool file_facts) {
  Operand out;
  const auto& o = rule.ops;
  if (o.fd >= 0) {
    const int fd = as_int(call.args[o.fd]);
    args["fd"] = fd;
    out.file = view.fd_file(fd);
    out.shown = out.file ? out.file->path : fmt::format("fd {}", fd);
    return out;
  }
  if (o.path < 0) return out;
  const int dirfd = o.dirfd >= 0 ? as_int(call.args[o.dirfd]) : kAtFdcwd;
  const int at = (o.at_flags && o.flags >= 0) ? as_int(call.args[o.flags]) : 0;
  const std::uint64_t ptr = call.args[o.path];
  std::optional<std::string> path = ptr ? view.read_string(ptr) : std::string();
  if (!path) return out;
  if (path->empty() && (at & AT_EMPTY_PATH || ptr == 0)) {
    // The *at call acts on dirfd itself (AT_EMPTY_PATH, or utimensat's NULL path).
    if (dirfd == kAtFdcwd) return out;
    args["fd"] = dirfd;
    if (!file_facts) return out;
    out.file = view.fd_file(dirfd);
    out.shown = out.file ? out.file->path : fmt::format("fd {}", dirfd);
    return out;
  }
  args["path"] = *path;
  if (dirfd != kAtFdcwd && !path->starts_with('/')) args["dirfd"] = dirfd;
  const bool follow = follow_default && !o.nofollow && !(at & AT_SYMLINK_NOFOLLOW);
  out.followed = follow;
  out.path = file_facts ? view.resolve(dirfd, *path, follow) : view.resolve_dirs(dirfd, *path);
  out.shown = *path;
  if (out.path) out.file = out.path->target;
  return out;
}

void check_walk(Findings& f, const Operand& op) {
  if (!op.path) return;
  for (const FileFacts& dir : op.path->walked)
    if (f.permission(dir, kMayExec, fmt::format("searching it to reach {}", op.shown))) return;
}

}  // namespace syscap::capabilities::detail
