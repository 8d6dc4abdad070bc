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
#define SYSCAP_MAX_TASKS 65536
#define SYSCAP_MAX_SYSCALL_KEYS 4096
#define SYSCAP_MAX_OTHER_CALLS 256
#define SYSCAP_MAX_ARG_VALUES 16384
#define SYSCAP_EXE_LEN 256

/* Why something was not stored (index into the `lost` map). */
#define SYSCAP_LOST_TASKS 0       /* a new process could not be tracked: its calls are missing */
#define SYSCAP_LOST_FIRST 1       /* a first caller could not be kept */
#define SYSCAP_LOST_ARG_VALUES 2  /* an argument value could not be kept */
#define SYSCAP_LOST_OTHER_CALLS 3 /* a call with an out-of-range number could not be counted */
#define SYSCAP_LOST_REASONS 4

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

static inline __u32 syscap_call_key(__u32 arch, __u32 nr) { return arch * SYSCAP_MAX_NR + nr; }

#endif
