// The running kernel and this process as a profile is evaluated against them.
#include <sys/utsname.h>

#include <cerrno>

#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/tables/arch.hpp"

namespace syscap::enforcer {

Result<KernelVersion> running_kernel_version() {
  utsname u{};
  if (uname(&u) != 0) return fail_errno("uname", "", errno);
  return profilegen::parse_kernel_release(u.release);
}

Result<PlanContext> current_context(CapSet bounding) {
  auto kernel = running_kernel_version();
  if (!kernel) return std::unexpected(kernel.error());
  return PlanContext{.bounding = bounding, .native = tables::native_arch(), .kernel = *kernel};
}

}  // namespace syscap::enforcer
