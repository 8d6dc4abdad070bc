// Whether this test process holds a capability, effective now: tests that mount, unshare or
// compile for "all the capabilities this process holds" depend on more than being uid 0 (a
// root whose bounding set lacks CAP_SYS_ADMIN, as in many containers, cannot mount).
//
//   if (!syscap::test::holds_capability(CAP_SYS_ADMIN))
//     GTEST_SKIP() << "needs CAP_SYS_ADMIN (mount), which this process does not hold";
#pragma once

namespace syscap::test {

bool holds_capability(int cap);

}  // namespace syscap::test
