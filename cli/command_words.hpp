// The words a subcommand hands over untouched (CMD and its arguments, or IMAGE and CMD): what
// CLI11's prefix_command left after our own options.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace syscap::cli {

// `sub`'s remaining words with a leading "--" (our own marker: no command is called "--")
// removed. Without that marker, a first word that looks like an option is one we do not know
// (`record -o t --bogus ls`): a usage error, as strace and `docker run` say, not a command
// called "--bogus". Throws CLI11's ExtrasError then, and RequiredError(`name`) when no word is
// left, so the caller's usage exit code applies.
std::vector<std::string> command_words(const CLI::App& sub, const std::string& name);

}  // namespace syscap::cli
