#include "syscap/tracer/kernel_check_watch.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include "bpf_maps.hpp"
#include "bpf_program.hpp"
#include "record_shared.h"

namespace syscap::tracer {

struct KernelCheckWatch::Loaded {
  detail::Skeleton skel;
};

Result<KernelCheckWatch> KernelCheckWatch::load() {
  auto program = detail::load_program(detail::ProgramUse::WatchChecks);
  if (!program) return std::unexpected(program.error());
  return KernelCheckWatch(std::make_unique<Loaded>(Loaded{std::move(program->skel)}));
}

KernelCheckWatch::KernelCheckWatch(std::unique_ptr<Loaded> loaded) : loaded_(std::move(loaded)) {}
KernelCheckWatch::KernelCheckWatch(KernelCheckWatch&&) noexcept = default;
KernelCheckWatch& KernelCheckWatch::operator=(KernelCheckWatch&&) noexcept = default;
KernelCheckWatch::~KernelCheckWatch() = default;

void KernelCheckWatch::seed(pid_t pid) {
  // Only the first process: the program adds what it starts at fork, before it runs.
  seeded_ = true;
  syscap_task task{};
  const syscap_group_key group = syscap_group_key_of(static_cast<__u32>(pid));
  if (bpf_map_update_elem(bpf_map__fd(loaded_->skel->maps.tracked), &group, &task, BPF_ANY) != 0)
    spdlog::warn("the kernel's capability checks are not watched: {}", std::strerror(errno));
}

void KernelCheckWatch::on_attach(pid_t pid) {
  seeded_ = true;
  syscap_task task{};
  task.started = 1;  // past its execve: its checks count from now
  const syscap_group_key group = syscap_group_key_of(static_cast<__u32>(pid));
  if (bpf_map_update_elem(bpf_map__fd(loaded_->skel->maps.tracked), &group, &task, BPF_ANY) != 0)
    spdlog::warn("the kernel's capability checks of pid {} are not watched: {}", pid, std::strerror(errno));
}

std::vector<KernelCheck> KernelCheckWatch::checks() const { return detail::read_kernel_checks(*loaded_->skel); }
std::vector<std::string> KernelCheckWatch::incomplete() const { return detail::read_losses(*loaded_->skel); }

}  // namespace syscap::tracer
