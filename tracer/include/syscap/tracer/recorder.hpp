// The observer that turns syscall stops into a Trace: counts per (arch, nr) in fixed arrays,
// distinct values of the arguments in arg_rules(), and the first sighting of each syscall.
//
//   syscap::tracer::Recorder recorder;
//   auto run = syscap::tracer::run_traced({.command = {"ls"}, .observers = {&recorder}});
//   if (run) {
//     Trace t = recorder.trace({"ls"}, *run);
//     save_trace(t, "trace.json");
//   }
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "syscap/tracer/observer.hpp"
#include "syscap/tracer/trace.hpp"

namespace syscap::tracer {

struct RunResult;

// Distinct values of one argument, in a fixed array (no allocation per call).
class ArgValueSet {
 public:
  static constexpr std::size_t kCapacity = 64;
  // Adds a value; beyond kCapacity distinct values only marks the set truncated.
  void add(std::uint64_t value) {
    for (std::size_t i = 0; i < size_; ++i)
      if (values_[i] == value) return;
    if (size_ < kCapacity) {
      values_[size_++] = value;
    } else {
      truncated_ = true;
    }
  }
  // The distinct values, sorted.
  std::vector<std::uint64_t> sorted() const;
  bool truncated() const { return truncated_; }

 private:
  std::array<std::uint64_t, kCapacity> values_{};
  std::size_t size_ = 0;
  bool truncated_ = false;
};

class Recorder : public SyscallObserver {
 public:
  Recorder();
  ~Recorder() override;

  Resume on_syscall(const SeccompStop& stop) override;

  // The trace of a finished run of `command`.
  Trace trace(const std::vector<std::string>& command, const RunResult& run) const;

  // For a live status line: distinct (name, arch) pairs so far, the newest one's name.
  std::size_t distinct_syscalls() const { return distinct_; }
  std::string_view newest_syscall() const { return newest_; }
  std::uint64_t total_calls() const;

 private:
  struct Detail;
  struct Slot {
    std::uint64_t count = 0;
    Detail* detail = nullptr;
  };
  static constexpr std::size_t kArches = 4;
  static constexpr std::size_t kMaxNr = 1024;

  Slot& first_sighting(Slot& slot, const SeccompStop& stop);

  std::vector<Slot> slots_;  // kArches * kMaxNr, indexed by arch and nr
  // Calls outside the fixed arrays: unknown arch (by AUDIT_ARCH) or out-of-range numbers.
  std::map<std::pair<std::uint32_t, std::int64_t>, Slot> other_;
  std::vector<std::unique_ptr<Detail>> details_;
  std::size_t distinct_ = 0;
  std::string_view newest_;
};

}  // namespace syscap::tracer
