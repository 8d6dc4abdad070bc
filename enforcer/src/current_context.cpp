// The running kernel and this process as a profile is evaluated against them.
#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/kernel_version.hpp"

namespace syscap::enforcer {

Result<PlanContext> current_context(CapSet bounding) {
  auto kernel = tables::running_kernel_version();
  if (!kernel) return std::unexpected(kernel.error());
  return PlanContext{.bounding = bounding, .native = tables::native_arch(), .kernel = *kernel};
}

}  // namespace syscap::enforcer
