// IncidentWriter: the single write path. Every change to an incident, whoever makes it, goes
// through here: load the incident, let the core decide, commit the incident and its event.
//
// Guarantees: changes are applied one at a time, so the core always decides on the latest
// committed version and a request without expected_version can never lose another's update.
// A change is returned only after Store::Commit made it durable; a rejected change writes
// nothing. Because every write passes through one place, commits can later be grouped into one
// transaction without touching callers.
//
// Thread-safety: all methods may be called concurrently; they serialise on an internal mutex.
#ifndef AMENDS_SERVER_WRITER_H_
#define AMENDS_SERVER_WRITER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/clock.h"
#include "server/core/lifecycle.h"
#include "storage/store.h"

namespace amends {

class IncidentWriter {
 public:
  IncidentWriter(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Creates the incident, or returns the one this reporter already created with the same
  // request_id (a retried call must not report the incident twice).
  absl::StatusOr<v1::Incident> Report(const v1::ReportIncidentRequest& request,
                                      const Actor& actor);

  // Applies the action to incident `id`. expected_version 0 means "whatever is current";
  // any other value must match the stored version, or the call is ABORTED.
  absl::StatusOr<v1::Incident> Apply(int64_t id, int64_t expected_version,
                                     const Action& action, const Actor& actor);

 private:
  Store& store_;
  const Clock& clock_;
  absl::Mutex mu_;  // held from load to commit: one change at a time
};

}  // namespace amends

#endif  // AMENDS_SERVER_WRITER_H_
