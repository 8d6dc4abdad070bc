// What the capability checker learned about the directories on the way to path operands,
// kept for the whole run. A compile looks up thousands of paths under the same few
// directories, and walking each one through /proc costs four syscalls per directory
// (docs/performance.md); with this cache a path under known directories costs one fstatat.
//
// An entry is keyed by the text of the path walked so far: absolute ("/usr/lib", from the
// workload's root) or relative to a start directory named by device, inode and mount
// ("@2049:131:27/sub": a bind mount of the same directory elsewhere is another start). It holds the directory's facts, or says that the walk cannot go through
// it (ENOENT or ENOTDIR: a compiler's include search tries many directories that are not
// there). That text names the same thing only while nothing renames, removes, re-owns,
// re-modes or mounts over a directory, nothing creates a directory or symlink where there was
// none, and the workload sees our root and mount table. So the capability observer
//   - when a tracee enters a call that may change a directory, clears the cache (or only the
//     missing entries, for a call that creates one: change_started) and bypasses it until the
//     call has finished (change_finished: the caller's next stop, its reported exit, or its
//     death), so no answer is cached from a half-done change;
//   - turns it off for the rest of the run once a tracee may see another root or mount table
//     (chroot, pivot_root, setns, CLONE_NEWNS), may change files without syscalls we see
//     (io_uring_setup), or makes a call of an architecture we have no table for: from then on
//     every path is walked through /proc/PID/root as before.
// Nothing on a pseudo file system (proc, sys, cgroup, devpts, debugfs, ...) is cached: the
// kernel creates and re-owns entries there without any call of the workload.
// Not seen: changes made during the run by processes outside the workload to directories it
// already walked (the walk itself has always been a snapshot taken at the syscall's entry).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "syscap/capabilities/checker.hpp"

namespace syscap::capabilities::detail {

class DirFactsCache {
 public:
  // Enough for the directories of a large build; when full, the cache starts over.
  static constexpr std::size_t kMaxEntries = 4096;

  DirFactsCache();

  // The cache may be read and filled for the call being checked now.
  bool usable() const { return enabled_ && changing_.empty(); }
  bool enabled() const { return enabled_; }

  // The facts of the directory `key` names, or nullptr.
  const FileFacts* find(const std::string& key) const;
  // Whether a walk cannot go through `key` (it is missing, or not a directory).
  bool missing(const std::string& key) const { return missing_.contains(key); }
  // Remembers a directory (ignored unless usable()); only for one on a cacheable file system.
  void insert(std::string key, const FileFacts& facts);
  // Remembers that a walk cannot go through `key` (ignored unless usable()).
  void insert_missing(std::string key);

  // What a call that may change directories can do.
  enum class Change {
    Alter,   // rename, remove, re-own, re-mode or mount: anything cached may be wrong
    Create,  // create a directory or symlink: only "missing" entries may be wrong
  };
  // `tid` entered such a call: forget what it may change, and bypass the cache until
  // change_finished(tid).
  void change_started(pid_t tid, Change change);
  // `tid`'s call has run (or `tid` is gone). Cheap when no change is pending.
  void change_finished(pid_t tid);
  bool change_pending() const { return !changing_.empty(); }

  // A tracee may now see another root or mount table: stop caching for the rest of the run.
  void disable(std::string_view why);

  // Whether directories on device `dev` may be cached; `fd` (a directory on it) answers with
  // fstatfs the first time a device is seen. known_cacheable(): nullopt for a device not seen.
  bool cacheable(dev_t dev, int fd);
  std::optional<bool> known_cacheable(dev_t dev) const;

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  void count(bool hit) const { (hit ? hits_ : misses_)++; }

  // The key of `component` inside the directory keyed `dir`.
  static std::string child_key(const std::string& dir, std::string_view component);

 private:
  std::unordered_map<std::string, FileFacts> dirs_;
  std::unordered_set<std::string> missing_;
  std::set<pid_t> changing_;  // tracees inside a call that may change directories
  bool enabled_ = true;
  std::unordered_map<dev_t, bool> cacheable_devs_;
  mutable std::uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace syscap::capabilities::detail
