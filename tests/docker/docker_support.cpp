#include "docker_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace syscap::docker {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, int limit_seconds) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int err = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  CommandResult result;
  if (err != 0) {
    close(fds[0]);
    result.exit_code = 127;
    result.output = argv[0] + ": cannot run: " + std::strerror(err);
    return result;
  }
  // Read until EOF, or until the limit, after which the command is killed.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limit_seconds);
  bool killed = false;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t got = read(fds[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    result.output.append(buf, static_cast<std::size_t>(got));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = exit_code_of(status);
  if (killed) result.output += "\n[killed after " + std::to_string(limit_seconds) + "s]";
  return result;
}

std::filesystem::path engine_dir() { return SYSCAP_DOCKER_DIR; }

std::string docker_host() { return "unix://" + (engine_dir() / "docker.sock").string(); }

std::optional<std::string> engine_skip_reason() {
  std::filesystem::path why = engine_dir() / "unavailable";
  if (!std::filesystem::exists(why)) return std::nullopt;
  std::string reason = slurp(why);
  while (!reason.empty() && reason.back() == '\n') reason.pop_back();
  return "no container engine on this machine: " + reason;
}

bool engine_answers() { return docker({"info"}, 60).exit_code == 0; }

CommandResult docker(const std::vector<std::string>& args, int limit_seconds) {
  std::vector<std::string> argv{"docker", "-H", docker_host()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, limit_seconds);
}

bool engine_has_runtime(std::string_view runtime) {
  CommandResult r = docker({"info", "--format", "{{json .Runtimes}}"});
  if (r.exit_code != 0) return false;
  auto runtimes = nlohmann::json::parse(r.output, nullptr, false);
  return runtimes.is_object() && runtimes.contains(std::string(runtime));
}

CommandResult ensure_image(const std::string& name, const std::vector<std::string>& binaries) {
  CommandResult have = docker({"image", "inspect", "--format", "{{.Id}}", name});
  if (have.exit_code == 0) return have;
  // Tests running in parallel may both build it; importing the same tag twice is harmless.
  std::vector<std::string> argv{SYSCAP_MAKE_IMAGE, name};
  argv.insert(argv.end(), binaries.begin(), binaries.end());
  ::setenv("DOCKER_HOST", docker_host().c_str(), 1);
  return run_command(argv);
}

std::string empty_workload() { return SYSCAP_EMPTY_WORKLOAD; }

void write_allowlist_profile(const std::filesystem::path& path, std::span<const std::string> allowed) {
  nlohmann::json profile{
      {"defaultAction", "SCMP_ACT_ERRNO"},
      {"defaultErrnoRet", 1},
      {"syscalls", nlohmann::json::array({{{"names", allowed}, {"action", "SCMP_ACT_ALLOW"}}})},
  };
  std::ofstream(path) << profile.dump(2) << '\n';
}

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "syscap-docker-test.XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace syscap::docker
