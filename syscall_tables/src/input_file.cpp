#include "syscap/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace syscap {

Result<std::string> read_input(const std::string& path, std::string_view what, std::size_t limit) {
  const std::string action = "read " + std::string(what);
  const bool from_stdin = path == "-";
  const std::string name = from_stdin ? "standard input" : path;
  const int fd = from_stdin ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return fail_errno(action, name, errno);
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    if (!from_stdin) close(fd);
    return fail_errno(action, name, err);
  }
  if (S_ISDIR(st.st_mode)) {
    if (!from_stdin) close(fd);
    return fail(action, name, "is a directory", EISDIR);
  }
  // O_NONBLOCK only kept a FIFO without a writer from hanging the open; reads block again.
  if (!from_stdin) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string text;
  char buffer[65536];
  Result<std::string> result = fail(action, name, "is larger than " + std::to_string(limit >> 20) + " MiB");
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result = fail_errno(action, name, errno);
      break;
    }
    if (n == 0) {
      result = std::move(text);
      break;
    }
    if (text.size() + static_cast<std::size_t>(n) > limit) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (!from_stdin) close(fd);
  return result;
}

}  // namespace syscap
