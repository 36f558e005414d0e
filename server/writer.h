// IncidentWriter: the single write path. Every change to an incident, whoever makes it (a
// person through the API, the scheduler at a deadline), goes through here: load the incident
// and its team's rules, let the core decide, commit the incident and its event.
//
// Guarantees: changes are applied one at a time, so the core always decides on the latest
// committed version and a request without expected_version can never lose another's update.
// A change is returned only after Store::Commit made it durable; a rejected change writes
// nothing. The wake listener hears of every incident's next scheduler point, and the commit
// listener of every committed change, in commit order.
//
// Thread-safety: all methods may be called concurrently; they serialise on an internal mutex,
// on which the scheduler's Fire() goes before waiting client writes.
#ifndef AMENDS_SERVER_WRITER_H_
#define AMENDS_SERVER_WRITER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/clock.h"
#include "server/core/lifecycle.h"
#include "server/core/policy.h"
#include "storage/store.h"

namespace amends {

class IncidentWriter {
 public:
  // Called with an incident's id and its next scheduler point (none: nothing pending) after
  // each commit and after each Fire, under the writer's lock. Must not call the writer.
  using WakeListener = std::function<void(int64_t id, std::optional<absl::Time> wake)>;

  IncidentWriter(Store& store, const Clock& clock, const Policy& policy)
      : store_(store), clock_(clock), policy_(policy) {}

  // Called with each committed change, in commit (sequence) order, under the writer's lock.
  // Must be quick and must not call the writer.
  using CommitListener = std::function<void(const Committed& change)>;

  // Set once each, before the first write.
  void SetWakeListener(WakeListener listener) { wake_listener_ = std::move(listener); }
  void SetCommitListener(CommitListener listener) { commit_listener_ = std::move(listener); }

  // Creates the incident, or returns the one this reporter already created with the same
  // request_id (a retried call must not report the incident twice).
  absl::StatusOr<v1::Incident> Report(const v1::ReportIncidentRequest& request,
                                      const Actor& actor);

  // Applies the action to incident `id`. expected_version 0 means "whatever is current";
  // any other value must match the stored version, or the call is ABORTED.
  absl::StatusOr<v1::Incident> Apply(int64_t id, int64_t expected_version,
                                     const Action& action, const Actor& actor);

  // A scheduler point: an incident and the time its earliest point was due.
  struct Due {
    int64_t id = 0;
    absl::Time at;
  };
  struct Fired {
    std::vector<Due> committed;                              // a change was committed
    std::vector<std::pair<Due, absl::Status>> failed;        // could not be decided
  };
  // Fires the earliest point due now of each incident in `due` (deadlines.h Fire), all in one
  // transaction, so that a burst of points costs one sync. A point at the Unix epoch marks an
  // incident stored before deadlines existed: it gets its stage's deadlines instead
  // (AdoptDeadlines). The wake listener hears of each incident's next point, fired or not.
  // An error of the commit itself fails the whole call and changes nothing.
  absl::StatusOr<Fired> Fire(const std::vector<Due>& due);

 private:
  // The rules for a team's incidents: the policy and the team's calendar, built once per
  // version of the team's settings. Reading the team each time picks up a calendar that
  // `amendsd admin team calendar` changed from another process.
  absl::StatusOr<Rules> RulesFor(const Team& team) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Rules> RulesForIncident(const v1::Incident& incident)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Condition NoFireWaiting();
  // The change as the store takes it, with the columns derived from its deadlines.
  static IncidentWrite MakeWrite(Change change, std::string request_id);
  absl::StatusOr<Committed> CommitLocked(Change change, std::string request_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Store& store_;
  const Clock& clock_;
  const Policy& policy_;
  WakeListener wake_listener_;
  CommitListener commit_listener_;
  absl::Mutex mu_;  // held from load to commit: one change at a time
  // Fire() calls waiting for mu_. Client writes wait while there are any: absl::Mutex is not
  // fair, and a point must fire on time however busy the write path is. Incremented before
  // taking mu_ and decremented once it is held, so the condition only turns true under mu_.
  std::atomic<int> fires_waiting_{0};
  struct CachedCalendar {
    std::string settings;  // time zone and serialized calendar it was built from
    std::unique_ptr<BusinessCalendar> calendar;
  };
  absl::flat_hash_map<std::string, CachedCalendar> calendars_ ABSL_GUARDED_BY(mu_);
};

}  // namespace amends

#endif  // AMENDS_SERVER_WRITER_H_
