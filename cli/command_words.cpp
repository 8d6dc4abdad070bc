#include "command_words.hpp"

namespace syscap::cli {

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
