// SqliteStore: the Store kept in one SQLite file, the embedded default of amends.
//
//   absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open("/var/lib/amends/db");
//   if (!store.ok()) return store.status();
//   absl::StatusOr<Committed> c = (*store)->Commit({.incident = ..., .event = ...});
//
// Each incident is one row holding the serialized v1::Incident plus the columns ListIncidents
// filters on; each timeline event is one row holding the serialized v1::Event, keyed by its
// sequence number. Each commit also keeps the incident as that event left it in the stream
// table (ReadStream's replay window), which PruneStream trims from the oldest end in batches.
// The schema is created and upgraded by numbered migrations at Open.
//
// Guarantees, beyond those of Store:
// - The file is in WAL mode with synchronous=FULL, so a write is durable when it returns, and
//   readers work on a snapshot without waiting for the writer.
// - A file written by a newer amends (a schema version this code does not know) is refused
//   with FAILED_PRECONDITION rather than misread.
// - Errors map to the code that tells the caller what to do: UNAVAILABLE when the file is
//   locked past the 5 s busy timeout (retry), ABORTED for a stale incident version (re-read
//   and retry), ALREADY_EXISTS / NOT_FOUND / FAILED_PRECONDITION for constraint violations,
//   DATA_LOSS for a corrupt file or a stored message that does not parse, INTERNAL otherwise.
//
// Thread-safety: every method may be called from any thread. Writes are serialized on one
// write connection; reads borrow a connection from a small pool, so they run in parallel with
// each other and with the writer.
#ifndef AMENDS_STORAGE_SQLITE_STORE_H_
#define AMENDS_STORAGE_SQLITE_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/store.h"

namespace amends {

namespace sqlite_internal {
class Connection;
}  // namespace sqlite_internal

class SqliteStore final : public Store {
 public:
  // Opens the database at path, creating the file if needed (its directory must exist), and
  // brings the schema to the latest version.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  // Like Open, but applies migrations only up to max_version (never downgrades), so tests can
  // build a file as an older release left it.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> OpenAtVersionForTest(const std::string& path,
                                                                           int max_version);

  // The newest schema version this code knows.
  static int LatestSchemaVersion();

  // SQLite's own check of the file at `path`, opened read-only and not as a store, so that a
  // damaged file can be examined (also while a server uses it: the check reads one snapshot).
  // `full`: integrity_check, every page and every index against its table; otherwise
  // quick_check (no index comparison), stopped once `budget` has passed. Errors (NOT_FOUND: no
  // such file; DATA_LOSS: not a database) do not name the file.
  struct Integrity {
    std::vector<std::string> problems;  // SQLite's words, at most 100; none: sound
    bool complete = true;               // false: the budget ran out first
    int64_t pages = 0;                  // the file's size in pages
  };
  static absl::StatusOr<Integrity> CheckIntegrity(const std::string& path, bool full,
                                                  absl::Duration budget);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override;

  // The schema version of the open file (PRAGMA user_version) after migration.
  int SchemaVersion() const { return schema_version_; }

  // Copies the database, as one committed snapshot, to the new file `destination` with
  // SQLite's online backup API, while writes go on; durable when it returns. The copy is a
  // database to serve as it is. ALREADY_EXISTS if `destination` exists; on any error nothing
  // is left at `destination`.
  absl::Status BackupTo(const std::string& destination);

  absl::Status CreateTeam(const Team& team) override;
  absl::StatusOr<Team> GetTeam(absl::string_view name) override;
  absl::StatusOr<std::vector<Team>> ListTeams() override;
  absl::Status SetTeamCalendar(absl::string_view team, const v1::Calendar& calendar) override;

  absl::Status CreateUser(const User& user, absl::string_view token_hash) override;
  absl::StatusOr<User> GetUser(absl::string_view name) override;
  absl::StatusOr<User> GetUserByTokenHash(absl::string_view token_hash) override;
  absl::StatusOr<std::vector<User>> ListUsers() override;
  absl::Status SetTokenHash(absl::string_view user, absl::string_view token_hash) override;
  absl::Status DeactivateUser(absl::string_view name) override;
  absl::Status SetUserContact(const User& user) override;
  absl::Status SetTeamLanguage(absl::string_view team, absl::string_view language) override;

  absl::StatusOr<v1::Incident> GetIncident(int64_t id) override;
  absl::StatusOr<std::optional<v1::Incident>> FindByRequestId(
      absl::string_view reporter, absl::string_view request_id) override;
  absl::StatusOr<std::vector<v1::Incident>> ListIncidents(const IncidentQuery& query) override;
  absl::StatusOr<std::vector<v1::Event>> GetTimeline(int64_t incident_id,
                                                     int64_t after_sequence,
                                                     int limit) override;
  absl::StatusOr<TeamEvents> ListEventsSince(absl::string_view team, absl::Time since,
                                             const std::vector<v1::EventType>& types) override;

  absl::Status Transact(absl::FunctionRef<absl::Status(WriteTransaction&)> fn) override;
  absl::StatusOr<StreamPage> ReadStream(int64_t after, int limit) override;
  absl::StatusOr<int64_t> PruneStream(absl::Time before, int max_entries) override;
  absl::StatusOr<int64_t> PruneRequests(absl::Time before) override;
  absl::StatusOr<int64_t> LastSequence() override;
  absl::Status ForEachWakeup(absl::FunctionRef<void(int64_t id, absl::Time at)> fn) override;

  absl::StatusOr<v1::Notification> AddNotification(v1::Notification n) override;
  absl::StatusOr<bool> AddDigest(absl::string_view day, v1::Notification n) override;
  absl::StatusOr<v1::Notification> GetNotification(int64_t id) override;
  absl::StatusOr<std::vector<v1::Notification>> ListNotifications(
      const NotificationQuery& query) override;
  absl::StatusOr<std::vector<v1::Notification>> DueNotifications(
      absl::Time now, int limit, const std::vector<int64_t>& exclude, bool urgent_only) override;
  absl::StatusOr<std::optional<absl::Time>> NextNotificationDue() override;
  absl::Status UpdateNotifications(const std::vector<v1::Notification>& updated) override;

 private:
  class ReadLease;
  class Transaction;

  SqliteStore(std::string path, std::unique_ptr<sqlite_internal::Connection> writer,
              int schema_version);

  // A read connection, reused from the pool or opened now; returned when the lease ends.
  absl::StatusOr<ReadLease> BorrowReader();
  void ReturnReader(std::unique_ptr<sqlite_internal::Connection> reader);

  // One change, inside a transaction (Transaction::Write).
  // REQUIRES: write_mu_ held and a write transaction open on writer_.
  absl::StatusOr<Committed> CommitLocked(const IncidentWrite& write)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const std::string path_;
  const int schema_version_;

  absl::Mutex write_mu_;
  std::unique_ptr<sqlite_internal::Connection> writer_ ABSL_GUARDED_BY(write_mu_);

  // Idle read connections. Opened on demand, so the pool grows to the number of concurrent
  // readers; at most kMaxIdleReaders are kept open between uses.
  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<sqlite_internal::Connection>> idle_readers_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace amends

#endif  // AMENDS_STORAGE_SQLITE_STORE_H_
