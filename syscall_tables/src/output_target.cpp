#include "output_target.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace syscap {
namespace {

const char* special_kind(mode_t mode) {
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISFIFO(mode)) return "a pipe";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISBLK(mode)) return "a block device";
  return nullptr;
}

OutputTarget refused(std::string why, int err) { return {OutputTarget::Refused, 0, 0, std::move(why), err}; }

// Whether others than its owner may create or replace entries in `path`'s directory.
bool directory_shared(const std::string& path) {
  struct stat st {};
  return stat(split_output_path(path).first.c_str(), &st) != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

}  // namespace

std::pair<std::string, std::string> split_output_path(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

OutputTarget output_target(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return {};
  if (S_ISLNK(st.st_mode)) {
    // A link is replaced, never followed; but not one that stands for a descriptor (/dev/stdout
    // is /proc/self/fd/1, whatever that leads to) or leads to a device or pipe: those are the
    // system's or the caller's plumbing, not a place for a file.
    char target[16] = {};
    const ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
    if (n >= 6 && std::string(target, static_cast<std::size_t>(n)).starts_with("/proc/"))
      return refused("is a link into /proc (as /dev/stdout is): syscap neither follows nor replaces it; - is "
                     "standard output",
                     ELOOP);
    struct stat to {};
    if (const char* kind = stat(path.c_str(), &to) == 0 ? special_kind(to.st_mode) : nullptr)
      return refused(std::string("is a link to ") + kind +
                         ": syscap neither follows nor replaces it; name the device itself, or - for standard output",
                     ELOOP);
    return {};
  }
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
    // The kernel's protected_fifos rule, for devices too: a node another user owns, in a
    // directory others may write to, may be theirs to read or to leave without a reader.
    if (st.st_uid != geteuid() && directory_shared(path))
      return refused(std::string("is ") + special_kind(st.st_mode) +
                         " another user owns, in a directory others may write to: nothing is written to it",
                     EPERM);
    return {S_ISFIFO(st.st_mode) ? OutputTarget::Pipe : OutputTarget::Device, st.st_dev, st.st_ino, "", 0};
  }
  return refused(std::string("is ") + special_kind(st.st_mode) + ": nothing is written to it", EINVAL);
}

}  // namespace syscap
