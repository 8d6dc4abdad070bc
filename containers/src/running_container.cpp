// A container that runs now, for `docker record --attach`: its id, image and command from the
// engine, its processes from /proc (all that share its first process's cgroups).
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "syscap/containers/docker_run.hpp"

namespace syscap::containers {

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

Result<RunningContainer> parse_container_inspect(const std::string& json_text, const std::string& name) {
  auto doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array() || doc.empty() || !doc[0].is_object())
    return fail("inspect container", name, "docker container inspect did not print an array of containers");
  const auto& c = doc[0];
  RunningContainer out;
  if (!c.contains("Id") || !c["Id"].is_string()) return fail("inspect container", name, "no Id");
  out.id = c["Id"].get<std::string>();
  const auto& state = c.value("State", nlohmann::json::object());
  if (!state.value("Running", false)) return fail("inspect container", name, "is not running", ESRCH);
  if (!state.contains("Pid") || !state["Pid"].is_number_integer() || state["Pid"].get<long>() <= 0)
    return fail("inspect container", name, "State.Pid is not a process id");
  out.init_pid = static_cast<pid_t>(state["Pid"].get<long>());
  const auto& config = c.value("Config", nlohmann::json::object());
  out.image = config.value("Image", "");
  if (config.contains("Cmd") && config["Cmd"].is_array())
    for (const auto& w : config["Cmd"])
      if (w.is_string()) out.cmd.push_back(w.get<std::string>());
  return out;
}

std::vector<pid_t> processes_in_cgroups_of(pid_t pid, const std::string& proc_root) {
  const std::filesystem::path root(proc_root);
  const std::string cgroups = read_all(root / std::to_string(pid) / "cgroup");
  std::vector<pid_t> out;
  if (cgroups.empty()) return out;
  out.push_back(pid);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t other = static_cast<pid_t>(std::stol(name));
    if (other != pid && read_all(entry.path() / "cgroup") == cgroups) out.push_back(other);
  }
  return out;
}

Result<RunningContainer> running_container(const DockerClient& client, const std::string& name) {
  auto ran = run_client({client.program, "container", "inspect", "--", name}, ClientStdout::Capture);
  if (!ran) return std::unexpected(ran.error());
  if (ran->status != 0)
    return fail("inspect container", name,
                client.program + " container inspect exited with status " + std::to_string(ran->status) +
                    " (is it there? `docker ps`)");
  auto container = parse_container_inspect(ran->stdout_text, name);
  if (!container) return container;
  container->pids = processes_in_cgroups_of(container->init_pid);
  if (container->pids.empty())
    return fail("find the processes of container", name,
                "its first process (pid " + std::to_string(container->init_pid) +
                    ") is not on this host: the engine runs elsewhere (a remote or virtual-machine engine)",
                ESRCH);
  return container;
}

}  // namespace syscap::containers
