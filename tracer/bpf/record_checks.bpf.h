/* Part of record.bpf.c (included at its end, after the task tracking it uses): the kernel's
 * capability checks, from the cap_capable tracepoint (Linux 6.14+; left unloaded without it),
 * with each call's result from sys_exit. */
#ifndef SYSCAP_RECORD_CHECKS_BPF_H
#define SYSCAP_RECORD_CHECKS_BPF_H

// The checks, SYSCAP_MAX_CAP_CHECKS in all (their ids).
SYSCAP_HASH_WITH_SPILL(cap_checks, SYSCAP_CAP_CHECKS_HASH, struct syscap_cap_check_key, struct syscap_check_spill_key,
                       struct syscap_cap_check, SYSCAP_MAX_CAP_CHECKS);

// What became of the calls each check was made in, by the check's id (so a thread's pending
// checks are small ids, not keys to compare and hash again at sys_exit).
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SYSCAP_MAX_CAP_CHECKS);
  __type(key, __u32);
  __type(value, struct syscap_check_result);
} cap_results SEC(".maps");

// The next free id in cap_results.
__u32 next_check_id = 0;

// Calls whose checks are judged by the memory an argument points to, by syscap_call_key(): 1 +
// that argument (0: none). Global data, filled by user space like arg_watch.
__u8 mem_watch[SYSCAP_CALL_KEYS] = {};

// The checks that only probe (kernel_check_rules' Probe rows: memory accounting asks for
// CAP_SYS_ADMIN on every mmap): their arguments and credentials decide nothing, so their keys
// leave them out and all such checks of one call share a record, found by one lookup, where
// each new argument list (every mmap's address is new) made a record of its own: a fraction of
// the work per check, and the room kept for the checks that are judged. Filled by user space:
// probe_slot_of_cap[cap] is 1 + the capability's bit in probe_calls (0: it never only probes),
// probe_calls[syscap_call_key()] has that bit where its checks during that call only probe.
__u8 probe_slot_of_cap[SYSCAP_CAPS] = {};
__u8 probe_calls[SYSCAP_CALL_KEYS] = {};

// All ones for a check of `cap` during call (arch, nr) that is judged by its arguments and
// credentials, 0 for one that only probes: by arithmetic, without a branch, so that the
// verifier walks what follows once, not once for each kind (its walk is syscap's start-up).
static __always_inline __u64 judged_mask(__u32 cap, __u32 arch, __u32 nr) {
  _Static_assert(SYSCAP_PROBE_SLOTS <= 31 && SYSCAP_MAX_NR == 1024 && SYSCAP_ARCHES == 4, "the shifts below");
  const __u32 slot = probe_slot_of_cap[cap & (SYSCAP_CAPS - 1)];  // caps are below 64
  const __u32 bits = (__u32)probe_calls[syscap_call_key(arch & 3, nr & 1023)] << 1;  // bit 0: none
  const __u32 known = ((nr >> 10) - 1) >> 31;  // 1 for nr below 1024 (not NO_SYSCALL)
  __u64 probe = (bits >> (slot & 31)) & known & 1;
  barrier_var(probe);  // so that the compiler does not make the choice a branch again
  return probe - 1;
}

// The ids `cred` holds (masked by `judged`) into `key`. The kernel keeps the eight together, in
// the order of `block` (struct cred since 2.6.29): where the running kernel's offsets say so, one
// read of the block, else one read each. The offsets are relocated constants, so the verifier
// walks only the branch taken.
static __always_inline void read_ids(const struct cred* cred, struct syscap_cap_check_key* key, __u64 judged) {
  const __u32 at = bpf_core_field_offset(struct cred, uid);
  struct {
    __u32 uid, gid, suid, sgid, euid, egid, fsuid, fsgid;
  } block = {};
  if (bpf_core_field_offset(struct cred, gid) == at + 4 && bpf_core_field_offset(struct cred, suid) == at + 8 &&
      bpf_core_field_offset(struct cred, sgid) == at + 12 && bpf_core_field_offset(struct cred, euid) == at + 16 &&
      bpf_core_field_offset(struct cred, egid) == at + 20 && bpf_core_field_offset(struct cred, fsuid) == at + 24 &&
      bpf_core_field_offset(struct cred, fsgid) == at + 28) {
    bpf_probe_read_kernel(&block, sizeof block, (const char*)cred + at);
  } else {
    block.uid = BPF_CORE_READ(cred, uid.val);
    block.gid = BPF_CORE_READ(cred, gid.val);
    block.suid = BPF_CORE_READ(cred, suid.val);
    block.sgid = BPF_CORE_READ(cred, sgid.val);
    block.euid = BPF_CORE_READ(cred, euid.val);
    block.egid = BPF_CORE_READ(cred, egid.val);
    block.fsuid = BPF_CORE_READ(cred, fsuid.val);
    block.fsgid = BPF_CORE_READ(cred, fsgid.val);
  }
  key->uid = block.uid & judged;
  key->euid = block.euid & judged;
  key->suid = block.suid & judged;
  key->fsuid = block.fsuid & judged;
  key->gid = block.gid & judged;
  key->egid = block.egid & judged;
  key->sgid = block.sgid & judged;
  key->fsgid = block.fsgid & judged;
}

// Room to build a new check record in (too large for the BPF stack).
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct syscap_cap_check);
} check_scratch SEC(".maps");


// Check `id`, made by the current thread, learns the result of the call it is in.
static __always_inline void remember_pending(__u32 id) {
  struct syscap_pending* pending = current_pending();
  if (!pending) {
    count_lost(SYSCAP_LOST_CAP_CHECKS);
    return;
  }
  __u32 n = pending->n;
  for (int i = 0; i < SYSCAP_PENDING_CHECKS; ++i) {
    if (i >= n) break;
    if (pending->ids[i] == id) return;
  }
  if (n >= SYSCAP_PENDING_CHECKS) {
    count_lost(SYSCAP_LOST_CAP_CHECKS);
    return;
  }
  __u32 slot = n;
  barrier_var(slot);  // keep the bound check on the register the store uses
  if (slot >= SYSCAP_PENDING_CHECKS) return;
  mark_pending(pending);
  pending->ids[slot] = id;
  pending->n = n + 1;
}

// Which argument of call `nr` of `arch` the checks made in it are judged by the memory of: 1-6,
// 0 for none.
static __always_inline __u32 memory_argument(__u32 arch, __u32 nr) {
  if (nr >= SYSCAP_MAX_NR || arch >= SYSCAP_ARCHES) return 0;
  __u32 call = syscap_call_key(arch, nr);
  if (call >= SYSCAP_CALL_KEYS) return 0;
  return mem_watch[call];
}

// The check at `key` in `map` (cap_checks or its spill trie) counted once more: its id in *id,
// 0; -1 where the map has no such check. Per map, so that no pointer into one map or the other
// outlives it: the verifier would walk everything after once for each map.
static __always_inline int count_check(void* map, const void* key, __u32* id) {
  struct syscap_cap_check* seen = bpf_map_lookup_elem(map, key);
  if (!seen) return -1;
  __sync_fetch_and_add(&seen->checks, 1);
  *id = seen->id;
  return 0;
}

// cap_capable(cred, target_ns, capable_ns, cap, ret): ret 0 granted, else -EPERM.
SEC("raw_tp/cap_capable")
int BPF_PROG(syscap_cap_capable, const struct cred* cred, struct user_namespace* target_ns,
             const struct user_namespace* capable_ns, int cap, int ret) {
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  struct syscap_task* task = tracked_group(tgid);
  if (!task || !task->started) return 0;
  struct task_struct* current = bpf_get_current_task_btf();
  // A check of credentials that are not the task's own says nothing of what it needs: overlayfs
  // checks its mounter's (override_creds: a container's stat of its root file system asks for
  // CAP_SYS_ADMIN for the trusted.overlay xattrs), some files their opener's.
  if ((const void*)cred != (const void*)BPF_CORE_READ(current, real_cred)) return 0;
  struct pt_regs* regs = 0;
  long nr = syscall_in_flight(&regs);

  struct syscap_check_spill_key spill = {};
  spill.prefixlen = SYSCAP_SPILL_PREFIXLEN(struct syscap_check_spill_key);
  struct syscap_cap_check_key* const key = &spill.check;
  key->cap = (__u32)cap;
  // ret == 0 (else it is -EPERM), by its sign bit: a compare is a branch in BPF, and everything
  // after it was walked by the verifier once per answer.
  __u32 refused = (__u32)ret >> 31;
  barrier_var(refused);
  key->granted = refused ^ 1;
  // What a check that does not only probe is judged by: the call's arguments (and memory), the
  // credentials. A probe's key keeps none of them (zeroed: they are read for every check,
  // which costs less than a second path through the rest for the verifier to walk). A check
  // outside any call is judged.
  __u64 judged = ~0ull;
  if (nr < 0) {
    key->arch = SYSCAP_NATIVE_ARCH;
    key->nr = SYSCAP_NO_SYSCALL;
  } else {
    key->arch = arch_of_current(&nr);
    key->nr = (__u32)nr;
    judged = judged_mask(key->cap, key->arch, key->nr);
    syscall_args(regs, key->arch, key->args);
    __u32 index = (__u32)memory_argument(key->arch, key->nr) - 1;  // 0 (none) wraps above 6
    if (index < 6) {
      key->mem_arg = index + 1;
      bpf_probe_read_user(key->mem, sizeof key->mem, (const void*)key->args[index]);
    }
#pragma unroll
    for (int i = 0; i < 6; ++i) key->args[i] &= judged;
  }
  key->userns_level = BPF_CORE_READ(target_ns, level);
  read_ids(cred, key, judged);

  __u32 id = 0;
  if (count_check(&cap_checks, key, &id) != 0 &&
      !(cap_checks_spilled && count_check(&cap_checks_spill, &spill, &id) == 0)) {
    __u32 zero = 0;
    struct syscap_cap_check* fresh = bpf_map_lookup_elem(&check_scratch, &zero);
    if (!fresh) return 0;
    // Ids are taken only while there are some to take, so the counter cannot wrap round and
    // hand out an id twice (a lost race below leaves its id unused: the run then keeps a
    // little fewer checks, and says so when it runs out).
    if (next_check_id >= SYSCAP_MAX_CAP_CHECKS) {
      count_lost(SYSCAP_LOST_CAP_CHECKS);
      return 0;
    }
    fresh->checks = 0;
    fresh->id = __sync_fetch_and_add(&next_check_id, 1);
    fresh->pid = (__u32)bpf_get_current_pid_tgid();
    fresh->tgid = tgid;
    bpf_probe_read_kernel(fresh->exe, sizeof fresh->exe, task->exe);
    if (fresh->id >= SYSCAP_MAX_CAP_CHECKS) {
      count_lost(SYSCAP_LOST_CAP_CHECKS);
      return 0;
    }
    // BPF_NOEXIST: where another CPU made it first, its record (and id) stands. The hash
    // answers EEXIST before E2BIG and never lets a check go, so a check is never in both maps.
    long err = bpf_map_update_elem(&cap_checks, key, fresh, BPF_NOEXIST);
    if (err != -7 /* E2BIG: the hash is full */) {
      err = count_check(&cap_checks, key, &id);
    } else {
      cap_checks_spilled = 1;
      bpf_map_update_elem(&cap_checks_spill, &spill, fresh, BPF_NOEXIST);
      err = count_check(&cap_checks_spill, &spill, &id);
    }
    if (err) {
      count_lost(SYSCAP_LOST_CAP_CHECKS);
      return 0;
    }
  }
  if (key->nr != SYSCAP_NO_SYSCALL) remember_pending(id);
  return 0;
}

// A syscall returns: the checks made in it learn its result, and an exec call that succeeded
// starts its group's recording (record_pending.bpf.h). Cheap for every other task: a task with
// nothing pending has no storage, or an empty one.
SEC("raw_tp/sys_exit")
int BPF_PROG(syscap_sys_exit, struct pt_regs* regs, long ret) {
  if (threads_pending == 0) return 0;
  struct syscap_pending* pending = bpf_task_storage_get(&pending_calls, bpf_get_current_task_btf(), 0, 0);
  if (!pending || (pending->n == 0 && pending->exec == 0)) return 0;
  __u32 n = pending->n;
  // Worked out once, by arithmetic, added to every check unconditionally: one path through the
  // loop for the verifier (compares were branches, and it walked the loop once per outcome).
  const __u64 failed = below((__u64)ret + 4095, 4095);  // -4095..-1
  const __u64 refused = below((__u64)ret + 1, 1) | below((__u64)ret + 13, 1);  // EPERM, EACCES
  for (int i = 0; i < SYSCAP_PENDING_CHECKS; ++i) {
    if (i >= n) break;
    __u32 id = pending->ids[i];
    struct syscap_check_result* result = bpf_map_lookup_elem(&cap_results, &id);
    if (!result) continue;
    __sync_fetch_and_add(&result->returned, 1);
    __sync_fetch_and_add(&result->failed, failed);
    __sync_fetch_and_add(&result->refused, refused);
  }
  pending->n = 0;
  if (pending->exec) {
    pending->exec = 0;
    finish_exec(ret);
  }
  __sync_fetch_and_sub(&threads_pending, 1);
  return 0;
}

#endif
