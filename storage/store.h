// Store: durable state of amends (teams, users, incidents and their timelines).
//
// An interface so that the server never sees which database is behind it: SQLite today
// (sqlite_store.h), PostgreSQL later. Incidents are stored as their API message plus the columns
// that queries filter on.
//
// Guarantees every implementation must give:
// - Commit() writes an incident and its one timeline event atomically and returns only after
//   both are durable. A crash loses an unacknowledged commit whole, never half of it.
// - Event sequence numbers are global and strictly increasing in commit order; never reused.
// - Commit() on an existing incident succeeds only if the stored version is exactly one less
//   than the new one (ABORTED otherwise), so a lost update is impossible even by mistake.
// - Reads never block on, nor see half of, a commit in progress.
// - Every commit also adds its event, with the incident as committed, to the stream's replay
//   window (ReadStream), in the same transaction. PruneStream drops the window's oldest
//   entries; timelines are never pruned.
//
// - Transact() runs many changes in one transaction with one sync (group commit); a change
//   that fails inside it leaves no trace and does not fail the others.
//
// Thread-safety: every method may be called from any thread. Callers route all writes through
// one writer (server/writer.h) so that commits can be grouped; the store does not rely on it.
#ifndef AMENDS_STORAGE_STORE_H_
#define AMENDS_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "amends/v1/policy.pb.h"

namespace amends {

struct Team {
  std::string name;
  std::string time_zone;  // IANA name, e.g. "Asia/Tokyo"
  v1::Calendar calendar;  // the team's own hours and holidays; empty: the policy's
  std::string language;   // "ja" or "en": of notifications to its members without their own
};

struct User {
  std::string name;
  std::string team;
  std::string role;  // "member", "manager", "observer" or "admin"
  bool has_token = false;  // false once revoked
  bool active = true;      // false once deactivated: given no work and told nothing, for good
  std::string email;       // empty: no mail is sent to this user
  std::string language;    // "ja", "en", or empty: the team's
  std::string webhook;     // a personal webhook's name (notify config), tried before mail
};

// Which notifications ListNotifications returns, newest first. Zero/empty fields do not filter.
struct NotificationQuery {
  int64_t incident_id = 0;
  std::vector<std::string> teams;  // any of these teams
  v1::Notification::State state = v1::Notification::STATE_UNSPECIFIED;
  int limit = 100;
};

// Which incidents ListIncidents returns. Empty strings and UNSPECIFIED enums do not filter.
// Confidential ones included: who may read what is core/visibility's to say.
struct IncidentQuery {
  std::string team;
  std::vector<v1::State> states;  // any of these; none: any state
  std::string owner;
  std::string client_key;  // normalised client name (see core/client_name.h)
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  // Only incidents that are not closed.
  bool open_only = false;
  // Only incidents with an open deadline due at or before this time.
  std::optional<absl::Time> due_before;
  // Only incidents whose escalation chain asks this team's managers (IncidentWrite).
  std::string asked_team;
  // Keyset paging, newest first: only incidents with id < before_id (0: from the newest).
  int64_t before_id = 0;
  int limit = 50;
};

struct Committed {
  v1::Incident incident;
  v1::Event event;
  int notifications = 0;  // outbox rows written with it
};

// One change to write: the incident as it stands after it, and the event recording it.
struct IncidentWrite {
  v1::Incident incident;  // id 0: a new incident; the store assigns the id
  v1::Event event;        // sequence and incident_id are assigned by the store
  std::string client_key;
  std::string request_id;  // new incidents only; empty: none
  // A change to an existing incident by a call with a client-chosen request id: kept with
  // the change, so that a retry finds it (WriteTransaction::FindRequest). Unset: none.
  struct Request {
    std::string caller;
    std::string id;
    std::string call;  // what the call did ("note", "escalate")
  };
  std::optional<Request> request;
  // Derived from the incident by the core (deadlines.h), stored so that they can be queried:
  // the scheduler's next point, the earliest open deadline, the team a chain asks.
  std::optional<absl::Time> wake_at;
  std::optional<absl::Time> next_due;
  std::string asked_team;
  // The outbox rows the change causes, if any: called with the change as committed (its id
  // and sequence known) inside the write, and written in the same transaction, so that a row
  // exists if and only if its change does. An error fails the write. The store fills in each
  // row's id, incident_id and sequence.
  std::function<absl::StatusOr<std::vector<v1::Notification>>(const Committed&)> notifications;
};


// A page of the stream's replay window (Store::ReadStream).
struct StreamPage {
  std::vector<Committed> entries;  // in sequence order
  // Every entry with a sequence up to this one was pruned (0: none ever was). Read in the same
  // snapshot as entries: a reader whose cursor is below it has missed changes.
  int64_t pruned_through = 0;
};

// The events of one team's incidents over a period (Store::ListEventsSince).
struct TeamEvents {
  std::vector<v1::Event> events;        // newest first
  std::vector<v1::Incident> incidents;  // each incident an event is on, once, as it is now
};

// The reads and writes of one write transaction (Store::Transact). Reads see the transaction's
// own earlier writes, so a change can be decided on the one before it in the same group.
// Valid only inside the Transact call that created it; used by that thread only.
class WriteTransaction {
 public:
  virtual ~WriteTransaction() = default;

  virtual absl::StatusOr<Team> GetTeam(absl::string_view name) = 0;
  virtual absl::StatusOr<v1::Incident> GetIncident(int64_t id) = 0;
  virtual absl::StatusOr<std::optional<v1::Incident>> FindByRequestId(
      absl::string_view reporter, absl::string_view request_id) = 0;
  virtual absl::StatusOr<std::vector<v1::Incident>> ListIncidents(
      const IncidentQuery& query) = 0;
  // The change `caller` made with `request_id` (IncidentWrite::request), if it is still kept.
  struct FoundRequest {
    std::string call;
    int64_t incident_id = 0;
    // As the change left it, while the stream's replay window holds it.
    std::optional<v1::Incident> incident;
  };
  virtual absl::StatusOr<std::optional<FoundRequest>> FindRequest(
      absl::string_view caller, absl::string_view request_id) = 0;
  // NOT_FOUND if there is no such user.
  virtual absl::StatusOr<User> GetUser(absl::string_view name) = 0;
  // The users of a team with this role ("manager"), revoked ones included, by name.
  virtual absl::StatusOr<std::vector<User>> TeamUsers(absl::string_view team,
                                                      absl::string_view role) = 0;

  // Writes one change (Store's rules: version check, sequence, stream entry) whole, or on
  // error none of it: the transaction stays as it was before the call, and its other changes
  // still commit. The exception is an error after which the database itself gave up the
  // transaction (a full disk, an I/O error): then every later call fails, and so does
  // Transact. Durable only once Transact returns OK.
  virtual absl::StatusOr<Committed> Write(const IncidentWrite& write) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // ALREADY_EXISTS if the name is taken.
  virtual absl::Status CreateTeam(const Team& team) = 0;
  // NOT_FOUND if there is no such team.
  virtual absl::StatusOr<Team> GetTeam(absl::string_view name) = 0;
  virtual absl::StatusOr<std::vector<Team>> ListTeams() = 0;
  // Replaces the team's own calendar. NOT_FOUND if there is no such team.
  virtual absl::Status SetTeamCalendar(absl::string_view team, const v1::Calendar& calendar) = 0;

  // token_hash is the hex SHA-256 of the bearer token; the token itself is never stored.
  // ALREADY_EXISTS if the name is taken, NOT_FOUND if the team does not exist.
  virtual absl::Status CreateUser(const User& user, absl::string_view token_hash) = 0;
  virtual absl::StatusOr<User> GetUser(absl::string_view name) = 0;
  // NOT_FOUND for an unknown or revoked token.
  virtual absl::StatusOr<User> GetUserByTokenHash(absl::string_view token_hash) = 0;
  virtual absl::StatusOr<std::vector<User>> ListUsers() = 0;
  // Replaces the user's token hash; an empty hash revokes every token. NOT_FOUND if no user.
  virtual absl::Status SetTokenHash(absl::string_view user, absl::string_view token_hash) = 0;
  // Revokes every token of the user and marks them inactive, at once. NOT_FOUND if no user.
  virtual absl::Status DeactivateUser(absl::string_view name) = 0;
  // Replaces the user's email and language (the other fields of `user` are ignored).
  // NOT_FOUND if no user.
  virtual absl::Status SetUserContact(const User& user) = 0;
  // NOT_FOUND if no team.
  virtual absl::Status SetTeamLanguage(absl::string_view team, absl::string_view language) = 0;

  virtual absl::StatusOr<v1::Incident> GetIncident(int64_t id) = 0;
  // The incident a reporter created with this request_id, if any.
  virtual absl::StatusOr<std::optional<v1::Incident>> FindByRequestId(
      absl::string_view reporter, absl::string_view request_id) = 0;
  // Newest first (descending id), at most query.limit.
  virtual absl::StatusOr<std::vector<v1::Incident>> ListIncidents(
      const IncidentQuery& query) = 0;
  // The incident's events after `after_sequence` (0: from the first), in sequence order, at
  // most `limit` (0: all). NOT_FOUND for an incident that does not exist.
  virtual absl::StatusOr<std::vector<v1::Event>> GetTimeline(int64_t incident_id,
                                                             int64_t after_sequence,
                                                             int limit) = 0;
  // The events of `team`'s incidents dated at or after `since`, newest first, of the `types`
  // given (empty: every type), with the incidents they are on, from one snapshot. Reads the
  // timelines backwards from the newest event of any team and stops at the first one dated
  // before `since`: its cost is the events of every team since then, never the whole history.
  // Events are committed in time order, but for a clock step, which may hide a few near
  // `since`.
  virtual absl::StatusOr<TeamEvents> ListEventsSince(absl::string_view team, absl::Time since,
                                                     const std::vector<v1::EventType>& types) = 0;

  // Runs fn in one write transaction, then makes all it wrote durable with one sync. If fn
  // returns an error, or the commit fails, nothing of it is kept and that error is returned;
  // OK means every Write that succeeded inside fn is durable. One transaction at a time: a
  // second Transact (from any thread) waits for the first to end.
  virtual absl::Status Transact(absl::FunctionRef<absl::Status(WriteTransaction&)> fn) = 0;

  // One change in a transaction of its own.
  absl::StatusOr<Committed> Commit(const IncidentWrite& write);
  // Several changes in one transaction, in order: all of them or none.
  absl::StatusOr<std::vector<Committed>> CommitAll(const std::vector<IncidentWrite>& writes);

  // The retained changes with a sequence above `after`, oldest first, at most `limit` (0: only
  // pruned_through).
  virtual absl::StatusOr<StreamPage> ReadStream(int64_t after, int limit) = 0;
  // Drops from the replay window, oldest first, at most `max_entries` of the changes whose
  // event time is before `before`, stopping at the first that is not, so that the window stays
  // a suffix of the sequence. Returns the new pruned_through (unchanged: nothing left to drop).
  // Works in small transactions: never holds up commits for long.
  virtual absl::StatusOr<int64_t> PruneStream(absl::Time before, int max_entries) = 0;
  // Forgets the request ids (IncidentWrite::request) of changes made before `before`; returns
  // how many.
  virtual absl::StatusOr<int64_t> PruneRequests(absl::Time before) = 0;
  // The newest committed sequence; 0 if there is none.
  virtual absl::StatusOr<int64_t> LastSequence() = 0;

  // Calls `fn` with the id and wake_at of every incident that has one, in no set order, from
  // one consistent snapshot. For the scheduler at start-up: must stream, not collect. The
  // migration that added deadlines sets wake_at to the Unix epoch on the incidents that were
  // open then (IncidentWriter::Fire adopts them).
  virtual absl::Status ForEachWakeup(absl::FunctionRef<void(int64_t id, absl::Time at)> fn) = 0;

  // The outbox (see server/dispatcher.h). A notification's due time is its not_before while
  // pending and its next_attempt while retrying; sent and failed ones are never due.
  //
  // Adds a notification that no change caused (a test message); returns it with its id.
  virtual absl::StatusOr<v1::Notification> AddNotification(v1::Notification n) = 0;
  // Adds the digest `n` for n.recipient() and `day` ("2026-11-30" in their team's calendar)
  // unless one was added for them that day, in one transaction: a digest goes once per
  // manager and day, across restarts. True if added.
  virtual absl::StatusOr<bool> AddDigest(absl::string_view day, v1::Notification n) = 0;
  // NOT_FOUND if there is no such notification.
  virtual absl::StatusOr<v1::Notification> GetNotification(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<v1::Notification>> ListNotifications(
      const NotificationQuery& query) = 0;
  // Pending or retrying notifications due at or before `now`, urgent ones first, then soonest
  // due first, at most `limit`, skipping the ids in `exclude` (those being sent); only urgent
  // ones if `urgent_only`.
  virtual absl::StatusOr<std::vector<v1::Notification>> DueNotifications(
      absl::Time now, int limit, const std::vector<int64_t>& exclude, bool urgent_only) = 0;
  // The earliest due time of a pending or retrying notification; nullopt if none.
  virtual absl::StatusOr<std::optional<absl::Time>> NextNotificationDue() = 0;
  // Replaces the stored notifications (matched by id) in one transaction: their state,
  // next_attempt and attempts after delivery attempts.
  virtual absl::Status UpdateNotifications(const std::vector<v1::Notification>& updated) = 0;
};

}  // namespace amends

#endif  // AMENDS_STORAGE_STORE_H_
