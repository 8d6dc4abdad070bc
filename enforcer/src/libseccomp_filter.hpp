// The libseccomp half of build_program: one context per architecture, merged.
#pragma once

#include <seccomp.h>

#include <memory>
#include <string>
#include <vector>

#include "syscap/enforcer/filter_plan.hpp"

namespace syscap::enforcer::detail {

struct ContextDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextDeleter>;

// The libseccomp action value (== the kernel's SECCOMP_RET_* value) of an action.
std::uint32_t scmp_action(profilegen::Action action, unsigned data);

// A merged libseccomp filter for every arch of `plan`. Rules libseccomp cannot name on a
// non-native arch are not added; they are returned in `unnamed` for the BPF prefix.
Result<Context> build_libseccomp_filter(const FilterPlan& plan, std::vector<PlannedRule>& unnamed);

// Reads what an export function writes to a file descriptor.
Result<std::string> export_text(const char* what, int (*exporter)(const scmp_filter_ctx, int),
                                const Context& ctx);

}  // namespace syscap::enforcer::detail
