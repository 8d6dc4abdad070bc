// Finding the program a command names, as execvp(3) and a shell do, for every subcommand that
// runs one (record, profile, enforce): one lookup, so they all give the same answer and exit
// code for the same command.
//
//   auto path = syscap::find_command("python3");   // "/usr/bin/python3"
//   if (!path) return path.error().sys_errno == ENOENT ? 127 : 126;
#pragma once

#include <string>

#include "syscap/error.hpp"

namespace syscap {

// A command with a '/' is used as it is (it must exist); otherwise the first executable
// regular file named `command` in $PATH (default /usr/local/bin:/usr/bin:/bin; an empty entry is
// the current directory). Errors: ENOENT "command not found" (exit 127 in a shell); EACCES
// "permission denied" when only non-executable files (or directories) of that name were found,
// or a directory of $PATH could not be searched (exit 126), as execvp reports them.
Result<std::string> find_command(const std::string& command);

}  // namespace syscap
