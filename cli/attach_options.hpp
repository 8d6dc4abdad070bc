// `--pid PID` (repeatable) and `--duration D` of `record` and `profile`: record processes that
// run already instead of starting CMD, for a while or until they end.
//
//   AttachCli attach;
//   add_attach_options(sub, attach);
//   ... in the callback: std::vector<std::string> cmd = command_or_attach(*sub, attach);
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace syscap::cli {

struct AttachCli {
  std::vector<int> pids;
  std::string duration;  // "" (no limit), "90", "90s", "1500ms", "5m", "2h"
  std::chrono::milliseconds limit{0};
};

// --duration's value: a whole number of ms, s (the default unit), m or h, above zero; nullopt
// for anything else.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

// --duration's value `text` for a recording that attaches or not: the limit (0 for ""), or a
// usage error (CLI11's) for a malformed value or one given without attaching (`is_for` says to
// what it belongs, e.g. "--pid (a command runs until it ends)").
std::chrono::milliseconds checked_duration(const std::string& text, bool attaching, const std::string& is_for);

// What a recording is of, as its messages name it: the processes attached to, or CMD.
struct RecordingSubject {
  bool attaching = false;
  std::string name;  // "pid N" (the first --pid) or CMD's name

  // The end of an error that stops the recording before it starts: "; not running CMD" or
  // "; not attaching to pid N".
  std::string not_started() const { return (attaching ? "; not attaching to " : "; not running ") + name; }
};

// The subject of a recording of `command`, or of the --pid processes when it is empty.
RecordingSubject recording_subject(const std::vector<std::string>& command, const AttachCli& attach);

// Adds --pid and --duration (`what_runs` names what --pid replaces, e.g. "CMD").
void add_attach_options(CLI::App* sub, AttachCli& attach, const std::string& what_runs);

// The command words (command_words()) when no --pid was given; with --pid, none may be given,
// nor --verify-caps (`verify_caps`: it re-runs CMD), and --duration is checked. Usage errors are
// thrown as CLI11's, so the usage exit code applies.
std::vector<std::string> command_or_attach(const CLI::App& sub, AttachCli& attach, const std::string& name,
                                           bool verify_caps);

}  // namespace syscap::cli
