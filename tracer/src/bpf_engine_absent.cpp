// The BPF engine in a syscap built without it (cmake/SyscapBpf.cmake says why at build time).
#include <cerrno>

#include "syscap/tracer/bpf_engine.hpp"

namespace syscap::tracer {

namespace {
constexpr const char* kWhy =
    "this syscap was built without the BPF engine (clang, bpftool or libbpf-dev were missing, or "
    "-DSYSCAP_BPF=OFF)";
}

struct BpfEngine::Loaded {};

Result<BpfEngine> BpfEngine::load(BpfTarget) { return fail("load the BPF engine", "", kWhy, ENOSYS); }
Result<BpfRun> BpfEngine::run(const BpfRunOptions&) { return fail("load the BPF engine", "", kWhy, ENOSYS); }
Result<BpfRun> BpfEngine::attach(const AttachOptions&) { return fail("load the BPF engine", "", kWhy, ENOSYS); }
Result<void> BpfEngine::follow_container(const std::string&) { return fail("load the BPF engine", "", kWhy, ENOSYS); }
Result<BpfRun> BpfEngine::container_recording(const ContainerEnd&) {
  return fail("load the BPF engine", "", kWhy, ENOSYS);
}
void BpfEngine::release_after_exit() {}
BpfEngine::BpfEngine(std::unique_ptr<Loaded> loaded) : loaded_(std::move(loaded)) {}
BpfEngine::BpfEngine(BpfEngine&&) noexcept = default;
BpfEngine& BpfEngine::operator=(BpfEngine&&) noexcept = default;
BpfEngine::~BpfEngine() = default;
std::string BpfEngine::capability_checks_unseen() const { return kWhy; }

std::string bpf_engine_unavailable() { return kWhy; }

}  // namespace syscap::tracer

// The same for the ptrace engine's watch on the kernel's capability checks.
#include "syscap/tracer/kernel_check_watch.hpp"

namespace syscap::tracer {

struct KernelCheckWatch::Loaded {};
Result<KernelCheckWatch> KernelCheckWatch::load() { return fail("watch the kernel's capability checks", "", kWhy, ENOSYS); }
void KernelCheckWatch::seed(pid_t) {}
void KernelCheckWatch::on_attach(pid_t) {}
std::vector<KernelCheck> KernelCheckWatch::checks() const { return {}; }
std::vector<std::string> KernelCheckWatch::incomplete() const { return {}; }
KernelCheckWatch::KernelCheckWatch(std::unique_ptr<Loaded> loaded) : loaded_(std::move(loaded)) {}
KernelCheckWatch::KernelCheckWatch(KernelCheckWatch&&) noexcept = default;
KernelCheckWatch& KernelCheckWatch::operator=(KernelCheckWatch&&) noexcept = default;
KernelCheckWatch::~KernelCheckWatch() = default;

}  // namespace syscap::tracer
