// Reading traces: every test trace parses; bad input is refused with file, JSON path and what
// was expected.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "syscap/profilegen/trace_input.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

using nlohmann::ordered_json;

ordered_json hello() { return ordered_json::parse(test::read_file(test::data_path("traces/hello.json"))); }

// The error message for `doc` read as "bad.json".
std::string error_of(const ordered_json& doc) {
  auto t = parse_trace(doc.dump(2), "bad.json");
  EXPECT_FALSE(t.has_value()) << "accepted: " << doc.dump();
  return t ? std::string() : t.error().message();
}

TEST(TraceInput, EveryTestTraceParses) {
  for (const char* name : {"hello", "network", "chown", "i386", "namespaces", "merge-a", "merge-b"}) {
    auto t = load_trace(test::data_path(std::string("traces/") + name + ".json"));
    ASSERT_TRUE(t.has_value()) << name << ": " << t.error().message();
    EXPECT_FALSE(t->syscalls.empty()) << name;
  }
}

TEST(TraceInput, ReadsEveryField) {
  auto t = test::load_test_trace("network");
  EXPECT_EQ(t.command, (std::vector<std::string>{"/usr/bin/fetch", "https://example.com/"}));
  EXPECT_EQ(t.arch, "SCMP_ARCH_X86_64");
  EXPECT_EQ(t.kernel, "6.18.44-fc-v857");
  EXPECT_EQ(t.exit.code, 0u);
  EXPECT_EQ(t.processes, 5u);
  EXPECT_DOUBLE_EQ(t.duration_ms, 3.2);
  auto socket = std::ranges::find(t.syscalls, "socket", &TraceSyscall::name);
  ASSERT_NE(socket, t.syscalls.end());
  EXPECT_EQ(socket->nr, 41u);
  EXPECT_EQ(socket->count, 4u);
  ASSERT_EQ(socket->args.size(), 3u);
  EXPECT_EQ(socket->args[0].name, "domain");
  EXPECT_EQ(socket->args[0].values, (std::vector<std::uint64_t>{2, 10}));
  EXPECT_EQ(socket->first_seen.pid, 4242u);
  EXPECT_EQ(socket->first_seen.caller, "0x7f3a12b4c5d6");

  auto c = test::load_test_trace("chown");
  ASSERT_EQ(c.capabilities.size(), 1u);
  EXPECT_EQ(c.capabilities[0].name, "CAP_CHOWN");
  ASSERT_EQ(c.capabilities[0].evidence.size(), 2u);
  EXPECT_EQ(c.capabilities[0].evidence[0].syscall, "fchownat");
  EXPECT_EQ(c.capabilities[0].evidence[0].args_json, R"({"path":"/tmp/x","owner":1000,"group":1000})");

  auto b = test::load_test_trace("merge-b");
  EXPECT_FALSE(b.exit.code);
  EXPECT_EQ(b.exit.signal, "SIGTERM");
  EXPECT_EQ(b.exit.signo, 15u);
}

TEST(TraceInput, MalformedJsonNamesLineAndColumn) {
  auto t = parse_trace("{\n  \"syscap_trace\": 1,\n  oops\n}", "bad.json");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("bad.json:3:"), std::string::npos) << t.error().message();
}

TEST(TraceInput, MissingFieldNamesIt) {
  auto doc = hello();
  doc.erase("machine");
  EXPECT_EQ(error_of(doc), "read trace bad.json: missing field 'machine'");
}

// Which engine recorded a trace, and what it could not record; traces from before the field
// was written came from the ptrace engine.
TEST(TraceInput, EngineAndIncompletenessAreRead) {
  auto doc = hello();
  auto old = parse_trace(doc.dump(2), "old.json");
  ASSERT_TRUE(old.has_value()) << old.error().message();
  EXPECT_EQ(old->engine, "ptrace");
  EXPECT_TRUE(old->incomplete.empty());
  doc["engine"] = "bpf";
  doc["incomplete"] = {"3 processes that could not be followed (their syscalls are missing)"};
  auto t = parse_trace(doc.dump(2), "new.json");
  ASSERT_TRUE(t.has_value()) << t.error().message();
  EXPECT_EQ(t->engine, "bpf");
  EXPECT_EQ(t->incomplete, std::vector<std::string>{"3 processes that could not be followed (their syscalls are missing)"});
  doc["engine"] = "dtrace";
  EXPECT_NE(error_of(doc).find("bad.json: engine: expected \"ptrace\" or \"bpf\", got \"dtrace\""), std::string::npos);
  doc["engine"] = "bpf";
  doc["incomplete"] = {1};
  EXPECT_NE(error_of(doc).find("bad.json: incomplete[0]"), std::string::npos) << error_of(doc);
}

// The kernel's capability checks and what comes with them are read back; a wrong one is named
// by its JSON path.
TEST(TraceInput, KernelChecksAreReadAndCheckedFieldByField) {
  auto doc = hello();
  auto plain = parse_trace(doc.dump(2), "old.json");
  ASSERT_TRUE(plain.has_value()) << plain.error().message();
  EXPECT_FALSE(plain->kernel_checks.has_value());
  doc["engine_reason"] = "auto: bpf, it loads here and sees the kernel's capability checks";
  doc["kernel_checks"] = ordered_json::parse(R"([{"capability": "CAP_CHOWN", "granted": true, "syscall": "fchownat",
      "arch": "SCMP_ARCH_X86_64", "checks": 2, "returned": 2, "failed": 1, "refused": 1,
      "initial_user_ns": false, "pid": 7, "exe": "/usr/bin/chown"}])");
  doc["unchecked_capabilities"] = {"CAP_KILL"};
  auto t = parse_trace(doc.dump(2), "new.json");
  ASSERT_TRUE(t.has_value()) << t.error().message();
  EXPECT_EQ(t->engine_reason, "auto: bpf, it loads here and sees the kernel's capability checks");
  ASSERT_TRUE(t->kernel_checks.has_value());
  ASSERT_EQ(t->kernel_checks->size(), 1u);
  const TraceKernelCheck& c = t->kernel_checks->front();
  EXPECT_EQ(c.capability, "CAP_CHOWN");
  EXPECT_TRUE(c.granted);
  EXPECT_EQ(c.syscall, "fchownat");
  EXPECT_EQ(c.checks, 2u);
  EXPECT_EQ(c.failed, 1u);
  EXPECT_EQ(c.refused, 1u);
  EXPECT_FALSE(c.initial_user_ns);
  EXPECT_EQ(c.pid, 7u);
  EXPECT_EQ(t->unchecked_capabilities, std::vector<std::string>{"CAP_KILL"});

  auto bad = doc;
  bad["kernel_checks"][0]["capability"] = "CAP_CHWON";
  EXPECT_NE(error_of(bad).find("bad.json: kernel_checks[0].capability: unknown capability \"CAP_CHWON\""),
            std::string::npos) << error_of(bad);
  bad = doc;
  bad["kernel_checks"][0]["granted"] = "yes";
  EXPECT_NE(error_of(bad).find("bad.json: kernel_checks[0].granted"), std::string::npos) << error_of(bad);
  bad = doc;
  bad["kernel_checks"][0]["arch"] = "SCMP_ARCH_PDP11";
  EXPECT_NE(error_of(bad).find("bad.json: kernel_checks[0].arch"), std::string::npos) << error_of(bad);
  bad = doc;
  bad["kernel_checks"][0].erase("checks");
  EXPECT_NE(error_of(bad).find("checks"), std::string::npos) << error_of(bad);
  bad = doc;
  bad["unchecked_capabilities"] = {"KILL!"};
  EXPECT_NE(error_of(bad).find("bad.json: unchecked_capabilities[0]"), std::string::npos) << error_of(bad);
  bad = doc;
  bad["kernel_checks"] = "none";
  EXPECT_NE(error_of(bad).find("bad.json: kernel_checks"), std::string::npos) << error_of(bad);
}

// An attached recording: its window is read; its exit may be null (the processes run on),
// and only then.
TEST(TraceInput, AnAttachedWindowIsReadAndItsExitMayBeNull) {
  auto doc = hello();
  doc["exit"] = nullptr;
  EXPECT_NE(error_of(doc).find("bad.json: exit"), std::string::npos) << "null exit without a window: " << error_of(doc);
  doc["window"] = ordered_json::parse(R"({"attached": true, "pids": [42, 43], "from": "2026-12-06T20:31:02.123Z",
      "to": "2026-12-06T20:32:02.456Z", "ended_by": "duration"})");
  auto t = parse_trace(doc.dump(2), "window.json");
  ASSERT_TRUE(t.has_value()) << t.error().message();
  ASSERT_TRUE(t->window.has_value());
  EXPECT_EQ(t->window->pids, (std::vector<std::uint64_t>{42, 43}));
  EXPECT_EQ(t->window->from, "2026-12-06T20:31:02.123Z");
  EXPECT_EQ(t->window->ended_by, "duration");
  EXPECT_FALSE(t->exit.code.has_value());
  EXPECT_FALSE(t->exit.signal.has_value());

  auto bad = doc;
  bad["window"]["ended_by"] = "boredom";
  EXPECT_NE(error_of(bad).find("bad.json: window.ended_by: expected \"exit\", \"duration\" or \"signal\""),
            std::string::npos) << error_of(bad);
  bad = doc;
  bad["window"]["pids"][1] = "43";
  EXPECT_NE(error_of(bad).find("bad.json: window.pids[1]: expected a process id"), std::string::npos) << error_of(bad);
  bad = doc;
  bad["window"]["attached"] = false;
  EXPECT_NE(error_of(bad).find("bad.json: window.attached"), std::string::npos) << error_of(bad);
  bad = doc;
  bad["window"]["since"] = 1;
  EXPECT_NE(error_of(bad).find("bad.json: window: unknown field 'since'"), std::string::npos) << error_of(bad);
}

TEST(TraceInput, UnknownFieldIsAnError) {
  auto doc = hello();
  doc["syscalls"][1]["cout"] = 3;
  std::string e = error_of(doc);
  EXPECT_NE(e.find("bad.json: syscalls[1]: unknown field 'cout'"), std::string::npos) << e;
}

TEST(TraceInput, WrongTypeSaysWhatWasExpected) {
  auto doc = hello();
  doc["syscalls"][0]["count"] = "three";
  std::string e = error_of(doc);
  EXPECT_NE(e.find("bad.json: syscalls[0].count: expected a non-negative integer"), std::string::npos) << e;
  EXPECT_NE(e.find("got string \"three\""), std::string::npos) << e;
}

TEST(TraceInput, ArgumentValuesMustBeSortedAndDistinct) {
  auto doc = ordered_json::parse(test::read_file(test::data_path("traces/network.json")));
  for (auto& s : doc["syscalls"]) {
    if (s["name"] == "socket") s["args"][0]["values"] = {10, 2};
  }
  std::string e = error_of(doc);
  EXPECT_NE(e.find(".args[0].values[1]: values must be sorted and distinct"), std::string::npos) << e;
}

TEST(TraceInput, NumberMustMatchName) {
  auto doc = hello();
  doc["syscalls"][0]["nr"] = 999;
  std::string e = error_of(doc);
  EXPECT_NE(e.find("syscalls[0].nr: expected 158, the number of arch_prctl on SCMP_ARCH_X86_64, got 999"),
            std::string::npos)
      << e;
}

TEST(TraceInput, UnknownSyscallAndArchAndCapability) {
  auto doc = hello();
  doc["syscalls"][0]["name"] = "opnat";
  EXPECT_NE(error_of(doc).find("syscalls[0].name: \"opnat\" is not a syscall on SCMP_ARCH_X86_64"),
            std::string::npos);

  doc = hello();
  doc["machine"]["arch"] = "x86_64";
  EXPECT_NE(error_of(doc).find("machine.arch: unknown architecture \"x86_64\""), std::string::npos);

  doc = hello();
  doc["capabilities"] = ordered_json::parse(
      R"([{"name": "CAP_CHWON", "evidence": [{"syscall": "chown", "arch": "SCMP_ARCH_X86_64",
          "args": {}, "pid": 1, "exe": "/x", "why": "w"}]}])");
  std::string e = error_of(doc);
  EXPECT_NE(e.find("capabilities[0].name: unknown capability \"CAP_CHWON\" (did you mean \"CAP_CHOWN\"?)"),
            std::string::npos)
      << e;
}

// `syscap record` names a call to a number its tables do not know "syscall_<nr>".
TEST(TraceInput, UnnamedSyscallEntriesAsTheTracerWritesThem) {
  auto doc = hello();
  doc["syscalls"][0]["name"] = "syscall_500";
  doc["syscalls"][0]["nr"] = 500;
  auto t = parse_trace(doc.dump(2), "t.json");
  ASSERT_TRUE(t.has_value()) << t.error().message();
  EXPECT_EQ(t->syscalls[0].name, "syscall_500");
  EXPECT_EQ(t->syscalls[0].nr, 500u);

  // syscall(-1): the tracer writes the number as it saw it.
  doc["syscalls"][0]["name"] = "syscall_-1";
  doc["syscalls"][0]["nr"] = -1;
  t = parse_trace(doc.dump(2), "t.json");
  ASSERT_TRUE(t.has_value()) << t.error().message();
  EXPECT_EQ(t->syscalls[0].nr, UINT64_MAX);

  // The number must be the one in the name, and the name spelled as the tracer spells it.
  doc["syscalls"][0]["name"] = "syscall_500";
  doc["syscalls"][0]["nr"] = 501;
  std::string e = error_of(doc);
  EXPECT_NE(e.find("syscalls[0].nr: expected 500, the number in the name syscall_500, got 501"), std::string::npos) << e;
  doc["syscalls"][0]["name"] = "syscall_0500";
  doc["syscalls"][0]["nr"] = 500;
  e = error_of(doc);
  EXPECT_NE(e.find("\"syscall_0500\" is not a syscall"), std::string::npos) << e;

  EXPECT_EQ(unnamed_syscall_number("syscall_205"), 205);
  EXPECT_EQ(unnamed_syscall_number("syscall_-1"), -1);
  EXPECT_EQ(unnamed_syscall_number("syscall_"), std::nullopt);
  EXPECT_EQ(unnamed_syscall_number("syscall_x"), std::nullopt);
  EXPECT_EQ(unnamed_syscall_number("set_thread_area"), std::nullopt);
}

TEST(TraceInput, EvidenceArgsMustBeAnObject) {
  auto doc = ordered_json::parse(test::read_file(test::data_path("traces/chown.json")));
  doc["capabilities"][0]["evidence"][1]["args"] = ordered_json::array();
  std::string e = error_of(doc);
  EXPECT_NE(e.find("capabilities[0].evidence[1].args: expected an object"), std::string::npos) << e;
}

TEST(TraceInput, VersionAndExitShapeAreChecked) {
  auto doc = hello();
  doc["syscap_trace"] = 2;
  EXPECT_NE(error_of(doc).find("syscap_trace: format version 2 is not supported"), std::string::npos);

  doc = hello();
  doc["exit"] = {{"code", 0}, {"signal", "SIGKILL"}};
  EXPECT_NE(error_of(doc).find("exit: expected either"), std::string::npos);
}

TEST(TraceInput, DuplicateSyscallEntryIsAnError) {
  auto doc = hello();
  doc["syscalls"].push_back(doc["syscalls"][0]);
  std::string e = error_of(doc);
  EXPECT_NE(e.find("appears twice"), std::string::npos) << e;
}

TEST(TraceInput, MissingFileNamesIt) {
  auto t = load_trace("/nonexistent/trace.json");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("/nonexistent/trace.json"), std::string::npos);
}

TEST(TraceInput, TellsTracesFromProfiles) {
  EXPECT_TRUE(looks_like_trace(test::read_file(test::data_path("traces/hello.json"))));
  EXPECT_FALSE(looks_like_trace(test::read_file(test::data_path("docker-default.json"))));
  EXPECT_FALSE(looks_like_trace("{ not json"));
}

}  // namespace
}  // namespace syscap::profilegen
