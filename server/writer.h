// IncidentWriter: the single write path. Every change to an incident, whoever makes it (a
// person through the API, the scheduler at a deadline), goes through here: load the incident
// and its team's rules, let the core decide, commit the incident and its event.
//
// Group commit: callers queue their changes and go on; the writer's own thread takes every
// change waiting (up to kMaxGroup) and decides and writes them one after another in one
// transaction (Store::Transact), so that the group costs one sync, and tells each caller its
// outcome (`done`). Changes queued meanwhile form the next group. So a lone change commits at
// once, and under load groups grow by themselves with the time a sync takes; nothing ever waits
// for company, and no caller's thread waits for a commit (gRPC's callback handlers complete
// their call from `done`). At most kMaxWaiting changes wait; past that a change is refused at
// once with RESOURCE_EXHAUSTED, so an overload answers instead of queueing without end.
//
// Guarantees: changes are decided one at a time, each on the state the one before it left
// (reads inside the group's transaction see its earlier writes), so a request without
// expected_version never loses another's update. A change's `done` is called only after its
// group is durable. A change that is rejected, by the core or by the store, writes nothing and
// fails alone: its neighbours in the group commit. If the commit itself fails, every change of
// the group fails with that error and nothing is kept. The wake listener hears of every
// incident's next scheduler point, and the commit listener of every committed change, in
// commit order, once the group is durable, before the group's `done` calls.
//
// Thread-safety: all methods may be called concurrently, but not from the writer's thread
// (listeners, `done`): Fire() waits for it. The scheduler's Fire() joins the front of the
// queue, ahead of waiting client writes, so a point fires on time under load.
//
// Lock order. Two mutexes: mu_ guards the queue and the stats, group_mu_ is held by the
// writer's thread while a group runs (and guards the calendar cache). They are never held
// together. Under group_mu_ the writer takes, one at a time and each after group_mu_, the
// store's lock (SqliteStore::write_mu_, for the transaction; the notifications are written
// inside it), then, once the group is durable, the locks of the listeners: the scheduler's
// (wake listener), the change feed's and the dispatcher's (commit listener). None of those is
// ever held while calling the writer. `done` is called with no lock of the writer held. The
// calls' decisions run under group_mu_ (they say so with group_mu_.AssertHeld()).
#ifndef AMENDS_SERVER_WRITER_H_
#define AMENDS_SERVER_WRITER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/clock.h"
#include "server/core/lifecycle.h"
#include "server/core/notices.h"
#include "server/core/policy.h"
#include "storage/store.h"

namespace amends {

// The change as the store takes it, with the columns derived from it that queries filter on
// (client key, scheduler point, earliest deadline, asked team). For the writer, and for tools
// that fill a store directly (bench/support/prefill).
IncidentWrite ToWrite(Change change, std::string request_id);

class IncidentWriter {
 public:
  // The most changes (calls) one group takes; a Fire call counts as one.
  static constexpr size_t kMaxGroup = 256;
  // The most changes that may wait for a group; more are refused (RESOURCE_EXHAUSTED).
  static constexpr size_t kMaxWaiting = 16 * kMaxGroup;

  // A call's outcome, given once its group is durable, on the writer's thread: it must be
  // quick, and must not wait for the writer.
  template <typename T>
  using Done = absl::AnyInvocable<void(absl::StatusOr<T>)>;

  // Called with an incident's id and its next scheduler point (none: nothing pending) after
  // each commit and after each Fire, on the writer's thread. Must not call the writer.
  using WakeListener = std::function<void(int64_t id, std::optional<absl::Time> wake)>;

  // Starts the writer's thread; the destructor commits what is queued and joins it.
  IncidentWriter(Store& store, const Clock& clock, const Policy& policy);
  ~IncidentWriter();
  IncidentWriter(const IncidentWriter&) = delete;
  IncidentWriter& operator=(const IncidentWriter&) = delete;

  // Called with each committed change, in commit (sequence) order, on the writer's thread.
  // Must be quick and must not call the writer.
  using CommitListener = std::function<void(const Committed& change)>;

  // Set once each, before the first write.
  void SetWakeListener(WakeListener listener) { wake_listener_ = std::move(listener); }
  void SetCommitListener(CommitListener listener) { commit_listener_ = std::move(listener); }
  // From then on, each change also writes the notifications it causes (server/outbox.h) in
  // its own transaction, and those of each team's chat channel (team -> webhook name). Call
  // once, before the first write.
  void EnableNotifications(absl::flat_hash_map<std::string, std::string> team_channels = {}) {
    notify_ = true;
    team_channels_ = std::move(team_channels);
  }

  // Creates the incident and gives it to `done`, or the one this reporter already created with
  // the same request_id (a retried call must not report the incident twice).
  void Report(v1::ReportIncidentRequest request, Actor actor, ReportUsers users,
              Done<v1::Incident> done);

  // Applies the action to incident `id`. expected_version 0 means "whatever is current";
  // any other value must match the stored version, or the call is ABORTED. The incident
  // given to `done` carries the change's day-off warnings (core/day_off_warning.h) in
  // `warnings`. A `request_id` this actor already used for the same action on the same
  // incident applies nothing and gives the incident as that change left it (a retried call
  // must not apply it twice); used for anything else, INVALID_ARGUMENT. Empty: none.
  void Apply(int64_t id, int64_t expected_version, Action action, Actor actor,
             std::string request_id, Done<v1::Incident> done);

  struct HandedOver {
    std::vector<v1::Incident> moved;  // as changed, or as they would be
    std::vector<v1::Incident> cases;  // the hand-over cases started (id 0 with dry_run)
  };
  // A bulk hand-over: `action` (kHandOver) on every incident in `ids`, and a hand-over case
  // with its checklist for each client moved, owned by the successor (core/hand_over.h), who
  // is told once of it all. All or nothing as the rules go: everything is decided on the state
  // of the call's transaction first, and only if the core accepts every part is it written (in
  // that transaction). Otherwise FAILED_PRECONDITION listing each refusal, and nothing is
  // written; with `dry_run` nothing is written either way. (A database error while writing
  // fails the call; a full disk or an I/O error fails the whole transaction, but another may
  // leave the incidents written before it.)
  void HandOver(std::vector<int64_t> ids, Action action, Actor actor, bool dry_run,
                Done<HandedOver> done);

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
  // group, so that a burst of points costs one sync. A point at the Unix epoch marks an
  // incident stored before deadlines existed: it gets its stage's deadlines instead
  // (AdoptDeadlines). The wake listener hears of each incident's next point, fired or not.
  // An error of the commit itself fails the whole call and changes nothing. Waits for it.
  absl::StatusOr<Fired> Fire(std::vector<Due> due);

  // What the writer has committed so far, to see how commits group under load.
  struct Stats {
    int64_t groups = 0;         // transactions committed
    int64_t changes = 0;        // calls in them (a Fire counts once), failed ones included
    int64_t largest_group = 0;  // in calls
  };
  Stats stats() const;
  // Calls waiting for a group to take them, for tests that line up a group.
  int WaitingForTest() const;

 private:
  class Group;  // the calls of one transaction (writer.cc)
  // A call waiting in the queue.
  class Call {
   public:
    virtual ~Call() = default;
    // Decides and writes the call inside the group's transaction; the writer holds group_mu_.
    virtual absl::Status Run(Group& group) = 0;
    // Tells the caller: `status` is Run's, or the commit's error.
    virtual void Finish(absl::Status status) = 0;
  };
  template <typename T>
  class CallOf;  // a Call whose outcome is a T (writer.cc)
  // Queues the call that `decide` makes (at the front if urgent); `done` hears its outcome.
  template <typename T>
  void Submit(absl::AnyInvocable<absl::StatusOr<T>(Group&)> decide, Done<T> done, bool urgent);
  // The writer's thread: runs groups until the writer is destroyed and the queue is empty.
  void Loop();
  // Runs the calls in one transaction and tells the listeners. Sets each call's status.
  // Returns each call's status.
  std::vector<absl::Status> RunGroup(const std::vector<std::unique_ptr<Call>>& calls)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(group_mu_);

  // The rules for a team's incidents: the policy and the team's calendar, built once per
  // version of the team's settings. Reading the team each time picks up a calendar that
  // `amendsd admin team calendar` changed from another process.
  absl::StatusOr<Rules> RulesFor(const Team& team) ABSL_EXCLUSIVE_LOCKS_REQUIRED(group_mu_);
  absl::StatusOr<Rules> RulesForIncident(WriteTransaction& txn, const v1::Incident& incident)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(group_mu_);
  // Writes the change (ToWrite), made from `before` (empty for a report) under `rules`, with the
  // notifications it causes when they are enabled, and those `extra` adds about the incident
  // as committed.
  using ExtraNotices = std::function<std::vector<Notice>(const v1::Incident& committed)>;
  absl::StatusOr<Committed> Write(Group& group, const v1::Incident& before, IncidentWrite write,
                                  const Rules& rules, const ExtraNotices& extra = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(group_mu_);
  // The incidents of a client in a team, for Report() and a correction of the client.
  absl::StatusOr<std::vector<v1::Incident>> EarlierOf(WriteTransaction& txn,
                                                      absl::string_view team,
                                                      absl::string_view client)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(group_mu_);

  Store& store_;
  const Clock& clock_;
  const Policy& policy_;
  WakeListener wake_listener_;
  CommitListener commit_listener_;
  bool notify_ = false;
  absl::flat_hash_map<std::string, std::string> team_channels_;  // set before the first write
  mutable absl::Mutex mu_;
  std::deque<std::unique_ptr<Call>> queue_ ABSL_GUARDED_BY(mu_);  // oldest first
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::CondVar work_;  // the queue has a call, or stopping_
  Stats stats_ ABSL_GUARDED_BY(mu_);
  // Held by the writer's thread while a group runs: one group at a time, in commit order.
  absl::Mutex group_mu_;
  struct CachedCalendar {
    std::string settings;  // time zone and serialized calendar it was built from
    std::unique_ptr<BusinessCalendar> calendar;
  };
  absl::flat_hash_map<std::string, CachedCalendar> calendars_ ABSL_GUARDED_BY(group_mu_);
  std::thread thread_;  // last: started once everything above is
};

// Starts a call of the writer and waits for its outcome, for threads that may wait (the
// scheduler, tools, tests): Await<T>([&](IncidentWriter::Done<T> done) { ... done ... }).
template <typename T>
absl::StatusOr<T> Await(absl::FunctionRef<void(IncidentWriter::Done<T>)> start) {
  absl::Notification finished;
  std::optional<absl::StatusOr<T>> outcome;
  start([&](absl::StatusOr<T> result) {
    outcome = std::move(result);
    finished.Notify();
  });
  finished.WaitForNotification();
  return *std::move(outcome);
}

// Report and Apply, waiting for the outcome (Await), for threads that may wait.
inline absl::StatusOr<v1::Incident> ReportAndWait(IncidentWriter& writer,
                                                  const v1::ReportIncidentRequest& request,
                                                  const Actor& actor,
                                                  const ReportUsers& users = {}) {
  return Await<v1::Incident>([&](IncidentWriter::Done<v1::Incident> done) {
    writer.Report(request, actor, users, std::move(done));
  });
}
inline absl::StatusOr<v1::Incident> ApplyAndWait(IncidentWriter& writer, int64_t id,
                                                 int64_t expected_version, const Action& action,
                                                 const Actor& actor,
                                                 std::string request_id = "") {
  return Await<v1::Incident>([&](IncidentWriter::Done<v1::Incident> done) {
    writer.Apply(id, expected_version, action, actor, std::move(request_id), std::move(done));
  });
}

}  // namespace amends

#endif  // AMENDS_SERVER_WRITER_H_
