// Whether the minimal BTF embedded at build time fits the running kernel: the GNU build id is
// found among the kernel's ELF notes, and anything short of the same id and BTF size means the
// kernel's own BTF.
#include "bpf_kernel_btf.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace syscap::tracer::detail {
namespace {

using Bytes = std::vector<unsigned char>;

// One ELF note: namesz, descsz, type, then name and desc padded to 4 bytes.
void add_note(Bytes& notes, const std::string& name, std::uint32_t type, const Bytes& desc) {
  auto word = [&](std::uint32_t w) {
    const auto* p = reinterpret_cast<const unsigned char*>(&w);
    notes.insert(notes.end(), p, p + 4);
  };
  word(static_cast<std::uint32_t>(name.size() + 1));
  word(static_cast<std::uint32_t>(desc.size()));
  word(type);
  notes.insert(notes.end(), name.begin(), name.end());
  notes.push_back(0);
  while (notes.size() % 4) notes.push_back(0);
  notes.insert(notes.end(), desc.begin(), desc.end());
  while (notes.size() % 4) notes.push_back(0);
}

const Bytes kId{0x32, 0xa7, 0xf3, 0xba, 0xce, 0xe6, 0xbf, 0x69, 0xda, 0x94,
                0xf4, 0x97, 0xa8, 0xa0, 0x76, 0x48, 0x3b, 0xae, 0xa2, 0x0e};

// A kernel's notes as /sys/kernel/notes shows them: Xen's and Linux's beside the build id.
Bytes kernel_notes(const Bytes& id) {
  Bytes notes;
  add_note(notes, "Xen", 19, {0, 0, 0, 1});
  add_note(notes, "Linux", 6, {'6', '.', '1', '8', 0});
  add_note(notes, "GNU", 3, id);
  return notes;
}

TEST(KernelBtf, TheBuildIdIsFoundAmongOtherNotes) {
  const Bytes notes = kernel_notes(kId);
  auto id = gnu_build_id(notes);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(Bytes(id->begin(), id->end()), kId);
}

TEST(KernelBtf, NotesWithoutABuildIdOrCutShortHaveNone) {
  Bytes other;
  add_note(other, "Linux", 6, {'6', 0});
  add_note(other, "GNU", 1, {1, 2, 3, 4});  // a GNU note of another type (ABI tag)
  EXPECT_FALSE(gnu_build_id(other).has_value());
  EXPECT_FALSE(gnu_build_id({}).has_value());
  Bytes notes = kernel_notes(kId);
  notes.resize(notes.size() - 8);  // the id's last bytes missing
  EXPECT_FALSE(gnu_build_id(notes).has_value());
  Bytes huge;
  add_note(huge, "GNU", 3, kId);
  huge[4] = 0xff;  // descsz far beyond the end
  huge[7] = 0xff;
  EXPECT_FALSE(gnu_build_id(huge).has_value());
}

TEST(KernelBtf, OnlyTheSameKernelWithTheSameBtfSizeFits) {
  const Bytes notes = kernel_notes(kId);
  const Bytes minimal{0x9f, 0xeb, 1, 0};
  const BuildKernelBtf built{.notes = notes, .vmlinux_btf_size = 5481434, .minimal_btf = minimal};
  EXPECT_EQ(why_build_btf_does_not_fit(built, notes, 5481434), "");

  EXPECT_EQ(why_build_btf_does_not_fit(built, notes, 5481435), "this kernel's BTF is 5481435 bytes, the build's was 5481434");
  Bytes other_id = kId;
  other_id[19] ^= 1;
  EXPECT_EQ(why_build_btf_does_not_fit(built, kernel_notes(other_id), 5481434),
            "this kernel is not the one syscap was built on");
  EXPECT_EQ(why_build_btf_does_not_fit(built, {}, 5481434), "this kernel has no build id in /sys/kernel/notes");

  const BuildKernelBtf no_minimal{.notes = notes, .vmlinux_btf_size = 5481434, .minimal_btf = {}};
  EXPECT_EQ(why_build_btf_does_not_fit(no_minimal, notes, 5481434), "the build made no minimal BTF");
  const BuildKernelBtf no_id{.notes = {}, .vmlinux_btf_size = 5481434, .minimal_btf = minimal};
  EXPECT_EQ(why_build_btf_does_not_fit(no_id, notes, 5481434), "the build machine's kernel had no build id");
}

// On the kernel it was built on (the usual case: a build and its tests on one machine), the
// build's minimal BTF must be there and be used; a build whose bpftool failed to make it, or
// whose identity of the kernel is wrong, fails here instead of silently loading slower.
TEST(KernelBtf, OnTheKernelItWasBuiltOnTheEmbeddedBtfIsUsed) {
  std::ifstream in("/sys/kernel/notes", std::ios::binary);
  const Bytes running((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto running_id = gnu_build_id(running);
  if (!running_id) GTEST_SKIP() << "this kernel has no build id in /sys/kernel/notes";
  const auto built_id = gnu_build_id(kBuildKernelBtf.notes);
  if (!built_id) GTEST_SKIP() << "the build recorded no kernel build id (was /sys/kernel/notes unreadable then?)";
  if (!std::ranges::equal(*built_id, *running_id)) GTEST_SKIP() << "this is not the kernel syscap was built on";
  EXPECT_FALSE(kBuildKernelBtf.minimal_btf.empty()) << "the build made no minimal BTF (bpftool gen min_core_btf)";
  EXPECT_EQ(why_build_btf_does_not_fit(kBuildKernelBtf, running,
                                       static_cast<std::uint64_t>(std::filesystem::file_size("/sys/kernel/btf/vmlinux"))),
            "");
  const CoreBtf btf = CoreBtf::for_running_kernel();
  if (const char* forced = std::getenv("SYSCAP_BPF_KERNEL_BTF"); forced && std::string(forced) == "1")
    GTEST_SKIP() << "SYSCAP_BPF_KERNEL_BTF=1 is set";
  ASSERT_NE(btf.custom_path(), nullptr) << btf.description();
  EXPECT_EQ(std::filesystem::file_size(btf.custom_path()), kBuildKernelBtf.minimal_btf.size());
}

}  // namespace
}  // namespace syscap::tracer::detail
