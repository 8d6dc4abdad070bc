// A fresh temporary directory for one test, removed with its contents when it goes.
//
//   syscap::test::TempDir dir;
//   std::ofstream(dir.path / "trace.json") << "{}";
#pragma once

#include <filesystem>
#include <string>

namespace syscap::test {

struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // path / name, as a string (what most command lines want).
  std::string file(const std::string& name) const { return (path / name).string(); }

  std::filesystem::path path;
};

}  // namespace syscap::test
