#include "attach_options.hpp"

#include <charconv>

#include "command_words.hpp"

namespace syscap::cli {

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  std::uint64_t n = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || rest == text.data() || n == 0) return std::nullopt;
  const std::string unit(rest, end);
  std::uint64_t per_unit = 0;
  if (unit.empty() || unit == "s") per_unit = 1000;
  else if (unit == "ms") per_unit = 1;
  else if (unit == "m") per_unit = 60'000;
  else if (unit == "h") per_unit = 3'600'000;
  else return std::nullopt;
  constexpr std::uint64_t kMax = 366ull * 24 * 3'600'000;  // a year: longer is a typo
  if (n > kMax / per_unit) return std::nullopt;
  return std::chrono::milliseconds(n * per_unit);
}

void add_attach_options(CLI::App* sub, AttachCli& attach, const std::string& what_runs) {
  sub->add_option("--pid", attach.pids,
                  "Record this running process (all its threads, and the processes it starts from now "
                  "on) instead of starting " + what_runs + "; repeatable. It runs on when recording ends")
      ->allow_extra_args(false);
  sub->add_option("--duration", attach.duration,
                  "With --pid: stop recording after this long (90s, 1500ms, 5m, 2h; plain numbers are "
                  "seconds); else until the processes end or Ctrl-C");
}

std::chrono::milliseconds checked_duration(const std::string& text, bool attaching, const std::string& is_for) {
  if (text.empty()) return std::chrono::milliseconds(0);
  auto limit = parse_duration(text);
  if (!limit)
    throw CLI::ValidationError("--duration",
                               "expected a positive whole number with ms, s, m or h (e.g. 90s), got \"" + text + "\"");
  if (!attaching) throw CLI::ValidationError("--duration", "is for " + is_for);
  return *limit;
}

RecordingSubject recording_subject(const std::vector<std::string>& command, const AttachCli& attach) {
  if (!command.empty()) return {false, command.front()};
  return {true, attach.pids.empty() ? "" : "pid " + std::to_string(attach.pids.front())};
}

std::vector<std::string> command_or_attach(const CLI::App& sub, AttachCli& attach, const std::string& name,
                                           bool verify_caps) {
  attach.limit = checked_duration(attach.duration, !attach.pids.empty(), "--pid (a command runs until it ends)");
  if (attach.pids.empty()) return command_words(sub, name);
  if (verify_caps)
    throw CLI::ValidationError("--verify-caps", "re-runs " + name + "; processes attached to with --pid cannot be re-run");
  std::vector<std::string> words = sub.remaining();
  if (!words.empty() && words.front() == "--") words.erase(words.begin());
  if (!words.empty()) throw CLI::ValidationError("--pid", "records running processes; give no " + name + " with it");
  return {};
}

}  // namespace syscap::cli
