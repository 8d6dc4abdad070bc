// Reading a BPF hash map whole, or an array map's first entries, from user space, many entries
// per bpf() call (BPF_MAP_LOOKUP_BATCH, Linux 5.6; the engine needs 5.15) instead of one or two
// calls per entry: a run with thousands of argument values or capability checks made thousands
// of calls at its end, and even a one-file compile's couple of hundred cost about a millisecond.
//
//   for (const auto& [key, value] : read_hash_map<syscap_arg_key, __u8>(fd)) ...
//   auto results = read_array_prefix<syscap_check_result>(fd, checks);
#pragma once

#include <bpf/bpf.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <utility>
#include <vector>

namespace syscap::tracer::detail {

// How a read went (for tests): batch calls made, times a batch grew to fit a bucket, and
// whether the map was read one key at a time in the end.
struct MapReadStats {
  unsigned batches = 0;
  unsigned grown = 0;
  bool one_key_at_a_time = false;
};

// Every (key, value) of hash map `fd`, in the map's order, `room` entries per call at first.
// Where a batch read fails (anything but the end of the map, or a bucket larger than the batch,
// which is retried with room for it), the map is read one key at a time, so nothing is left out.
template <typename Key, typename Value>
std::vector<std::pair<Key, Value>> read_hash_map(int fd, MapReadStats* stats = nullptr, __u32 room = 256) {
  MapReadStats ignored;
  MapReadStats& how = stats ? *stats : ignored;
  std::vector<std::pair<Key, Value>> out;
  // A hash map's batch position is its next bucket: 4 bytes, or a key's size if larger.
  alignas(8) unsigned char position[std::max<std::size_t>(sizeof(Key), 4)] = {};
  bool started = false;
  // Left uninitialised (the kernel writes what it returns): zeroing a batch's room touched
  // 40 fresh pages for a handful of entries, and a page first touched costs 10 us on some VMs.
  std::unique_ptr<Key[]> keys;
  std::unique_ptr<Value[]> values;
  __u32 allocated = 0;
  for (;;) {
    if (allocated < room) {
      keys = std::make_unique_for_overwrite<Key[]>(room);
      values = std::make_unique_for_overwrite<Value[]>(room);
      allocated = room;
    }
    __u32 count = room;
    ++how.batches;
    const int err = bpf_map_lookup_batch(fd, started ? position : nullptr, position, keys.get(), values.get(),
                                         &count, nullptr);
    const int error = err == 0 ? 0 : errno;
    if (err == 0 || error == ENOENT) {
      for (__u32 i = 0; i < count; ++i) out.emplace_back(keys[i], values[i]);
      if (error == ENOENT) return out;
      started = true;
      continue;
    }
    if (error == ENOSPC && room < (1u << 20)) {
      room *= 2;  // one bucket holds more than `room` entries: read it again with room for them
      ++how.grown;
      continue;
    }
    break;
  }
  // One key at a time, from the start (entries already read are replaced, not repeated).
  how.one_key_at_a_time = true;
  out.clear();
  Key key{}, next{};
  const Key* cursor = nullptr;
  while (bpf_map_get_next_key(fd, cursor, &next) == 0) {
    Value value{};
    if (bpf_map_lookup_elem(fd, &next, &value) == 0) out.emplace_back(next, value);
    key = next;
    cursor = &key;
  }
  return out;
}

// Entries 0..n-1 of array map `fd`, in one batch read (BPF_MAP_LOOKUP_BATCH on an array, Linux
// 5.6) instead of a lookup each. Where the batch read fails or falls short, the rest are read one
// at a time; an entry that cannot be read is left value-initialised. `stats` as for
// read_hash_map.
template <typename Value>
std::vector<Value> read_array_prefix(int fd, __u32 n, MapReadStats* stats = nullptr) {
  MapReadStats ignored;
  MapReadStats& how = stats ? *stats : ignored;
  std::vector<Value> values(n);
  if (n == 0) return values;
  std::vector<__u32> indexes(n);
  __u32 count = n;
  __u32 next = 0;  // an array's batch position: the next index
  ++how.batches;
  // ENOENT: the read reached the array's end (n is its size); count says how many it gave.
  if (bpf_map_lookup_batch(fd, nullptr, &next, indexes.data(), values.data(), &count, nullptr) != 0 && errno != ENOENT)
    count = 0;
  if (count < n) how.one_key_at_a_time = true;
  for (__u32 index = count; index < n; ++index) bpf_map_lookup_elem(fd, &index, &values[index]);
  return values;
}

}  // namespace syscap::tracer::detail
