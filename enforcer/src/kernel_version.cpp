// Kernel versions as moby reads them: two integers from `uname -r`, the rest ignored.
#include <sys/utsname.h>

#include <cerrno>
#include <charconv>

#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/tables/arch.hpp"

namespace syscap::enforcer {

Result<KernelVersion> parse_kernel_version(std::string_view release) {
  KernelVersion v;
  const char* end = release.data() + release.size();
  auto first = std::from_chars(release.data(), end, v.major);
  if (first.ec != std::errc{} || first.ptr == end || *first.ptr != '.')
    return fail("parse kernel version", std::string(release), "expected <major>.<minor>");
  auto second = std::from_chars(first.ptr + 1, end, v.minor);
  if (second.ec != std::errc{})
    return fail("parse kernel version", std::string(release), "expected <major>.<minor>");
  return v;
}

Result<KernelVersion> running_kernel_version() {
  utsname u{};
  if (uname(&u) != 0) return fail_errno("uname", "", errno);
  return parse_kernel_version(u.release);
}

Result<PlanContext> current_context(CapSet bounding) {
  auto kernel = running_kernel_version();
  if (!kernel) return std::unexpected(kernel.error());
  return PlanContext{.bounding = bounding, .native = tables::native_arch(), .kernel = *kernel};
}

}  // namespace syscap::enforcer
