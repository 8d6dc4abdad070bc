// Before anything else runs, syscap's own read-only image (code, constants) is mapped in one
// madvise call instead of a page fault at a time. A run of `syscap record --engine bpf` touches
// code all over its 5 MB static executable: about 60 faults, each mapping 16 pages. Where a page
// fault is expensive (in a virtual machine whose page tables the hypervisor shadows, 13-20 µs a
// fault against 0.1 µs a page populated), that is most of a millisecond of every start-up, which
// the BPF engine's start-up is measured by (docs/performance.md). The pages are the page cache's:
// nothing is copied or kept in memory that the file does not already hold there.
//
// A .preinit_array entry: run by the C library before any static constructor (they fault too),
// after the executable has relocated itself. Kernels before 5.14 have no MADV_POPULATE_READ:
// the call fails there and nothing changes.
#include <elf.h>
#include <link.h>
#include <sys/mman.h>

#include <cstdint>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

// The executable's own ELF header, placed by the linker at the start of its first segment.
extern "C" const ElfW(Ehdr) __ehdr_start;

namespace {

void map_read_only_segments(int, char**, char**) {
  const auto* header = reinterpret_cast<const char*>(&__ehdr_start);
  const auto* segments = reinterpret_cast<const ElfW(Phdr)*>(header + __ehdr_start.e_phoff);
  // Where the image was loaded: the header's address less the address the segment holding it
  // (file offset 0) was linked at (0 for a position-independent executable).
  const char* bias = nullptr;
  for (int i = 0; i < __ehdr_start.e_phnum; ++i)
    if (segments[i].p_type == PT_LOAD && segments[i].p_offset == 0) bias = header - segments[i].p_vaddr;
  if (bias == nullptr) return;
  constexpr std::uintptr_t kPageMask = ~std::uintptr_t{4095};
  for (int i = 0; i < __ehdr_start.e_phnum; ++i) {
    const ElfW(Phdr)& s = segments[i];
    // Writable segments are the process's own copies (written at relocation already).
    if (s.p_type != PT_LOAD || (s.p_flags & PF_W) != 0) continue;
    const auto start = reinterpret_cast<std::uintptr_t>(bias + s.p_vaddr) & kPageMask;
    const auto end = reinterpret_cast<std::uintptr_t>(bias + s.p_vaddr + s.p_memsz);
    madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_READ);
  }
}

[[gnu::section(".preinit_array"), gnu::used]] constexpr void (*kMapImageEarly)(int, char**, char**) =
    map_read_only_segments;

}  // namespace
