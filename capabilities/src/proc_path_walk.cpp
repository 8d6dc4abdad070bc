// ProcTraceeView's path resolution: from the directory cache when every directory on the way
// is in it, else by opening each component under the tracee's /proc/PID/{root,cwd,fd/N} (and
// filling the cache on the way).
#include "proc_view.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <fmt/format.h>
#include <vector>

#include "proc_files.hpp"

namespace syscap::capabilities::detail {
namespace {

std::optional<FileFacts> stat_fd(int fd, std::string path) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return std::nullopt;
  return FileFacts{std::move(path), st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0};
}

// The components of a path, without empty ones: "/usr//lib/" -> usr, lib.
std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

// A directory met on a walk: its facts (path left empty), and what names it for the cache.
struct Dir {
  FileFacts facts;
  dev_t dev = 0;
  ino_t ino = 0;
  std::uint64_t mount = 0;  // 0: unknown (a kernel before 5.8)
};

std::optional<Dir> statx_dir(int dirfd, const char* path, int flags) {
  struct statx sx {};
  if (statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_MNT_ID, &sx) != 0) {
    if (errno != ENOSYS && errno != EPERM) return std::nullopt;
    // No statx (before Linux 4.11, or refused by a seccomp filter around syscap): fstatat,
    // without a mount id (relative walks are then not cached).
    struct stat st {};
    if (fstatat(dirfd, path, &st, flags) != 0) return std::nullopt;
    return Dir{FileFacts{{}, st.st_mode, st.st_uid, st.st_gid, st.st_rdev, 0}, st.st_dev, st.st_ino, 0};
  }
  Dir d;
  d.facts = FileFacts{{}, sx.stx_mode, sx.stx_uid, sx.stx_gid, makedev(sx.stx_rdev_major, sx.stx_rdev_minor), 0};
  d.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  d.ino = sx.stx_ino;
  if (sx.stx_mask & STATX_MNT_ID) d.mount = sx.stx_mnt_id;
  return d;
}

std::optional<Dir> dir_at(int fd, const std::string& fallback) {
  auto d = statx_dir(fd, "", AT_EMPTY_PATH);
  if (d) d->facts.path = fd_path(fd).value_or(fallback);
  return d;
}

// The cache key of a walk that starts in a directory rather than at the root; nullopt when
// its mount is unknown (a bind mount of it elsewhere would share the key).
std::optional<std::string> start_key(const Dir& d) {
  if (d.mount == 0) return std::nullopt;
  return fmt::format("@{}:{}:{}", d.dev, d.ino, d.mount);
}

}  // namespace

std::optional<PathFacts> ProcTraceeView::resolve(int dirfd, const std::string& path, bool follow) {
  return resolve(dirfd, path, follow, true);
}

std::optional<PathFacts> ProcTraceeView::resolve_dirs(int dirfd, const std::string& path) {
  return resolve(dirfd, path, true, false);
}

std::optional<PathFacts> ProcTraceeView::resolve(int dirfd, const std::string& path, bool follow,
                                                 bool target) {
  if (!dirs_ || !dirs_->enabled()) return resolve_by_walk(dirfd, path, follow, target);
  const std::string mine = as_caller(path);
  if (dirs_->usable()) {
    auto cached = resolve_cached(dirfd, mine, follow, target);
    dirs_->count(cached.has_value());
    if (cached) return cached;
  }
  return resolve_by_walk(dirfd, mine, follow, target);
}

std::string ProcTraceeView::as_caller(const std::string& path) {
  // Our own walk would resolve "self" to syscap's /proc entry. Only called while the workload
  // sees our root and mount table, so our /proc is its /proc.
  if (!path.starts_with("/proc/")) return path;
  const std::string_view rest = std::string_view(path).substr(6);
  auto names = [&](std::string_view entry) {
    return rest.starts_with(entry) && (rest.size() == entry.size() || rest[entry.size()] == '/');
  };
  const bool self = names("self"), thread_self = names("thread-self");
  if (!self && !thread_self) return path;
  const ProcessFacts* me = process(caller_);
  if (!me) return path;
  if (self) return fmt::format("/proc/{}{}", me->tgid, rest.substr(4));
  return fmt::format("/proc/{}/task/{}{}", me->tgid, caller_, rest.substr(11));
}

std::optional<PathFacts> ProcTraceeView::resolve_cached(int dirfd, const std::string& path, bool follow,
                                                        bool target) {
  const auto parts = components(path);
  std::string key;    // the cache key of the directory reached so far
  std::string start;  // where a relative path starts, as a path we can stat
  FileFacts dir;
  if (path.starts_with('/')) {
    key = "/";
    const FileFacts* root = dirs_->find(key);
    if (!root) return std::nullopt;
    dir = *root;
  } else {
    start = dirfd == AT_FDCWD ? fmt::format("/proc/{}/cwd", caller_)
                              : fmt::format("/proc/{}/fd/{}", caller_, dirfd);
    auto here = statx_dir(AT_FDCWD, start.c_str(), 0);
    if (!here || dirs_->known_cacheable(here->dev) != true) return std::nullopt;
    auto start_name = start_key(*here);
    if (!start_name) return std::nullopt;
    key = std::move(*start_name);
    const FileFacts* known = dirs_->find(key);
    if (!known) return std::nullopt;
    dir = here->facts;  // its mode and owner as they are now, its name from the cache
    dir.path = known->path;
  }
  PathFacts out;
  if (parts.empty()) {
    out.target = dir;
    return out;
  }
  out.walked.reserve(parts.size());
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    out.walked.push_back(dir);
    key = DirFactsCache::child_key(key, parts[i]);
    const FileFacts* next = dirs_->find(key);
    if (!next && dirs_->missing(key)) return out;  // the call fails before any capability check
    if (!next) return std::nullopt;
    dir = *next;
  }
  out.walked.push_back(dir);
  out.parent = dir;
  if (!target) return out;

  // The target: one fstatat of the whole path, which the kernel walks as the tracee would
  // ("name/" follows a symlink whatever the call says).
  if (path.ends_with('/')) follow = true;
  const std::string_view last = parts.back();
  const std::string full = start.empty() ? path : start + "/" + path;
  struct stat st {};
  if (fstatat(AT_FDCWD, full.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return out;
  if ((follow && S_ISLNK(st.st_mode)) || last == "." || last == ".." || path.ends_with('/')) {
    // Where it leads (and what to call it) takes the long way.
    Fd target(open(full.c_str(), O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)));
    if (target.ok()) out.target = stat_fd(target.get(), fd_path(target.get()).value_or(std::string(last)));
    return out;
  }
  out.target = FileFacts{DirFactsCache::child_key(dir.path, last), st.st_mode, st.st_uid, st.st_gid,
                         st.st_rdev, 0};
  return out;
}

std::optional<PathFacts> ProcTraceeView::resolve_by_walk(int dirfd, const std::string& path, bool follow,
                                                         bool target) {
  // Where the walk starts: the tracee's root, cwd, or dirfd (all magic links into its world).
  std::string base;
  if (path.starts_with('/')) base = fmt::format("/proc/{}/root", caller_);
  else if (dirfd == AT_FDCWD) base = fmt::format("/proc/{}/cwd", caller_);
  else base = fmt::format("/proc/{}/fd/{}", caller_, dirfd);
  Fd cur(open(base.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!cur.ok()) return std::nullopt;
  auto dir = dir_at(cur.get(), base);
  if (!dir) return std::nullopt;

  // What this walk learns goes into the cache, up to the first directory on a pseudo file
  // system.
  bool caching = dirs_ && dirs_->usable() && dirs_->cacheable(dir->dev, cur.get());
  std::string key;
  if (caching) {
    if (path.starts_with('/')) {
      key = "/";
    } else if (auto start_name = start_key(*dir)) {
      key = std::move(*start_name);
    } else {
      caching = false;
    }
  }
  if (caching) dirs_->insert(key, dir->facts);

  const auto parts = components(path);  // the last one is the target
  PathFacts out;
  if (parts.empty()) {  // "/" or "": the start directory itself
    out.target = dir->facts;
    return out;
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    out.walked.push_back(dir->facts);
    Fd next(openat(cur.get(), std::string(parts[i]).c_str(), O_PATH | O_CLOEXEC | O_DIRECTORY));
    const int error = next.ok() ? 0 : errno;
    if (caching) key = DirFactsCache::child_key(key, parts[i]);
    if (!next.ok()) {  // ENOENT/ENOTDIR: the call fails before any capability check
      if (caching && (error == ENOENT || error == ENOTDIR)) dirs_->insert_missing(key);
      return out;
    }
    cur = std::move(next);
    dir = dir_at(cur.get(), std::string(parts[i]));
    if (!dir) return std::nullopt;
    if (caching) {
      caching = dirs_->cacheable(dir->dev, cur.get());
      if (caching) dirs_->insert(key, dir->facts);
    }
  }
  out.walked.push_back(dir->facts);
  out.parent = dir->facts;
  if (!target) return out;
  // "name/" as the kernel reads it for a lookup: the last component must be a directory,
  // reached through a symlink if it is one, whatever the call's nofollow says. (unlink, rmdir
  // and rename look "link/" up without following and then fail with ENOTDIR; the model follows,
  // which changes no evidence: their rules only count calls that succeed.)
  std::string last(parts.back());
  if (path.ends_with('/')) {
    last += '/';
    follow = true;
  }
  Fd file(openat(cur.get(), last.c_str(), O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)));
  if (file.ok()) out.target = stat_fd(file.get(), fd_path(file.get()).value_or(last));
  return out;
}

}  // namespace syscap::capabilities::detail
