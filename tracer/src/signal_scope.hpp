// The tracer's signal handling during a run: SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to syscap
// are only noted by their handlers (the event loop, which knows every tracee, forwards them),
// and SIGALRM ticks the status line and wakes the loop.
//
//   SignalScope scope(/*forward=*/true, std::chrono::milliseconds(250));
//   ... waitpid() returns EINTR; then look at g_signals_received, g_tick_due ...
#pragma once

#include <chrono>
#include <csignal>
#include <iterator>

namespace syscap::tracer::detail {

// State shared with the signal handlers.
extern volatile sig_atomic_t g_signals_received;    // SIGINT/SIGTERM/SIGHUP/SIGQUIT so far
extern volatile sig_atomic_t g_last_signal;         // the newest of them
extern volatile sig_atomic_t g_last_from_terminal;  // it came from the kernel (a terminal), not kill(2)
extern volatile sig_atomic_t g_tick_due;            // the status-line timer fired

inline constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// Installs the signal-noting and tick handlers for the run, restores the old ones after.
class SignalScope {
 public:
  SignalScope(bool forward, std::chrono::milliseconds tick);
  ~SignalScope();
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

 private:
  struct sigaction old_[std::size(kForwarded)] {};
  bool installed_[std::size(kForwarded)] = {};
  struct sigaction old_alarm_ {};
  bool alarm_installed_ = false;
};

}  // namespace syscap::tracer::detail
