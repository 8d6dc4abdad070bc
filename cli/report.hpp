// How an Error reaches the user: one line, then the hint on its own line when there is one.
//
//   if (!run) { report_error(run.error()); return 126; }
//   // syscap: error: execute wl_i386_static: Exec format error
//   // syscap: wl_i386_static is a 32-bit x86 (i386) program, and this kernel runs no ...
#pragma once

#include <string_view>

#include "syscap/error.hpp"

namespace syscap::cli {

// Logs e.message() (plus `suffix`, e.g. "; not running CMD") as an error, then e.hint.
void report_error(const Error& e, std::string_view suffix = "");

// Reports why a command did not run ("CMD: command not found", "run CMD: permission denied",
// "execute CMD: Exec format error" and its hint) and returns the shell's exit code for it:
// 127 when it does not exist, else 126. The same for record, profile and enforce.
int report_command_error(const Error& e);

}  // namespace syscap::cli
