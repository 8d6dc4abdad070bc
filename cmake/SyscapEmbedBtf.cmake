# Run with `cmake -DMIN_BTF=<file> -DOUTPUT=<file.cpp> -P SyscapEmbedBtf.cmake` at build time.
#
# Writes a C++ source defining detail::kBuildKernelBtf: the build machine's kernel notes (which
# hold its GNU build id), the size of its BTF, and the minimal BTF that `bpftool gen
# min_core_btf` made for the BPF program from that BTF. At run time, on that same kernel, libbpf
# does its CO-RE relocations against these 2 kB instead of parsing the kernel's 5 MB of BTF,
# which was most of the engine's start-up. The three come from files the same build step wrote
# together (cmake/SyscapBpf.cmake): MIN_BTF, MIN_BTF.notes (a copy of /sys/kernel/notes) and
# MIN_BTF.vmlinux-size. Any of them may be empty (bpftool could not make the BTF, the notes could
# not be read): the engine then always uses the kernel's own BTF.

function(hex_bytes file out_var)
  file(READ ${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  # Sixteen bytes to a line (CMake's regular expressions have no {16}).
  string(REPEAT "0x..," 16 line)
  string(REGEX REPLACE "(${line})" "\\1\n    " bytes "${bytes}")
  set(${out_var} "${bytes}" PARENT_SCOPE)
endfunction()

hex_bytes(${MIN_BTF}.notes notes)
file(READ ${MIN_BTF}.vmlinux-size btf_size)
string(STRIP "${btf_size}" btf_size)
if(NOT btf_size MATCHES "^[0-9]+$")
  set(btf_size 0)
endif()
hex_bytes(${MIN_BTF} min_btf)

file(WRITE ${OUTPUT}
"// Generated at build time by cmake/SyscapEmbedBtf.cmake from the build machine's kernel.
#include \"bpf_kernel_btf.hpp\"

namespace syscap::tracer::detail {
namespace {
// An empty array is not C++: each has a trailing zero, left out of the spans below.
const unsigned char notes[] = {
    ${notes}0};
const unsigned char minimal_btf[] = {
    ${min_btf}0};
}  // namespace

const BuildKernelBtf kBuildKernelBtf{
    .notes = {notes, sizeof notes - 1},
    .vmlinux_btf_size = ${btf_size}u,
    .minimal_btf = {minimal_btf, sizeof minimal_btf - 1},
};
}  // namespace syscap::tracer::detail
")
