#include "syscap/output_file.hpp"

#include <fcntl.h>
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

}  // namespace

bool is_stdout(std::string_view path) { return path == "-"; }

Result<void> check_output(const std::string& path, std::string_view what) {
  if (is_stdout(path)) return {};
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
  // rename replaces whatever `path` is (a symlink included) without following it.
  if (ok && rename(temp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
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
