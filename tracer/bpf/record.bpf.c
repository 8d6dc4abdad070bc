// The kernel half of the BPF recording engine (tracer/src/bpf_engine.cpp is the other half).
//
// It follows the workload's thread groups in `tracked` (seeded by user space with the first
// process before its execve, children added at fork before they run) and aggregates in the
// kernel: a count per (arch, nr), the distinct values of the arguments user space asked for in
// `arg_watch`, and the first caller of each syscall. Nothing is sent per call. Whatever cannot
// be stored (a full map) is counted in `lost`, so the run is never silently incomplete.
//
// CO-RE against the running kernel's BTF (record_kernel_types.bpf.h); attached as raw tracepoints
// (by name: no tracefs).
#include "record_kernel_types.bpf.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "record_shared.h"

char LICENSE[] SEC("license") = "GPL";

// Threads and processes the workload started (read by user space at the end).
__u64 tasks_seen = 0;

// The x86 thread_info status bit of a task in a 32-bit (compat) syscall, and the x32 bit of
// the syscall number (arch/x86/include/asm/thread_info.h, uapi/asm/unistd.h).
#define SYSCAP_TS_COMPAT 0x0002
#define SYSCAP_X32_SYSCALL_BIT 0x40000000

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __uint(max_entries, SYSCAP_MAX_TASKS);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, struct syscap_group_key);
  __type(value, struct syscap_task);
} tracked SEC(".maps");

static __always_inline struct syscap_task* tracked_group(__u32 tgid) {
  struct syscap_group_key key = syscap_group_key_of(tgid);
  return bpf_map_lookup_elem(&tracked, &key);
}

static __always_inline long track_group(__u32 tgid, const struct syscap_task* task, __u64 flags) {
  struct syscap_group_key key = syscap_group_key_of(tgid);
  return bpf_map_update_elem(&tracked, &key, task, flags);
}

static __always_inline void untrack_group(__u32 tgid) {
  struct syscap_group_key key = syscap_group_key_of(tgid);
  bpf_map_delete_elem(&tracked, &key);
}

// One element per arch, not per (arch, nr): the kernel allocates each element's per-CPU copies
// on its own, and 4 allocations are made far faster than 4096.
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, SYSCAP_ARCHES);
  __type(key, __u32);  // SYSCAP_ARCH_*
  __type(value, struct syscap_counts);
} counts SEC(".maps");

// A small hash map, `name`, and behind it `name`_spill, the trie for what does not fit, with
// `name`_spilled set once an entry went there (docs/recording.md: a hash map's bucket array is
// what it costs at load; the trie has none).
#define SYSCAP_HASH_WITH_SPILL(name, hash_entries, key_type, spill_key_type, value_type, spill_entries) \
  struct {                                                                                         \
    __uint(type, BPF_MAP_TYPE_HASH);                                                               \
    __uint(max_entries, hash_entries);                                                             \
    __uint(map_flags, BPF_F_NO_PREALLOC);                                                          \
    __type(key, key_type);                                                                         \
    __type(value, value_type);                                                                     \
  } name SEC(".maps");                                                                             \
  struct {                                                                                         \
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);                                                           \
    __uint(max_entries, spill_entries);                                                            \
    __uint(map_flags, BPF_F_NO_PREALLOC);                                                          \
    __type(key, spill_key_type);                                                                   \
    __type(value, value_type);                                                                     \
  } name##_spill SEC(".maps");                                                                     \
  __u32 name##_spilled = 0

// First callers by call key (syscap_call_key()).
SYSCAP_HASH_WITH_SPILL(first, SYSCAP_FIRST_HASH, __u32, struct syscap_first_spill_key, struct syscap_first,
                       SYSCAP_MAX_SYSCALL_KEYS);

// Calls whose number falls outside the counts array (numbers no table has).
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, SYSCAP_MAX_OTHER_CALLS);
  __type(key, __u64);  // arch << 32 | nr
  __type(value, __u64);
} other_counts SEC(".maps");

// Which arguments' values to keep, by syscap_call_key(). Global data, which user space fills
// through the skeleton's memory (no map update per entry), and which a call reads with a
// bounded load (no lookup).
struct syscap_arg_watch arg_watch[SYSCAP_CALL_KEYS] = {};

// Values kept of each watched argument (by its call's row): once SYSCAP_ARG_VALUES_KEPT are,
// no more are, and the trace's list (one shorter) shows as cut.
__u32 arg_kept[SYSCAP_MAX_WATCHED_CALLS][6] = {};

// Values kept of the watched arguments. The trie is sized by user space before loading for all
// of them: SYSCAP_ARG_VALUES_KEPT for each watched argument (arg_kept bounds each one's share)
// and one per CPU for each for the surplus of a race (record_arg_value): the two cannot fill.
SYSCAP_HASH_WITH_SPILL(arg_values, SYSCAP_ARG_VALUES_HASH, struct syscap_arg_key, struct syscap_arg_spill_key, __u8, 1);

// What could not be stored, by reason (SYSCAP_LOST_*). Global data: user space reads it through
// the skeleton's memory, without a map of its own to create and look up.
__u64 lost[SYSCAP_LOST_REASONS] = {};

static __always_inline void count_lost(__u32 reason) {
  if (reason < SYSCAP_LOST_REASONS) __sync_fetch_and_add(&lost[reason], 1);
}

// The arch of the call in flight: on x86_64 i386 for a thread in a compat call (TS_COMPAT),
// else x32 where the number has the x32 bit (cleared from *nr), else x86_64. Worked out by
// arithmetic, not branches: the verifier would walk everything after a branch on the arch
// once per arch (its walk is syscap's start-up time).
static __always_inline __u32 arch_of_current(long* nr) {
#if defined(__TARGET_ARCH_x86)
  _Static_assert(SYSCAP_TS_COMPAT == 1 << 1 && SYSCAP_X32_SYSCALL_BIT == 1 << 30, "the bits shifted below");
  _Static_assert(SYSCAP_ARCH_X86_64 == 0 && SYSCAP_ARCH_I386 == 1 && SYSCAP_ARCH_X32 == 2, "the arch sum below");
  // A trusted pointer: read directly (a load the verifier guards), not by a helper call.
  struct task_struct* task = bpf_get_current_task_btf();
  const __u64 compat = (task->thread_info.status >> 1) & 1;
  const __u64 x32 = (((__u64)*nr >> 30) & 1) & (compat ^ 1);
  *nr &= ~(long)(x32 << 30);
  return (__u32)(compat | (x32 << 1));
#else
  return SYSCAP_ARCH_AARCH64;
#endif
}

// 1 if v < limit (limit below 2^63), else 0, without a compare: BPF has no conditional set, so
// a compare is a branch, and the verifier walks what follows it once for each outcome.
static __always_inline __u64 below(__u64 v, __u64 limit) {
  __u64 difference = v - limit;
  barrier_var(difference);  // so that the compiler does not see a compare here and emit one
  return (difference & ~v) >> 63;
}

#if defined(__TARGET_ARCH_x86)
// One argument register: `native` for a 64-bit call, the low half of `i386` for a 32-bit one
// (`pick_i386` all ones), chosen by arithmetic rather than a branch.
static __always_inline __u64 pick_register(__u64 native, __u64 i386, __u64 pick_i386) {
  return (native & ~pick_i386) | (i386 & 0xffffffffull & pick_i386);
}
#endif

// The current task's registers at syscall entry (what sys_enter is given too), as a pointer the
// verifier knows the type of: on x86 its fields are read by plain loads, each one instruction,
// where a bpf_probe_read_kernel() per register cost about twenty instructions of the verifier's
// walk (aarch64's indexed registers are still read with BPF_CORE_READ).
static __always_inline struct pt_regs* current_regs(void) {
  return (struct pt_regs*)bpf_task_pt_regs(bpf_get_current_task_btf());
}

// The six arguments of the syscall in flight, from the registers its ABI passes them in (their
// offsets in pt_regs relocated to the running kernel's layout), and no branch on the ABI: a
// branch here doubled the verifier's walk of everything after it. `regs` from current_regs().
static __always_inline void syscall_args(struct pt_regs* regs, __u32 arch, __u64 args[6]) {
#if defined(__TARGET_ARCH_x86)
  _Static_assert(SYSCAP_ARCH_I386 == 1 && SYSCAP_ARCH_X86_64 == 0 && SYSCAP_ARCH_X32 == 2, "i386 alone is odd");
  __u64 pick_i386 = -(__u64)(arch & 1);
  barrier_var(pick_i386);  // so that the compiler does not make the choice a branch again
  args[0] = pick_register(regs->di, regs->bx, pick_i386);
  args[1] = pick_register(regs->si, regs->cx, pick_i386);
  args[2] = pick_register(regs->dx, regs->dx, pick_i386);
  args[3] = pick_register(regs->r10, regs->si, pick_i386);
  args[4] = pick_register(regs->r8, regs->di, pick_i386);
  args[5] = pick_register(regs->r9, regs->bp, pick_i386);
#else
  for (int i = 0; i < 6; ++i) args[i] = BPF_CORE_READ(regs, regs[i]);
#endif
}

// Room to build a first-caller record in (too large for the BPF stack).
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct syscap_first);
} first_scratch SEC(".maps");

// The first caller of call `key`, kept (the first CPU to store one wins).
static __always_inline void record_first(__u32 key, __u32 tgid, struct syscap_task* task) {
  __u32 zero = 0;
  struct syscap_first* seen = bpf_map_lookup_elem(&first_scratch, &zero);
  if (!seen) return;
  seen->pid = (__u32)bpf_get_current_pid_tgid();
  seen->tgid = tgid;
  bpf_probe_read_kernel(seen->exe, sizeof seen->exe, task->exe);
  // BPF_NOEXIST: the first CPU to see the call keeps its caller. The hash answers EEXIST
  // before E2BIG, and keeps what it holds, so a call is never in both maps.
  long err = bpf_map_update_elem(&first, &key, seen, BPF_NOEXIST);
  if (err == -7 /* E2BIG: the hash is full */) {
    first_spilled = 1;
    struct syscap_first_spill_key spill = {SYSCAP_SPILL_PREFIXLEN(struct syscap_first_spill_key), key};
    err = bpf_map_update_elem(&first_spill, &spill, seen, BPF_NOEXIST);
  }
  if (err && err != -17 /* EEXIST */) count_lost(SYSCAP_LOST_FIRST);
}

// Keeps `value` of argument `index` of call `key` (its row in arg_kept: `row`) unless it is kept
// already or the argument has had its share: in the hash, or once the hash is full in the spill
// trie. A global function, so that the verifier walks it once rather than once for each of the
// six arguments (its walk is syscap's start-up time).
__noinline int record_arg_value(__u32 key, __u32 row, __u32 index, __u64 value) {
  if (row >= SYSCAP_MAX_WATCHED_CALLS || index >= 6) return 0;
  struct syscap_arg_spill_key spill = {};
  spill.prefixlen = SYSCAP_SPILL_PREFIXLEN(struct syscap_arg_spill_key);
  spill.arg.call = key;
  spill.arg.index = index;
  spill.arg.value = value;
  if (bpf_map_lookup_elem(&arg_values, &spill.arg)) return 0;
  __u32* kept = &arg_kept[row][index];
  if (*kept >= SYSCAP_ARG_VALUES_KEPT) return 0;
  __u8 one = 1;
  // The hash answers EEXIST before E2BIG and never lets a value go, so once full it stays full
  // and a value in the trie is not put in the hash. It is not looked up in the trie first (the
  // verifier walked 108 instructions more for that branch): the trie's EEXIST says it, where
  // user space found that the kernel's tries answer it (size_hash_maps; else nothing spills).
  // One exception, harmless: a hash insert that fails for memory (ENOMEM) gives its room back
  // for a moment, but that failure is a lost value, which marks every list in the run cut.
  long err = bpf_map_update_elem(&arg_values, &spill.arg, &one, BPF_NOEXIST);
  if (err == -7 /* E2BIG: the hash is full */) {
    arg_values_spilled = 1;
    err = bpf_map_update_elem(&arg_values_spill, &spill, &one, BPF_NOEXIST);
  }
  if (err == -17 /* EEXIST */) return 0;  // another CPU kept it first
  if (err) {
    count_lost(SYSCAP_LOST_ARG_VALUES);
    return 0;
  }
  // Values other CPUs kept since the check above may take the count past the share: those
  // stay (at most one per CPU for each argument, room the spill trie is sized with), and the
  // trace lists the first SYSCAP_ARG_VALUES_KEPT - 1 of a longer list, marked cut.
  __sync_fetch_and_add(kept, 1);
  return 0;
}

// The values of the watched arguments of call `key` of `arch` (the argument table's calls
// only), from the caller's registers. Inline: with the arch worked out by arithmetic the
// verifier walks it once anyway, and a global function is one more image for the kernel to
// compile and copy into place at load (0.3-0.5 ms of a run, interleaved).
static __always_inline int record_args(__u32 key, __u32 arch) {
  if (key >= SYSCAP_CALL_KEYS) return 0;
  barrier_var(key);  // keeps the mask below: the compiler may reload key with its bound lost
  const struct syscap_arg_watch watch = arg_watch[key & (SYSCAP_CALL_KEYS - 1)];
  const __u32 row = (__u32)watch.row - 1;  // 0 (not watched) wraps above the rows
  if (watch.mask == 0 || row >= SYSCAP_MAX_WATCHED_CALLS) return 0;
  __u64 args[6];
  struct pt_regs* regs = current_regs();
  if (!regs) return 0;
  syscall_args(regs, arch, args);
  for (int i = 0; i < 6; ++i)
    if (watch.mask & (1u << i)) record_arg_value(key, row, i, args[i]);
  return 0;
}

// The number of the current task's syscall in flight (-1 for none), and its registers.
static __always_inline long syscall_in_flight(struct pt_regs** regs) {
  *regs = current_regs();
  if (!*regs) return -1;
#if defined(__TARGET_ARCH_x86)
  return (*regs)->orig_ax;
#else
  return BPF_CORE_READ(*regs, syscallno);
#endif
}

// One call of syscall `nr` (below SYSCAP_MAX_NR) of `arch` by thread group `tgid`: counted, its
// first caller kept. Inline: it runs for every call, where a call to a function costs 40 ns.
static __always_inline void count_call(__u32 tgid, struct syscap_task* task, __u32 arch, long nr) {
  struct syscap_counts* counted = bpf_map_lookup_elem(&counts, &arch);
  if (!counted) return;
  __u64* n = &counted->n[nr & (SYSCAP_MAX_NR - 1)];
  if (*n == 0) record_first(syscap_call_key(arch, (__u32)nr), tgid, task);
  *n += 1;
}

#include "record_pending.bpf.h"

SEC("raw_tp/sys_enter")
int BPF_PROG(syscap_sys_enter, struct pt_regs* regs, long id) {
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  struct syscap_task* task = tracked_group(tgid);
  if (!task) return 0;
  long nr = id;
  __u32 arch = arch_of_current(&nr);
  if (nr < 0) return 0;
  // Before its first execve the workload is still syscap's child setting up: only the exec call
  // itself belongs to the command (as with the ptrace engine, whose filter is installed then).
  // Told by the exec table, not by comparing nr with constants: the verifier would walk all
  // that follows once for each constant it learnt.
  const __u32 started = task->started;
  if (nr >= SYSCAP_MAX_NR) {
    if (!started) return 0;
    __u64 key = ((__u64)arch << 32) | (__u64)nr;
    __u64* n = bpf_map_lookup_elem(&other_counts, &key);
    if (n) {
      __sync_fetch_and_add(n, 1);
    } else {
      __u64 one = 1;
      if (bpf_map_update_elem(&other_counts, &key, &one, BPF_NOEXIST)) {
        n = bpf_map_lookup_elem(&other_counts, &key);
        if (n) __sync_fetch_and_add(n, 1);
        else count_lost(SYSCAP_LOST_OTHER_CALLS);
      }
    }
    return 0;
  }
  __u32 key = syscap_call_key(arch, (__u32)nr);
  barrier_var(key);  // keeps the mask below, which older verifiers need to bound the index
  key &= SYSCAP_CALL_KEYS - 1;
  if (!started && !exec_calls[key]) return 0;
  count_call(tgid, task, arch, nr);
  if (arg_watch[key].mask) record_args(key, arch);
  // Read again, not kept from above: a value kept across the calls between made the verifier's
  // walk of this program 445 -> 548 instructions.
  if (exec_calls[key] && exec_in_sys_exit) remember_exec();
  return 0;
}

// A new task (thread or process) of a tracked thread group: its group is tracked before it
// runs, with the parent's state and executable.
SEC("raw_tp/sched_process_fork")
int BPF_PROG(syscap_fork, struct task_struct* parent, struct task_struct* child) {
  __u32 parent_tgid = BPF_CORE_READ(parent, tgid);
  __u32 child_tgid = BPF_CORE_READ(child, tgid);
  struct syscap_task* task = tracked_group(parent_tgid);
  if (!task) return 0;
  __sync_fetch_and_add(&tasks_seen, 1);
  if (parent_tgid == child_tgid) return 0;  // a thread: its group is tracked already
  if (track_group(child_tgid, task, BPF_ANY)) count_lost(SYSCAP_LOST_TASKS);
  return 0;
}

// After an execve: the group records from now on, under its new executable. Loaded only where
// sys_exit is not (without the capability checks), which does this otherwise (finish_exec).
SEC("raw_tp/sched_process_exec")
int BPF_PROG(syscap_exec, struct task_struct* p, pid_t old_pid, struct linux_binprm* bprm) {
  __u32 tgid = BPF_CORE_READ(p, tgid);
  struct syscap_task* task = tracked_group(tgid);
  if (!task) return 0;
  task->started = 1;
  const char* filename = BPF_CORE_READ(bprm, filename);
  bpf_probe_read_kernel_str(task->exe, sizeof task->exe, filename);
  return 0;
}

// The last thread of a group is gone: stop tracking it (its tgid may be reused).
SEC("raw_tp/sched_process_exit")
int BPF_PROG(syscap_exit, struct task_struct* p) {
  __u32 tgid = BPF_CORE_READ(p, tgid);
  if (!tracked_group(tgid)) return 0;
  if (BPF_CORE_READ(p, signal, live.counter) == 0) untrack_group(tgid);
  return 0;
}

// The container mode's start (loaded only for containers) and the capability-check watch:
// parts of this one program, in files of their own.
#include "record_container.bpf.h"
#include "record_checks.bpf.h"
