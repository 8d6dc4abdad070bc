// Reading /proc for the capability checker and observer: whole files and links, numbers and
// words of their text. The "Key:\tvalue" lines of /proc/PID/status and /proc/PID/fdinfo/FD are
// read through syscap::proc_field() (syscap/proc_status.hpp), the one parser of them.
//
//   auto status = read_file("/proc/42/status");
//   auto uid = proc_field(*status, "Uid");             // "\t1000\t1000\t1000\t1000"
//   pid_t tgid = status_number(42, "Tgid").value_or(42);
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/proc_status.hpp"

namespace syscap::capabilities::detail {

// An fd closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_;
};

// The whole text of a file; nullopt if it cannot be opened.
std::optional<std::string> read_file(const std::string& path);

// Where a symbolic link points; nullopt if it is not one or cannot be read.
std::optional<std::string> read_link(const std::string& path);

// The path our own `fd` names (/proc/self/fd/FD).
std::optional<std::string> fd_path(int fd);

// The number at the start of `s` (leading blanks skipped); 0 if there is none.
std::uint64_t to_u64(std::string_view s, int base = 10);
std::int64_t to_i64(std::string_view s);

// The words of `s`, split at blanks and newlines.
std::vector<std::string_view> split_ws(std::string_view s);

// The one "Key:\tvalue" parser, shared with the tracer (syscap/proc_status.hpp).
using syscap::proc_field;
using syscap::status_number;

}  // namespace syscap::capabilities::detail
