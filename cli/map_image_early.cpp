// Before anything else runs, syscap's own read-only image (code, constants) is mapped in one
// madvise call instead of a page fault at a time. A run of `syscap record --engine bpf` touches
// code all over its 5 MB static executable: about 40 faults, each mapping 16 pages. Where a page
// fault is expensive (in a virtual machine whose page tables the hypervisor shadows, 13-20 µs a
// fault against 0.1 µs a page populated), that is a quarter of a millisecond of every start-up,
// which the BPF engine's start-up is measured by (docs/performance.md, "fifth pass"). The pages
// are the page cache's, shared and reclaimable: nothing is copied. What it costs: on a cold page
// cache (the first run after an install, a slow file system) the whole image is read at once,
// where faults would have read only what the run touches.
//
// A .preinit_array entry: run by the C library before any static constructor (they fault too),
// after the executable has relocated itself. Kernels before 5.14 have no MADV_POPULATE_READ:
// the call fails there and nothing changes.
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include <cstdint>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

// The executable's own ELF header, placed by the linker at the start of its first segment.
extern "C" const ElfW(Ehdr) __ehdr_start;

namespace {

// Not instrumented: in a sanitized build it may run before the sanitizer's own start-up.
__attribute__((no_sanitize("address", "undefined"))) void map_read_only_segments(int, char**, char**) {
  const auto header = reinterpret_cast<std::uintptr_t>(&__ehdr_start);
  const auto* segments = reinterpret_cast<const ElfW(Phdr)*>(header + __ehdr_start.e_phoff);
  // Where the image was loaded: the header's address less the address the segment holding it
  // (file offset 0) was linked at (0 for a position-independent executable, so the bias of a
  // fixed-address one is 0).
  bool found = false;
  std::uintptr_t bias = 0;
  for (int i = 0; i < __ehdr_start.e_phnum && !found; ++i) {
    if (segments[i].p_type != PT_LOAD || segments[i].p_offset != 0) continue;
    bias = header - segments[i].p_vaddr;
    found = true;
  }
  const std::uintptr_t page = getauxval(AT_PAGESZ);
  if (!found || page == 0 || (page & (page - 1)) != 0) return;
  for (int i = 0; i < __ehdr_start.e_phnum; ++i) {
    const ElfW(Phdr)& s = segments[i];
    // Writable segments are the process's own copies (written at relocation already).
    if (s.p_type != PT_LOAD || (s.p_flags & PF_W) != 0) continue;
    const std::uintptr_t start = (bias + s.p_vaddr) & ~(page - 1);
    const std::uintptr_t end = bias + s.p_vaddr + s.p_memsz;
    madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_READ);
  }
}

[[gnu::section(".preinit_array"), gnu::used]] constexpr void (*kMapImageEarly)(int, char**, char**) =
    map_read_only_segments;

}  // namespace
