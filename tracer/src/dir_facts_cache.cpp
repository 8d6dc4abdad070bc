#include "dir_facts_cache.hpp"

#include <sys/stat.h>

#include <spdlog/spdlog.h>

namespace syscap::tracer::detail {

DirFactsCache::DirFactsCache() {
  struct stat st {};
  if (stat("/proc", &st) == 0) procfs_dev_ = st.st_dev;
}

const FileFacts* DirFactsCache::find(const std::string& key) const {
  auto it = dirs_.find(key);
  return it == dirs_.end() ? nullptr : &it->second;
}

void DirFactsCache::insert(std::string key, const FileFacts& facts, dev_t dev) {
  if (!usable() || dev == procfs_dev_) return;
  if (dirs_.size() >= kMaxEntries) dirs_.clear();
  dirs_.insert_or_assign(std::move(key), facts);
}

void DirFactsCache::insert_missing(std::string key) {
  if (!usable()) return;
  if (missing_.size() >= kMaxEntries) missing_.clear();
  missing_.insert(std::move(key));
}

void DirFactsCache::change_started(pid_t tid, Change change) {
  if (change == Change::Alter) dirs_.clear();
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

}  // namespace syscap::tracer::detail
