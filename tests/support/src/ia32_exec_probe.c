// The smallest static i386 program: exit_group(0) through int $0x80, no libc. Whether the
// kernel runs it is what tests/support's IA32 probe wants to know.
void _start(void) {
  __asm__ volatile("movl $252, %eax\n\t"  // i386 __NR_exit_group
                   "xorl %ebx, %ebx\n\t"
                   "int $0x80");
  for (;;) {
  }
}
