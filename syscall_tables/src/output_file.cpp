#include "syscap/output_file.hpp"

#include "output_target.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

namespace syscap {
namespace {

std::string action_for(std::string_view what) { return "write " + std::string(what); }

// Writes all of `content` to `fd` (when `ok`: nothing failed before) and closes it: 0, or the
// errno of the first failure.
int write_and_close(int fd, std::string_view content, bool ok = true) {
  int err = ok ? 0 : errno;
  if (ok && !write_all(fd, content)) err = errno;
  if (close(fd) != 0 && err == 0) err = errno;
  return err;
}

// Writes `content` into the device or pipe at `path` that target_of() found (opened without
// following a link, without creating anything, and checked to be that very node once open). A
// pipe's open waits for its reader, as a shell's redirection does.
Result<void> write_stream(const std::string& path, const OutputTarget& target, std::string_view content,
                          std::string_view what) {
  const int fd = open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return fail_errno(action_for(what), path, errno);
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_dev != target.dev || st.st_ino != target.ino) {
    close(fd);
    return fail(action_for(what), path, "is no longer the device or pipe it was", EINVAL);
  }
  if (const int err = write_and_close(fd, content); err != 0) return fail_errno(action_for(what), path, err);
  return {};
}

// The directory and name of regular-file output `path`, once it is known to name a file in a
// directory (not a directory itself).
Result<std::pair<std::string, std::string>> file_place(const std::string& path, std::string_view what) {
  if (path.empty()) return fail(action_for(what), "\"\"", "empty path", ENOENT);
  auto [dir, name] = split_output_path(path);
  struct stat st {};
  // "file/" names no file: where a file is, it is not a directory (ENOTDIR, as the kernel says);
  // anything else is one, or would be (EISDIR, as open(O_CREAT) says).
  if (name.empty() && stat(path.c_str(), &st) != 0 && errno == ENOTDIR) return fail_errno(action_for(what), path, ENOTDIR);
  if (name.empty() || name == "." || name == "..") return fail(action_for(what), path, "is a directory", EISDIR);
  // Told now, not after the run: the check's unnamed file has no name to be too long.
  if (name.size() > NAME_MAX) return fail_errno(action_for(what), path, ENAMETOOLONG);
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return fail(action_for(what), path, "is a directory", EISDIR);
  if (stat(dir.c_str(), &st) != 0) return fail_errno(action_for(what), path, errno);
  if (!S_ISDIR(st.st_mode)) return fail(action_for(what), path, dir + " is not a directory", ENOTDIR);
  return std::pair{std::move(dir), std::move(name)};
}

// A new file "<dir>/.<name>.syscap-XXXXXX" made with O_CREAT|O_EXCL (mkostemp) in `path`'s
// place (file_place()): no existing file or symlink is ever opened. Returns the fd and fills
// `temp`.
Result<int> create_temp(const std::pair<std::string, std::string>& place, const std::string& path,
                        std::string_view what, std::string& temp) {
  const auto& [dir, name] = place;
  temp = (dir == "/" ? "" : dir) + "/." + name.substr(0, 200) + ".syscap-XXXXXX";
  const int fd = mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return fail_errno(action_for(what), path, errno);
  return fd;
}

// Whether a file can be made where `path` will be written: an unnamed one (O_TMPFILE) made and
// dropped, which touches no name in the directory (15-25 us on ext4 here, against 60-190 for a
// named file made and removed); where the file system has no O_TMPFILE, a named one.
Result<void> check_file_output(const std::string& path, std::string_view what) {
  auto place = file_place(path, what);
  if (!place) return std::unexpected(place.error());
  const int fd = open(place->first.c_str(), O_WRONLY | O_TMPFILE | O_CLOEXEC, 0600);
  if (fd >= 0) {
    close(fd);
    return {};
  }
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) return fail_errno(action_for(what), path, errno);
  std::string temp;
  auto named = create_temp(*place, path, what, temp);
  if (!named) return std::unexpected(named.error());
  close(*named);
  unlink(temp.c_str());
  return {};
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
  const OutputTarget target = output_target(path);
  if (target.kind == OutputTarget::Refused) return fail(action_for(what), path, target.why, target.err);
  if (target.kind == OutputTarget::Pipe) {
    // Not opened here: a pipe's open waits for its reader.
    if (faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) != 0)
      return fail_errno(action_for(what), path, errno);
    return {};
  }
  if (target.kind == OutputTarget::Device) {
    // Opened and closed, as the write will open it: a file system mounted nodev, or a terminal
    // that is not ours (ENXIO), refuses it now rather than after the run.
    const int fd = open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return fail_errno(action_for(what), path, errno);
    close(fd);
    return {};
  }
  return check_file_output(path, what);
}

Result<void> write_output(const std::string& path, std::string_view content, std::string_view what) {
  if (is_stdout(path)) {
    if (!write_all(STDOUT_FILENO, content)) return fail_errno(action_for(what), "standard output", errno);
    return {};
  }
  const OutputTarget target = output_target(path);
  if (target.kind == OutputTarget::Refused) return fail(action_for(what), path, target.why, target.err);
  if (target.kind == OutputTarget::Device || target.kind == OutputTarget::Pipe)
    return write_stream(path, target, content, what);
  auto place = file_place(path, what);
  if (!place) return std::unexpected(place.error());
  std::string temp;
  auto fd = create_temp(*place, path, what, temp);
  if (!fd) return std::unexpected(fd.error());
  const mode_t mask = umask(0);
  umask(mask);
  int err = write_and_close(*fd, content, fchmod(*fd, 0666 & ~mask) == 0);
  // Replaces whatever `path` is (a symlink included) without following it.
  if (err == 0) err = replace(temp, path);
  if (err != 0) {
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
