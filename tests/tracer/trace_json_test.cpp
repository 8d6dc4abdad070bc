#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "syscap/tracer/trace.hpp"

namespace syscap::tracer {
namespace {

Trace sample() {
  Trace t;
  t.command = {"ls", "-l"};
  t.kernel = "6.18.0";
  t.machine_arch = "SCMP_ARCH_X86_64";
  t.exit.code = 0;
  t.processes = 2;
  t.duration_ms = 3.25;
  t.syscalls.push_back({"socket", "SCMP_ARCH_X86_64", 41, 2,
                        {{2, "protocol", {0}, false}, {0, "domain", {2, 1}, false}},
                        {42, "/usr/bin/ls", 0x7f00}});
  t.syscalls.push_back({"read", "SCMP_ARCH_X86_64", 0, 5, {}, {42, "/usr/bin/ls", std::nullopt}});
  t.syscalls.push_back({"getpid", "SCMP_ARCH_X86", 20, 1, {}, {43, "/bin/x", 0x8000}});
  return t;
}

std::vector<std::string> keys(const nlohmann::ordered_json& j) {
  std::vector<std::string> k;
  for (auto it = j.begin(); it != j.end(); ++it) k.push_back(it.key());
  return k;
}

TEST(TraceJson, KeysInContractOrder) {
  auto j = trace_to_json_value(sample());
  EXPECT_EQ(keys(j), (std::vector<std::string>{"syscap_trace", "command", "machine", "exit",
                                               "processes", "duration_ms", "engine", "syscalls",
                                               "capabilities"}));
  EXPECT_EQ(j["engine"], "ptrace");
  // Written only when something was lost, after duration_ms and engine.
  Trace lossy = sample();
  lossy.engine = "bpf";
  lossy.incomplete = {"2 first callers that could not be kept"};
  auto l = trace_to_json_value(lossy);
  EXPECT_EQ(keys(l), (std::vector<std::string>{"syscap_trace", "command", "machine", "exit", "processes",
                                               "duration_ms", "engine", "incomplete", "syscalls", "capabilities"}));
  EXPECT_EQ(j["syscap_trace"], 1);
  EXPECT_EQ(keys(j["machine"]), (std::vector<std::string>{"kernel", "arch"}));
  EXPECT_EQ(keys(j["syscalls"][0]),
            (std::vector<std::string>{"name", "arch", "nr", "count", "args", "first_seen"}));
  EXPECT_EQ(keys(j["syscalls"][0]["first_seen"]), (std::vector<std::string>{"pid", "exe", "caller"}));
  EXPECT_TRUE(j["capabilities"].is_array());
  EXPECT_TRUE(j["capabilities"].empty());
}

TEST(TraceJson, SyscallsSortedByArchThenName) {
  auto j = trace_to_json_value(sample());
  ASSERT_EQ(j["syscalls"].size(), 3u);
  EXPECT_EQ(j["syscalls"][0]["arch"], "SCMP_ARCH_X86");
  EXPECT_EQ(j["syscalls"][1]["name"], "read");
  EXPECT_EQ(j["syscalls"][2]["name"], "socket");
}

TEST(TraceJson, ArgsSortedByIndexWithSortedValues) {
  auto j = trace_to_json_value(sample());
  const auto& args = j["syscalls"][2]["args"];
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0]["index"], 0);
  EXPECT_EQ(args[0]["name"], "domain");
  EXPECT_EQ(args[0]["values"], nlohmann::ordered_json::parse("[1, 2]"));
  EXPECT_FALSE(args[0].contains("truncated"));
  EXPECT_EQ(keys(args[0]), (std::vector<std::string>{"index", "name", "values"}));
}

TEST(TraceJson, CallerIsHexAndOptional) {
  auto j = trace_to_json_value(sample());
  EXPECT_EQ(j["syscalls"][2]["first_seen"]["caller"], "0x7f00");
  EXPECT_FALSE(j["syscalls"][1]["first_seen"].contains("caller"));
}

TEST(TraceJson, TruncatedFlagOnlyWhenTruncated) {
  Trace t = sample();
  t.syscalls[0].args[0].truncated = true;
  auto j = trace_to_json_value(t);
  EXPECT_EQ(j["syscalls"][2]["args"][1]["truncated"], true);
}

TEST(TraceJson, ExitCodeOrSignal) {
  Trace t = sample();
  t.exit.code = 3;
  EXPECT_EQ(trace_to_json_value(t)["exit"].dump(), R"({"code":3})");
  t.exit = ExitStatus{std::nullopt, 9, false};
  EXPECT_EQ(trace_to_json_value(t)["exit"].dump(),
            R"({"signal":"SIGKILL","signo":9,"core_dumped":false})");
  EXPECT_EQ(t.exit.shell_status(), 137);
}

TEST(TraceJson, ExitStatusFromWaitStatus) {
  EXPECT_EQ(ExitStatus::from_wait_status(5 << 8).code, 5);
  auto killed = ExitStatus::from_wait_status(11);  // WTERMSIG 11
  EXPECT_FALSE(killed.code);
  EXPECT_EQ(killed.signo, 11);
  EXPECT_EQ(killed.shell_status(), 139);
}

TEST(TraceJson, CapabilitiesSortedWithEvidence) {
  Trace t = sample();
  CapabilityEvidence e{"fchownat", "SCMP_ARCH_X86_64", {{"path", "/tmp/x"}}, 7, "/bin/chown", "why"};
  t.capabilities.push_back({"CAP_SETUID", {}});
  t.capabilities.push_back({"CAP_CHOWN", {e}});
  auto j = trace_to_json_value(t);
  EXPECT_EQ(j["capabilities"][0]["name"], "CAP_CHOWN");
  EXPECT_EQ(keys(j["capabilities"][0]["evidence"][0]),
            (std::vector<std::string>{"syscall", "arch", "args", "pid", "exe", "why"}));
}

TEST(TraceJson, SaveWritesTheWholeDocumentAndNoTemporary) {
  auto dir = std::filesystem::temp_directory_path() / ("syscap-json-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / "t.json";
  ASSERT_TRUE(save_trace(sample(), path));
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(nlohmann::ordered_json::parse(ss.str()), trace_to_json_value(sample()));
  std::size_t files = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
  std::filesystem::remove_all(dir);
}

TEST(TraceJson, SaveToAMissingDirectoryIsAnError) {
  auto r = save_trace(sample(), "/nonexistent-dir/t.json");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("/nonexistent-dir/"), std::string::npos);
}

}  // namespace
}  // namespace syscap::tracer
