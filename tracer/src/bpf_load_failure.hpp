// The message of a failed BPF load, from what libbpf said of it.
#pragma once

#include <string>

namespace syscap::tracer::detail {

// What libbpf said of a failed load (its messages, whole), short: the failing program's lines
// (which program, which error) and the end of the verifier's log, where the verifier says what
// it refused. The log's first 600 bytes where it has no program load log.
std::string load_failure(const std::string& libbpf_log);

}  // namespace syscap::tracer::detail
