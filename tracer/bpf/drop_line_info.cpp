// A build tool, run on the BPF object before bpftool makes its skeleton:
//
//   syscap_bpf_drop_line_info <in.o> <out.o>
//
// writes <in.o> with its line table left out: the length of the line info in the .BTF.ext
// header set to 0, every other byte unchanged (the table's bytes stay, unreferenced). libbpf then
// passes no line info with each program, and the kernel neither checks nor keeps one. The table
// maps each instruction to its source line, for a verifier log's comments and `bpftool prog
// dump`; syscap uses neither, and checking and copying it cost 0.2-0.9 ms of every start of the
// BPF engine (docs/performance.md, "tenth pass"). The function info, which the kernel needs to
// verify a global function, and the CO-RE relocations stay. Configure with
// -DSYSCAP_BPF_LINE_INFO=ON to keep the table (a failed load's verifier log then quotes the
// source).
#include <elf.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace {

// The start of .BTF.ext (the kernel's and libbpf's struct btf_ext_header), all a version 1
// object has at least.
struct BtfExtHeader {
  std::uint16_t magic;
  std::uint8_t version;
  std::uint8_t flags;
  std::uint32_t hdr_len;
  std::uint32_t func_info_off;
  std::uint32_t func_info_len;
  std::uint32_t line_info_off;
  std::uint32_t line_info_len;
};
constexpr std::uint16_t kBtfMagic = 0xeb9f;

template <typename T>
std::optional<T> read_at(const std::vector<char>& bytes, std::uint64_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

// The file offset of the .BTF.ext section's header, or why there is none.
std::optional<std::uint64_t> btf_ext_offset(const std::vector<char>& bytes, std::string& why) {
  const auto header = read_at<Elf64_Ehdr>(bytes, 0);
  if (!header || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_ident[EI_CLASS] != ELFCLASS64) {
    why = "not a 64-bit ELF object";
    return std::nullopt;
  }
  if (header->e_ident[EI_DATA] != (std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB)) {
    why = "not in this machine's byte order";
    return std::nullopt;
  }
  const auto section = [&](std::uint64_t index) {
    return read_at<Elf64_Shdr>(bytes, header->e_shoff + index * sizeof(Elf64_Shdr));
  };
  std::uint64_t count = header->e_shnum;
  std::uint64_t names_index = header->e_shstrndx;
  // Past 0xff00 sections, the counts are kept in section 0.
  if (const auto first = section(0); first && (count == 0 || names_index == SHN_XINDEX)) {
    if (count == 0) count = first->sh_size;
    if (names_index == SHN_XINDEX) names_index = first->sh_link;
  }
  const auto names = section(names_index);
  if (!names) {
    why = "no section names";
    return std::nullopt;
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto s = section(i);
    if (!s) break;
    const std::uint64_t name = names->sh_offset + s->sh_name;
    constexpr char kWanted[] = ".BTF.ext";
    if (name >= bytes.size() || bytes.size() - name < sizeof kWanted ||
        std::memcmp(bytes.data() + name, kWanted, sizeof kWanted) != 0)
      continue;
    const auto ext = read_at<BtfExtHeader>(bytes, s->sh_offset);
    if (!ext || ext->magic != kBtfMagic || ext->hdr_len < sizeof(BtfExtHeader) || s->sh_size < ext->hdr_len) {
      why = ".BTF.ext has no header this tool knows (magic 0xeb9f, at least 24 bytes)";
      return std::nullopt;
    }
    return s->sh_offset;
  }
  why = "no .BTF.ext section (was the program compiled with -g?)";
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <in.o> <out.o>\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.eof() && in.fail()) {
    std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 1;
  }
  std::string why;
  const auto at = btf_ext_offset(bytes, why);
  if (!at) {
    std::fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], why.c_str());
    return 1;
  }
  const std::uint32_t none = 0;
  std::memcpy(bytes.data() + *at + offsetof(BtfExtHeader, line_info_len), &none, sizeof none);
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[2]);
    return 1;
  }
  return 0;
}
