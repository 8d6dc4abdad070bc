#include "signal_scope.hpp"

#include <sys/time.h>

namespace syscap::tracer::detail {

volatile sig_atomic_t g_signals_received = 0;
volatile sig_atomic_t g_last_signal = 0;
volatile sig_atomic_t g_last_from_terminal = 0;
volatile sig_atomic_t g_tick_due = 0;

namespace {

volatile sig_atomic_t g_ticking = 0;  // the status-line timer runs

void note_signal(int sig, siginfo_t* info, void*) {
  g_last_signal = sig;
  g_last_from_terminal = info && info->si_code == SI_KERNEL;
  g_signals_received = g_signals_received + 1;
  // The loop's waitpid returns EINTR and the loop forwards the signal. If this handler ran
  // between the loop's look at the counter and its waitpid, that waitpid would sleep until some
  // tracee stops (maybe never: a sleeping workload): a timer wakes it a moment later (the
  // status line's periodic one, when it runs, does the same within a tick).
  if (!g_ticking) {
    itimerval once{};
    once.it_value.tv_usec = 1000;
    setitimer(ITIMER_REAL, &once, nullptr);
  }
}

void note_tick(int) { g_tick_due = 1; }

}  // namespace

SignalScope::SignalScope(bool forward, std::chrono::milliseconds tick) {
  g_signals_received = 0;
  g_last_signal = 0;
  g_last_from_terminal = 0;
  g_tick_due = 0;
  g_ticking = 0;
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  // No SA_RESTART anywhere: waitpid returns EINTR so the loop looks at the flags.
  if (forward) {
    sa.sa_sigaction = note_signal;
    sa.sa_flags = SA_SIGINFO;
    for (std::size_t i = 0; i < std::size(kForwarded); ++i) {
      sigaction(kForwarded[i], &sa, &old_[i]);
      installed_[i] = true;
    }
  }
  if (forward || tick.count() > 0) {
    sa.sa_flags = 0;
    sa.sa_handler = note_tick;
    sigaction(SIGALRM, &sa, &old_alarm_);
    alarm_installed_ = true;
  }
  if (tick.count() > 0) {
    itimerval t{};
    t.it_interval.tv_sec = tick.count() / 1000;
    t.it_interval.tv_usec = (tick.count() % 1000) * 1000;
    t.it_value = t.it_interval;
    g_ticking = 1;
    setitimer(ITIMER_REAL, &t, nullptr);
  }
}

SignalScope::~SignalScope() {
  // The forwarding handlers go first, so none of them arms the timer after it is off.
  for (std::size_t i = 0; i < std::size(kForwarded); ++i)
    if (installed_[i]) sigaction(kForwarded[i], &old_[i], nullptr);
  if (alarm_installed_) {
    itimerval off{};
    setitimer(ITIMER_REAL, &off, nullptr);
    sigaction(SIGALRM, &old_alarm_, nullptr);
  }
  g_ticking = 0;
}

}  // namespace syscap::tracer::detail
