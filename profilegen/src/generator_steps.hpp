// The steps generate_profile() (generator.cpp) takes, in order: collect what the trace says
// per syscall name (syscall_uses.cpp), gather the capabilities and tie each syscall to its block
// (placement.cpp), then write the blocks in a fixed order (profile_blocks.cpp), so the same
// trace always gives the same file.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/profilegen/generator.hpp"

namespace syscap::profilegen::detail {

// What the trace says about one argument of one syscall name, across architectures.
struct ArgUse {
  std::set<std::uint64_t> values;
  bool truncated = false;
  std::size_t entries = 0;  // how many (name, arch) entries recorded this index
};

// Everything the trace says about one syscall name.
struct SyscallUse {
  std::string name;
  const TraceSyscall* first = nullptr;
  std::size_t entries = 0;
  std::map<unsigned, ArgUse> args;

  // The values of argument `index`, if every entry recorded them in full.
  const std::set<std::uint64_t>* exact_values(unsigned index) const {
    auto it = args.find(index);
    if (it == args.end() || it->second.truncated || it->second.entries != entries) return nullptr;
    if (it->second.values.empty()) return nullptr;
    return &it->second.values;
  }
};

// By syscall name; `first` points into the calls they were collected from.
using SyscallUses = std::map<std::string, SyscallUse>;

// The capabilities the trace's evidence and --tie name.
struct CapabilitySources {
  std::map<std::string, std::set<std::string>> evidence_caps;       // syscall -> caps
  std::map<std::string, const CapabilityEvidence*> first_evidence;  // syscall -> first
  std::map<std::string, std::set<std::string>> forced;              // --tie: syscall -> caps
  std::set<std::string> exercised;  // evidence and --tie: the container needs these
};

// Where one syscall goes: its capability block (if any) and its argument rules (if any).
struct Placement {
  std::vector<std::string> caps;                          // includes.caps; empty = untied
  std::string cap_reason;                                 // why it is tied
  std::vector<std::vector<ArgCondition>> alternatives;    // one rule each; empty = no arg rule
  std::string arg_reason;                                 // why the arguments are restricted
};

// Where every syscall name goes.
struct Placements {
  std::map<std::string, Placement> placed;  // without clone3 while clone is restricted
  bool clone_restricted = false;            // clone has argument rules: clone3 answers ENOSYS
  std::optional<Placement> clone3;          // clone3's capability block while clone is restricted
  std::map<std::string, std::vector<std::string>> docker_tied;  // cap -> syscalls tied only like Docker

  // The placement of `name` (clone3's own while clone is restricted).
  const Placement& of(const std::string& name) const {
    return name == "clone3" && clone3 ? *clone3 : placed.at(name);
  }
};

// "a, b": `words` joined with `sep`.
std::string join(const std::vector<std::string>& words, std::string_view sep);

// ---- syscall_uses.cpp

// The trace's syscalls a profile can name ("syscall_<nr>" renamed when our tables name the
// number now, else left out with a note).
std::vector<TraceSyscall> nameable_syscalls(const Trace& trace, std::string_view default_action,
                                            std::vector<std::string>& notes);

// What `calls` say per syscall name (the result points into `calls`).
SyscallUses collect_uses(const std::vector<TraceSyscall>& calls);

// ---- placement.cpp

// The capabilities of the trace's evidence and of --tie.
CapabilitySources collect_capabilities(const Trace& trace, const std::vector<CapabilityTie>& ties);

// Notes for the ties that match nothing recorded (probably a typo or a wrong trace).
void note_idle_ties(const std::vector<CapabilityTie>& ties, const SyscallUses& uses,
                    std::vector<std::string>& notes);

// When clone3 is recorded untied and clone is not: adds a clone without namespace flags (what
// glibc falls back to when clone3 answers ENOSYS). True if it did.
bool synthesize_clone(SyscallUses& uses, const CapabilitySources& caps, bool narrow);

// The block and argument rules of every syscall name.
Placements place_syscalls(const SyscallUses& uses, const CapabilitySources& caps, bool narrow,
                          bool clone_synthesized);

// ---- profile_blocks.cpp

// `architectures`: the native arch of the recording machine, then each arch calls were made on.
std::vector<std::string> seen_architectures(const Trace& trace, const std::vector<TraceSyscall>& calls);

// 1. The syscalls that need no capability and no argument rule, in one rule; returns their
// names (sorted).
std::vector<std::string> write_plain_block(Profile& profile, const Placements& placements,
                                           const Trace& trace);

// 2. Argument rules without a capability.
void write_argument_rules(Profile& profile, const Placements& placements, const SyscallUses& uses);

// 3. Capability blocks, one per capability set; argument rules under a capability follow it.
void write_capability_blocks(Profile& profile, const Placements& placements);

// 4. clone3 -> ENOSYS while clone is restricted.
void write_clone3_enosys(Profile& profile, const Placements& placements);

// 5. The container runtime's own syscalls not already allowed.
void write_runtime_block(Profile& profile, std::span<const std::string_view> runtime_names,
                         const std::vector<std::string>& plain, const Placements& placements,
                         const std::string& runtime, std::vector<std::string>& notes);

}  // namespace syscap::profilegen::detail
