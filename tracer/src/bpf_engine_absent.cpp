// The BPF engine in a syscap built without it (cmake/SyscapBpf.cmake says why at build time).
#include <cerrno>

#include "syscap/tracer/bpf_engine.hpp"

namespace syscap::tracer {

namespace {
constexpr const char* kWhy =
    "this syscap was built without the BPF engine (clang, bpftool, libbpf-dev or the build machine's "
    "kernel BTF were missing, or -DSYSCAP_BPF=OFF)";
}

struct BpfEngine::Loaded {};

Result<BpfEngine> BpfEngine::load() { return fail("load the BPF engine", "", kWhy, ENOSYS); }
Result<BpfRun> BpfEngine::run(const BpfRunOptions&) { return fail("load the BPF engine", "", kWhy, ENOSYS); }
BpfEngine::BpfEngine(std::unique_ptr<Loaded> loaded) : loaded_(std::move(loaded)) {}
BpfEngine::BpfEngine(BpfEngine&&) noexcept = default;
BpfEngine& BpfEngine::operator=(BpfEngine&&) noexcept = default;
BpfEngine::~BpfEngine() = default;

std::string bpf_engine_unavailable() { return kWhy; }

}  // namespace syscap::tracer
