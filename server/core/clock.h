// Clock: where the current time comes from.
//
// Everything that needs "now" takes a Clock (or an absl::Time computed from one) so that tests
// can move time by hand instead of sleeping. RealClock reads the system clock; FakeClock only
// moves when told to. Both are thread-safe.
#ifndef AMENDS_SERVER_CORE_CLOCK_H_
#define AMENDS_SERVER_CORE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace amends {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_CLOCK_H_
