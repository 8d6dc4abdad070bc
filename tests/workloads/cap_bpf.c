/* CAP_BPF: create a one-entry BPF array map (need, with kernel.unprivileged_bpf_disabled set);
 * an eventfd (benign). */
#include "cap_common.h"

#include <linux/bpf.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

int main(int argc, char** argv) {
  int need = cap_parse(argc, argv, 0);
  int fd;
  if (need) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
  } else {
    fd = eventfd(0, 0);
  }
  if (fd < 0) cap_fail(need ? "bpf(BPF_MAP_CREATE)" : "eventfd");
  close(fd);
  return 0;
}
