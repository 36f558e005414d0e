// Clock: where the current time comes from.
//
// Everything that needs "now" takes a Clock (or an absl::Time computed from one) so that tests
// can move time by hand instead of sleeping. Two readings: Now(), the wall clock, for what
// people and deadlines see; Steady(), which only moves forward and never jumps, for intervals
// (heartbeats, token re-checks, how long to sleep), so that a step of the system clock
// neither stalls nor rushes them. Steady() is a point on its own time line: only differences
// between its readings mean anything. RealClock reads the system's clocks; FakeClock only
// moves when told to: Advance() moves both, Set() steps the wall clock alone, as a clock
// step does. Both are thread-safe.
#ifndef AMENDS_SERVER_CORE_CLOCK_H_
#define AMENDS_SERVER_CORE_CLOCK_H_

#include <chrono>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace amends {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
  virtual absl::Time Steady() const = 0;
};

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  absl::Time Steady() const override {
    const auto since = std::chrono::steady_clock::now().time_since_epoch();
    return absl::UnixEpoch() + absl::FromChrono(since);
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  absl::Time Steady() const override {
    absl::MutexLock lock(&mu_);
    return steady_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
    steady_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  absl::Time steady_ ABSL_GUARDED_BY(mu_) = absl::UnixEpoch();
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_CLOCK_H_
