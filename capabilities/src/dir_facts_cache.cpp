#include "dir_facts_cache.hpp"

#include <linux/magic.h>
#include <sys/vfs.h>

#include <algorithm>
#include <spdlog/spdlog.h>

namespace syscap::capabilities::detail {

namespace {

// File systems whose entries change without a call we see: the kernel creates, removes and
// re-owns them by itself, a FUSE server answers as it likes, autofs mounts on lookup.
// (devtmpfs says it is tmpfs: device nodes made by udev are the outside world's changes.)
constexpr unsigned long kConfigfsMagic = 0x62656570;  // fs/configfs/mount.c (not in linux/magic.h)
constexpr unsigned long kPseudoFileSystems[] = {
    PROC_SUPER_MAGIC, SYSFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC, DEBUGFS_MAGIC,
    TRACEFS_MAGIC, SECURITYFS_MAGIC, DEVPTS_SUPER_MAGIC, BPF_FS_MAGIC, BINFMTFS_MAGIC,
    PSTOREFS_MAGIC, EFIVARFS_MAGIC, NSFS_MAGIC, FUSE_SUPER_MAGIC, AUTOFS_SUPER_MAGIC,
    kConfigfsMagic};

}  // namespace

DirFactsCache::DirFactsCache() = default;

bool DirFactsCache::cacheable(dev_t dev, int fd) {
  if (auto known = known_cacheable(dev)) return *known;
  struct statfs fs {};
  if (fstatfs(fd, &fs) != 0) return false;  // unknown: do not cache, ask again next time
  const auto type = static_cast<unsigned long>(fs.f_type);
  const bool ok = std::ranges::find(kPseudoFileSystems, type) == std::end(kPseudoFileSystems);
  cacheable_devs_.emplace(dev, ok);
  return ok;
}

std::optional<bool> DirFactsCache::known_cacheable(dev_t dev) const {
  auto it = cacheable_devs_.find(dev);
  if (it == cacheable_devs_.end()) return std::nullopt;
  return it->second;
}

const FileFacts* DirFactsCache::find(const std::string& key) const {
  auto it = dirs_.find(key);
  return it == dirs_.end() ? nullptr : &it->second;
}

void DirFactsCache::insert(std::string key, const FileFacts& facts) {
  if (!usable()) return;
  if (dirs_.size() >= kMaxEntries) dirs_.clear();
  dirs_.insert_or_assign(std::move(key), facts);
}

void DirFactsCache::insert_missing(std::string key) {
  if (!usable()) return;
  if (missing_.size() >= kMaxEntries) missing_.clear();
  missing_.insert(std::move(key));
}

void DirFactsCache::change_started(pid_t tid, Change change) {
  if (change == Change::Alter) {
    dirs_.clear();
    cacheable_devs_.clear();  // after an umount and a mount, a device number names another fs
  }
  missing_.clear();
  changing_.insert(tid);
}

void DirFactsCache::change_finished(pid_t tid) {
  // Nothing to drop: what was cached before the change went at change_started(), and
  // insert() refused everything while it was pending.
  if (!changing_.empty()) changing_.erase(tid);
}

void DirFactsCache::disable(std::string_view why) {
  if (!enabled_) return;
  spdlog::debug("directory cache off for the rest of the run: {}", why);
  enabled_ = false;
  dirs_.clear();
  missing_.clear();
}

std::string DirFactsCache::child_key(const std::string& dir, std::string_view component) {
  std::string key;
  key.reserve(dir.size() + 1 + component.size());
  key = dir;
  if (key != "/") key += '/';
  key += component;
  return key;
}

}  // namespace syscap::capabilities::detail
