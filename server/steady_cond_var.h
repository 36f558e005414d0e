// SteadyCondVar: a condition variable for absl::Mutex whose timed waits count steady
// (monotonic) time. Abseil 20220623's CondVar turns a timeout into a wall-clock deadline, so a
// step of the system clock backwards would stall every heartbeat and sleep waiting on it, and
// a step forwards would end them early; these waits last what they say.
//
// Use it as absl::CondVar: Wait*() with the mutex held, which is released while waiting and
// held again on return; wake-ups may be spurious, so wait in a loop on the condition.
// Thread-safe.
#ifndef AMENDS_SERVER_STEADY_COND_VAR_H_
#define AMENDS_SERVER_STEADY_COND_VAR_H_

#include <chrono>
#include <condition_variable>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace amends {

class SteadyCondVar {
 public:
  // Waits until signalled or `timeout` of steady time has passed; true if it timed out.
  bool WaitWithTimeout(absl::Mutex* mu, absl::Duration timeout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    Lockable lock{*mu};
    return cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout)) == std::cv_status::timeout;
  }
  void Wait(absl::Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    Lockable lock{*mu};
    cv_.wait(lock);
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  // absl::Mutex as std::condition_variable_any locks it.
  struct Lockable {
    absl::Mutex& mu;
    void lock() ABSL_NO_THREAD_SAFETY_ANALYSIS { mu.Lock(); }
    void unlock() ABSL_NO_THREAD_SAFETY_ANALYSIS { mu.Unlock(); }
  };
  std::condition_variable_any cv_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_STEADY_COND_VAR_H_
