// Which BTF libbpf relocates the BPF program against (CO-RE). Parsing the running kernel's BTF
// (5 MB, about 130,000 types, read from /sys/kernel/btf/vmlinux) is most of the engine's
// start-up; the build embeds the few types the program uses (`bpftool gen min_core_btf`,
// cmake/SyscapEmbedBtf.cmake) with the identity of the kernel they came from, and on that same
// kernel libbpf reads those instead. On any other kernel, or if anything is in doubt, the
// kernel's own BTF is used, as without the embedding.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace syscap::tracer::detail {

// What the build knew of its machine's kernel (generated: <build>/tracer/bpf/record_kernel_btf.cpp).
struct BuildKernelBtf {
  std::span<const unsigned char> notes;  // /sys/kernel/notes: ELF notes holding the GNU build id
  std::uint64_t vmlinux_btf_size = 0;    // the size of /sys/kernel/btf/vmlinux
  std::span<const unsigned char> minimal_btf;
};
extern const BuildKernelBtf kBuildKernelBtf;

// The GNU build id (NT_GNU_BUILD_ID) among the ELF notes, if there is one: the kernel image's
// hash, which covers its BTF.
std::optional<std::span<const unsigned char>> gnu_build_id(std::span<const unsigned char> notes);

// Whether `built`'s minimal BTF fits the kernel whose notes and BTF size are given: "" when it
// does, else why not.
std::string why_build_btf_does_not_fit(const BuildKernelBtf& built, std::span<const unsigned char> running_notes,
                                       std::uint64_t running_btf_size);

// The BTF for one load: the build's minimal BTF in a sealed memfd when it fits the running
// kernel, else the kernel's own. Keep it alive until the program is loaded.
class CoreBtf {
 public:
  // SYSCAP_BPF_KERNEL_BTF=1 in the environment asks for the kernel's own BTF regardless (to
  // rule the embedding out when a recording looks wrong; tests compare the two).
  static CoreBtf for_running_kernel();
  CoreBtf(CoreBtf&& other) noexcept;
  CoreBtf& operator=(CoreBtf&&) = delete;
  ~CoreBtf();

  // For bpf_object_open_opts.btf_custom_path: nullptr means the kernel's BTF.
  const char* custom_path() const { return path_.empty() ? nullptr : path_.c_str(); }
  // Which BTF, and for the kernel's own why (for the debug log).
  const std::string& description() const { return description_; }

 private:
  CoreBtf() = default;
  int fd_ = -1;
  std::string path_;
  std::string description_;
};

}  // namespace syscap::tracer::detail
