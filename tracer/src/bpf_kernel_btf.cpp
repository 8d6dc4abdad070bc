#include "bpf_kernel_btf.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "syscap/input_file.hpp"
#include "syscap/output_file.hpp"

namespace syscap::tracer::detail {

namespace {

constexpr std::uint32_t kNtGnuBuildId = 3;

std::uint32_t word_at(std::span<const unsigned char> bytes, std::size_t at) {
  std::uint32_t word;
  std::memcpy(&word, bytes.data() + at, sizeof word);
  return word;
}

constexpr std::size_t aligned4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

std::span<const unsigned char> bytes_of(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

}  // namespace

std::optional<std::span<const unsigned char>> gnu_build_id(std::span<const unsigned char> notes) {
  // Elf64_Nhdr and Elf32_Nhdr are alike: namesz, descsz, type, then name and desc, each padded
  // to 4 bytes.
  std::size_t at = 0;
  while (notes.size() - at >= 12) {
    std::size_t name_size = word_at(notes, at);
    std::size_t desc_size = word_at(notes, at + 4);
    std::uint32_t type = word_at(notes, at + 8);
    std::size_t name_at = at + 12;
    if (name_size > notes.size() - name_at) return std::nullopt;
    std::size_t desc_at = name_at + aligned4(name_size);
    if (desc_at > notes.size() || desc_size > notes.size() - desc_at) return std::nullopt;
    if (type == kNtGnuBuildId && name_size == 4 && std::memcmp(notes.data() + name_at, "GNU", 4) == 0 &&
        desc_size > 0)
      return notes.subspan(desc_at, desc_size);
    at = desc_at + aligned4(desc_size);
    if (at > notes.size()) return std::nullopt;
  }
  return std::nullopt;
}

std::string why_build_btf_does_not_fit(const BuildKernelBtf& built, std::span<const unsigned char> running_notes,
                                       std::uint64_t running_btf_size) {
  if (built.minimal_btf.empty()) return "the build made no minimal BTF";
  auto built_id = gnu_build_id(built.notes);
  if (!built_id) return "the build machine's kernel had no build id";
  auto running_id = gnu_build_id(running_notes);
  if (!running_id) return "this kernel has no build id in /sys/kernel/notes";
  if (!std::ranges::equal(*built_id, *running_id)) return "this kernel is not the one syscap was built on";
  if (built.vmlinux_btf_size != running_btf_size)
    return fmt::format("this kernel's BTF is {} bytes, the build's was {}", running_btf_size,
                       built.vmlinux_btf_size);
  return "";
}

CoreBtf CoreBtf::for_running_kernel() {
  CoreBtf btf;
  auto kernels_own = [&btf](std::string why) {
    btf.description_ = "the kernel's BTF (/sys/kernel/btf/vmlinux): " + std::move(why);
    return std::move(btf);
  };
  if (const char* asked = std::getenv("SYSCAP_BPF_KERNEL_BTF"); asked && std::string_view(asked) == "1")
    return kernels_own("SYSCAP_BPF_KERNEL_BTF=1");
  auto notes = read_input("/sys/kernel/notes", "kernel notes", 1u << 20);
  if (!notes) return kernels_own(notes.error().message());
  struct stat vmlinux {};
  if (stat("/sys/kernel/btf/vmlinux", &vmlinux) != 0) return kernels_own("cannot stat /sys/kernel/btf/vmlinux");
  if (auto why = why_build_btf_does_not_fit(kBuildKernelBtf, bytes_of(*notes), static_cast<std::uint64_t>(vmlinux.st_size));
      !why.empty())
    return kernels_own(std::move(why));
  // libbpf takes a path: a sealed memfd's, so nothing is written to disk and nothing can
  // change it underneath.
  int fd = memfd_create("syscap-core-btf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return kernels_own(fmt::format("memfd_create: {}", std::strerror(errno)));
  btf.fd_ = fd;
  const auto& minimal = kBuildKernelBtf.minimal_btf;
  if (!write_all(fd, {reinterpret_cast<const char*>(minimal.data()), minimal.size()}) ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0)
    return kernels_own(fmt::format("writing the minimal BTF: {}", std::strerror(errno)));
  btf.path_ = fmt::format("/proc/self/fd/{}", fd);
  if (access(btf.path_.c_str(), R_OK) != 0) {
    btf.path_.clear();
    return kernels_own("/proc is not mounted");
  }
  btf.description_ = fmt::format("the minimal BTF built for this kernel ({} bytes)", kBuildKernelBtf.minimal_btf.size());
  return btf;
}

CoreBtf::CoreBtf(CoreBtf&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), description_(std::move(other.description_)) {
  other.path_.clear();
}

CoreBtf::~CoreBtf() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace syscap::tracer::detail
