/* Shared helpers of the capability workloads (cap_*.c).
 *
 * Every workload takes a mode: `need` does an operation that needs exactly one capability,
 * `benign` does the nearest operation that needs none (its twin). Exit status: 0 when the
 * operation did what it should, 1 when the kernel refused it (the message says how),
 * 2 for a usage error. Some modes take an operand prepared by the test (a file owned by another
 * user, a process of another user). */
#ifndef SYSCAP_CAP_COMMON_H
#define SYSCAP_CAP_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char* cap_mode = "";

/* Reports a failed call and exits 1. */
static inline void cap_fail(const char* what) {
  fprintf(stderr, "%s: %s failed: %s\n", cap_mode, what, strerror(errno));
  exit(1);
}

/* Exits 2 unless argv[1] is "need" or "benign" (and an operand is there when required). */
static inline int cap_parse(int argc, char** argv, int operands) {
  if (argc < 2 + operands || (strcmp(argv[1], "need") != 0 && strcmp(argv[1], "benign") != 0)) {
    fprintf(stderr, "usage: %s need|benign%s\n", argv[0], operands ? " OPERAND" : "");
    exit(2);
  }
  cap_mode = argv[1];
  return strcmp(argv[1], "need") == 0;
}

/* Reads `path` whole if it can be opened (a benign twin's reads of /proc, where the kernel asks
 * for a capability it does not need: it only picks what to show). A file that is not there, as
 * on older kernels or in other namespaces, is left alone. */
static inline void cap_read_if_there(const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) return;
  char buf[512];
  while (fread(buf, 1, sizeof buf, f) == sizeof buf) {
  }
  fclose(f);
}

/* Writes the value `path` holds back to it, where it can be read and written (a benign twin's
 * sysctl write that changes nothing; a read-only /proc/sys, as in a container, is left alone). */
static inline void cap_write_back_if_there(const char* path) {
  char value[256];
  FILE* in = fopen(path, "r");
  if (!in) return;
  const int got = fgets(value, sizeof value, in) != NULL;
  fclose(in);
  if (!got) return;
  FILE* out = fopen(path, "w");
  if (!out) return;
  fputs(value, out);
  fclose(out);
}

/* A fresh directory under /tmp owned by the caller (removed by cap_cleanup). */
static char cap_dir[64];
static inline const char* cap_tmpdir(void) {
  strcpy(cap_dir, "/tmp/syscap-cap-XXXXXX");
  if (!mkdtemp(cap_dir)) cap_fail("mkdtemp");
  return cap_dir;
}

/* cap_dir/name, in a static buffer. */
static inline const char* cap_path(const char* name) {
  static char buf[128];
  snprintf(buf, sizeof buf, "%s/%s", cap_dir, name);
  return buf;
}

static inline void cap_cleanup(const char* name) {
  if (name) unlink(cap_path(name));
  rmdir(cap_dir);
}

#endif
