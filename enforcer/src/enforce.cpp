// prepare_enforcement / exec_confined.
#include "syscap/enforcer/enforce.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "syscap/enforcer/bpf_evaluator.hpp"
#include "syscap/tables/exec_format.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::enforcer {

Result<PreparedEnforcement> prepare_enforcement(const EnforceOptions& options) {
  auto profile = profilegen::load_profile(options.profile_path);
  if (!profile) return std::unexpected(profile.error());
  auto held = held_capabilities();
  if (!held) return std::unexpected(held.error());
  auto caps = resolve_cap_options(*held, options.cap_drop, options.cap_add);
  if (!caps) return std::unexpected(caps.error());
  auto context = current_context(*caps);
  if (!context) return std::unexpected(context.error());
  auto plan = compile_plan(*profile, *context, {.source = options.profile_path, .strict = options.strict});
  if (!plan) return std::unexpected(plan.error());
  auto program = build_program(*plan);
  if (!program) {
    Error e = program.error();
    e.object = options.profile_path + (e.object.empty() ? "" : ": " + e.object);
    return std::unexpected(e);
  }
  return PreparedEnforcement{*caps, std::move(*plan), std::move(*program)};
}

namespace {

// The first of the calls every command needs under the filter (execve to start, exit_group to
// end) that the program would refuse on the native arch, or "" when it allows both. A profile
// that refuses one cannot run any command: say so instead of letting it die (a refused
// exit_group makes glibc's _exit fault).
std::string refused_essential_call(const SeccompProgram& program) {
  const tables::Arch native = tables::native_arch();
  for (const char* name : {"execve", "exit_group"}) {
    const auto nr = tables::syscall_number(native, name);
    if (!nr) continue;
    seccomp_data call{};
    call.nr = *nr;
    call.arch = tables::facts(native).audit_arch;
    if (would_refuse(evaluate_program(program.instructions, call))) return name;
  }
  return "";
}

}  // namespace

ExecFailure exec_confined(const PreparedEnforcement& prepared, const std::string& executable,
                          const std::vector<std::string>& argv) {
  if (const std::string refused = refused_essential_call(prepared.program); !refused.empty())
    return {Error{"run", executable,
                  fmt::format("the profile refuses {} on {}, so no command can {} under it", refused,
                              tables::facts(tables::native_arch()).scmp_name, refused == "execve" ? "start" : "end"),
                  EPERM},
            126};
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // Read now: once the filter is in, reading the file or probing the kernel may be refused.
  const tables::ArchFacts* file_arch = tables::elf_arch_of(executable);
  const std::string format_hint =
      file_arch && file_arch->scmp_name != tables::facts(tables::native_arch()).scmp_name
          ? tables::exec_format_hint(executable)
          : "";
  if (auto r = apply_capabilities(prepared.caps); !r) return {r.error(), 125};
  if (auto r = install_program(prepared.program); !r) return {r.error(), 125};
  // Nothing but execve between the filter and the workload.
  execv(executable.c_str(), args.data());
  int err = errno;
  Error e{"execve", executable, std::strerror(err), err};
  if (err == ENOEXEC) e.hint = format_hint;
  return {e, err == ENOENT ? 127 : 126};
}

}  // namespace syscap::enforcer
