#include "syscap/output_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace syscap {
namespace {

std::string action_for(std::string_view what) { return "write " + std::string(what); }

// The directory part of `path` ("." for a bare name) and the file name.
std::pair<std::string, std::string> split_path(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// What the output path names, looked at without following a link: a place for a new file (nothing
// yet, a regular file, a link to one or to nothing), a device or pipe written into as it is
// (nothing there may be replaced: a trace written to /dev/null as root once put a regular file
// in its place), or something refused, with why.
enum class Target { NewFile, Stream, Refused };

struct TargetOf {
  Target kind = Target::NewFile;
  std::string why;  // for Refused
  int err = 0;      // for Refused
};

const char* special_kind(mode_t mode) {
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISFIFO(mode)) return "a pipe";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISBLK(mode)) return "a block device";
  return nullptr;
}

TargetOf target_of(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return {};
  if (S_ISLNK(st.st_mode)) {
    // A link is replaced, never followed; but one that leads to a device or pipe (/dev/stdout,
    // /dev/fd/N) is the system's or the caller's plumbing, not a place for a file.
    struct stat target {};
    const char* kind = stat(path.c_str(), &target) == 0 ? special_kind(target.st_mode) : nullptr;
    if (kind == nullptr) return {};
    return {Target::Refused,
            std::string("is a link to ") + kind + ": syscap writes through no link and replaces none that leads to a "
                                                  "device or pipe; name the device itself, or - for standard output",
            ELOOP};
  }
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return {Target::Stream, "", 0};
  return {Target::Refused, std::string("is ") + special_kind(st.st_mode) + ": nothing is written to it", EINVAL};
}

// Writes `content` into the device or pipe at `path` (opened without following a link, without
// creating anything, and checked to be one once open).
Result<void> write_stream(const std::string& path, std::string_view content, std::string_view what) {
  const int fd = open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return fail_errno(action_for(what), path, errno);
  struct stat st {};
  if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
    close(fd);
    return fail(action_for(what), path, "is no longer a device or pipe", EINVAL);
  }
  bool ok = write_all(fd, content);
  int err = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) return fail_errno(action_for(what), path, err);
  return {};
}

// A new file "<dir>/.<name>.syscap-XXXXXX" made with O_CREAT|O_EXCL (mkostemp): no existing
// file or symlink is ever opened. Returns the fd and fills `temp`.
Result<int> create_temp(const std::string& path, std::string_view what, std::string& temp) {
  if (path.empty()) return fail(action_for(what), "\"\"", "empty path", ENOENT);
  const auto [dir, name] = split_path(path);
  if (name.empty() || name == "." || name == "..") return fail(action_for(what), path, "is a directory", EISDIR);
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return fail(action_for(what), path, "is a directory", EISDIR);
  if (stat(dir.c_str(), &st) != 0) return fail_errno(action_for(what), path, errno);
  if (!S_ISDIR(st.st_mode)) return fail(action_for(what), path, dir + " is not a directory", ENOTDIR);
  temp = (dir == "/" ? "" : dir) + "/." + name.substr(0, 200) + ".syscap-XXXXXX";
  const int fd = mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return fail_errno(action_for(what), path, errno);
  return fd;
}

// Puts the new file `temp` in `path`'s place. Where `path` is a regular file already, the two
// are exchanged (renameat2 RENAME_EXCHANGE, as atomic for readers as a rename: they find the
// old file or the new one, never none) and the old one, now at `temp`, is removed. A rename over
// an existing file costs far more on ext4 (auto_da_alloc writes the new file's data out first:
// 0.4-0.5 ms of every run that records to the same path again); the exchange leaves the data to
// ordinary writeback, as for any new file. The price: after a power loss in the seconds that
// follow, `path` may hold an empty file, as a newly created one may, where the rename would have
// kept the old content or the new. Anything else at `path` (nothing, a symlink, a directory), a
// file system without the exchange, or a lost race takes a plain rename, which replaces a
// symlink without following it and refuses a directory. 0 or an errno.
int replace(const std::string& temp, const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) == 0) {
    // What was at `path` is at `temp` now. unlink removes anything but a directory, which can
    // only be there if one replaced the file since lstat: it gets its place back, and the
    // rename below refuses it as it would have.
    if (unlink(temp.c_str()) == 0 || errno == ENOENT) return 0;
    if (errno != EISDIR) return errno;  // the new file is in place; the old one is left at `temp`
    if (renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) return errno;
  }
  return rename(temp.c_str(), path.c_str()) == 0 ? 0 : errno;
}

}  // namespace

bool is_stdout(std::string_view path) { return path == "-"; }

Result<void> check_output(const std::string& path, std::string_view what) {
  if (is_stdout(path)) return {};
  const TargetOf target = target_of(path);
  if (target.kind == Target::Refused) return fail(action_for(what), path, target.why, target.err);
  if (target.kind == Target::Stream) {
    // Not opened here: a pipe's open waits for a reader, and some devices act on an open.
    if (faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) != 0)
      return fail_errno(action_for(what), path, errno);
    return {};
  }
  std::string temp;
  auto fd = create_temp(path, what, temp);
  if (!fd) return std::unexpected(fd.error());
  close(*fd);
  unlink(temp.c_str());
  return {};
}

Result<void> write_output(const std::string& path, std::string_view content, std::string_view what) {
  if (is_stdout(path)) {
    if (!write_all(STDOUT_FILENO, content)) return fail_errno(action_for(what), "standard output", errno);
    return {};
  }
  const TargetOf target = target_of(path);
  if (target.kind == Target::Refused) return fail(action_for(what), path, target.why, target.err);
  if (target.kind == Target::Stream) return write_stream(path, content, what);
  std::string temp;
  auto fd = create_temp(path, what, temp);
  if (!fd) return std::unexpected(fd.error());
  const mode_t mask = umask(0);
  umask(mask);
  bool ok = fchmod(*fd, 0666 & ~mask) == 0 && write_all(*fd, content);
  int err = errno;
  if (close(*fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  // Replaces whatever `path` is (a symlink included) without following it.
  if (ok) {
    if (const int replaced = replace(temp, path); replaced != 0) {
      ok = false;
      err = replaced;
    }
  }
  if (!ok) {
    unlink(temp.c_str());
    return fail_errno(action_for(what), path, err);
  }
  return {};
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace syscap
