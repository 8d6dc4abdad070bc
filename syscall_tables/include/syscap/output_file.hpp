// Writing what syscap produces (traces, profiles, BPF programs) as root without being turned
// against root: a file is written under a fresh unpredictable name in its target's directory
// (created with O_EXCL, so never through a planted symlink) and renamed into place, so a
// symlink at the final path is replaced, never followed, and a reader never sees half a file.
// A character device or a pipe at the path itself (/dev/null, a named pipe) is written into as
// it is, never replaced; a link to one or into /proc (/dev/stdout), a block device, a socket,
// or a pipe or device another user owns in a shared directory is refused (output_target.hpp).
// "-" means standard output.
//
//   if (auto ok = syscap::check_output("out/trace.json", "trace"); !ok) ...   // before the run
//   ...
//   if (auto ok = syscap::write_output("out/trace.json", text, "trace"); !ok) ...
#pragma once

#include <string>
#include <string_view>

#include "syscap/error.hpp"

namespace syscap {

// True for "-": the output is standard output.
bool is_stdout(std::string_view path);

// Whether write_output(path) can succeed, checked before any work whose result would then be
// lost: the directory exists and a file can be created in it, and `path` is not a directory; or
// `path` is a device or pipe this process may write to.
// Nothing is left behind. `what` names the output in errors ("trace", "profile").
Result<void> check_output(const std::string& path, std::string_view what);

// All of `data` to `fd`, through short writes and EINTR; false (errno set) on failure. Only
// write(2), so a forked child may use it too.
bool write_all(int fd, std::string_view data);

// Writes `content` to `path` (a new file replacing whatever is there, mode 0666 & ~umask; into
// a character device or pipe at `path` as it is) or to standard output for "-".
Result<void> write_output(const std::string& path, std::string_view content, std::string_view what);

}  // namespace syscap
