// Digests: each manager's one message at the start of the working day, saying what waits
// (core/notification_text.h RenderDigest): approvals waiting for them, overdue deadlines in
// their team, breaches since the previous working day. Nothing is sent when there is nothing
// to say, nor on a day off of the team's calendar.
//
// RunDue() writes, for every team whose working day has begun by the clock, the digest of each
// of its managers who can act (token, not deactivated) and has none for the day yet: the row
// and the mark that it was written go in one transaction (Store::AddDigest), so each manager
// gets one per day across restarts. The dispatcher delivers it like any notification (to a
// personal webhook first, if they have one). Time comes from the injected Clock; a server runs
// RunDue() every minute (Start()), tests after moving a fake clock.
//
// Thread-safety: RunDue() may be called from any thread, one call at a time.
#ifndef AMENDS_SERVER_DIGESTS_H_
#define AMENDS_SERVER_DIGESTS_H_

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "server/core/clock.h"
#include "server/core/policy.h"
#include "server/dispatcher.h"
#include "server/steady_cond_var.h"
#include "storage/store.h"

namespace amends {

class Digests {
 public:
  // All must outlive the object.
  Digests(Store& store, const Clock& clock, const Policy& policy, Dispatcher& dispatcher)
      : store_(store), clock_(clock), policy_(policy), dispatcher_(dispatcher) {}
  ~Digests() { Stop(); }

  // Returns how many digests were written.
  int RunDue();

  void Start();  // RunDue() every minute on a thread
  void Stop();

 private:
  Store& store_;
  const Clock& clock_;
  const Policy& policy_;
  Dispatcher& dispatcher_;
  // "manager\nday" of the digests this process has settled: written, or nothing to say at
  // the day's start. (Across restarts the store's mark keeps them once a day.)
  absl::Mutex run_mu_;
  absl::flat_hash_set<std::string> settled_ ABSL_GUARDED_BY(run_mu_);
  absl::Mutex mu_;
  SteadyCondVar cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_DIGESTS_H_
