#include "test_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

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

profile::Trace load_test_trace(const std::string& name) {
  auto t = profile::load_trace(data_path("traces/" + name + ".json"));
  EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message());
  return t ? *t : profile::Trace{};
}

static profile::TraceSyscall make_syscall(const std::string& name) {
  profile::TraceSyscall s;
  s.name = name;
  s.arch = "SCMP_ARCH_X86_64";
  s.nr = static_cast<std::uint64_t>(tables::syscall_number(tables::Arch::X86_64, name).value_or(-1));
  s.count = 1;
  s.first_seen = {.pid = 100, .exe = "/bin/demo", .caller = std::nullopt};
  return s;
}

profile::Trace make_trace(const std::vector<std::string>& names) {
  profile::Trace t;
  t.command = {"/bin/demo"};
  t.kernel = "6.18.0";
  t.arch = "SCMP_ARCH_X86_64";
  t.exit.code = 0;
  t.processes = 1;
  for (const auto& n : names) t.syscalls.push_back(make_syscall(n));
  return t;
}

void set_arg0(profile::Trace& trace, const std::string& name, std::vector<std::uint64_t> values) {
  auto it = std::ranges::find(trace.syscalls, name, &profile::TraceSyscall::name);
  if (it == trace.syscalls.end()) {
    trace.syscalls.push_back(make_syscall(name));
    it = trace.syscalls.end() - 1;
  }
  std::ranges::sort(values);
  it->args = {profile::TraceArg{.index = 0, .name = "arg0", .values = values, .truncated = false}};
}

void add_evidence(profile::Trace& trace, const std::string& cap, const std::string& syscall) {
  profile::CapabilityEvidence e{.syscall = syscall, .arch = "SCMP_ARCH_X86_64", .args_json = "{}",
                                .pid = 101, .exe = "/bin/demo", .why = "test evidence"};
  for (auto& c : trace.capabilities) {
    if (c.name == cap) {
      c.evidence.push_back(e);
      return;
    }
  }
  trace.capabilities.push_back({.name = cap, .evidence = {e}});
}

profile::GenerateOptions no_runtime() {
  profile::GenerateOptions o;
  o.runtime = "none";
  return o;
}

std::vector<profile::Rule> rules_for(const profile::Profile& p, const std::string& name) {
  std::vector<profile::Rule> out;
  for (const auto& r : p.syscalls) {
    if (std::ranges::find(r.names, name) != r.names.end()) out.push_back(r);
  }
  return out;
}

const profile::Rule* plain_block(const profile::Profile& p) {
  for (const auto& r : p.syscalls) {
    if (r.action == profile::Action::Allow && r.args.empty() && !r.includes && !r.excludes) return &r;
  }
  return nullptr;
}

static std::string drain(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return out;
}

RunResult run_syscap(const std::vector<std::string>& args, const std::string& cwd) {
  TempDir tmp;
  std::string out_path = tmp.file("out");
  std::string err_path = tmp.file("err");
  pid_t pid = fork();
  if (pid == 0) {
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(125);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || err < 0) _exit(125);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    std::string binary = SYSCAP_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  RunResult r;
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = drain(open(out_path.c_str(), O_RDONLY));
  r.err = drain(open(err_path.c_str(), O_RDONLY));
  return r;
}

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "syscap-gen-XXXXXX").string();
  char* made = mkdtemp(templ.data());
  EXPECT_NE(made, nullptr);
  path = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace syscap::test
