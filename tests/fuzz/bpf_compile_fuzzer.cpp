// Fuzzes the policy compiler's whole path on a profile: parse_profile -> compile_plan (the
// FilterPlan) -> build_program (libseccomp's BPF, plus our prefix) -> the program run by our BPF
// evaluator on a few syscall records. Nothing is ever loaded into the kernel.
//
// Beyond not crashing: a built program fits the kernel's instruction limit, and a call from an
// architecture the plan does not list is killed, whatever the profile says.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "syscap/enforcer/bpf_evaluator.hpp"
#include "syscap/enforcer/capabilities.hpp"
#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/enforcer/seccomp_program.hpp"
#include "syscap/profilegen/profile.hpp"

namespace {

using namespace syscap::enforcer;

// Calls that reach the interesting parts of a filter: plain calls, argument rules (unshare,
// clone, personality, socket), each architecture's path, the x32 bit, a number no arch has.
constexpr std::uint64_t kCloneNewUser = 0x10000000;
struct Record {
  std::uint32_t arch;
  int nr;
  std::uint64_t arg0;
};
constexpr Record kRecords[] = {
    {AUDIT_ARCH_X86_64, 0, 0},              // read
    {AUDIT_ARCH_X86_64, 39, 0},             // getpid
    {AUDIT_ARCH_X86_64, 272, kCloneNewUser},  // unshare(CLONE_NEWUSER)
    {AUDIT_ARCH_X86_64, 56, 0x11},          // clone(SIGCHLD)
    {AUDIT_ARCH_X86_64, 135, 0xffffffff},   // personality(query)
    {AUDIT_ARCH_X86_64, 41, 2},             // socket(AF_INET)
    {AUDIT_ARCH_X86_64, 0x40000000, 0},     // x32 read
    {AUDIT_ARCH_X86_64, 9999, 0},           // no such syscall
    {AUDIT_ARCH_I386, 20, 0},               // i386 getpid
    {AUDIT_ARCH_I386, 462, 0},              // i386 mseal (the prefix's job)
    {AUDIT_ARCH_AARCH64, 63, 0},            // aarch64 read
};

bool is_kill(std::uint32_t ret) {
  std::uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
  return action == SECCOMP_RET_KILL_THREAD || action == SECCOMP_RET_KILL_PROCESS;
}

bool lists(const FilterPlan& plan, syscap::tables::Arch arch) {
  return std::find(plan.arches.begin(), plan.arches.end(), arch) != plan.arches.end();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  syscap::fuzz::silence_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto profile = syscap::profilegen::parse_profile(syscap::fuzz::as_text(data, size), "fuzz.json");
  if (!profile) return 0;
  // Docker's 14 default capabilities, or every capability: includes/excludes.caps both ways.
  CapSet bounding = docker_default_caps();
  if (size % 2 == 1) bounding.bits = (std::uint64_t{1} << 41) - 1;
  PlanContext context{.bounding = bounding, .native = syscap::tables::Arch::X86_64, .kernel = {6, 18}};
  auto plan = compile_plan(*profile, context, {.source = "fuzz.json"});
  if (!plan) return 0;
  auto program = build_program(*plan);
  if (!program) return 0;
  syscap::fuzz::require(!program->instructions.empty() && program->instructions.size() <= BPF_MAXINSNS,
                        "a built program has 1..BPF_MAXINSNS instructions");
  for (const Record& r : kRecords) {
    seccomp_data call{};
    call.nr = r.nr;
    call.arch = r.arch;
    call.args[0] = r.arg0;
    std::uint32_t ret = evaluate_program(program->instructions, call);
    if (r.arch == AUDIT_ARCH_AARCH64 && !lists(*plan, syscap::tables::Arch::AARCH64)) {
      syscap::fuzz::require(is_kill(ret), "a call from an architecture the plan leaves out is killed");
    }
  }
  return 0;
}
