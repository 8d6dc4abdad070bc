// The words a subcommand hands over untouched (CMD and its arguments, or IMAGE and CMD): what
// CLI11's prefix_command left after our own options.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace syscap::cli {

// Makes everything from the first word that is not one of `sub`'s options on (CMD and its
// arguments, options included: `record -o t ls -q`) a word handed over untouched: CLI11's
// prefix_command hands us the rest once it meets an argument that is not ours. The positional
// `name` never accepts a value itself (its check always fails); it exists so that `--` is taken
// as our marker. No fallthrough: the words would go up to the root as extras (global options go
// before the subcommand). `unused` only has to outlive the parse.
void hand_over_words_from(CLI::App* sub, const std::string& name, const std::string& description,
                          std::vector<std::string>& unused);

// `sub`'s remaining words with a leading "--" (our own marker: no command is called "--")
// removed. Without that marker, a first word that looks like an option is one we do not know
// (`record -o t --bogus ls`): a usage error, as strace and `docker run` say, not a command
// called "--bogus". Throws CLI11's ExtrasError then, and RequiredError(`name`) when no word is
// left, so the caller's usage exit code applies.
std::vector<std::string> command_words(const CLI::App& sub, const std::string& name);

}  // namespace syscap::cli
