// read_hash_map (tracer/src/bpf_map_reader.hpp): a whole hash map read in batches gives every
// entry exactly once, whatever the map's size against the batch's; where the kernel cannot read a
// map in batches (a device hash map has no batch reads) it is still read whole, one key at a time.
// read_array_prefix: an array's first entries, in order, in one batch or one at a time.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>

#include "bpf_map_reader.hpp"

namespace syscap::tracer::detail {
namespace {

struct BigKey {
  __u64 a;
  __u64 b;
  char text[48];
};

// A map of `entries` of the given type, or -errno.
int make_map(bpf_map_type type, __u32 key_size, __u32 value_size, __u32 entries, __u32 flags = 0) {
  LIBBPF_OPTS(bpf_map_create_opts, options, .map_flags = flags);
  const int fd = bpf_map_create(type, "syscap_test", key_size, value_size, entries, &options);
  return fd >= 0 ? fd : -errno;
}

struct Fd {
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  int fd;
};

TEST(BpfMapReader, EveryEntryOfAHashMapOnceAtAnySize) {
  for (__u32 n : {0u, 1u, 255u, 256u, 257u, 3000u}) {
    Fd map(make_map(BPF_MAP_TYPE_HASH, sizeof(BigKey), sizeof(__u64), 4096));
    if (map.fd < 0) GTEST_SKIP() << "cannot create a BPF map here: " << std::strerror(-map.fd);
    std::map<std::string, __u64> wanted;
    for (__u32 i = 0; i < n; ++i) {
      BigKey key{};
      key.a = i * 7919u;
      key.b = ~static_cast<__u64>(i);
      std::snprintf(key.text, sizeof key.text, "entry %u", i);
      const __u64 value = i * 3u + 1u;
      ASSERT_EQ(bpf_map_update_elem(map.fd, &key, &value, BPF_NOEXIST), 0) << std::strerror(errno);
      wanted[key.text] = value;
    }
    // The default batch, and batches of one entry: smaller than some buckets (retried larger).
    for (__u32 room : {256u, 1u}) {
      MapReadStats how;
      std::map<std::string, __u64> got;
      std::size_t read = 0;
      for (const auto& [key, value] : read_hash_map<BigKey, __u64>(map.fd, &how, room)) {
        got[key.text] = value;
        ++read;
      }
      EXPECT_EQ(read, n) << "entries read more than once or left out, of " << n << ", room " << room;
      EXPECT_EQ(got, wanted) << "of " << n << ", room " << room;
      EXPECT_FALSE(how.one_key_at_a_time) << "a hash map's batch read failed, of " << n << ", room " << room;
      if (room == 256 && n > 256) {
        EXPECT_GT(how.batches, 1u) << "one batch read " << n << " entries of room 256";
      }
      if (room == 1 && n == 3000) {
        EXPECT_GT(how.grown, 0u) << "3000 entries in 4096 buckets, none sharing one";
      }
    }
  }
}

// The engine's `tracked` is an LPM trie of exact keys: read whole, each entry once, whether the
// kernel reads a trie in batches (by key, as it walks one) or not (then one key at a time).
TEST(BpfMapReader, AnLpmTrieOfExactKeysIsReadWholeEachEntryOnce) {
  struct GroupKey {
    __u32 prefixlen;
    __u32 tgid;
  };
  Fd map(make_map(BPF_MAP_TYPE_LPM_TRIE, sizeof(GroupKey), sizeof(__u64), 4096, BPF_F_NO_PREALLOC));
  if (map.fd < 0) GTEST_SKIP() << "cannot create a BPF map here: " << std::strerror(-map.fd);
  std::map<__u32, __u64> wanted;
  for (__u32 i = 0; i < 500; ++i) {
    const GroupKey key{32, 1000 + i * 37};
    const __u64 value = i;
    ASSERT_EQ(bpf_map_update_elem(map.fd, &key, &value, BPF_ANY), 0) << std::strerror(errno);
    wanted[key.tgid] = value;
  }
  std::map<__u32, __u64> got;
  std::size_t read = 0;
  for (const auto& [key, value] : read_hash_map<GroupKey, __u64>(map.fd)) {
    EXPECT_EQ(key.prefixlen, 32u);
    got[key.tgid] = value;
    ++read;
  }
  EXPECT_EQ(read, wanted.size());
  EXPECT_EQ(got, wanted);
}

TEST(BpfMapReader, SmallKeysUseTheBucketPosition) {
  // A 1-byte key is smaller than a hash map's 4-byte batch position.
  Fd map(make_map(BPF_MAP_TYPE_HASH, 1, 4, 256));
  if (map.fd < 0) GTEST_SKIP() << "cannot create a BPF map here: " << std::strerror(-map.fd);
  for (unsigned i = 0; i < 256; ++i) {
    const __u8 key = static_cast<__u8>(i);
    const __u32 value = i;
    ASSERT_EQ(bpf_map_update_elem(map.fd, &key, &value, BPF_NOEXIST), 0);
  }
  // Batches of 16: the position is handed back fifteen times or more.
  MapReadStats how;
  std::map<unsigned, __u32> got;
  for (const auto& [key, value] : read_hash_map<__u8, __u32>(map.fd, &how, 16)) got[key] = value;
  ASSERT_EQ(got.size(), 256u);
  for (const auto& [key, value] : got) EXPECT_EQ(key, value);
  EXPECT_FALSE(how.one_key_at_a_time);
  EXPECT_GE(how.batches, 16u);
}

TEST(BpfMapReader, AMapWithoutBatchReadsIsReadOneKeyAtATime) {
  // A device hash map (XDP redirects) has no batch reads; every entry here names the loopback
  // device (ifindex 1), which always exists.
  Fd map(make_map(BPF_MAP_TYPE_DEVMAP_HASH, sizeof(__u32), sizeof(__u32), 512));
  if (map.fd < 0) GTEST_SKIP() << "cannot create a BPF device hash map here: " << std::strerror(-map.fd);
  std::map<__u32, __u32> wanted;
  for (__u32 i = 0; i < 300; ++i) {
    const __u32 key = i * 13u, loopback = 1;
    if (bpf_map_update_elem(map.fd, &key, &loopback, BPF_ANY) != 0)
      GTEST_SKIP() << "cannot fill a BPF device hash map here: " << std::strerror(errno);
    wanted[key] = loopback;
  }
  __u32 count = 1, keys[1], values[1], position = 0;
  ASSERT_NE(bpf_map_lookup_batch(map.fd, nullptr, &position, keys, values, &count, nullptr), 0)
      << "this kernel reads device hash maps in batches: the test no longer reaches the one-key path";
  MapReadStats how;
  std::map<__u32, __u32> got;
  for (const auto& [key, value] : read_hash_map<__u32, __u32>(map.fd, &how)) got[key] = value;
  EXPECT_EQ(got, wanted);
  EXPECT_TRUE(how.one_key_at_a_time);
}

TEST(BpfMapReader, AnArraysFirstEntriesInOneBatchUpToItsEnd) {
  constexpr __u32 kEntries = 4096;
  struct Result {
    __u64 returned, failed, refused;
  };
  Fd map(make_map(BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(Result), kEntries));
  if (map.fd < 0) GTEST_SKIP() << "cannot create a BPF map here: " << std::strerror(-map.fd);
  for (__u32 i = 0; i < kEntries; ++i) {
    const Result r{i + 1u, i * 2u, i * 3u};
    ASSERT_EQ(bpf_map_update_elem(map.fd, &i, &r, BPF_ANY), 0) << std::strerror(errno);
  }
  // 0, a few, and the whole array (the kernel then says it reached the end: ENOENT).
  for (__u32 n : {0u, 1u, 5u, 257u, kEntries}) {
    MapReadStats how;
    const auto got = read_array_prefix<Result>(map.fd, n, &how);
    ASSERT_EQ(got.size(), n);
    for (__u32 i = 0; i < n; ++i) {
      EXPECT_EQ(got[i].returned, i + 1u) << "entry " << i << " of " << n;
      EXPECT_EQ(got[i].failed, i * 2u) << "entry " << i << " of " << n;
      EXPECT_EQ(got[i].refused, i * 3u) << "entry " << i << " of " << n;
    }
    EXPECT_FALSE(how.one_key_at_a_time) << "an array's batch read fell short, of " << n;
    EXPECT_EQ(how.batches, n == 0 ? 0u : 1u) << "of " << n;
  }
}

TEST(BpfMapReader, AnArrayWithoutBatchReadsIsReadOneEntryAtATime) {
  // A device map (XDP redirects) is an array without batch reads; every entry here names the
  // loopback device (ifindex 1), which always exists.
  Fd map(make_map(BPF_MAP_TYPE_DEVMAP, sizeof(__u32), sizeof(__u32), 64));
  if (map.fd < 0) GTEST_SKIP() << "cannot create a BPF device map here: " << std::strerror(-map.fd);
  for (__u32 i = 0; i < 40; ++i) {
    const __u32 loopback = 1;
    if (bpf_map_update_elem(map.fd, &i, &loopback, BPF_ANY) != 0)
      GTEST_SKIP() << "cannot fill a BPF device map here: " << std::strerror(errno);
  }
  __u32 count = 1, keys[1], values[1], position = 0;
  ASSERT_NE(bpf_map_lookup_batch(map.fd, nullptr, &position, keys, values, &count, nullptr), 0)
      << "this kernel reads device maps in batches: the test no longer reaches the one-entry path";
  MapReadStats how;
  const auto got = read_array_prefix<__u32>(map.fd, 40, &how);
  ASSERT_EQ(got.size(), 40u);
  for (__u32 i = 0; i < 40; ++i) EXPECT_EQ(got[i], 1u) << "entry " << i;
  EXPECT_TRUE(how.one_key_at_a_time);
}

}  // namespace
}  // namespace syscap::tracer::detail
