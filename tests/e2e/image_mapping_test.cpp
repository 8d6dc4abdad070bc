// syscap maps its own read-only segments (code, constants) in one madvise(MADV_POPULATE_READ)
// each before anything of it runs (cli/map_image_early.cpp): seen on the real binary with
// `strace`, by the lengths of the calls, which are the segments' own (the addresses move with
// each run).
#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_support.hpp"
#include "syscap/test/command.hpp"
#include "syscap/test/temp_dir.hpp"

namespace syscap::e2e {
namespace {

// The lengths map_image_early must ask for: each read-only PT_LOAD of `path`, from its page.
std::set<std::uint64_t> read_only_segment_lengths(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr header{};
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  std::set<std::uint64_t> lengths;
  const std::uint64_t page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  for (int i = 0; in && i < header.e_phnum; ++i) {
    Elf64_Phdr segment{};
    in.seekg(static_cast<std::streamoff>(header.e_phoff + static_cast<std::uint64_t>(i) * header.e_phentsize));
    in.read(reinterpret_cast<char*>(&segment), sizeof segment);
    if (in && segment.p_type == PT_LOAD && (segment.p_flags & PF_W) == 0)
      lengths.insert(segment.p_memsz + segment.p_vaddr % page);
  }
  return lengths;
}

TEST(ImageMapping, EveryReadOnlySegmentIsMappedInOneCallAtStart) {
  if (test::run_command({"strace", "-V"}).status != 0) GTEST_SKIP() << "no strace to watch the calls";
  const std::set<std::uint64_t> wanted = read_only_segment_lengths(SYSCAP_BINARY);
  ASSERT_FALSE(wanted.empty()) << "no read-only segments read from " << SYSCAP_BINARY;
  test::TempDir dir;
  auto r = test::run_command({"strace", "-e", "trace=madvise", "-o", dir.file("calls"), SYSCAP_BINARY, "--version"});
  ASSERT_EQ(r.status, 0) << r.describe();
  std::ifstream calls(dir.file("calls"));
  std::stringstream text;
  text << calls.rdbuf();
  std::set<std::uint64_t> asked;
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("MADV_POPULATE_READ") == std::string::npos) continue;
    const auto comma = line.find(", ");
    ASSERT_NE(comma, std::string::npos) << line;
    asked.insert(std::stoull(line.substr(comma + 2)));
  }
  EXPECT_EQ(asked, wanted) << "strace saw:\n" << text.str();
}

}  // namespace
}  // namespace syscap::e2e
