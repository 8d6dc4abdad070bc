#include "command_words.hpp"

namespace syscap::cli {

void hand_over_words_from(CLI::App* sub, const std::string& name, const std::string& description,
                          std::vector<std::string>& unused) {
  const std::string refusal = "taken as the " + (name == "CMD" ? std::string("command") : name);
  sub->add_option(name, unused, description)->check([refusal](const std::string&) { return refusal; });
  sub->validate_positionals();
  sub->prefix_command();
  sub->fallthrough(false);
}

std::vector<std::string> command_words(const CLI::App& sub, const std::string& name) {
  std::vector<std::string> words = sub.remaining();
  if (!words.empty() && words.front() == "--")
    words.erase(words.begin());
  else if (!words.empty() && words.front().starts_with("-") && words.front() != "-")
    throw CLI::ExtrasError(std::vector<std::string>{words.front()});
  if (words.empty()) throw CLI::RequiredError(name);
  return words;
}

}  // namespace syscap::cli
