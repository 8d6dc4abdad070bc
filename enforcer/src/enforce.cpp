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

#include "syscap/tables/exec_format.hpp"

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

ExecFailure exec_confined(const PreparedEnforcement& prepared, const std::string& executable,
                          const std::vector<std::string>& argv) {
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
