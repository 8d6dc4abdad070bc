// Why the kernel refused to run a program with ENOEXEC ("Exec format error"), when the
// program's ELF header explains it: an i386 program on a kernel that runs no 32-bit x86 code
// (IA32 emulation not built in, or switched off with ia32_emulation=0), an x32 program on a
// kernel without the x32 ABI, or a program for another machine altogether.
//
//   if (err == ENOEXEC) error.hint = tables::exec_format_hint(path);
//   // "/t/wl_i386_static is a 32-bit x86 (i386) program, and this kernel runs no 32-bit x86
//   //  code: IA32 emulation is not built in or is switched off (boot option ia32_emulation=1)"
#pragma once

#include <string>
#include <string_view>

#include "syscap/tables/arch.hpp"

namespace syscap::tables {

// The architecture an ELF executable is built for, read from its header; nullptr when the file
// cannot be read, is not ELF, or is for a machine the moby format cannot name.
const ArchFacts* elf_arch_of(const std::string& path);

// Whether this kernel runs 32-bit x86 code: an `int $0x80` getpid tried in a forked child
// (x86_64 only; false elsewhere). Costs a fork: call it only on an error path.
bool kernel_runs_i386();

// The line explaining an ENOEXEC from execve of `path`, or "" when its header does not explain
// it. Reads the header and, for an i386 program, probes the kernel.
std::string exec_format_hint(const std::string& path);

// The same from facts already known (`file_arch` may be nullptr): what the function above says.
std::string exec_format_hint(std::string_view path, const ArchFacts* file_arch, bool runs_i386);

}  // namespace syscap::tables
