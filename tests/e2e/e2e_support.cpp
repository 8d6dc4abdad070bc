#include "e2e_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "syscap/tables/syscalls.hpp"

namespace syscap::e2e {

std::string workload(const std::string& name) { return std::string(SYSCAP_WORKLOAD_DIR) + "/" + name; }

pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out.empty() ? "/dev/null" : out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err.empty() ? "/dev/null" : err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open("/dev/null", O_RDONLY);
    if (o < 0 || e < 0 || in < 0) _exit(125);
    dup2(in, 0);
    dup2(o, 1);
    dup2(e, 2);
    execvp(cargv[0], cargv.data());
    _exit(127);
  }
  return pid;
}

int wait_for(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string fcntl_commands_script(const std::string& commands) {
  return fmt::format(
      "import fcntl, os\nfd = os.open('/dev/null', os.O_RDONLY)\n"
      "for cmd in {}:\n    try:\n        fcntl.fcntl(fd, cmd)\n    except OSError:\n        pass\n",
      commands);
}

void expect_fcntl_commands_kept(const nlohmann::json& trace, int distinct) {
  EXPECT_FALSE(trace.contains("incomplete")) << trace.dump();
  const nlohmann::json* fcntl = nullptr;
  for (const auto& s : trace.at("syscalls"))
    if (s.at("name") == "fcntl" && s.at("arch") == "SCMP_ARCH_X86_64") fcntl = &s;
  ASSERT_TRUE(fcntl) << trace.dump();
  const nlohmann::json& cmd = fcntl->at("args").at(0);
  ASSERT_EQ(cmd.at("name"), "cmd");
  std::set<std::uint64_t> values;
  for (const auto& v : cmd.at("values")) values.insert(v.get<std::uint64_t>());
  if (distinct <= 64) {
    EXPECT_FALSE(cmd.value("truncated", false)) << cmd.dump();
    for (std::uint64_t c = 7000; c < 7000 + static_cast<std::uint64_t>(distinct); ++c)
      EXPECT_TRUE(values.contains(c)) << c << ": " << cmd.dump();
  } else {
    EXPECT_TRUE(cmd.value("truncated", false)) << cmd.dump();
    EXPECT_EQ(values.size(), 64u) << cmd.dump();
  }
}

std::set<std::string> parse_strace(const std::string& text) {
  // "1234  openat(...", "1234  <... read resumed>...", "1234  restart_syscall(<... resuming":
  // the first two forms name a syscall; "--- SIG", "+++ exited" and "[ Process" lines do not.
  static const std::regex call(R"(^\d+\s+(?:<\.\.\. )?([a-z_][a-z0-9_]*)(?:\(| resumed>))");
  static const std::regex unknown(R"(^syscall_0x([0-9a-f]+)$)");
  std::set<std::string> names;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, call)) continue;
    std::string name = m[1];
    // strace 6.1 does not know syscalls newer than itself and prints their number; our tables
    // know them by name.
    std::smatch u;
    if (std::regex_match(name, u, unknown)) {
      int nr = std::stoi(u[1], nullptr, 16);
      if (auto known = tables::syscall_name(tables::Arch::X86_64, nr)) name = std::string(*known);
    }
    names.insert(name);
  }
  return names;
}

StraceResult strace_names(const std::vector<std::string>& argv, const std::filesystem::path& dir) {
  const auto out = dir / "strace.out";
  std::vector<std::string> cmd = {"strace", "-f", "-qq", "-o", out.string(), "--"};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  StraceResult r;
  r.status = test::run_command(cmd).status;
  r.names = parse_strace(read_file(out));
  return r;
}

Recorded record(const std::vector<std::string>& argv, const std::filesystem::path& dir, std::chrono::seconds limit) {
  return record(argv, dir, "ptrace", limit);
}

Recorded record(const std::vector<std::string>& argv, const std::filesystem::path& dir, const std::string& engine,
                std::chrono::seconds limit) {
  const auto trace = dir / "trace.json";
  std::filesystem::remove(trace);
  std::vector<std::string> cmd = {SYSCAP_BINARY, "record", "-q", "--engine", engine, "-o", trace.string(), "--"};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  Recorded r;
  test::CommandOptions options;
  options.limit = limit;
  const auto ran = test::run_command(cmd, options);
  r.status = ran.status;
  r.exited = ran.exited;
  r.err = ran.err;
  if (std::filesystem::exists(trace)) r.trace = nlohmann::json::parse(read_file(trace));
  return r;
}

const std::string& bpf_engine_skip_reason() {
  static const std::string reason = [] {
    const auto ran = test::run_command({SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", "/dev/null", "--", "true"});
    if (ran.status == 0) return std::string();
    return "the BPF engine cannot record here (syscap record --engine bpf exited " + std::to_string(ran.status) +
           "): " + ran.err;
  }();
  return reason;
}

std::vector<std::string> recording_engines() {
  if (bpf_engine_skip_reason().empty()) return {"ptrace", "bpf"};
  return {"ptrace"};
}

std::set<std::string> trace_names(const nlohmann::json& trace, const std::string& arch) {
  std::set<std::string> names;
  if (trace.is_null()) return names;
  for (const auto& s : trace.at("syscalls"))
    if (arch.empty() || s.at("arch") == arch) names.insert(s.at("name").get<std::string>());
  return names;
}

std::string describe_difference(const std::set<std::string>& ours, const std::set<std::string>& theirs) {
  std::string only_ours, only_theirs;
  for (const auto& n : ours)
    if (!theirs.count(n)) only_ours += " " + n;
  for (const auto& n : theirs)
    if (!ours.count(n)) only_theirs += " " + n;
  return fmt::format("only in syscap:{}; only in strace:{}", only_ours.empty() ? " -" : only_ours,
                     only_theirs.empty() ? " -" : only_theirs);
}

}  // namespace syscap::e2e
