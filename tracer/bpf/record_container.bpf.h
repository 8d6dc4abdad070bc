/* Part of record.bpf.c (included at its end, after the task tracking and counting it uses):
 * container mode, where the workload is a container started by its engine, not by syscap. */
#ifndef SYSCAP_RECORD_CONTAINER_BPF_H
#define SYSCAP_RECORD_CONTAINER_BPF_H

// User space sets container_id and container_mode before the container starts. The first
// task whose execve succeeds in a cgroup named after the container (cgroupfs "<id>", systemd
// "docker-<id>.scope", in the unified hierarchy or any v1 one) and outside its parent's mount
// namespace is the container's process running its entrypoint: it is tracked from that execve
// on, with everything it starts. The runtime's set-up before it (namespaces, mounts,
// pivot_root, capabilities) is not counted, nor the capability checks of that execve itself.
// Attached to a running container (SYSCAP_CONTAINER_EVERY), every such process is: those
// `docker exec` starts in it too.
__u64 container_id[SYSCAP_CONTAINER_ID_LEN / 8];  // the id's 64 characters
__u32 container_mode = 0;  // SYSCAP_CONTAINER_FIRST or _EVERY; 0: not in container mode
__u32 container_tgid = 0;  // the container's first process, once seen

struct syscap_cgroup_name {
  char text[SYSCAP_CGROUP_NAME_MAX];
};

// Room to read a cgroup's name into.
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct syscap_cgroup_name);
} name_scratch SEC(".maps");

// Whether the bytes of `name` from `start` are the container id: eight 8-byte words compared
// without a branch per byte (the verifier's work is syscap's start-up time).
static __always_inline bool id_at(const struct syscap_cgroup_name* name, long start) {
  if (start < 0 || start > SYSCAP_CGROUP_NAME_MAX - SYSCAP_CONTAINER_ID_LEN) return false;
  __u64 diff = 0;
#pragma unroll
  for (int w = 0; w < SYSCAP_CONTAINER_ID_LEN / 8; ++w) {
    __u64 word = 0;
    bpf_probe_read_kernel(&word, sizeof word, name->text + start + w * 8);
    diff |= word ^ container_id[w];
  }
  return diff == 0;
}

// Whether the first `len` bytes of `name` are "<prefix><id>" or "<prefix><id>.scope".
static __always_inline bool is_container_name(const struct syscap_cgroup_name* name, long len) {
  if (id_at(name, len - SYSCAP_CONTAINER_ID_LEN)) return true;
  long end = len - 6;  // ".scope"
  if (end < SYSCAP_CONTAINER_ID_LEN || end > SYSCAP_CGROUP_NAME_MAX - 8) return false;
  __u64 suffix = 0;
  bpf_probe_read_kernel(&suffix, 6, name->text + end);
  const __u64 scope = (__u64)'.' | (__u64)'s' << 8 | (__u64)'c' << 16 | (__u64)'o' << 24 | (__u64)'p' << 32 |
                      (__u64)'e' << 40;
  return suffix == scope && id_at(name, end - SYSCAP_CONTAINER_ID_LEN);
}

static __always_inline bool cgroup_named_after_container(struct cgroup* cgrp) {
  if (!cgrp) return false;
  __u32 zero = 0;
  struct syscap_cgroup_name* name = bpf_map_lookup_elem(&name_scratch, &zero);
  if (!name) return false;
  const char* text = BPF_CORE_READ(cgrp, kn, name);
  long len = bpf_probe_read_kernel_str(name->text, sizeof name->text, text) - 1;
  return is_container_name(name, len);
}

static __always_inline bool in_container_cgroup(void) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct css_set* cgroups = BPF_CORE_READ(task, cgroups);
  if (cgroup_named_after_container(BPF_CORE_READ(cgroups, dfl_cgrp))) return true;
  // Engines on cgroup v1 alone (no unified hierarchy) name the container in each v1 one.
  const int subsystems = bpf_core_enum_value(enum cgroup_subsys_id, CGROUP_SUBSYS_COUNT);
  for (int i = 0; i < 16; ++i) {
    if (i >= subsystems) break;
    struct cgroup_subsys_state* css = BPF_CORE_READ(cgroups, subsys[i]);
    if (css && cgroup_named_after_container(BPF_CORE_READ(css, cgroup))) return true;
  }
  return false;
}

// Whether the current task has left its parent's mount namespace: the container's process
// about to run its entrypoint has (the runtime made it a namespace and a root of its own);
// the runtime's own re-exec in the container's cgroup (runc's init from a memfd copy of
// itself) has not. 0 for a namespace that cannot be read: not taken for a difference.
static __always_inline bool left_parent_mount_namespace(void) {
  struct task_struct* task = bpf_get_current_task_btf();
  unsigned int own = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
  unsigned int parent = BPF_CORE_READ(task, real_parent, nsproxy, mnt_ns, ns.inum);
  return own != 0 && parent != 0 && own != parent;
}

// The container's process has just run its entrypoint (an execve that succeeded in the
// container's cgroup and mount namespace): it is tracked from here, and that execve is counted
// as sys_enter would have. Loaded only in container mode, so that other runs do not pay for it.
SEC("raw_tp/sched_process_exec")
int BPF_PROG(syscap_container_exec, struct task_struct* p, pid_t old_pid, struct linux_binprm* bprm) {
  if (!container_mode || (container_mode == SYSCAP_CONTAINER_FIRST && container_tgid != 0)) return 0;
  __u32 tgid = BPF_CORE_READ(p, tgid);
  if (tracked_group(tgid) || !in_container_cgroup() || !left_parent_mount_namespace()) return 0;
  if (container_tgid == 0) container_tgid = tgid;
  __sync_fetch_and_add(&tasks_seen, 1);
  struct syscap_task fresh = {};
  fresh.started = 1;
  bpf_probe_read_kernel_str(fresh.exe, sizeof fresh.exe, BPF_CORE_READ(bprm, filename));
  if (track_group(tgid, &fresh, BPF_NOEXIST)) {
    count_lost(SYSCAP_LOST_TASKS);
    return 0;
  }
  struct syscap_task* task = tracked_group(tgid);
  struct pt_regs* regs = 0;
  long nr = syscall_in_flight(&regs);  // the current task's: p is current, untrusted here
  // The runtime called a native execve or execveat; an i386 entrypoint's exec has already
  // made it look like a compat execve (TS_COMPAT, orig_ax). Its registers are the new
  // program's now: no argument values.
  if (nr != SYSCAP_NR_EXECVEAT) nr = SYSCAP_NR_EXECVE;
  if (task) count_call(tgid, task, SYSCAP_NATIVE_ARCH, nr);
  return 0;
}

#endif
