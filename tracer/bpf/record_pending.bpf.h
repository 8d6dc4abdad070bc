/* Part of record.bpf.c (included before sys_enter, after the task tracking it uses): what a
 * thread's syscall in flight leaves for sys_exit to finish once the call's result is known: the
 * capability checks made in it (record_checks.bpf.h) and, where sys_exit is loaded, the exec
 * call that starts a group's recording. */
#ifndef SYSCAP_RECORD_PENDING_BPF_H
#define SYSCAP_RECORD_PENDING_BPF_H

// Per thread, until its syscall returns.
struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct syscap_pending);
} pending_calls SEC(".maps");

// Threads with something pending (their storage's n > 0 or exec set): while there are none,
// which is nearly always, sys_exit returns at once for every call of every task on the machine.
__u64 threads_pending = 0;

// Set by user space where sys_exit is loaded (the capability checks are watched): then sys_exit
// starts a group's recording at its execve, not a program on the exec tracepoint. One
// tracepoint fewer to load, attach and detach: about 0.8 ms of each run here.
__u32 exec_in_sys_exit = 0;

// The calls that start a program (execve, execveat), by syscap_call_key(): 1. Filled by user
// space from the syscall tables, for every arch (sys_enter lets these alone through before a
// group's first exec).
__u8 exec_calls[SYSCAP_CALL_KEYS] = {};

// The current thread's pending record, made if it has none.
static __always_inline struct syscap_pending* current_pending(void) {
  return bpf_task_storage_get(&pending_calls, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

// Counts the current thread as one with something pending, unless it was already.
static __always_inline void mark_pending(const struct syscap_pending* pending) {
  if (pending->n == 0 && pending->exec == 0) __sync_fetch_and_add(&threads_pending, 1);
}

// An exec call by a tracked group's thread: remembered until it returns.
static __always_inline void remember_exec(void) {
  struct syscap_pending* pending = current_pending();
  if (!pending) {
    count_lost(SYSCAP_LOST_TASKS);  // the program it runs would go unrecorded
    return;
  }
  mark_pending(pending);
  pending->exec = 1;
}

// sys_exit of an exec call: if it succeeded, the group records from now on, under its new
// program (what the exec tracepoint's program does where sys_exit is not loaded). The program's
// name is the kernel's (bprm->filename: the path as given, "/dev/fd/<n>/<path>" for an
// execveat relative to a descriptor), read where exec put it: the new stack's first string,
// just above the environment's (mm->env_end, AT_EXECFN), in pages exec itself wrote, so they
// are present. A name that cannot be read is left empty rather than the old program's.
static __always_inline void finish_exec(long ret) {
  if (ret != 0) return;
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  struct syscap_task* task = tracked_group(tgid);
  if (!task) return;
  task->started = 1;
  const char* name = (const char*)BPF_CORE_READ(bpf_get_current_task_btf(), mm, env_end);
  bpf_probe_read_user_str(task->exe, sizeof task->exe, name);
}

#endif
