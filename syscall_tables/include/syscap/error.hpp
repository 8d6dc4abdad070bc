// Error values shared by every syscap library.
//
// Libraries never print or exit: they return std::expected<T, Error>, and
// cli/ turns an Error into one line for the user and an exit code.
//
//   Result<int> parse(std::string_view s) {
//     if (s.empty()) return fail("parse number", "input", "is empty");
//     ...
//   }
//   auto r = parse(x);
//   if (!r) spdlog::error("{}", r.error().message());
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace syscap {

// What was being done, to what, and why it failed. `sys_errno` is the errno of
// a failed system call, or 0 when the cause is not a system call.
struct Error {
  std::string action;  // e.g. "read profile", "ptrace(PTRACE_GETREGS)"
  std::string object;  // e.g. "profile.json: syscalls[3].args[0].op", "pid 123"
  std::string cause;   // e.g. "expected one of SCMP_CMP_NE, ..."
  int sys_errno = 0;
  std::string hint = {};  // a second line for the user, "" if none: what explains it or what to do

  // "read profile profile.json: syscalls[3].action: unknown action ..."
  std::string message() const {
    std::string m = action;
    if (!object.empty()) m += (m.empty() ? "" : " ") + object;
    if (!cause.empty()) m += (m.empty() ? "" : ": ") + cause;
    return m;
  }
};

template <typename T>
using Result = std::expected<T, Error>;

// An unexpected Error, for `return fail(...)` from any Result-returning function.
inline std::unexpected<Error> fail(std::string action, std::string object, std::string cause,
                                   int sys_errno = 0) {
  return std::unexpected(Error{std::move(action), std::move(object), std::move(cause), sys_errno});
}

// An unexpected Error for a failed system call: the cause is strerror(err).
std::unexpected<Error> fail_errno(std::string action, std::string object, int err);

}  // namespace syscap
