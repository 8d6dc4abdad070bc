/* Part of record.bpf.c: the kernel types it reads, each with only the fields it uses.
 *
 * CO-RE relocates every access to these fields by name (preserve_access_index) against the
 * running kernel's BTF, or the minimal BTF made from it at build time: the layout written here is
 * not the kernel's and need not be. Declared here rather than taken from a vmlinux.h dumped from
 * the build machine, because clang puts every type a program names into the object's own BTF,
 * and task_struct alone drew in 650 types (50 kB). libbpf copies and parses that BTF and the
 * kernel checks it at every start: about half a millisecond, for nothing.
 *
 * A field added here must exist under that name in every kernel the engine supports (5.15 on),
 * or its relocation fails the load, and libbpf names the field. */
#ifndef SYSCAP_RECORD_KERNEL_TYPES_BPF_H
#define SYSCAP_RECORD_KERNEL_TYPES_BPF_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <stdbool.h>

typedef int pid_t;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
  unsigned long r10, r9, r8, bp, bx, dx, cx, si, di, orig_ax;
};
struct thread_info {
  __u32 status;  // TS_COMPAT while in a 32-bit syscall
};
#elif defined(__TARGET_ARCH_arm64)
struct pt_regs {
  __u64 regs[31];  // in an anonymous struct in the kernel's: CO-RE matches through it
  __s32 syscallno;
};
#endif

typedef struct {
  int counter;
} atomic_t;

typedef struct {
  __u32 val;
} kuid_t;

typedef struct {
  __u32 val;
} kgid_t;

struct cred {
  kuid_t uid, suid, euid, fsuid;
  kgid_t gid, sgid, egid, fsgid;
};

struct user_namespace {
  int level;
};

struct signal_struct {
  atomic_t live;  // threads of the group not yet exited
};

struct ns_common {
  unsigned int inum;
};

struct mnt_namespace {
  struct ns_common ns;
};

struct nsproxy {
  struct mnt_namespace* mnt_ns;
};

struct kernfs_node {
  const char* name;
};

struct cgroup {
  struct kernfs_node* kn;
};

struct cgroup_subsys_state {
  struct cgroup* cgroup;
};

enum cgroup_subsys_id {
  CGROUP_SUBSYS_COUNT = 16,  // relocated to the running kernel's count
};

struct css_set {
  struct cgroup_subsys_state* subsys[16];
  struct cgroup* dfl_cgrp;
};

struct mm_struct {
  unsigned long env_end;
};

struct task_struct {
#if defined(__TARGET_ARCH_x86)
  struct thread_info thread_info;
#endif
  struct mm_struct* mm;
  int tgid;
  struct task_struct* real_parent;
  const struct cred* real_cred;
  struct nsproxy* nsproxy;
  struct signal_struct* signal;
  struct css_set* cgroups;
};

struct linux_binprm {
  const char* filename;
};

#pragma clang attribute pop

#endif
