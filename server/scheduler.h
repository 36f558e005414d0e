// Scheduler: fires every incident's reminders, breaches and breach actions at their time.
//
// Holds one entry per incident with a pending point (its earliest, from deadlines.h NextWake)
// in memory: loaded from the store at start-up, then kept current by the writer's wake
// listener. Due entries are handed, a batch at a time, to IncidentWriter::Fire, which decides
// on the committed incidents ahead of waiting client writes and commits the batch in one group:
// what fired is marked in the same transaction as its event, so a point fires exactly once
// across crashes and restarts, and missed points fire at start-up. Entries are (time, id)
// pairs in a B-tree plus an id index: 56 bytes each (docs/PERFORMANCE.md).
//
// Time comes from the injected Clock. Tests call RunDue() after moving a fake clock; a server
// calls Start() to run it on a thread that sleeps until the next point (real clocks only), a
// minute at most, on steady time. Points are wall-clock times: a step of the system clock
// (NTP, a resumed VM) moves them with it. RunDue() notices a step of more than a minute
// between two turns and logs it.
// Thread-safety: every method may be called from any thread.
#ifndef AMENDS_SERVER_SCHEDULER_H_
#define AMENDS_SERVER_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/core/clock.h"
#include "server/steady_cond_var.h"
#include "server/writer.h"
#include "storage/store.h"

namespace amends {

class Scheduler {
 public:
  // Told of each point fired, with how late it fired; for benchmarks and logs.
  using FiredListener = std::function<void(int64_t id, absl::Duration lateness)>;

  // Registers itself as the writer's wake listener; the writer must outlive the scheduler.
  Scheduler(IncidentWriter& writer, const Clock& clock);
  ~Scheduler();  // stops the thread, if started

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void SetFiredListener(FiredListener listener) { fired_listener_ = std::move(listener); }

  // Loads every pending point from the store. Call once, before Start() and before serving.
  absl::Status Load(Store& store);

  // Sets (or, with nullopt, removes) an incident's next point.
  void Update(int64_t id, std::optional<absl::Time> wake);

  // Fires, soonest first, every point due at the clock's current time; returns how many
  // changes it committed. Returns early once Stop() was called.
  int RunDue();

  std::optional<absl::Time> NextWake() const;
  size_t size() const;

  // Runs RunDue() on a thread, waking at each next point. Stop() (or the destructor) ends it.
  void Start();
  void Stop();

 private:
  // Removes and returns the earliest entries due at `now`, a batch at most, unless Stop() is
  // pending.
  std::vector<IncidentWriter::Due> PopDue(absl::Time now);
  // After a failed Fire: tries again later, unless a commit has meanwhile set a newer point.
  void Retry(int64_t id, absl::Time at);
  void Loop();
  // Logs a step of the wall clock of more than a minute since the last turn.
  void NoticeClockStep(absl::Time wall, absl::Time steady);

  IncidentWriter& writer_;
  const Clock& clock_;
  FiredListener fired_listener_;

  mutable absl::Mutex mu_;
  SteadyCondVar wake_cv_;  // signalled when an earlier point arrives, or on Stop()
  absl::btree_set<std::pair<int64_t, int64_t>> queue_ ABSL_GUARDED_BY(mu_);  // (micros, id)
  absl::flat_hash_map<int64_t, int64_t> wake_of_ ABSL_GUARDED_BY(mu_);     // id -> micros
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The clock's two readings at the last turn (NoticeClockStep); unset before the first.
  std::optional<std::pair<absl::Time, absl::Time>> last_readings_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_SCHEDULER_H_
