#include "test_support.hpp"

#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include "syscap/enforcer/seccomp_program.hpp"

namespace syscap::enforcer::test {

profilegen::Profile parse(const std::string& json) {
  auto p = profilegen::parse_profile(json, "test.json");
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message());
  return p ? *p : profilegen::Profile{};
}

CapSet all_caps() {
  // What `enforce` can give (--cap-add ALL): the permitted set within the bounding set. The
  // bounding set alone is a non-root user's whole set too, though it holds none of them.
  auto caps = held_capabilities();
  EXPECT_TRUE(caps.has_value());
  return caps ? *caps : CapSet{};
}

PlanContext context(CapSet caps) {
  auto ctx = current_context(caps);
  EXPECT_TRUE(ctx.has_value()) << (ctx ? "" : ctx.error().message());
  return ctx ? *ctx : PlanContext{};
}

FilterPlan plan(const std::string& json, CapSet caps) {
  auto p = compile_plan(parse(json), context(caps), {.source = "test.json"});
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message());
  return p ? *p : FilterPlan{};
}

void confined(const std::string& json, const std::function<int()>& body, CapSet caps) {
  auto profile = profilegen::parse_profile(json, "test.json");
  if (!profile) _exit(200);
  auto ctx = current_context(caps);
  if (!ctx) _exit(200);
  auto p = compile_plan(*profile, *ctx, {.source = "test.json"});
  if (!p) _exit(200);
  auto program = build_program(*p);
  if (!program || !install_program(*program)) _exit(200);
  int code = body();
  // The raw exit: sanitizer runtimes hook _exit and make calls a default-deny profile refuses.
  syscall(SYS_exit_group, code);
  _exit(code);
}

int errno_of(long result) { return result < 0 ? errno : 0; }

long int80(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return ret;
}

CommandResult run(const std::vector<std::string>& argv) { return syscap::test::run_command(argv); }

std::string temp_path(const std::string& name) {
  static std::string dir = [] {
    char tmpl[] = "/tmp/syscap-enforcer-test-XXXXXX";
    const char* d = mkdtemp(tmpl);
    return std::string(d ? d : "/tmp");
  }();
  static int counter = 0;
  return dir + "/" + std::to_string(++counter) + "-" + name;
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

std::string data_file(const std::string& name) { return std::string(SYSCAP_TEST_DATA_DIR) + "/" + name; }

}  // namespace syscap::enforcer::test
