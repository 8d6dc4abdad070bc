// What the `syscap docker` end-to-end tests share: the test image, the chown scenario, trace
// readers, and the fixture that starts from the private engine with the image made.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "docker_support.hpp"

namespace syscap::docker_e2e {

namespace fs = std::filesystem;
using nlohmann::json;
using syscap::docker::CommandResult;
using syscap::docker::TempDir;
using Words = std::vector<std::string>;

// busybox (with adduser) plus the static workloads: /modes (modes_workload.c), /i386.
inline constexpr const char* kImage = "syscap-e2e";
// The same with ENTRYPOINT ["/modes"] and CMD ["base"].
inline constexpr const char* kEntrypointImage = "syscap-e2e-entrypoint";

// The blog scenario: add a user, create a file, give it to that user.
inline constexpr const char* kChownScript =
    "adduser -D alice && echo data >/tmp/file && chown alice /tmp/file && stat -c %U /tmp/file";

inline json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, false);
}

// The capability names a trace says the workload exercised.
inline std::set<std::string> trace_capabilities(const json& trace) {
  std::set<std::string> caps;
  for (const auto& c : trace.value("capabilities", json::array())) caps.insert(c.at("name").get<std::string>());
  return caps;
}

inline bool trace_has_syscall(const json& trace, const std::string& name, const std::string& arch) {
  for (const auto& s : trace.at("syscalls"))
    if (s.at("name") == name && s.at("arch") == arch) return true;
  return false;
}

class DockerE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = syscap::docker::engine_skip_reason()) GTEST_SKIP() << *why;
    ASSERT_TRUE(syscap::docker::engine_answers()) << "the fixture's daemon does not answer";
    // syscap's docker client talks to the fixture's daemon.
    ::setenv("DOCKER_HOST", syscap::docker::docker_host().c_str(), 1);
    auto made = syscap::docker::ensure_image(
        kImage, {std::string(SYSCAP_MODES_WORKLOAD) + ":/modes", std::string(SYSCAP_I386_WORKLOAD) + ":/i386"});
    ASSERT_EQ(made.status, 0) << made.describe();
  }

  // Runs this build's syscap (which finds build/syscap-static next to itself).
  static CommandResult syscap(const Words& args) {
    Words argv{SYSCAP_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return syscap::docker::run_command(argv, 300);
  }

  // `syscap docker record -o DIR/NAME.json [options] IMAGE CMD...`, asserting success; the trace.
  // The ptrace engine (syscap inside the container) unless `options` name one: the default,
  // auto, is tested by the tests that run `docker record` and `docker profile` themselves.
  json record(const Words& image_and_cmd, const std::string& name, const Words& options = {}) {
    fs::path trace = dir_.path / (name + ".json");
    Words args{"docker", "record", "-o", trace.string(), "--docker-arg=--network=none"};
    if (std::find(options.begin(), options.end(), "--engine") == options.end())
      args.insert(args.end(), {"--engine", "ptrace"});
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), image_and_cmd.begin(), image_and_cmd.end());
    auto r = syscap(args);
    EXPECT_EQ(r.status, 0) << r.describe();
    return read_json(trace);
  }

  // `syscap generate -o DIR/NAME.json [extra...] TRACE`, asserting success; the profile path.
  fs::path generate(const std::string& trace_name, const std::string& name, const Words& extra = {}) {
    fs::path profile = dir_.path / (name + ".json");
    Words args{"generate", "-o", profile.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back((dir_.path / (trace_name + ".json")).string());
    auto r = syscap(args);
    EXPECT_EQ(r.status, 0) << r.describe();
    return profile;
  }

  TempDir dir_;
};

// Why the BPF engine cannot record on this machine ("" when it can).
inline const std::string& bpf_skip_reason() {
  static const std::string reason = [] {
    auto ran = syscap::docker::run_command({SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", "/dev/null",
                                            "--", "true"});
    return ran.status == 0 ? std::string()
                           : "the BPF engine cannot record here (syscap record --engine bpf exited " +
                                 std::to_string(ran.status) + "): " + ran.err;
  }();
  return reason;
}

// The engine options to run a `docker record` test with: each engine that can record here, so
// that both ways into a container stay tested (the default, auto, is one of them; the tests
// that run `docker profile` use it).
inline std::vector<Words> engines_to_test() {
  if (bpf_skip_reason().empty()) return {Words{"--engine", "bpf"}, Words{"--engine", "ptrace"}};
  return {Words{"--engine", "ptrace"}};
}

}  // namespace syscap::docker_e2e
