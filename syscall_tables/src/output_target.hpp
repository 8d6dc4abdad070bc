// What an output path names, looked at without following a link, and whether syscap, as root,
// may write there: a new file in place of what is there (nothing yet, a regular file, a link to
// one or to nothing), a device or pipe written into as it is (never replaced: a trace written
// to /dev/null as root once put a regular file in its place), or something refused, with why.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>

namespace syscap {

struct OutputTarget {
  enum Kind { NewFile, Device, Pipe, Refused };
  Kind kind = NewFile;
  dev_t dev = 0;     // Device, Pipe: the node found, which the open must find again
  ino_t ino = 0;
  std::string why;   // Refused
  int err = 0;       // Refused
};

OutputTarget output_target(const std::string& path);

// The directory part of `path` ("." for a bare name) and the file name.
std::pair<std::string, std::string> split_output_path(const std::string& path);

}  // namespace syscap
