// The checker's checks on directory entries and attributes: creating, removing and renaming
// entries (may_create(), may_delete() with the sticky-bit rule), device nodes, and extended
// attributes.
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fmt/format.h>

#include "file_operand.hpp"

namespace syscap::capabilities::detail {

using tables::Capability;

namespace {

// may_delete(): write+search on the directory, and the sticky-bit rule (check_sticky()).
void remove_checks(Findings& f, const PathFacts& p, const std::string& shown) {
  if (!p.target || !p.parent) return;
  const FileFacts& dir = *p.parent;
  const FileFacts& victim = *p.target;
  f.permission(dir, kMayWrite | kMayExec, fmt::format("removing {}", shown));
  const Credentials& c = f.creds;
  if ((dir.mode & S_ISVTX) && c.fsuid != victim.uid && c.fsuid != dir.uid &&
      c.has(Capability::Fowner))
    f.add(Capability::Fowner,
          fmt::format("removing {} from sticky directory {}: neither is owned by fsuid {}",
                      describe(victim), describe(dir), c.fsuid));
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

void create_entry(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args, false);
  check_walk(f, op);
  if (!op.path || op.file || !op.path->parent) return;  // EEXIST, or nothing known
  f.permission(*op.path->parent, kMayWrite | kMayExec, fmt::format("creating {}", op.shown));
}

void remove_entry(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args, false);
  check_walk(f, op);
  if (op.path) remove_checks(f, *op.path, op.shown);
}

void rename_entry(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  Operand from = operand(*f.rule, call, view, f.args, false);
  check_walk(f, from);
  if (from.path) remove_checks(f, *from.path, from.shown);
  const int newdirfd = o.a >= 0 ? as_int(call.args[o.a]) : kAtFdcwd;
  auto newpath = view.read_string(call.args[o.b]);
  if (!newpath) return;
  f.args["newpath"] = *newpath;
  auto to = view.resolve(newdirfd, *newpath, false);
  if (!to) return;
  for (const FileFacts& dir : to->walked)
    if (f.permission(dir, kMayExec, fmt::format("searching it to reach {}", *newpath))) break;
  if (to->target) {
    remove_checks(f, *to, *newpath);
  } else if (to->parent) {
    f.permission(*to->parent, kMayWrite | kMayExec, fmt::format("creating {}", *newpath));
  }
  // Moving a directory to another parent rewrites its "..": write permission on it.
  if (from.file && S_ISDIR(from.file->mode) && from.path && from.path->parent && to->parent &&
      from.path->parent->path != to->parent->path)
    f.permission(*from.file, kMayWrite, "moving the directory to another parent");
}

void make_node(Findings& f, const SyscallCall& call, TraceeView&) {
  const auto& o = f.rule->ops;
  const std::uint32_t mode = static_cast<std::uint32_t>(call.args[o.a]);
  const std::uint64_t dev = call.args[o.b];
  const bool device = S_ISBLK(mode) || (S_ISCHR(mode) && dev != 0);  // char 0:0 is a whiteout
  if (!device || !f.creds.has(Capability::Mknod)) return;
  f.args["mode"] = fmt::format("{:#o}", mode);
  f.args["dev"] = fmt::format("{}:{}", major(static_cast<dev_t>(dev)), minor(static_cast<dev_t>(dev)));
  f.add(Capability::Mknod, fmt::format("creating a {} device node {}:{}", S_ISBLK(mode) ? "block" : "character",
                                       major(static_cast<dev_t>(dev)), minor(static_cast<dev_t>(dev))));
}

void set_xattr(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  auto name = view.read_string(call.args[f.rule->ops.a]);
  if (!name || !op.file) return;
  f.args["name"] = *name;
  const FileFacts& file = *op.file;
  const Credentials& c = f.creds;
  if (*name == "security.capability") {
    if (c.has(Capability::Setfcap))
      f.add(Capability::Setfcap, fmt::format("changing file capabilities of {}", describe(file)));
  } else if (starts_with(*name, "trusted.") || starts_with(*name, "security.")) {
    if (c.has(Capability::SysAdmin))
      f.add(Capability::SysAdmin, fmt::format("changing the {} attribute of {}", *name, describe(file)));
  } else if (starts_with(*name, "system.posix_acl_")) {
    if (c.fsuid != file.uid && c.has(Capability::Fowner))
      f.add(Capability::Fowner, fmt::format("changing the ACL of {} not owned by fsuid {}", describe(file), c.fsuid));
  } else if (starts_with(*name, "user.")) {
    if (S_ISDIR(file.mode) && (file.mode & S_ISVTX) && c.fsuid != file.uid &&
        c.has(Capability::Fowner))
      f.add(Capability::Fowner, fmt::format("user xattr on sticky directory {}", describe(file)));
    else
      f.permission(file, kMayWrite, fmt::format("changing attribute {}", *name));
  }
}

void get_xattr(Findings& f, const SyscallCall& call, TraceeView& view) {
  Operand op = operand(*f.rule, call, view, f.args);
  check_walk(f, op);
  auto name = view.read_string(call.args[f.rule->ops.a]);
  if (!name || !op.file) return;
  f.args["name"] = *name;
  if (starts_with(*name, "trusted.")) {
    if (f.creds.has(Capability::SysAdmin))
      f.add(Capability::SysAdmin, fmt::format("reading trusted attribute {} of {}", *name, describe(*op.file)));
  } else if (starts_with(*name, "user.")) {
    f.permission(*op.file, kMayRead, fmt::format("reading attribute {}", *name));
  }
}

}  // namespace syscap::capabilities::detail
