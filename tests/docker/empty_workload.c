// The emptiest possible static workload: no libc, no startup code; its only syscall is
// exit_group(0). Run as a container's entrypoint, everything else the container's seccomp
// filter sees before it (up to and including the execve) is the runtime's own.
// Built with -static -nostdlib -nostartfiles.

void _start(void) {
#if defined(__x86_64__)
  __asm__ volatile("syscall" : : "a"(231 /* exit_group */), "D"(0) : "rcx", "r11", "memory");
#elif defined(__i386__)
  __asm__ volatile("int $0x80" : : "a"(252 /* exit_group */), "b"(0) : "memory");
#elif defined(__aarch64__)
  register long x8 __asm__("x8") = 94; /* exit_group */
  register long x0 __asm__("x0") = 0;
  __asm__ volatile("svc #0" : : "r"(x8), "r"(x0) : "memory");
#else
#error "empty_workload: unsupported architecture"
#endif
  for (;;) {
  }
}
