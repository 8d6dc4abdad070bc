#include "syscap/test/temp_dir.hpp"

#include <stdlib.h>

#include <stdexcept>

namespace syscap::test {

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "syscap-test.XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp " + templ + " failed");
  path = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace syscap::test
