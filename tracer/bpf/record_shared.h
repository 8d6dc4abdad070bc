/* What the BPF program (record.bpf.c) and its loader (tracer/src/bpf_engine.cpp) share: the
 * layout of the maps' keys and values and their sizes. C, included by both. */
#ifndef SYSCAP_RECORD_SHARED_H
#define SYSCAP_RECORD_SHARED_H

#define SYSCAP_ARCH_X86_64 0
#define SYSCAP_ARCH_I386 1
#define SYSCAP_ARCH_X32 2
#define SYSCAP_ARCH_AARCH64 3
#define SYSCAP_ARCHES 4

#if defined(__TARGET_ARCH_x86) || defined(__x86_64__)
#define SYSCAP_NATIVE_ARCH SYSCAP_ARCH_X86_64
#define SYSCAP_NR_EXECVE 59
#define SYSCAP_NR_EXECVEAT 322
#else
#define SYSCAP_NATIVE_ARCH SYSCAP_ARCH_AARCH64
#define SYSCAP_NR_EXECVE 221
#define SYSCAP_NR_EXECVEAT 281
#endif

/* Syscall numbers below this are counted in a per-CPU array; others in a small hash. */
#define SYSCAP_MAX_NR 1024
/* Keys syscap_call_key() gives: one per (arch, nr below SYSCAP_MAX_NR). */
#define SYSCAP_CALL_KEYS (SYSCAP_ARCHES * SYSCAP_MAX_NR)
#define SYSCAP_MAX_TASKS 16384
#define SYSCAP_MAX_SYSCALL_KEYS 4096
/* The hash maps' own size (first, arg_values, cap_checks), what a run nearly always needs: a
 * hash map's bucket array of up to 2,048 buckets (32 kB) comes from kmalloc, about 10 us to
 * create here, a larger one from vmalloc, 0.1-0.4 ms. What does not fit goes into the map's
 * spill trie (an LPM trie, exact matches: no bucket array), sized for all the rest, so the
 * pair cannot fill where the hash alone used to be sized not to. SYSCAP_BPF_SPILL_AT sizes the
 * hashes smaller (tests: every run spills). */
#define SYSCAP_FIRST_HASH 1024
#define SYSCAP_ARG_VALUES_HASH 2048
#define SYSCAP_CAP_CHECKS_HASH 2048
#define SYSCAP_MAX_OTHER_CALLS 256
/* Distinct values kept of each watched argument: one more than a trace lists
 * (ArgValueSet::kCapacity), so a cut list shows as cut. With the number of watched arguments
 * (and the CPUs: record_arg_value) this sizes the values maps, which therefore cannot fill. */
#define SYSCAP_ARG_VALUES_KEPT 65
/* Syscalls whose arguments are watched (over every arch), at most. */
#define SYSCAP_MAX_WATCHED_CALLS 255
#define SYSCAP_EXE_LEN 256
/* Container mode: a container id's length (Docker's and Podman's full ids), and the bytes of a
 * cgroup name read to match it. */
#define SYSCAP_CONTAINER_ID_LEN 64
/* container_mode: follow the first process that starts running in the container (a container
 * syscap starts), or every one (a running container attached to: `docker exec`'s too). */
#define SYSCAP_CONTAINER_FIRST 1
#define SYSCAP_CONTAINER_EVERY 2
#define SYSCAP_CGROUP_NAME_MAX 256

/* Why something was not stored (index into the program's `lost` counters). */
#define SYSCAP_LOST_TASKS 0       /* a new process could not be tracked: its calls are missing */
#define SYSCAP_LOST_FIRST 1       /* a first caller could not be kept */
#define SYSCAP_LOST_ARG_VALUES 2  /* an argument value could not be kept */
#define SYSCAP_LOST_OTHER_CALLS 3 /* a call with an out-of-range number could not be counted */
#define SYSCAP_LOST_CAP_CHECKS 4  /* a capability check could not be kept */
#define SYSCAP_LOST_REASONS 5

#define SYSCAP_MAX_CAP_CHECKS 4096
/* Capabilities by number, at most (probe_slot_of_cap), and the capabilities whose checks only
 * probe during some call that the program tells apart (probe_calls' bits). */
#define SYSCAP_CAPS 64
#define SYSCAP_PROBE_SLOTS 8
/* Checks kept per thread until its syscall returns (a call makes one or two, rarely more). */
#define SYSCAP_PENDING_CHECKS 8
/* The nr of a check made outside any syscall (a page fault, a timer). */
#define SYSCAP_NO_SYSCALL 0xffffffffu
/* Bytes kept from the memory an argument points to, where judging the check needs them
 * (perf_event_open's attr, clone3's clone_args). */
#define SYSCAP_CHECK_MEM 64

/* The counts of one arch's calls, by number (one per CPU: no atomic adds). */
struct syscap_counts {
  __u64 n[SYSCAP_MAX_NR];
};

/* Which arguments of a call to keep the values of (arg_watch, by syscap_call_key()). */
struct syscap_arg_watch {
  __u8 mask; /* bit i: argument i */
  __u8 row;  /* 1 + the call's row in arg_kept (0: not watched) */
};

/* The key of `tracked` (an LPM trie, exact matches only: unlike a hash map it has no bucket
 * array to allocate and initialise at load, 0.4 ms for 16,384 entries): a thread group id, all
 * 32 of its bits significant. */
struct syscap_group_key {
  __u32 prefixlen; /* always 32 */
  __u32 tgid;
};

static inline struct syscap_group_key syscap_group_key_of(__u32 tgid) {
  struct syscap_group_key key = {32, tgid};
  return key;
}

struct syscap_task {
  __u8 started; /* the group has made its first execve */
  __u8 pad[7];
  char exe[SYSCAP_EXE_LEN];
};

struct syscap_first {
  __u32 pid;
  __u32 tgid;
  char exe[SYSCAP_EXE_LEN];
};

struct syscap_arg_key {
  __u32 call; /* syscap_call_key() */
  __u32 index;
  __u64 value;
};

/* The keys of the spill tries (LPM tries, exact matches only): a hash map's key behind a prefix
 * length that covers all of it (the padding too, always 0). */
#define SYSCAP_SPILL_PREFIXLEN(key_type) ((__u32)(8 * (sizeof(key_type) - 4)))
struct syscap_first_spill_key {
  __u32 prefixlen; /* 32 */
  __u32 call;
};

struct syscap_arg_spill_key {
  __u32 prefixlen; /* 8 * (sizeof(struct syscap_arg_spill_key) - 4) */
  __u32 pad;
  struct syscap_arg_key arg;
};

/* One kind of capability check the workload's tasks made (the cap_capable tracepoint): the
 * capability, the kernel's answer, the syscall in flight and its arguments, and the
 * credentials checked. Distinct keys are kept apart so user space can judge each. */
struct syscap_cap_check_key {
  __u32 cap;
  __u32 granted; /* 1: the kernel granted it */
  __u32 arch;
  __u32 nr;      /* SYSCAP_NO_SYSCALL outside a syscall */
  __u64 args[6];
  __u32 uid, euid, suid, fsuid;
  __u32 gid, egid, sgid, fsgid;
  __u32 userns_level; /* of the namespace checked in: 0 is the initial one */
  __u32 mem_arg;      /* 1 + the argument whose memory `mem` holds; 0 none */
  __u8 mem[SYSCAP_CHECK_MEM];
};

struct syscap_check_spill_key {
  __u32 prefixlen; /* 8 * (sizeof(struct syscap_check_spill_key) - 4) */
  __u32 pad;
  struct syscap_cap_check_key check;
};

struct syscap_cap_check {
  __u64 checks; /* times the kernel made this check */
  __u32 id;     /* its index in the results array (cap_results) */
  __u32 pid;    /* the first thread that made it */
  __u32 tgid;
  char exe[SYSCAP_EXE_LEN];
};

/* What became of the calls a check was made in (cap_results, indexed by syscap_cap_check.id). */
struct syscap_check_result {
  __u64 returned; /* checks made in calls that have returned */
  __u64 failed;   /* ... in calls that returned an error */
  __u64 refused;  /* ... in calls that returned EPERM or EACCES */
};

/* What a thread's syscall in flight leaves for sys_exit (task storage): the ids of the checks
 * made in it, and whether it is an exec call. */
struct syscap_pending {
  __u32 n;
  __u32 ids[SYSCAP_PENDING_CHECKS];
  __u32 exec; /* an execve or execveat of a tracked group: if it returns 0, the group starts */
};

static inline __u32 syscap_call_key(__u32 arch, __u32 nr) { return arch * SYSCAP_MAX_NR + nr; }

#endif
