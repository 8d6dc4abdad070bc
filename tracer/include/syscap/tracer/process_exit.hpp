// How syscap's process ends once its work is done.
//
//   return exit_process(status);   // the last call of main
#pragma once

namespace syscap::tracer {

// Ends this process with `status`, as std::exit does. What a BPF engine left to be released
// after it (BpfEngine::release_after_exit: its tracepoint links, and with them its programs and
// maps) is released once this process has gone, by a helper that holds those descriptors until
// then, so that whoever waits for this process sees its status without waiting for the kernel's
// teardown (about a millisecond: each tracepoint's code is patched back, and the memory
// freed). The trace and every output are written before: this process's standard streams are
// flushed, and the helper holds nothing else (no standard stream, no inherited descriptor), so
// a reader waiting for end of file is not kept waiting. Where no helper can start (no
// close_range: Linux before 5.9), what was left is released here first, as before.
[[noreturn]] void exit_process(int status);

}  // namespace syscap::tracer
