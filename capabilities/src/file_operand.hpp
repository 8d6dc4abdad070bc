// The file a file check acts on, as its rule row's operands name it (fd, dirfd+path, path),
// and the search permission on the directories walked to reach it. Shared by the file checks
// (checks_file.cpp, checks_entries.cpp).
#pragma once

#include <fcntl.h>

#include <optional>
#include <string>

#include "checks.hpp"

namespace syscap::capabilities::detail {

inline constexpr int kAtFdcwd = AT_FDCWD;

// The file a rule's operands name: fd, dirfd+path (with AT_EMPTY_PATH), or path.
struct Operand {
  std::optional<PathFacts> path;   // when the operand is a path
  std::optional<FileFacts> file;   // the target, either way
  std::string shown;               // the path as the tracee gave it, or "fd N"
  bool followed = false;           // a path whose last component is followed if a link
};

// `file_facts`: whether the check needs the facts of the file itself (else only those of the
// directories searched to reach it: a stat() reads nothing).
Operand operand(const tables::CapabilityRule& rule, const SyscallCall& call, TraceeView& view,
                nlohmann::ordered_json& args, bool follow_default = true, bool file_facts = true);

// MAY_EXEC on every directory the walk searched: CAP_DAC_READ_SEARCH (or DAC_OVERRIDE).
void check_walk(Findings& f, const Operand& op);

}  // namespace syscap::capabilities::detail
