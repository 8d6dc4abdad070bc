// load_failure (tracer/src/bpf_load_failure.hpp): a failed load's message keeps libbpf's lines that
// name the program and its error, and the end of the verifier's log, where the verifier says
// what it refused; not the log's start, which only retraces the program.
#include <gtest/gtest.h>

#include <string>

#include "bpf_load_failure.hpp"

namespace syscap::tracer::detail {
namespace {

std::string verifier_lines(int n) {
  std::string lines;
  for (int i = 0; i < n; ++i) lines += std::to_string(i) + ": (b7) r1 = 0                       ; R1_w=0\n";
  return lines;
}

TEST(BpfLoadFailure, NamesTheProgramAndEndsWithTheVerifiersReason) {
  const std::string log = "libbpf: map 'x': created\n"
                          "libbpf: prog 'syscap_sys_enter': BPF program load failed: Invalid argument\n"
                          "libbpf: prog 'syscap_sys_enter': -- BEGIN PROG LOAD LOG --\n" +
                          verifier_lines(200) +
                          "math between map_value pointer and register with unbounded min value is not allowed\n"
                          "processed 134 insns (limit 1000000)\n"
                          "-- END PROG LOAD LOG --\n"
                          "libbpf: failed to load object 'record_bpf'\n";
  const std::string said = load_failure(log);
  EXPECT_TRUE(said.starts_with("libbpf: prog 'syscap_sys_enter': BPF program load failed: Invalid argument\n"
                               "libbpf: prog 'syscap_sys_enter': -- BEGIN PROG LOAD LOG --\n...\n"))
      << said;
  EXPECT_TRUE(said.ends_with("math between map_value pointer and register with unbounded min value is not allowed\n"
                             "processed 134 insns (limit 1000000)\n"))
      << said;
  EXPECT_EQ(said.find("\n0: (b7)"), std::string::npos) << "the log's start was kept: " << said;
  EXPECT_EQ(said.find("libbpf: map"), std::string::npos) << said;
  EXPECT_LT(said.size(), 800u);
}

TEST(BpfLoadFailure, AShortVerifierLogIsKeptWhole) {
  const std::string log = "libbpf: prog 'p': -- BEGIN PROG LOAD LOG --\n"
                          "0: (95) exit\nR0 !read_ok\n"
                          "-- END PROG LOAD LOG --\n";
  EXPECT_EQ(load_failure(log), "libbpf: prog 'p': -- BEGIN PROG LOAD LOG --\n...\n0: (95) exit\nR0 !read_ok\n");
}

TEST(BpfLoadFailure, WithoutAProgramLogItsFirstBytes) {
  const std::string log = "libbpf: failed to create map 'tracked': Operation not permitted\n" + verifier_lines(50);
  EXPECT_EQ(load_failure(log), log.substr(0, 600));
}

}  // namespace
}  // namespace syscap::tracer::detail
