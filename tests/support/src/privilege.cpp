#include "syscap/test/privilege.hpp"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace syscap::test {

bool holds_capability(int cap) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (cap < 0 || cap >= 64 || syscall(SYS_capget, &header, data) != 0) return false;
  return ((data[cap / 32].effective >> (cap % 32)) & 1u) != 0;
}

}  // namespace syscap::test
