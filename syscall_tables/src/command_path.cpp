#include "syscap/command_path.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>

namespace syscap {
namespace {

// What a candidate path is to execvp: nothing, a program to run, or something it may not run (a
// file without execute permission, a directory, or a directory on the way it may not search).
// One stat for the names that are not there, which are most of $PATH's candidates.
enum class Candidate { Missing, Executable, Denied };

Candidate probe(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return errno == EACCES ? Candidate::Denied : Candidate::Missing;
  return S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0 ? Candidate::Executable : Candidate::Denied;
}

}  // namespace

Result<std::string> find_command(const std::string& command) {
  if (command.empty()) return fail("run", "''", "empty command", ENOENT);
  if (command.find('/') != std::string::npos) {
    if (access(command.c_str(), F_OK) != 0) return fail_errno("run", command, errno);
    return command;
  }
  const char* env_path = std::getenv("PATH");
  std::string_view path = env_path && *env_path ? env_path : "/usr/local/bin:/usr/bin:/bin";
  bool denied = false;
  while (true) {
    const auto colon = path.find(':');
    std::string dir(path.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + command;
    switch (probe(candidate)) {
      case Candidate::Executable:
        return candidate;
      case Candidate::Denied:
        denied = true;
        break;
      case Candidate::Missing:
        break;
    }
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  if (denied) return fail("run", command, "permission denied", EACCES);
  return fail("run", command, "command not found", ENOENT);
}

}  // namespace syscap
