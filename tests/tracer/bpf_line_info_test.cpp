// The BPF object leaves its line table out (tracer/bpf/drop_line_info.cpp): the build tool
// changes the .BTF.ext header's line-info length and nothing else, refuses what is not a BPF
// object with BTF, and the programs syscap loads carry function info but no line table.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <elf.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bpf_program.hpp"
#include "record_skeleton.hpp"

namespace syscap::tracer::detail {
namespace {

namespace fs = std::filesystem;

std::vector<char> bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct ToolRun {
  int status = -1;
  std::string output;  // stdout and stderr
};

ToolRun drop_line_info(const fs::path& in, const fs::path& out) {
  const std::string command = std::string(SYSCAP_DROP_LINE_INFO_TOOL) + " '" + in.string() + "' '" + out.string() + "' 2>&1";
  ToolRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) run.output += buffer;
  const int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The .BTF.ext header's fields (offset and length of the function info, line info and CO-RE
// relocations), read at the section's offset found by readelf-like walking of the headers.
struct BtfExtLengths {
  std::uint64_t at = 0;
  std::uint32_t func_info_len = 0, line_info_len = 0, core_relo_len = 0;
};

BtfExtLengths btf_ext_of(const std::vector<char>& bytes) {
  BtfExtLengths out;
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  Elf64_Shdr names;
  std::memcpy(&names, bytes.data() + header.e_shoff + header.e_shstrndx * sizeof(Elf64_Shdr), sizeof names);
  for (int i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr s;
    std::memcpy(&s, bytes.data() + header.e_shoff + i * sizeof(Elf64_Shdr), sizeof s);
    if (std::string(bytes.data() + names.sh_offset + s.sh_name) != ".BTF.ext") continue;
    out.at = s.sh_offset;
    std::memcpy(&out.func_info_len, bytes.data() + s.sh_offset + 12, 4);
    std::memcpy(&out.line_info_len, bytes.data() + s.sh_offset + 20, 4);
    std::memcpy(&out.core_relo_len, bytes.data() + s.sh_offset + 28, 4);
  }
  return out;
}

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/syscap-line-info-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

TEST(BpfLineInfo, TheToolZeroesTheLineTableLengthAndNothingElse) {
  TempDir dir;
  const fs::path out = dir.path / "object.o";
  const ToolRun run = drop_line_info(SYSCAP_BPF_LINKED_OBJECT, out);
  ASSERT_EQ(run.status, 0) << run.output;
  const std::vector<char> before = bytes_of(SYSCAP_BPF_LINKED_OBJECT), after = bytes_of(out);
  ASSERT_EQ(before.size(), after.size());
  const BtfExtLengths was = btf_ext_of(before), is = btf_ext_of(after);
  ASSERT_NE(was.at, 0u) << "the program's object has no .BTF.ext";
  EXPECT_GT(was.line_info_len, 0u) << "the object had no line table to leave out";
  EXPECT_EQ(is.line_info_len, 0u);
  EXPECT_EQ(is.func_info_len, was.func_info_len);
  EXPECT_EQ(is.core_relo_len, was.core_relo_len);
  // Only the four bytes of the length differ.
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < before.size(); ++i)
    if (before[i] != after[i]) changed.push_back(i);
  for (std::size_t i : changed) {
    EXPECT_GE(i, was.at + 20);
    EXPECT_LT(i, was.at + 24);
  }
}

TEST(BpfLineInfo, TheToolRefusesWhatIsNoBpfObjectWithBtf) {
  TempDir dir;
  const fs::path text = dir.path / "notes.txt";
  std::ofstream(text) << "not an object\n";
  ToolRun run = drop_line_info(text, dir.path / "out.o");
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find(text.string() + ": not a 64-bit ELF object"), std::string::npos) << run.output;
  // An ELF object without BTF: the tool's own executable.
  run = drop_line_info(SYSCAP_DROP_LINE_INFO_TOOL, dir.path / "out.o");
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find("no .BTF.ext section"), std::string::npos) << run.output;
  run = drop_line_info(dir.path / "missing.o", dir.path / "out.o");
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find("cannot read"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir.path / "out.o"));
}

TEST(BpfLineInfo, LoadedProgramsCarryFunctionInfoButNoLineTable) {
  auto loaded = load_program(ProgramUse::RecordCommand);
  if (!loaded) GTEST_SKIP() << "the BPF engine cannot load here: " << loaded.error().message();
  const bpf_object_skeleton& skeleton = *loaded->skel->skeleton;
  int seen = 0;
  for (int i = 0; i < skeleton.prog_cnt; ++i) {
    const int fd = bpf_program__fd(*skeleton.progs[i].prog);
    if (fd < 0) continue;  // not loaded in this configuration
    bpf_prog_info info{};
    __u32 length = sizeof info;
    ASSERT_EQ(bpf_obj_get_info_by_fd(fd, &info, &length), 0) << std::strerror(errno);
    EXPECT_GT(info.nr_func_info, 0u) << skeleton.progs[i].name;
    if (!SYSCAP_BPF_LINE_INFO_KEPT) {
      EXPECT_EQ(info.nr_line_info, 0u) << skeleton.progs[i].name;
    }
    ++seen;
  }
  EXPECT_GE(seen, 3);  // sys_enter, fork, exit at least
}

}  // namespace
}  // namespace syscap::tracer::detail
