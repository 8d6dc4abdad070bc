#include "syscap/containers/docker_run.hpp"

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

extern char** environ;

namespace syscap::containers {
namespace {

namespace fs = std::filesystem;

// How to get a static syscap, for the error when there is none.
constexpr const char* kHowToBuild =
    "build one with `cmake -S . -B build-static -DSYSCAP_STATIC=ON -DSYSCAP_BUILD_TESTS=OFF && "
    "cmake --build build-static --target syscap` and pass --syscap-binary build-static/syscap "
    "(or set SYSCAP_STATIC_BINARY); the default build's syscap is static";

int exit_status_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// A JSON value that must be null or an array of strings (Docker's Entrypoint and Cmd).
Result<std::vector<std::string>> string_list(const nlohmann::json& config, const char* key,
                                             const std::string& image) {
  std::vector<std::string> out;
  if (!config.contains(key) || config[key].is_null()) return out;
  const auto& v = config[key];
  if (!v.is_array()) return fail("inspect image", image, std::string("Config.") + key + " is not a list");
  for (const auto& s : v) {
    if (!s.is_string()) return fail("inspect image", image, std::string("Config.") + key + " holds a non-string");
    out.push_back(s.get<std::string>());
  }
  return out;
}

// A static syscap named by the user must exist and be static.
Result<std::string> named_static_syscap(const std::string& path, const std::string& from) {
  std::error_code ec;
  fs::path absolute = fs::canonical(path, ec);
  if (ec) return fail("find static syscap", path + " (" + from + ")", ec.message(), ec.value());
  auto is_static = is_static_executable(absolute);
  if (!is_static) return std::unexpected(is_static.error());
  if (!*is_static) {
    return fail("find static syscap", path + " (" + from + ")",
                std::string("is dynamically linked and cannot run in an image without its libraries; ") + kHowToBuild);
  }
  return absolute.string();
}

// Docker spells capabilities without the CAP_ prefix on every version.
std::string docker_cap_name(const std::string& cap) {
  return cap.starts_with("CAP_") ? cap.substr(4) : cap;
}

}  // namespace

DockerClient docker_client(const std::string& option) {
  if (!option.empty()) return {option};
  if (const char* env = std::getenv("DOCKER"); env != nullptr && *env != '\0') return {env};
  return {};
}

Result<ImageCommand> parse_image_inspect(const std::string& json_text, const std::string& image) {
  auto doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array() || doc.empty() || !doc[0].is_object()) {
    return fail("inspect image", image, "docker image inspect did not print an array of images");
  }
  const auto& first = doc[0];
  if (!first.contains("Config") || !first["Config"].is_object()) {
    return fail("inspect image", image, "docker image inspect printed no Config object");
  }
  const auto& config = first["Config"];
  auto entrypoint = string_list(config, "Entrypoint", image);
  if (!entrypoint) return std::unexpected(entrypoint.error());
  auto cmd = string_list(config, "Cmd", image);
  if (!cmd) return std::unexpected(cmd.error());
  return ImageCommand{std::move(*entrypoint), std::move(*cmd)};
}

Result<ImageCommand> inspect_image(const DockerClient& client, const std::string& image) {
  auto ran = run_client({client.program, "image", "inspect", "--", image}, ClientStdout::Capture);
  if (!ran) return std::unexpected(ran.error());
  if (ran->status != 0) {
    return fail("inspect image", image,
                client.program + " image inspect exited with status " + std::to_string(ran->status) +
                    " (is the image there? `docker pull " + image + "`)");
  }
  return parse_image_inspect(ran->stdout_text, image);
}

Result<std::vector<std::string>> container_command(const ImageCommand& image,
                                                   const std::vector<std::string>& cmd) {
  std::vector<std::string> argv = image.entrypoint;
  const auto& rest = cmd.empty() ? image.cmd : cmd;
  argv.insert(argv.end(), rest.begin(), rest.end());
  if (argv.empty()) return fail("find the container's command", "", "the image has no Entrypoint or Cmd; give CMD");
  return argv;
}

Result<bool> is_static_executable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail_errno("read executable", path, errno);
  unsigned char ident[EI_NIDENT] = {};
  in.read(reinterpret_cast<char*>(ident), sizeof ident);
  if (!in || std::memcmp(ident, ELFMAG, SELFMAG) != 0) return fail("read executable", path, "not an ELF file");
  if (ident[EI_DATA] != ELFDATA2LSB) return fail("read executable", path, "not a little-endian ELF file");
  // The program headers of either class, read into 64-bit fields.
  std::uint64_t phoff = 0;
  std::uint16_t phentsize = 0;
  std::uint16_t phnum = 0;
  in.seekg(0);
  if (ident[EI_CLASS] == ELFCLASS64) {
    Elf64_Ehdr eh{};
    in.read(reinterpret_cast<char*>(&eh), sizeof eh);
    phoff = eh.e_phoff, phentsize = eh.e_phentsize, phnum = eh.e_phnum;
  } else if (ident[EI_CLASS] == ELFCLASS32) {
    Elf32_Ehdr eh{};
    in.read(reinterpret_cast<char*>(&eh), sizeof eh);
    phoff = eh.e_phoff, phentsize = eh.e_phentsize, phnum = eh.e_phnum;
  } else {
    return fail("read executable", path, "unknown ELF class");
  }
  if (!in) return fail("read executable", path, "truncated ELF header");
  for (std::uint16_t i = 0; i < phnum; ++i) {
    in.seekg(static_cast<std::streamoff>(phoff + std::uint64_t{i} * phentsize));
    std::uint32_t type = 0;  // p_type comes first in both classes
    in.read(reinterpret_cast<char*>(&type), sizeof type);
    if (!in) return fail("read executable", path, "truncated program headers");
    if (type == PT_INTERP) return false;
  }
  return true;
}

Result<std::string> find_static_syscap(const StaticSyscapSearch& search) {
  if (!search.option.empty()) return named_static_syscap(search.option, "--syscap-binary");
  if (!search.env.empty()) return named_static_syscap(search.env, "SYSCAP_STATIC_BINARY");
  std::error_code ec;
  fs::path self = fs::canonical(search.self_exe, ec);
  if (ec) return fail("find static syscap", search.self_exe, ec.message(), ec.value());
  fs::path sibling = self.parent_path() / "syscap-static";
  if (fs::exists(sibling, ec)) return named_static_syscap(sibling.string(), "next to " + self.string());
  auto self_static = is_static_executable(self.string());
  if (self_static && *self_static) return self.string();
  return fail("find static syscap", "",
              "no static syscap: not given (--syscap-binary, SYSCAP_STATIC_BINARY), no " + sibling.string() +
                  ", and " + self.string() + " is dynamically linked; " + kHowToBuild);
}

std::vector<std::string> record_run_argv(const DockerClient& client, const ContainerRecording& rec) {
  std::vector<std::string> argv{client.program, "run", "--rm",
                                // syscap is the container's PID 1 and the workload its child.
                                "--entrypoint", kContainerSyscap,
                                "--volume", rec.syscap_binary + ":" + kContainerSyscap + ":ro",
                                "--volume", rec.output_dir + ":" + kContainerOutputDir,
                                // PTRACE_SEIZE of children that change credentials (setuid
                                // programs, su) and their /proc files need CAP_SYS_PTRACE.
                                "--cap-add", "SYS_PTRACE",
                                // The engine's own profile would answer calls with EPERM before
                                // the tracer's SECCOMP_RET_TRACE sees them (ERRNO wins over
                                // TRACE): the recording must see every call the workload makes.
                                "--security-opt", "seccomp=unconfined",
                                // AppArmor's docker-default may refuse ptrace between processes.
                                "--security-opt", "apparmor=unconfined"};
  argv.insert(argv.end(), rec.docker_options.begin(), rec.docker_options.end());
  argv.push_back("--");
  argv.push_back(rec.image);
  argv.insert(argv.end(), rec.syscap_options.begin(), rec.syscap_options.end());
  argv.push_back("record");
  argv.push_back("-o");
  argv.push_back(std::string(kContainerOutputDir) + "/" + rec.trace_name);
  argv.insert(argv.end(), rec.record_options.begin(), rec.record_options.end());
  argv.push_back("--");
  argv.insert(argv.end(), rec.command.begin(), rec.command.end());
  return argv;
}

std::vector<std::string> create_argv(const DockerClient& client, const ContainerLaunch& launch) {
  std::vector<std::string> argv{client.program, "create", "--rm", "--security-opt", "seccomp=unconfined"};
  argv.insert(argv.end(), launch.docker_options.begin(), launch.docker_options.end());
  argv.push_back("--");
  argv.push_back(launch.image);
  argv.insert(argv.end(), launch.cmd.begin(), launch.cmd.end());
  return argv;
}

Result<std::string> parse_created_id(const std::string& stdout_text) {
  std::string text = stdout_text;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  const std::string id = text.substr(text.find_last_of('\n') == std::string::npos ? 0 : text.find_last_of('\n') + 1);
  const bool full_id = id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!full_id) return fail("create container", "", "docker create printed no container id (got \"" + id + "\")");
  return id;
}

std::vector<std::string> start_attached_argv(const DockerClient& client, const std::string& id) {
  return {client.program, "start", "--attach", id};
}

std::vector<std::string> remove_argv(const DockerClient& client, const std::string& id) {
  return {client.program, "rm", "--force", id};
}

std::vector<std::string> check_run_argv(const DockerClient& client, const ContainerCheck& check) {
  std::vector<std::string> argv{client.program, "run", "--rm"};
  if (!check.runtime.empty()) {
    argv.push_back("--runtime");
    argv.push_back(check.runtime);
  }
  argv.push_back("--cap-drop");
  argv.push_back("ALL");
  for (const auto& cap : check.capabilities) {
    argv.push_back("--cap-add");
    argv.push_back(docker_cap_name(cap));
  }
  argv.push_back("--security-opt");
  argv.push_back("seccomp=" + check.profile_path);
  argv.insert(argv.end(), check.docker_options.begin(), check.docker_options.end());
  argv.push_back("--");
  argv.push_back(check.image);
  argv.insert(argv.end(), check.cmd.begin(), check.cmd.end());
  return argv;
}

Result<ClientRun> run_client(const std::vector<std::string>& argv, ClientStdout out) {
  const bool capture_stdout = out == ClientStdout::Capture;
  if (argv.empty()) return fail("run", "", "empty command");
  int fds[2] = {-1, -1};
  if (capture_stdout && pipe2(fds, O_CLOEXEC) != 0) return fail_errno("pipe2", argv[0], errno);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (capture_stdout) posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  if (out == ClientStdout::ToStderr) posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  // The child gets the default SIGINT/SIGQUIT dispositions we are about to ignore.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);

  struct sigaction ignore {}, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int err = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);

  ClientRun run;
  if (capture_stdout) {
    close(fds[1]);
    if (err == 0) {
      char buf[4096];
      for (;;) {
        ssize_t got = read(fds[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        run.stdout_text.append(buf, static_cast<std::size_t>(got));
      }
    }
    close(fds[0]);
  }
  int status = 0;
  if (err == 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);
  if (err != 0) return fail_errno("run", argv[0], err);
  run.status = exit_status_of(status);
  return run;
}

std::string shell_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& word : argv) {
    if (!line.empty()) line += ' ';
    bool plain = !word.empty() && word.find_first_not_of(
                                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                      "-_./:=,+@%") == std::string::npos;
    if (plain) {
      line += word;
      continue;
    }
    line += '\'';
    for (char c : word) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

}  // namespace syscap::containers
