// How syscap's process ends once its work is done.
//
//   exit_process(status);   // the last call of main, instead of returning status
#pragma once

namespace syscap::tracer {

// Ends this process with `status`, as std::exit does. What a BPF engine left to be released
// after it (BpfEngine::release_after_exit: its tracepoint links, and with them its programs and
// maps) is released once this process has gone, by a helper that holds those descriptors until
// then, so that whoever waits for this process sees its status without waiting for the kernel's
// teardown (about a millisecond: each tracepoint's code is patched back, and the memory
// freed). The trace and every output are written before: this process's standard streams are
// flushed, and the helper holds no other descriptor (no standard stream, nothing inherited), so
// a reader waiting for end of file is not kept waiting, nor the working directory; it shares
// this process's memory (its executable stays mapped) until it goes, a millisecond or two
// later, and is reaped by whoever adopts this process's orphans. Where no helper can start (no
// close_range: Linux before 5.9; a sanitized build), what was left is released here first.
[[noreturn]] void exit_process(int status);

}  // namespace syscap::tracer
