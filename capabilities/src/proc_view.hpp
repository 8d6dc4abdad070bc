// The live TraceeView: answers the checker's questions about a stopped tracee from /proc,
// process_vm_readv and pidfd_getfd. One instance per syscall stop; the observer keeps the
// caches that outlive a stop (the caller's credentials, non-dumpable processes). Facts about
// processes and fds are read in proc_view.cpp, paths resolved in proc_path_walk.cpp.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "dir_facts_cache.hpp"
#include "proc_files.hpp"
#include "syscap/capabilities/checker.hpp"

namespace syscap::capabilities::detail {

// Reads a process's facts from /proc/TID/{status,stat,limits,ns/user}; nullopt if it is gone.
std::optional<ProcessFacts> read_process_facts(pid_t tid);

class ProcTraceeView : public TraceeView {
 public:
  // `caller_cache`: facts of callers kept across stops (the observer drops stale entries);
  // `nondumpable`: thread-group ids known to have made themselves non-dumpable;
  // `dirs`: directory facts kept across stops (nullptr: walk every path through /proc).
  ProcTraceeView(pid_t caller, std::unordered_map<pid_t, ProcessFacts>& caller_cache,
                 const std::set<pid_t>& nondumpable, DirFactsCache* dirs = nullptr)
      : caller_(caller), caller_cache_(caller_cache), nondumpable_(nondumpable), dirs_(dirs) {}

  pid_t caller() const override { return caller_; }
  const ProcessFacts* process(pid_t tid) override;
  std::vector<pid_t> processes(std::optional<pid_t> pgid) override;
  std::optional<std::string> read_string(std::uint64_t addr) override;
  bool read_memory(std::uint64_t addr, void* out, std::size_t len) override;
  std::optional<PathFacts> resolve(int dirfd, const std::string& path, bool follow) override;
  std::optional<PathFacts> resolve_dirs(int dirfd, const std::string& path) override;
  std::optional<FileFacts> fd_file(int fd) override;
  std::optional<FileFacts> fd_stat(int fd) override;
  std::optional<std::uint32_t> fd_inode_flags(int fd, bool xflags) override;
  std::optional<SocketFacts> fd_socket(int fd) override;
  std::optional<pid_t> fd_pidfd(int fd) override;
  std::optional<std::string> fd_link(int fd) override;
  std::optional<IpcObjectFacts> ipc_object(IpcKind kind, int id) override;
  std::optional<std::int64_t> sysctl(std::string_view name) override;

 private:
  // resolve() and resolve_dirs() (`target` false).
  std::optional<PathFacts> resolve(int dirfd, const std::string& path, bool follow, bool target);
  // From cached directories: nullopt when one is not cached (walk instead).
  std::optional<PathFacts> resolve_cached(int dirfd, const std::string& path, bool follow, bool target);
  // By opening each component under /proc/PID/{root,cwd,fd/N}, filling the cache.
  std::optional<PathFacts> resolve_by_walk(int dirfd, const std::string& path, bool follow, bool target);
  // "/proc/self/..." as the caller would see it ("/proc/TGID/...").
  std::string as_caller(const std::string& path);
  // The caller's open file `fd`, borrowed (pidfd_getfd): the same open file, nothing opened
  // again. Not ok() where it cannot be had.
  Fd borrow_fd(int fd) const;

  pid_t caller_;
  std::unordered_map<pid_t, ProcessFacts>& caller_cache_;
  const std::set<pid_t>& nondumpable_;
  DirFactsCache* dirs_;
  std::map<pid_t, std::optional<ProcessFacts>> others_;  // other processes, this stop only
};

}  // namespace syscap::capabilities::detail
