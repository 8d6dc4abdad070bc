#include "test_support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "syscap/tables/syscalls.hpp"

namespace syscap::test {

std::string data_path(const std::string& relative) { return std::string(SYSCAP_TEST_DATA_DIR) + "/" + relative; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

profilegen::Trace load_test_trace(const std::string& name) {
  auto t = profilegen::load_trace(data_path("traces/" + name + ".json"));
  EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message());
  return t ? *t : profilegen::Trace{};
}

static profilegen::TraceSyscall make_syscall(const std::string& name) {
  profilegen::TraceSyscall s;
  s.name = name;
  s.arch = "SCMP_ARCH_X86_64";
  s.nr = static_cast<std::uint64_t>(tables::syscall_number(tables::Arch::X86_64, name).value_or(-1));
  s.count = 1;
  s.first_seen = {.pid = 100, .exe = "/bin/demo", .caller = std::nullopt};
  return s;
}

profilegen::Trace make_trace(const std::vector<std::string>& names) {
  profilegen::Trace t;
  t.command = {"/bin/demo"};
  t.kernel = "6.18.0";
  t.arch = "SCMP_ARCH_X86_64";
  t.exit.code = 0;
  t.processes = 1;
  for (const auto& n : names) t.syscalls.push_back(make_syscall(n));
  return t;
}

void set_arg0(profilegen::Trace& trace, const std::string& name, std::vector<std::uint64_t> values) {
  auto it = std::ranges::find(trace.syscalls, name, &profilegen::TraceSyscall::name);
  if (it == trace.syscalls.end()) {
    trace.syscalls.push_back(make_syscall(name));
    it = trace.syscalls.end() - 1;
  }
  std::ranges::sort(values);
  it->args = {profilegen::TraceArg{.index = 0, .name = "arg0", .values = values, .truncated = false}};
}

void add_evidence(profilegen::Trace& trace, const std::string& cap, const std::string& syscall) {
  profilegen::CapabilityEvidence e{.syscall = syscall, .arch = "SCMP_ARCH_X86_64", .args_json = "{}",
                                .pid = 101, .exe = "/bin/demo", .why = "test evidence"};
  for (auto& c : trace.capabilities) {
    if (c.name == cap) {
      c.evidence.push_back(e);
      return;
    }
  }
  trace.capabilities.push_back({.name = cap, .evidence = {e}});
}

profilegen::GenerateOptions no_runtime() {
  profilegen::GenerateOptions o;
  o.runtime = "none";
  return o;
}

std::vector<profilegen::Rule> rules_for(const profilegen::Profile& p, const std::string& name) {
  std::vector<profilegen::Rule> out;
  for (const auto& r : p.syscalls) {
    if (std::ranges::find(r.names, name) != r.names.end()) out.push_back(r);
  }
  return out;
}

const profilegen::Rule* plain_block(const profilegen::Profile& p) {
  for (const auto& r : p.syscalls) {
    if (r.action == profilegen::Action::Allow && r.args.empty() && !r.includes && !r.excludes) return &r;
  }
  return nullptr;
}

CommandResult run_syscap(const std::vector<std::string>& args, const std::string& cwd) {
  std::vector<std::string> argv{SYSCAP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandOptions options;
  options.cwd = cwd;
  return run_command(argv, options);
}

}  // namespace syscap::test
