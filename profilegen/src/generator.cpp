// Trace -> profile. The decisions (which block a syscall lands in, which argument rules are
// justified) are made per syscall name first, then the blocks are written in a fixed order so
// that the same trace always gives the same file. The steps are in syscall_uses.cpp,
// placement.cpp and profile_blocks.cpp (generator_steps.hpp).
#include "syscap/profilegen/generator.hpp"

#include "generator_steps.hpp"
#include "syscap/tables/runtime_syscalls.hpp"

namespace syscap::profilegen {

namespace detail {

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : std::string(sep)) + w;
  return out;
}

}  // namespace detail

Result<GeneratedProfile> generate_profile(const Trace& trace, const GenerateOptions& options) {
  using namespace detail;
  if (options.default_errno_ret > 0xffff) {
    return fail("generate profile", "--default-errno " + std::to_string(options.default_errno_ret),
                "seccomp returns only 16 bits of data");
  }
  std::optional<std::span<const std::string_view>> runtime_names;
  if (options.runtime != "none") {
    runtime_names = tables::runtime_syscalls(options.runtime);
    if (!runtime_names) {
      return fail("generate profile", "--runtime " + options.runtime,
                  "unknown runtime; expected one of " + join(runtime_choices(), ", "));
    }
  }
  const bool narrow = options.arg_rules == ArgRules::Narrow;
  GeneratedProfile out;

  // What the trace says, per syscall name (`calls` outlives `uses`, which points into it).
  const std::vector<TraceSyscall> calls = nameable_syscalls(trace, to_string(options.default_action), out.notes);
  SyscallUses uses = collect_uses(calls);
  const CapabilitySources caps = collect_capabilities(trace, options.ties);
  note_idle_ties(options.ties, uses, out.notes);
  const bool clone_synthesized = synthesize_clone(uses, caps, narrow);
  Placements placements = place_syscalls(uses, caps, narrow, clone_synthesized);

  Profile& profile = out.profile;
  profile.default_action = options.default_action;
  if (options.default_action == Action::Errno || options.default_action == Action::Trace) {
    profile.default_errno_ret = options.default_errno_ret;
  }
  profile.architectures = seen_architectures(trace, calls);
  const std::vector<std::string> plain = write_plain_block(profile, placements, trace);
  write_argument_rules(profile, placements, uses);
  write_capability_blocks(profile, placements);
  write_clone3_enosys(profile, placements);
  if (runtime_names) write_runtime_block(profile, *runtime_names, plain, placements, options.runtime, out.notes);

  out.capabilities.assign(caps.exercised.begin(), caps.exercised.end());
  for (auto& [cap, names] : placements.docker_tied) out.docker_ties.push_back({cap, std::move(names)});
  return out;
}

}  // namespace syscap::profilegen
