// WriteMix: the realistic sequence of changes the write and growth benchmarks commit.
//
// Each slot (one call in flight) walks incidents through their life, one change per call:
//   report (a member, Japanese text from DOMAIN.md's cases) -> first apology -> note ->
//   escalate -> approve (the team's manager) -> visit done -> measure add -> a new incident.
// "visit done" is there because the lifecycle adds measures only in PREVENTION_PLAN. Slots
// are spread round robin over the teams, so the load looks like a company, not one desk.
//
// Both ways of committing take the same Action for a step, so the amendsd run and the storage
// ceiling commit the same changes: StartGrpc turns it into the API request, ApplyNext hands
// it to an IncidentWriter. A failed change (logged in errors()) sends the slot on to a new
// incident, so that one failure never stalls a slot.
//
// Thread-safety: WriteMix's methods may be called from any thread; a slot is used by one call
// at a time. At most `slots` calls may be outstanding at once (the load drivers' in_flight).
#ifndef AMENDS_BENCH_SUPPORT_WRITE_MIX_H_
#define AMENDS_BENCH_SUPPORT_WRITE_MIX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "bench/support/load.h"
#include "bench/support/prefill.h"
#include "server/core/actor.h"
#include "server/core/lifecycle.h"
#include "server/writer.h"

namespace amends::bench {

using MixTeam = Population::TeamUsers;

// What CreateMixTeams may add to the teams, for the notify benchmark; by default nothing.
struct MixTeamsOptions {
  // Each member and manager gets the mail address NAME@email_domain
  // ("member-001@example.com"); empty: nobody has an address.
  std::string email_domain;
  // Each team's own calendar makes every hour of every day working time, so that the
  // notifications that wait for working hours go at once whatever the hour the benchmark runs
  // at (the policy's holidays still close a team).
  bool always_open = false;
};

// Creates a new database at db_path with `teams` teams named as Prefill names them
// ("team-001", Asia/Tokyo, with member-001 and manager-001), and returns them with tokens.
absl::StatusOr<std::vector<MixTeam>> CreateMixTeams(const std::string& db_path, int teams,
                                                    const MixTeamsOptions& options = {});

enum class MixStep { kReport, kApologise, kNote, kEscalate, kApprove, kVisitDone, kAddMeasure };
inline constexpr int kMixSteps = 7;

// One slot's place in an incident's life.
class MixSlot {
 public:
  // `number` varies the case and client this slot starts with.
  MixSlot(const MixTeam& team, int64_t number);

  MixStep step() const { return step_; }
  int64_t incident_id() const { return incident_id_; }  // 0 before the report
  // Who takes this step: the member, or the manager for the approval.
  const Actor& actor() const;
  const std::string& token() const;

  // kReport: the new incident.
  v1::ReportIncidentRequest ReportRequest() const;
  // Every other step: the change, as the writer takes it (a measure is due a week from now).
  Action NextAction(absl::Time now) const;

  // After the change: on to the next step of the incident it returned, or, when it failed or
  // the incident's life is over, to a new incident.
  void Advance(const absl::StatusOr<v1::Incident>& result);

 private:
  const MixTeam& team_;
  Actor member_;
  Actor manager_;
  int64_t number_;  // which case and client, advancing with each incident
  MixStep step_ = MixStep::kReport;
  int64_t incident_id_ = 0;
};

// Mean serialized sizes of what the mix sent and got back, over its successful calls.
struct MixSizes {
  int64_t calls = 0;
  double request_bytes = 0;
  double response_bytes = 0;
};

class WriteMix {
 public:
  WriteMix(const std::vector<MixTeam>& teams, int slots);

  // Starts a free slot's next change as its API call (with that user's token) and calls done
  // once it finished.
  void StartGrpc(v1::IncidentService::Stub& stub, Done done);
  // Commits a free slot's next change through the writer, on this thread.
  absl::Status ApplyNext(IncidentWriter& writer);
  // ApplyNext() in a closed loop on one thread per slot for `duration`: the storage ceiling's
  // load, with every change's latency.
  LoadResult DriveWriter(IncidentWriter& writer, absl::Duration duration);

  // Called after each successful change, on the thread that completed it and before the call
  // counts as done, with the step it was and the incident as the change left it: for a
  // benchmark that follows the incidents further (e.g. to the mails they cause). Set it before
  // the first call.
  using Observer = std::function<void(MixStep step, const v1::Incident& incident)>;
  void SetObserver(Observer observer) { observer_ = std::move(observer); }

  MixSizes sizes() const;
  // "" when none failed; else counts by code and the first message of each.
  std::string errors() const;

 private:
  MixSlot* Acquire();
  // Advances and frees the slot, and counts the call.
  void Finish(MixSlot* slot, const absl::StatusOr<v1::Incident>& result, size_t request_bytes);

  std::vector<std::unique_ptr<MixSlot>> slots_;
  Observer observer_;
  mutable absl::Mutex mu_;
  std::vector<MixSlot*> free_ ABSL_GUARDED_BY(mu_);
  int64_t calls_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t request_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t response_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  struct ErrorCount {
    int64_t count = 0;
    std::string first;
  };
  std::map<absl::StatusCode, ErrorCount> errors_ ABSL_GUARDED_BY(mu_);
};

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_WRITE_MIX_H_
