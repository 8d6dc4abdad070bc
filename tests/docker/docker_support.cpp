#include "docker_support.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace syscap::docker {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, int limit_seconds) {
  syscap::test::CommandOptions o;
  o.limit = std::chrono::seconds(limit_seconds);
  return syscap::test::run_command(argv, o);
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

bool engine_answers() { return docker({"info"}, 60).status == 0; }

CommandResult docker(const std::vector<std::string>& args, int limit_seconds) {
  std::vector<std::string> argv{"docker", "-H", docker_host()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, limit_seconds);
}

bool engine_has_runtime(std::string_view runtime) {
  CommandResult r = docker({"info", "--format", "{{json .Runtimes}}"});
  if (r.status != 0) return false;
  auto runtimes = nlohmann::json::parse(r.out, nullptr, false);
  return runtimes.is_object() && runtimes.contains(std::string(runtime));
}

CommandResult ensure_image(const std::string& name, const std::vector<std::string>& binaries) {
  CommandResult have = docker({"image", "inspect", "--format", "{{.Id}}", name});
  if (have.status == 0) return have;
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

}  // namespace syscap::docker
