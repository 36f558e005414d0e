#include "storage/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "storage/storage_error.h"

namespace amends {
namespace {

// The schema, one migration per version: kMigrations[i] takes user_version i to i + 1.
// Append only; never edit a migration that has shipped.
constexpr const char* kMigrations[] = {
    // 1: teams and users.
    R"sql(
    CREATE TABLE teams (
      name      TEXT PRIMARY KEY NOT NULL,
      time_zone TEXT NOT NULL
    );
    CREATE TABLE users (
      name       TEXT PRIMARY KEY NOT NULL,
      team       TEXT NOT NULL REFERENCES teams(name),
      role       TEXT NOT NULL,
      token_hash TEXT UNIQUE,              -- NULL: no valid token (revoked)
      created_at INTEGER NOT NULL          -- Unix microseconds
    );
    CREATE INDEX users_by_team ON users(team);
    )sql",
    // 2: incidents and their timelines. The columns other than data are copies of fields of
    // the serialized v1::Incident that queries filter on.
    R"sql(
    CREATE TABLE incidents (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      team         TEXT NOT NULL,
      state        INTEGER NOT NULL,
      owner        TEXT NOT NULL,
      reporter     TEXT NOT NULL,
      client_key   TEXT NOT NULL,
      severity     INTEGER NOT NULL,
      confidential INTEGER NOT NULL,
      version      INTEGER NOT NULL,
      request_id   TEXT,                   -- NULL: none; NULLs never collide below
      data         BLOB NOT NULL,          -- v1::Incident
      UNIQUE (reporter, request_id)
    );
    -- Each serves one ListIncidents filter with newest-first keyset paging (id < ? ORDER BY
    -- id DESC) straight from the index.
    CREATE INDEX incidents_by_team ON incidents(team, id);
    CREATE INDEX incidents_by_team_state ON incidents(team, state, id);
    CREATE INDEX incidents_by_client ON incidents(client_key, id);
    CREATE INDEX incidents_by_owner ON incidents(owner, id);
    -- AUTOINCREMENT: a sequence number is never reused, even after a rollback or a delete.
    CREATE TABLE events (
      sequence         INTEGER PRIMARY KEY AUTOINCREMENT,
      incident_id      INTEGER NOT NULL REFERENCES incidents(id),
      time_unix_micros INTEGER NOT NULL,
      data             BLOB NOT NULL       -- v1::Event
    );
    CREATE INDEX events_by_incident ON events(incident_id, sequence);
    )sql",
    // 3: deadlines. The incident's deadlines live in its data; these columns are derived from
    // them for the scheduler and for deadline queries (all Unix microseconds).
    R"sql(
    ALTER TABLE teams ADD COLUMN calendar BLOB;        -- v1::Calendar; NULL: the policy's
    ALTER TABLE incidents ADD COLUMN wake_at INTEGER;  -- the scheduler's next point
    ALTER TABLE incidents ADD COLUMN next_due INTEGER; -- the earliest open deadline
    ALTER TABLE incidents ADD COLUMN asked_team TEXT;  -- a team an escalation chain asks
    CREATE INDEX incidents_by_wake ON incidents(wake_at) WHERE wake_at IS NOT NULL;
    CREATE INDEX incidents_by_due ON incidents(next_due, id) WHERE next_due IS NOT NULL;
    CREATE INDEX incidents_by_asked_team ON incidents(asked_team, id)
      WHERE asked_team IS NOT NULL;
    -- Open incidents from before deadlines existed: wake_at 0 asks the scheduler to set them.
    UPDATE incidents SET wake_at = 0 WHERE state != 6;
    )sql",
    // 4: the Watch stream's replay window: the incident as each event left it. Pruned after the
    // retention period; the events (timelines) themselves never are.
    R"sql(
    CREATE TABLE stream (
      sequence INTEGER PRIMARY KEY REFERENCES events(sequence),
      incident BLOB NOT NULL               -- v1::Incident right after the event
    );
    -- One row: every stream entry with a sequence up to pruned_through is gone. Events from
    -- before this version have no snapshot, so the window starts after them.
    CREATE TABLE stream_window (
      id INTEGER PRIMARY KEY CHECK (id = 0),
      pruned_through INTEGER NOT NULL
    );
    INSERT INTO stream_window VALUES (0, (SELECT COALESCE(MAX(sequence), 0) FROM events));
    )sql",
    // 5: notifications. Whom to mail, in which language; the outbox and its delivery log (each
    // row's data is the v1::Notification with its attempts, less its id). due_at is when the
    // dispatcher should try next (Unix microseconds); NULL once sent or failed. Rows are never
    // deleted, so a plain rowid key is never reused and needs no AUTOINCREMENT bookkeeping.
    R"sql(
    ALTER TABLE teams ADD COLUMN language TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
    CREATE TABLE notifications (
      id          INTEGER PRIMARY KEY,
      incident_id INTEGER NOT NULL,        -- 0: a test message
      team        TEXT NOT NULL,
      state       INTEGER NOT NULL,        -- v1::Notification::State
      urgent      INTEGER NOT NULL,
      due_at      INTEGER,
      data        BLOB NOT NULL            -- v1::Notification
    );
    -- The dispatcher's queue: urgent ones first, then by due time.
    CREATE INDEX notifications_by_due ON notifications(urgent, due_at) WHERE due_at IS NOT NULL;
    CREATE INDEX notifications_by_incident ON notifications(incident_id, id);
    -- Only failures are listed by team (the managers' inbox and --failed).
    CREATE INDEX notifications_failed_by_team ON notifications(team, id) WHERE state = 4;
    )sql",
    // 6: the file says it is an amends database (kApplicationId), so that a start on another
    // program's database is refused rather than migrated; users can be deactivated.
    R"sql(
    PRAGMA application_id = 1634561636;
    ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
    )sql",
    // 7: Incident.plan_presented_at, which recurrence depends on, set in incidents stored
    // before amends recorded it, from their timelines' "plan presented" events. Parsing the
    // stored messages takes C++: BackfillPlanPresented, run in the same transaction.
    "-- BackfillPlanPresented",
    // 8: kinds with playbooks of their own. Open harassment, conduct and hand-over incidents
    // stored in a stage their playbook skips move to the one it has instead, and the scheduler
    // sets that stage's deadlines (wake_at 0). C++: AdoptPlaybooks.
    "-- AdoptPlaybooks",
    // 9: a user's personal chat webhook, tried before mail.
    "ALTER TABLE users ADD COLUMN webhook TEXT NOT NULL DEFAULT '';",
    // 10: the managers' morning digests already written, one per manager and day.
    R"sql(
    CREATE TABLE digests (
      recipient TEXT NOT NULL,
      day       TEXT NOT NULL,  -- YYYY-MM-DD in the recipient's team calendar
      PRIMARY KEY (recipient, day)
    ) WITHOUT ROWID;
    )sql",
    // 11: the request ids of changes, so that a retried call is applied once (at least a day;
    // PruneRequests). The change's sequence finds its incident as it left it in the stream.
    R"sql(
    CREATE TABLE requests (
      caller      TEXT NOT NULL,
      request_id  TEXT NOT NULL,
      call        TEXT NOT NULL,
      incident_id INTEGER NOT NULL,
      sequence    INTEGER NOT NULL,
      created_at  INTEGER NOT NULL,  -- Unix microseconds
      PRIMARY KEY (caller, request_id)
    ) WITHOUT ROWID;
    CREATE INDEX requests_by_age ON requests(created_at);
    )sql",
};
constexpr int kLatestVersion = std::size(kMigrations);
// "amnd": the SQLite header's application_id of an amends database (migration 6).
constexpr int64_t kApplicationId = 0x616D6E64;
static_assert(kApplicationId == 1634561636);
// The migration whose SQL is only a marker: BackfillPlanPresented does its work.
constexpr int kBackfillPlanPresentedVersion = 7;
// And AdoptPlaybooks'.
constexpr int kAdoptPlaybooksVersion = 8;
// Databases from before migration 6 carry no application_id; they are known by the tables of
// migration 1.
constexpr int kFirstMarkedVersion = 6;

constexpr int kBusyTimeoutMs = 5000;
// Read connections kept open between uses: as many as the reads that run at once under load, so
// that a busy server does not open a connection (and prepare its statements) per call.
constexpr size_t kMaxIdleReaders = 64;

// The canonical code of SQLite's (extended) result code `rc`.
absl::StatusCode SqliteCode(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CONSTRAINT:
      return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY
                 ? absl::StatusCode::kAlreadyExists
                 : absl::StatusCode::kFailedPrecondition;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_FULL:
      return absl::StatusCode::kResourceExhausted;
    default:
      return absl::StatusCode::kInternal;
  }
}

// The Status for a failed SQLite call, marked as a storage error; `what` says what we were
// doing.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  const std::string message = absl::StrCat(
      what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), " (sqlite ", rc, ")");
  return MarkStorageError(absl::Status(SqliteCode(rc), message));
}

int64_t ToUnixMicros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1'000'000 + t.nanos() / 1'000;
}

}  // namespace

namespace sqlite_internal {

// A prepared statement borrowed from its connection's cache. Parameters are bound in order
// (Bind appends); the statement is reset when the handle goes away, so the next user starts
// clean and no read transaction stays open by accident.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)),
        next_param_(other.next_param_),
        bind_rc_(other.bind_rc_) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (stmt_ != nullptr) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }

  Statement& Bind(int64_t value) { return Check(sqlite3_bind_int64(stmt_, ++next_param_, value)); }
  // TEXT. An empty string binds '' (not NULL).
  Statement& Bind(absl::string_view text) {
    return Check(sqlite3_bind_text64(stmt_, ++next_param_, text.empty() ? "" : text.data(),
                                     text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  Statement& BindNull() { return Check(sqlite3_bind_null(stmt_, ++next_param_)); }
  Statement& BindTextOrNull(absl::string_view text) {
    return text.empty() ? Check(sqlite3_bind_null(stmt_, ++next_param_)) : Bind(text);
  }
  Statement& BindBlob(absl::string_view bytes) {
    return Check(sqlite3_bind_blob64(stmt_, ++next_param_, bytes.empty() ? "" : bytes.data(),
                                     bytes.size(), SQLITE_TRANSIENT));
  }

  // Advances to the next row: true if there is one, false when done.
  absl::StatusOr<bool> Step() {
    if (bind_rc_ != SQLITE_OK) return SqliteError(db(), bind_rc_, "bind");
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db(), sqlite3_extended_errcode(db()), sqlite3_sql(stmt_));
  }
  // Runs a statement that returns no rows.
  absl::Status Run() { return Step().status(); }

  int64_t Int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return Type(col) == SQLITE_NULL; }
  int Type(int col) const { return sqlite3_column_type(stmt_, col); }
  std::string Text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col));
  }
  // Parses a BLOB column into message; DATA_LOSS if it does not parse.
  absl::Status Parse(int col, google::protobuf::MessageLite& message) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    if (!message.ParseFromArray(p, sqlite3_column_bytes(stmt_, col))) {
      return MarkStorageError(absl::DataLossError(
          absl::StrCat("stored ", message.GetTypeName(), " does not parse: ", sqlite3_sql(stmt_))));
    }
    return absl::OkStatus();
  }

  sqlite3* db() const { return sqlite3_db_handle(stmt_); }

 private:
  Statement& Check(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }

  sqlite3_stmt* stmt_;
  int next_param_ = 0;
  int bind_rc_ = SQLITE_OK;  // the first bind error, reported by Step
};

// One SQLite connection and its prepared statements. Not thread-safe: used by one thread at a
// time (the writer under write_mu_, a reader while it holds the lease).
class Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only) {
    sqlite3* db = nullptr;
    // NOMUTEX: we serialize use of each connection ourselves.
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    auto conn = std::unique_ptr<Connection>(new Connection(db));  // closes db even on error
    if (rc != SQLITE_OK) return SqliteError(db, rc, absl::StrCat("cannot open database ", path));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    // temp_store=MEMORY keeps each change's savepoint journal in memory: on disk, a group's
    // journal outgrew SQLite's 64 KiB and was written to a new file in /var/tmp, costing the
    // writer more than the WAL itself (docs/PERFORMANCE.md, item 7).
    if (auto s = conn->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                            "PRAGMA temp_store=MEMORY");
        !s.ok()) {
      return s;
    }
    // Up to kMaxIdleReaders readers each keep their own page cache; the kernel's caches the
    // file for all of them, so a small one each keeps the server's memory in bounds.
    if (read_only) {
      if (auto s = conn->Exec("PRAGMA cache_size=-1024"); !s.ok()) return s;
    }
    return conn;
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  // Runs fixed SQL (pragmas, transaction control, migrations); never user text.
  absl::Status Exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? absl::OkStatus()
                           : SqliteError(db_, sqlite3_extended_errcode(db_), sql);
  }

  // The statement for sql, prepared once per connection.
  // REQUIRES: no other Statement for the same sql is alive on this connection.
  absl::StatusOr<Statement> Prepare(absl::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it == cache_.end()) {
      sqlite3_stmt* stmt = nullptr;
      const int rc = sqlite3_prepare_v3(db_, sql.data(), sql.size(), SQLITE_PREPARE_PERSISTENT,
                                        &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, absl::StrCat("prepare ", sql));
      it = cache_.emplace(std::string(sql), stmt).first;
    }
    return Statement(it->second);
  }

  // The value of an integer pragma, e.g. "PRAGMA user_version".
  absl::StatusOr<int64_t> PragmaInt(absl::string_view pragma) {
    absl::StatusOr<Statement> stmt = Prepare(pragma);
    if (!stmt.ok()) return stmt.status();
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return MarkStorageError(absl::InternalError(absl::StrCat(pragma, " returned no row")));
    }
    return stmt->Int64(0);
  }

  // Whether SQLite opened the file read-only (it does so silently when it may not write it).
  bool ReadOnly() const { return sqlite3_db_readonly(db_, "main") == 1; }
  // The extended result code of the last failed call, e.g. SQLITE_CONSTRAINT_FOREIGNKEY.
  int ErrorCode() const { return sqlite3_extended_errcode(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* db() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace sqlite_internal

using sqlite_internal::Connection;
using sqlite_internal::Statement;

namespace {

// Evaluates a StatusOr expression into `lhs`, or returns its error.
#define AMENDS_ASSIGN_OR_RETURN(lhs, expr) \
  AMENDS_ASSIGN_OR_RETURN_IMPL(lhs, expr, AMENDS_CONCAT(status_or_, __LINE__))
#define AMENDS_CONCAT(a, b) AMENDS_CONCAT_INNER(a, b)
#define AMENDS_CONCAT_INNER(a, b) a##b
#define AMENDS_ASSIGN_OR_RETURN_IMPL(lhs, expr, tmp) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()
#define AMENDS_RETURN_IF_ERROR(expr)          \
  do {                                        \
    if (absl::Status _s = (expr); !_s.ok()) { \
      return _s;                              \
    }                                         \
  } while (0)

// Runs fn inside BEGIN IMMEDIATE ... COMMIT on conn, rolling back if anything fails so that
// nothing is half-written. IMMEDIATE takes the write lock up front: a deferred transaction
// could fail with BUSY halfway, after reading.
template <typename Fn>
auto InWriteTransaction(Connection& conn, Fn fn) -> decltype(fn()) {
  AMENDS_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  auto result = fn();
  absl::Status status = [&] {
    if constexpr (std::is_same_v<decltype(result), absl::Status>) {
      return result;
    } else {
      return result.status();
    }
  }();
  if (status.ok()) status = conn.Exec("COMMIT");
  if (!status.ok()) {
    // SQLite may already have rolled back (e.g. after SQLITE_FULL); then there is nothing to do.
    if (conn.InTransaction()) conn.Exec("ROLLBACK").IgnoreError();
    return status;
  }
  return result;
}

// Runs fn inside BEGIN ... COMMIT on a read connection, so that all its selects see one
// snapshot. The transaction is ended on every path: a connection going back to the pool with
// a read transaction open would pin an old snapshot (and keep the WAL from being checkpointed).
// REQUIRES: every Statement fn uses is gone when fn returns.
template <typename Fn>
auto InReadTransaction(Connection& conn, Fn fn) -> decltype(fn()) {
  AMENDS_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  auto result = fn();
  // Nothing was written, so COMMIT only ends the snapshot; ROLLBACK if even that fails.
  if (absl::Status end = conn.Exec("COMMIT"); !end.ok()) {
    if (conn.InTransaction()) conn.Exec("ROLLBACK").IgnoreError();
    if (result.ok()) return end;
  }
  return result;
}

// The stream_window's pruned_through, as of conn's current transaction.
absl::StatusOr<int64_t> PrunedThrough(Connection& conn) {
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn.Prepare("SELECT pruned_through FROM stream_window WHERE id = 0"));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Step());
  // Migration 4 inserts the row and nothing deletes it.
  if (!found) return MarkStorageError(absl::DataLossError("stream_window has no row"));
  return stmt.Int64(0);
}

// At most this many stream entries are pruned per transaction, so that a large backlog never
// holds the write lock (and the commits behind it) for long.
constexpr int kPruneBatch = 1000;

// OK if the database conn is in (at schema version `version`) is an amends database or a new,
// empty file; FAILED_PRECONDITION, saying why, if it is another program's.
absl::Status CheckIsAmendsDatabase(Connection& conn, int64_t version) {
  AMENDS_ASSIGN_OR_RETURN(const int64_t application_id, conn.PragmaInt("PRAGMA application_id"));
  if (application_id == kApplicationId) return absl::OkStatus();
  const auto foreign = [](absl::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("it is not an amends database (", why, "); amends will not change it"));
  };
  if (application_id != 0) {
    return foreign(absl::StrCat("its application_id is ", application_id, ", not amends's ",
                                kApplicationId));
  }
  if (version >= kFirstMarkedVersion) {
    return foreign(absl::StrCat("schema version ", version, " but no amends application_id"));
  }
  // Unmarked: new (nothing in it), or from an amends before migration 6 (its first tables).
  AMENDS_ASSIGN_OR_RETURN(
      Statement tables,
      conn.Prepare("SELECT COUNT(*), COUNT(*) FILTER (WHERE type = 'table' AND name IN "
                   "('teams', 'users')) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"));
  AMENDS_ASSIGN_OR_RETURN(const bool row, tables.Step());
  const int64_t objects = row ? tables.Int64(0) : 0;
  const bool ours = row && tables.Int64(1) == 2;
  if (version == 0 ? objects == 0 : ours) return absl::OkStatus();
  return foreign(version == 0
                     ? "it holds tables amends did not make"
                     : absl::StrCat("schema version ", version, " without amends's tables"));
}

absl::StatusOr<std::string> Serialize(const google::protobuf::MessageLite& message) {
  std::string bytes;
  if (!message.SerializeToString(&bytes)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot serialize ", message.GetTypeName()));
  }
  return bytes;
}

// Migration 7: every incident whose timeline has a "plan presented" event gets the time of the
// last one as plan_presented_at. Reads every event once.
absl::Status BackfillPlanPresented(Connection& conn) {
  std::map<int64_t, google::protobuf::Timestamp> presented;
  {
    AMENDS_ASSIGN_OR_RETURN(Statement events,
                            conn.Prepare("SELECT incident_id, data FROM events ORDER BY sequence"));
    for (;;) {
      AMENDS_ASSIGN_OR_RETURN(const bool row, events.Step());
      if (!row) break;
      v1::Event event;
      AMENDS_RETURN_IF_ERROR(events.Parse(1, event));
      if (event.type() == v1::EVENT_TYPE_PLAN_PRESENTED) presented[events.Int64(0)] = event.time();
    }
  }
  for (const auto& [id, at] : presented) {
    v1::Incident incident;
    {
      AMENDS_ASSIGN_OR_RETURN(Statement get,
                              conn.Prepare("SELECT data FROM incidents WHERE id = ?"));
      AMENDS_ASSIGN_OR_RETURN(const bool found, get.Bind(id).Step());
      if (!found) continue;
      AMENDS_RETURN_IF_ERROR(get.Parse(0, incident));
    }
    *incident.mutable_plan_presented_at() = at;
    AMENDS_ASSIGN_OR_RETURN(const std::string data, Serialize(incident));
    AMENDS_ASSIGN_OR_RETURN(Statement put,
                            conn.Prepare("UPDATE incidents SET data = ? WHERE id = ?"));
    AMENDS_RETURN_IF_ERROR(put.BindBlob(data).Bind(id).Run());
  }
  return absl::OkStatus();
}

// Migration 8: where an open incident stored before its kind had a playbook now goes. Harassment
// and conduct go to the managers when reported and have no apology visit; a hand-over is never
// escalated, its visit introduces the successor, and it has no prevention plan.
// STATE_UNSPECIFIED: it stays.
v1::State PlaybookStage(v1::Kind kind, v1::State state) {
  const bool managers = kind == v1::KIND_HARASSMENT || kind == v1::KIND_CONDUCT;
  const bool hand_over = kind == v1::KIND_HAND_OVER;
  if (managers && state == v1::STATE_REPORTED) return v1::STATE_ESCALATED;
  if (managers && state == v1::STATE_APOLOGY_VISIT) return v1::STATE_PREVENTION_PLAN;
  if (hand_over && (state == v1::STATE_REPORTED || state == v1::STATE_ESCALATED)) {
    return v1::STATE_APOLOGY_VISIT;
  }
  if (hand_over && state == v1::STATE_PREVENTION_PLAN) return v1::STATE_FOLLOW_UP;
  return v1::STATE_UNSPECIFIED;
}

absl::Status AdoptPlaybooks(Connection& conn) {
  std::vector<std::pair<int64_t, v1::Incident>> moved;
  {
    AMENDS_ASSIGN_OR_RETURN(
        Statement open, conn.Prepare("SELECT id, data FROM incidents WHERE state IN (?, ?, ?, ?)"));
    open.Bind(int64_t{v1::STATE_REPORTED})
        .Bind(int64_t{v1::STATE_ESCALATED})
        .Bind(int64_t{v1::STATE_APOLOGY_VISIT})
        .Bind(int64_t{v1::STATE_PREVENTION_PLAN});
    for (;;) {
      AMENDS_ASSIGN_OR_RETURN(const bool row, open.Step());
      if (!row) break;
      v1::Incident incident;
      AMENDS_RETURN_IF_ERROR(open.Parse(1, incident));
      const v1::State to = PlaybookStage(incident.kind(), incident.state());
      if (to == v1::STATE_UNSPECIFIED) continue;
      incident.set_state(to);
      // A hold or reminder belonged to the old stage; the scheduler sets the new stage's
      // deadlines (AdoptDeadlines), and those of the open measures and promises again.
      incident.clear_deadlines();
      incident.clear_reminders();
      incident.clear_hold();
      moved.emplace_back(open.Int64(0), std::move(incident));
    }
  }
  for (const auto& [id, incident] : moved) {
    AMENDS_ASSIGN_OR_RETURN(const std::string data, Serialize(incident));
    AMENDS_ASSIGN_OR_RETURN(
        Statement put,
        conn.Prepare("UPDATE incidents SET data = ?, state = ?, wake_at = 0, next_due = NULL, "
                     "asked_team = NULL WHERE id = ?"));
    AMENDS_RETURN_IF_ERROR(put.BindBlob(data).Bind(int64_t{incident.state()}).Bind(id).Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Migrate(Connection& conn, int max_version) {
  for (;;) {
    // Read the version inside the transaction, so two processes opening the same file at once
    // cannot both apply a migration.
    bool done = false;
    absl::StatusOr<int> version = InWriteTransaction(conn, [&]() -> absl::StatusOr<int> {
      AMENDS_ASSIGN_OR_RETURN(const int64_t current, conn.PragmaInt("PRAGMA user_version"));
      if (current > kLatestVersion) {
        return absl::FailedPreconditionError(absl::StrCat(
            "database schema version ", current, " is newer than this build of amends knows (",
            kLatestVersion, "); run a newer amends"));
      }
      if (current >= max_version) {
        done = true;
        return static_cast<int>(current);
      }
      AMENDS_RETURN_IF_ERROR(conn.Exec(kMigrations[current]));
      if (current + 1 == kBackfillPlanPresentedVersion) {
        AMENDS_RETURN_IF_ERROR(BackfillPlanPresented(conn));
      }
      if (current + 1 == kAdoptPlaybooksVersion) AMENDS_RETURN_IF_ERROR(AdoptPlaybooks(conn));
      // user_version cannot be bound; the value is our own integer, not user text.
      AMENDS_RETURN_IF_ERROR(
          conn.Exec(absl::StrCat("PRAGMA user_version = ", current + 1).c_str()));
      return static_cast<int>(current + 1);
    });
    if (!version.ok()) return version.status();
    if (done) return *version;
  }
}

}  // namespace

// A read connection on loan from the pool; gives it back when destroyed.
class SqliteStore::ReadLease {
 public:
  ReadLease(SqliteStore* store, std::unique_ptr<Connection> conn)
      : store_(store), conn_(std::move(conn)) {}
  ReadLease(ReadLease&&) = default;
  ReadLease& operator=(ReadLease&&) = delete;
  ~ReadLease() {
    if (conn_ != nullptr) store_->ReturnReader(std::move(conn_));
  }
  Connection* operator->() const { return conn_.get(); }
  Connection& operator*() const { return *conn_; }

 private:
  SqliteStore* store_;
  std::unique_ptr<Connection> conn_;
};

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  return OpenAtVersionForTest(path, kLatestVersion);
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::OpenAtVersionForTest(
    const std::string& path, int max_version) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat("cannot open database ", path, ": directory ",
                                                      dir.string(), " does not exist"));
  }
  // Every refusal names the file; the operator reads it at start.
  const auto refuse = [&](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat("database ", path, ": ", s.message(),
                                               absl::IsDataLoss(s) ? "; run amendsd check" : ""));
  };
  absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(path, /*read_only=*/false);
  if (!opened.ok()) return refuse(opened.status());
  Connection& writer = **opened;
  if (writer.ReadOnly()) {
    return refuse(absl::FailedPreconditionError(
        "cannot write it (check the owner and mode of the file and of its directory)"));
  }
  // Before anything is written: another program's file is left as it is.
  absl::StatusOr<int64_t> found = writer.PragmaInt("PRAGMA user_version");
  if (!found.ok()) return refuse(found.status());
  if (absl::Status s = CheckIsAmendsDatabase(writer, *found); !s.ok()) return refuse(s);
  // WAL lets readers keep reading a snapshot while the writer commits; with synchronous=FULL
  // a commit is on disk when COMMIT returns. journal_mode is persistent in the file.
  absl::Status wal = [&]() -> absl::Status {
    AMENDS_ASSIGN_OR_RETURN(Statement mode, writer.Prepare("PRAGMA journal_mode=WAL"));
    AMENDS_ASSIGN_OR_RETURN(const bool has_row, mode.Step());
    if (!has_row || mode.Text(0) != "wal") {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot use WAL journal mode (got ", has_row ? mode.Text(0) : "nothing", ")"));
    }
    return absl::OkStatus();
  }();
  if (!wal.ok()) return refuse(wal);
  absl::StatusOr<int> version = Migrate(writer, max_version);
  if (!version.ok()) return refuse(version.status());
  // That it can be written now, not at the first change: one small write, committed.
  absl::Status writable = InWriteTransaction(writer, [&] {
    return writer.Exec(absl::StrCat("PRAGMA user_version = ", *version).c_str());
  });
  if (!writable.ok()) {
    return refuse(absl::Status(writable.code(), absl::StrCat("cannot write it: ",
                                                             writable.message())));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, *std::move(opened), *version));
}

int SqliteStore::LatestSchemaVersion() { return kLatestVersion; }

absl::StatusOr<SqliteStore::Integrity> SqliteStore::CheckIntegrity(const std::string& path,
                                                                   bool full,
                                                                   absl::Duration budget) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError("it does not exist");
  }
  AMENDS_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          Connection::Open(path, /*read_only=*/true));
  Integrity out;
  AMENDS_ASSIGN_OR_RETURN(out.pages, conn->PragmaInt("PRAGMA page_count"));
  // SQLite calls this every 10,000 steps of its virtual machine; non-zero interrupts the check.
  struct Budget {
    absl::Time deadline;
    bool spent = false;
  } limit{absl::Now() + budget};
  sqlite3_progress_handler(
      conn->db(), 10000,
      [](void* arg) {
        auto* b = static_cast<Budget*>(arg);
        b->spent = b->spent || absl::Now() >= b->deadline;
        return b->spent ? 1 : 0;
      },
      &limit);
  AMENDS_ASSIGN_OR_RETURN(
      Statement check,
      conn->Prepare(full ? "PRAGMA integrity_check(100)" : "PRAGMA quick_check(100)"));
  for (;;) {
    absl::StatusOr<bool> row = check.Step();
    if (!row.ok()) {
      if (limit.spent) {
        out.complete = false;
        break;
      }
      // Damage bad enough that SQLite stops checking is itself the finding.
      if (!absl::IsDataLoss(row.status())) return row.status();
      out.problems.emplace_back(row.status().message());
      break;
    }
    if (!*row) break;
    if (std::string line = check.Text(0); line != "ok") out.problems.push_back(std::move(line));
  }
  return out;
}

absl::Status SqliteStore::BackupTo(const std::string& destination) {
  std::error_code ec;
  if (std::filesystem::exists(destination, ec)) {
    return absl::AlreadyExistsError(
        absl::StrCat(destination, " already exists; a backup never overwrites a file"));
  }
  // Written beside the destination, then renamed: a reader never sees half a copy.
  const std::string partial = absl::StrCat(destination, ".partial");
  std::filesystem::remove(partial, ec);
  absl::Status copied = [&]() -> absl::Status {
    AMENDS_ASSIGN_OR_RETURN(ReadLease source, BorrowReader());
    sqlite3* copy = nullptr;
    const int rc = sqlite3_open_v2(partial.c_str(), &copy,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    const std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(copy, sqlite3_close_v2);
    if (rc != SQLITE_OK) return SqliteError(copy, rc, absl::StrCat("create ", partial));
    sqlite3_backup* backup = sqlite3_backup_init(copy, "main", source->db(), "main");
    if (backup == nullptr) {
      return SqliteError(copy, sqlite3_extended_errcode(copy), "start the backup");
    }
    // Every page in one step: one read transaction on the source, so one snapshot. The copy's
    // pages are written with its own journal and synced when the step commits.
    const int step = sqlite3_backup_step(backup, -1);
    const int finish = sqlite3_backup_finish(backup);
    if (step != SQLITE_DONE) return SqliteError(copy, step, "copy the database");
    if (finish != SQLITE_OK) return SqliteError(copy, finish, "finish the backup");
    return absl::OkStatus();
  }();
  if (copied.ok()) {
    std::filesystem::rename(partial, destination, ec);
    if (ec) {
      copied = absl::InternalError(
          absl::StrCat("cannot rename ", partial, " to ", destination, ": ", ec.message()));
    }
  }
  if (!copied.ok()) {
    std::filesystem::remove(partial, ec);
    return copied;
  }
  // The rename itself is durable once the directory is synced.
  const std::filesystem::path dir = std::filesystem::path(destination).parent_path();
  const int fd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) close(fd);
    return absl::InternalError(
        absl::StrCat("cannot sync ", dir.string(), ": ", std::strerror(err)));
  }
  close(fd);
  return absl::OkStatus();
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<Connection> writer, int schema_version)
    : path_(std::move(path)), schema_version_(schema_version), writer_(std::move(writer)) {}

SqliteStore::~SqliteStore() = default;

absl::StatusOr<SqliteStore::ReadLease> SqliteStore::BorrowReader() {
  {
    absl::MutexLock lock(&pool_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReadLease(this, std::move(conn));
    }
  }
  // Opened outside the lock: opening touches the file and other readers need not wait for it.
  AMENDS_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          Connection::Open(path_, /*read_only=*/true));
  return ReadLease(this, std::move(conn));
}

void SqliteStore::ReturnReader(std::unique_ptr<Connection> reader) {
  absl::MutexLock lock(&pool_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

// --- Teams and users ---

absl::Status SqliteStore::CreateTeam(const Team& team) {
  absl::MutexLock lock(&write_mu_);
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          writer_->Prepare("INSERT INTO teams (name, time_zone, language) "
                                           "VALUES (?, ?, ?)"));
  absl::Status s = stmt.Bind(team.name).Bind(team.time_zone).Bind(team.language).Run();
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError(absl::StrCat("team \"", team.name, "\" already exists"));
  }
  return s;
}

namespace {

constexpr char kSelectTeam[] = "SELECT name, time_zone, calendar, language FROM teams ";

absl::StatusOr<Team> TeamFromRow(const Statement& stmt) {
  Team team{.name = stmt.Text(0), .time_zone = stmt.Text(1), .language = stmt.Text(3)};
  if (!stmt.IsNull(2)) AMENDS_RETURN_IF_ERROR(stmt.Parse(2, team.calendar));
  return team;
}

absl::StatusOr<Team> GetTeamOn(Connection& conn, absl::string_view name) {
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn.Prepare(absl::StrCat(kSelectTeam, "WHERE name = ?")));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Bind(name).Step());
  if (!found) return absl::NotFoundError(absl::StrCat("team \"", name, "\" not found"));
  return TeamFromRow(stmt);
}

}  // namespace

absl::StatusOr<Team> SqliteStore::GetTeam(absl::string_view name) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return GetTeamOn(*conn, name);
}

absl::StatusOr<std::vector<Team>> SqliteStore::ListTeams() {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn->Prepare(absl::StrCat(kSelectTeam, "ORDER BY name")));
  std::vector<Team> teams;
  for (;;) {
    AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return teams;
    AMENDS_ASSIGN_OR_RETURN(Team team, TeamFromRow(stmt));
    teams.push_back(std::move(team));
  }
}

absl::Status SqliteStore::SetTeamCalendar(absl::string_view team, const v1::Calendar& calendar) {
  AMENDS_ASSIGN_OR_RETURN(const std::string data, Serialize(calendar));
  absl::MutexLock lock(&write_mu_);
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          writer_->Prepare("UPDATE teams SET calendar = ? WHERE name = ?"));
  AMENDS_RETURN_IF_ERROR(stmt.BindBlob(data).Bind(team).Run());
  if (writer_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("team \"", team, "\" not found"));
  }
  return absl::OkStatus();
}

namespace {

constexpr char kSelectUser[] =
    "SELECT name, team, role, token_hash IS NOT NULL, email, language, active, webhook "
    "FROM users ";

User UserFromRow(const Statement& stmt) {
  return User{.name = stmt.Text(0),
              .team = stmt.Text(1),
              .role = stmt.Text(2),
              .has_token = stmt.Int64(3) != 0,
              .active = stmt.Int64(6) != 0,
              .email = stmt.Text(4),
              .language = stmt.Text(5),
              .webhook = stmt.Text(7)};
}

absl::StatusOr<User> GetUserOn(Connection& conn, absl::string_view name) {
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn.Prepare(absl::StrCat(kSelectUser, "WHERE name = ?")));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Bind(name).Step());
  if (!found) return absl::NotFoundError(absl::StrCat("user \"", name, "\" not found"));
  return UserFromRow(stmt);
}

absl::StatusOr<std::vector<User>> TeamUsersOn(Connection& conn, absl::string_view team,
                                              absl::string_view role) {
  AMENDS_ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare(absl::StrCat(kSelectUser, "WHERE team = ? AND role = ? ORDER BY name")));
  stmt.Bind(team).Bind(role);
  std::vector<User> users;
  for (;;) {
    AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return users;
    users.push_back(UserFromRow(stmt));
  }
}

}  // namespace

absl::Status SqliteStore::CreateUser(const User& user, absl::string_view token_hash) {
  absl::MutexLock lock(&write_mu_);
  AMENDS_ASSIGN_OR_RETURN(
      Statement stmt,
      writer_->Prepare("INSERT INTO users (name, team, role, token_hash, created_at, email, "
                       "language) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  absl::Status s = stmt.Bind(user.name)
                       .Bind(user.team)
                       .Bind(user.role)
                       .BindTextOrNull(token_hash)
                       .Bind(absl::ToUnixMicros(absl::Now()))
                       .Bind(user.email)
                       .Bind(user.language)
                       .Run();
  if (s.ok()) return s;
  switch (writer_->ErrorCode()) {
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return absl::NotFoundError(absl::StrCat("team \"", user.team, "\" not found"));
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(absl::StrCat("user \"", user.name, "\" already exists"));
    case SQLITE_CONSTRAINT_UNIQUE:
      return absl::AlreadyExistsError("token hash is already in use by another user");
    default:
      return s;
  }
}

absl::StatusOr<User> SqliteStore::GetUser(absl::string_view name) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return GetUserOn(*conn, name);
}

absl::StatusOr<User> SqliteStore::GetUserByTokenHash(absl::string_view token_hash) {
  // Never echo the hash: it identifies a credential.
  if (token_hash.empty()) return absl::NotFoundError("no user has this token");
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn->Prepare(absl::StrCat(kSelectUser, "WHERE token_hash = ?")));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Bind(token_hash).Step());
  if (!found) return absl::NotFoundError("no user has this token");
  return UserFromRow(stmt);
}

absl::StatusOr<std::vector<User>> SqliteStore::ListUsers() {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn->Prepare(absl::StrCat(kSelectUser, "ORDER BY name")));
  std::vector<User> users;
  for (;;) {
    AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return users;
    users.push_back(UserFromRow(stmt));
  }
}

absl::Status SqliteStore::SetTokenHash(absl::string_view user, absl::string_view token_hash) {
  absl::MutexLock lock(&write_mu_);
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          writer_->Prepare("UPDATE users SET token_hash = ? WHERE name = ?"));
  absl::Status s = stmt.BindTextOrNull(token_hash).Bind(user).Run();
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError("token hash is already in use by another user");
  }
  if (!s.ok()) return s;
  if (writer_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("user \"", user, "\" not found"));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::DeactivateUser(absl::string_view name) {
  absl::MutexLock lock(&write_mu_);
  AMENDS_ASSIGN_OR_RETURN(
      Statement stmt,
      writer_->Prepare("UPDATE users SET active = 0, token_hash = NULL WHERE name = ?"));
  AMENDS_RETURN_IF_ERROR(stmt.Bind(name).Run());
  if (writer_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("user \"", name, "\" not found"));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::SetUserContact(const User& user) {
  absl::MutexLock lock(&write_mu_);
  AMENDS_ASSIGN_OR_RETURN(
      Statement stmt, writer_->Prepare(
          "UPDATE users SET email = ?, language = ?, webhook = ? WHERE name = ?"));
  AMENDS_RETURN_IF_ERROR(
      stmt.Bind(user.email).Bind(user.language).Bind(user.webhook).Bind(user.name).Run());
  if (writer_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("user \"", user.name, "\" not found"));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::SetTeamLanguage(absl::string_view team, absl::string_view language) {
  absl::MutexLock lock(&write_mu_);
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          writer_->Prepare("UPDATE teams SET language = ? WHERE name = ?"));
  AMENDS_RETURN_IF_ERROR(stmt.Bind(language).Bind(team).Run());
  if (writer_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("team \"", team, "\" not found"));
  }
  return absl::OkStatus();
}

// --- Incidents ---

namespace {

// The incident reads, on a read connection or on the writer inside a transaction.

absl::StatusOr<v1::Incident> GetIncidentOn(Connection& conn, int64_t id) {
  AMENDS_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("SELECT data FROM incidents WHERE id = ?"));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Bind(id).Step());
  if (!found) return absl::NotFoundError(absl::StrCat("incident ", id, " not found"));
  v1::Incident incident;
  AMENDS_RETURN_IF_ERROR(stmt.Parse(0, incident));
  return incident;
}

absl::StatusOr<std::optional<v1::Incident>> FindByRequestIdOn(Connection& conn,
                                                               absl::string_view reporter,
                                                               absl::string_view request_id) {
  if (request_id.empty()) return std::nullopt;
  AMENDS_ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT data FROM incidents WHERE reporter = ? AND request_id = ?"));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Bind(reporter).Bind(request_id).Step());
  if (!found) return std::nullopt;
  v1::Incident incident;
  AMENDS_RETURN_IF_ERROR(stmt.Parse(0, incident));
  return incident;
}

absl::StatusOr<std::optional<WriteTransaction::FoundRequest>> FindRequestOn(
    Connection& conn, absl::string_view caller, absl::string_view request_id) {
  AMENDS_ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT r.call, r.incident_id, s.incident FROM requests r "
                   "LEFT JOIN stream s ON s.sequence = r.sequence "
                   "WHERE r.caller = ? AND r.request_id = ?"));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Bind(caller).Bind(request_id).Step());
  if (!found) return std::nullopt;
  WriteTransaction::FoundRequest request{.call = stmt.Text(0), .incident_id = stmt.Int64(1)};
  if (!stmt.IsNull(2)) {
    AMENDS_RETURN_IF_ERROR(stmt.Parse(2, request.incident.emplace()));
  }
  return request;
}

absl::StatusOr<std::vector<v1::Incident>> ListIncidentsOn(Connection& conn,
                                                            const IncidentQuery& query) {
  if (query.limit <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("limit must be positive, got ", query.limit));
  }
  // The WHERE clause is made of fixed fragments only; every value is a bound parameter, added
  // in the same call as its fragment so the two cannot drift apart.
  std::vector<const char*> where;
  std::vector<std::variant<int64_t, absl::string_view>> params;
  auto add = [&](const char* fragment, auto... values) {
    where.push_back(fragment);
    (params.emplace_back(values), ...);
  };
  if (!query.team.empty()) add("team = ?", absl::string_view(query.team));
  if (!query.states.empty()) {
    // One fixed fragment per count, so that the index on (team, state, id) serves each state.
    static constexpr const char* kStateIn[] = {
        "state IN (?)", "state IN (?, ?)", "state IN (?, ?, ?)", "state IN (?, ?, ?, ?)",
        "state IN (?, ?, ?, ?, ?)", "state IN (?, ?, ?, ?, ?, ?)"};
    static_assert(std::size(kStateIn) == v1::State_ARRAYSIZE - 1, "one per state but UNSPECIFIED");
    if (query.states.size() > std::size(kStateIn)) {
      return absl::InvalidArgumentError("states: each state at most once");
    }
    where.push_back(kStateIn[query.states.size() - 1]);
    for (v1::State state : query.states) params.emplace_back(int64_t{state});
  }
  if (!query.owner.empty()) add("owner = ?", absl::string_view(query.owner));
  if (!query.client_key.empty()) add("client_key = ?", absl::string_view(query.client_key));
  if (query.severity != v1::SEVERITY_UNSPECIFIED) add("severity = ?", int64_t{query.severity});
  if (query.open_only) add("state != ?", int64_t{v1::STATE_CLOSED});
  if (query.due_before) add("next_due <= ?", absl::ToUnixMicros(*query.due_before));
  if (!query.asked_team.empty()) add("asked_team = ?", absl::string_view(query.asked_team));
  if (query.before_id > 0) add("id < ?", query.before_id);
  params.emplace_back(int64_t{query.limit});

  const std::string sql = absl::StrCat("SELECT data FROM incidents", where.empty() ? "" : " WHERE ",
                                       absl::StrJoin(where, " AND "), " ORDER BY id DESC LIMIT ?");
  AMENDS_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  for (const auto& param : params) std::visit([&](auto v) { stmt.Bind(v); }, param);

  std::vector<v1::Incident> incidents;
  for (;;) {
    AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return incidents;
    AMENDS_RETURN_IF_ERROR(stmt.Parse(0, incidents.emplace_back()));
  }
}

}  // namespace

absl::StatusOr<v1::Incident> SqliteStore::GetIncident(int64_t id) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return GetIncidentOn(*conn, id);
}

absl::StatusOr<std::optional<v1::Incident>> SqliteStore::FindByRequestId(
    absl::string_view reporter, absl::string_view request_id) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return FindByRequestIdOn(*conn, reporter, request_id);
}

absl::StatusOr<std::vector<v1::Incident>> SqliteStore::ListIncidents(const IncidentQuery& query) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return ListIncidentsOn(*conn, query);
}

absl::StatusOr<std::vector<v1::Event>> SqliteStore::GetTimeline(int64_t incident_id,
                                                                int64_t after_sequence,
                                                                int limit) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  std::vector<v1::Event> events;
  {
    AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                            conn->Prepare("SELECT data FROM events WHERE incident_id = ? AND "
                                          "sequence > ? ORDER BY sequence LIMIT ?"));
    stmt.Bind(incident_id).Bind(after_sequence).Bind(limit > 0 ? int64_t{limit} : -1);
    for (;;) {
      AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      AMENDS_RETURN_IF_ERROR(stmt.Parse(0, events.emplace_back()));
    }
  }
  // Every incident is committed with its first event, so no events means no incident.
  if (events.empty()) {
    AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                            conn->Prepare("SELECT 1 FROM events WHERE incident_id = ? LIMIT 1"));
    AMENDS_ASSIGN_OR_RETURN(const bool exists, stmt.Bind(incident_id).Step());
    if (!exists) return absl::NotFoundError(absl::StrCat("incident ", incident_id, " not found"));
  }
  return events;
}

absl::StatusOr<TeamEvents> SqliteStore::ListEventsSince(absl::string_view team, absl::Time since,
                                                        const std::vector<v1::EventType>& types) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return InReadTransaction(*conn, [&]() -> absl::StatusOr<TeamEvents> {
    TeamEvents found;
    std::vector<int64_t> ids;  // of found.incidents, in the order first seen
    std::unordered_set<int64_t> seen;
    {
      // CROSS JOIN keeps the events the outer loop, walked down their primary key (newest
      // first, no sort), each joined to its incident's team through the incidents' primary
      // key; only the team is read of the incident, not its blob.
      AMENDS_ASSIGN_OR_RETURN(
          Statement stmt,
          conn->Prepare("SELECT e.time_unix_micros, i.team = ?, e.data FROM events e "
                        "CROSS JOIN incidents i ON i.id = e.incident_id "
                        "ORDER BY e.sequence DESC"));
      stmt.Bind(team);
      for (;;) {
        AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
        // Compared as absl::Time: converting `since` to microseconds would round it.
        if (!row || absl::FromUnixMicros(stmt.Int64(0)) < since) break;
        if (stmt.Int64(1) == 0) continue;  // another team's
        v1::Event event;
        AMENDS_RETURN_IF_ERROR(stmt.Parse(2, event));
        if (!types.empty() && std::find(types.begin(), types.end(), event.type()) == types.end()) {
          continue;
        }
        if (seen.insert(event.incident_id()).second) ids.push_back(event.incident_id());
        found.events.push_back(std::move(event));
      }
    }
    found.incidents.reserve(ids.size());
    for (int64_t id : ids) {
      AMENDS_ASSIGN_OR_RETURN(v1::Incident incident, GetIncidentOn(*conn, id));
      found.incidents.push_back(std::move(incident));
    }
    return found;
  });
}

// A write transaction on the writer connection. Each Write runs in a savepoint, so that a
// failed one is undone alone. If SQLite rolled the whole transaction back by itself (it does
// on SQLITE_FULL, SQLITE_IOERR and a few others), the transaction is broken: every later
// call fails, and so does Transact, so nothing is reported durable that is not.
class SqliteStore::Transaction final : public WriteTransaction {
 public:
  explicit Transaction(SqliteStore& store) ABSL_EXCLUSIVE_LOCKS_REQUIRED(store.write_mu_)
      : store_(store), conn_(*store.writer_) {}

  const absl::Status& broken() const { return broken_; }

  absl::StatusOr<Team> GetTeam(absl::string_view name) override {
    AMENDS_RETURN_IF_ERROR(broken_);
    return Checked(GetTeamOn(conn_, name));
  }
  absl::StatusOr<v1::Incident> GetIncident(int64_t id) override {
    AMENDS_RETURN_IF_ERROR(broken_);
    return Checked(GetIncidentOn(conn_, id));
  }
  absl::StatusOr<std::optional<v1::Incident>> FindByRequestId(
      absl::string_view reporter, absl::string_view request_id) override {
    AMENDS_RETURN_IF_ERROR(broken_);
    return Checked(FindByRequestIdOn(conn_, reporter, request_id));
  }
  absl::StatusOr<std::vector<v1::Incident>> ListIncidents(const IncidentQuery& query) override {
    AMENDS_RETURN_IF_ERROR(broken_);
    return Checked(ListIncidentsOn(conn_, query));
  }
  absl::StatusOr<std::optional<FoundRequest>> FindRequest(
      absl::string_view caller, absl::string_view request_id) override {
    AMENDS_RETURN_IF_ERROR(broken_);
    return Checked(FindRequestOn(conn_, caller, request_id));
  }
  absl::StatusOr<User> GetUser(absl::string_view name) override {
    AMENDS_RETURN_IF_ERROR(broken_);
    return Checked(GetUserOn(conn_, name));
  }
  absl::StatusOr<std::vector<User>> TeamUsers(absl::string_view team,
                                              absl::string_view role) override {
    AMENDS_RETURN_IF_ERROR(broken_);
    return Checked(TeamUsersOn(conn_, team, role));
  }

  absl::StatusOr<Committed> Write(const IncidentWrite& write) override {
    store_.write_mu_.AssertHeld();  // for the transaction's life (Transact)
    AMENDS_RETURN_IF_ERROR(broken_);
    AMENDS_RETURN_IF_ERROR(Run("SAVEPOINT change"));
    absl::StatusOr<Committed> done = Checked(store_.CommitLocked(write));
    if (done.ok()) {
      AMENDS_RETURN_IF_ERROR(Run("RELEASE change"));
      return done;
    }
    if (!broken_.ok()) return done;
    // ROLLBACK TO keeps the savepoint open; RELEASE then ends it.
    AMENDS_RETURN_IF_ERROR(Run("ROLLBACK TO change"));
    AMENDS_RETURN_IF_ERROR(Run("RELEASE change"));
    return done;
  }

 private:
  // After a failed statement: if SQLite rolled the whole transaction back with it, every
  // later statement would run in a transaction of its own and commit at once, so the
  // transaction is marked broken and nothing more runs in it.
  template <typename T>
  T Checked(T result) {
    if (!result.ok() && broken_.ok() && !conn_.InTransaction()) {
      broken_ = MarkStorageError(absl::Status(
          result.status().code(),
          absl::StrCat("the transaction was rolled back: ", result.status().message())));
    }
    return result;
  }

  // Transaction control, prepared once: sqlite3_exec would parse it on every change.
  absl::Status Run(const char* sql) {
    absl::Status s = [&]() -> absl::Status {
      AMENDS_ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(sql));
      return stmt.Run();
    }();
    if (!s.ok() && broken_.ok()) broken_ = s;
    return s;
  }

  SqliteStore& store_;
  Connection& conn_;
  absl::Status broken_;
};

absl::Status SqliteStore::Transact(absl::FunctionRef<absl::Status(WriteTransaction&)> fn) {
  absl::MutexLock lock(&write_mu_);
  return InWriteTransaction(*writer_, [&]() -> absl::Status {
    write_mu_.AssertHeld();  // InWriteTransaction runs this at once
    Transaction txn(*this);
    AMENDS_RETURN_IF_ERROR(fn(txn));
    return txn.broken();
  });
}

namespace {

// A column value as SQLite stores it: NULL, INTEGER or TEXT.
using Value = std::variant<std::monostate, int64_t, std::string>;

// The incident columns a commit may change, other than version and data, in this order.
constexpr const char* kIndexedColumns[] = {"team",         "state",    "owner",    "reporter",
                                           "client_key",   "severity", "confidential",
                                           "wake_at",      "next_due", "asked_team"};

std::vector<Value> IndexedValues(const IncidentWrite& write) {
  const v1::Incident& incident = write.incident;
  auto time_or_null = [](const std::optional<absl::Time>& t) -> Value {
    if (!t) return std::monostate();
    return absl::ToUnixMicros(*t);
  };
  auto text_or_null = [](const std::string& text) -> Value {
    if (text.empty()) return std::monostate();
    return text;
  };
  return {incident.team(),
          int64_t{incident.state()},
          incident.owner(),
          incident.reporter(),
          write.client_key,
          int64_t{incident.severity()},
          int64_t{incident.confidential()},
          time_or_null(write.wake_at),
          time_or_null(write.next_due),
          text_or_null(write.asked_team)};
}

Value ColumnValue(const Statement& stmt, int col) {
  switch (stmt.Type(col)) {
    case SQLITE_NULL:
      return std::monostate();
    case SQLITE_INTEGER:
      return stmt.Int64(col);
    default:
      return stmt.Text(col);
  }
}

void BindValue(Statement& stmt, const Value& value) {
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          stmt.BindNull();
        } else {
          stmt.Bind(v);
        }
      },
      value);
}

// The next value AUTOINCREMENT would give `table`'s key. Known before the insert, so that the
// row's blob can carry its own id or sequence and is written once.
absl::StatusOr<int64_t> NextKey(Connection& conn, absl::string_view table) {
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn.Prepare("SELECT seq FROM sqlite_sequence WHERE name = ?"));
  AMENDS_ASSIGN_OR_RETURN(const bool found, stmt.Bind(table).Step());
  return found ? stmt.Int64(0) + 1 : 1;
}

// When the dispatcher should try a notification next: its not_before while pending, its
// next_attempt while retrying, never once it is sent or failed.
Value DueAt(const v1::Notification& n) {
  if (n.state() == v1::Notification::STATE_PENDING) return ToUnixMicros(n.not_before());
  if (n.state() == v1::Notification::STATE_RETRYING) return ToUnixMicros(n.next_attempt());
  return std::monostate();
}

// Inserts n with a new id; returns it with the id.
absl::StatusOr<v1::Notification> InsertNotification(Connection& conn, v1::Notification n) {
  n.clear_id();  // the row's key
  AMENDS_ASSIGN_OR_RETURN(const std::string data, Serialize(n));
  AMENDS_ASSIGN_OR_RETURN(
      Statement insert,
      conn.Prepare("INSERT INTO notifications (incident_id, team, state, urgent, due_at, data) "
                   "VALUES (?, ?, ?, ?, ?, ?)"));
  insert.Bind(n.incident_id()).Bind(n.team()).Bind(int64_t{n.state()}).Bind(int64_t{n.urgent()});
  BindValue(insert, DueAt(n));
  AMENDS_RETURN_IF_ERROR(insert.BindBlob(data).Run());
  n.set_id(conn.LastInsertRowid());
  return n;
}

}  // namespace

absl::StatusOr<Committed> SqliteStore::CommitLocked(const IncidentWrite& write) {
  Committed out{.incident = write.incident, .event = write.event};
  v1::Incident& incident = out.incident;
  v1::Event& event = out.event;
  const std::vector<Value> columns = IndexedValues(write);

  // The incident as stored in incidents.data; the stream entry below reuses the same bytes.
  std::string data;
  if (incident.id() == 0) {
    AMENDS_ASSIGN_OR_RETURN(const int64_t id, NextKey(*writer_, "incidents"));
    incident.set_id(id);
    AMENDS_ASSIGN_OR_RETURN(data, Serialize(incident));
    AMENDS_ASSIGN_OR_RETURN(
        Statement insert,
        writer_->Prepare("INSERT INTO incidents (team, state, owner, reporter, client_key, "
                         "severity, confidential, wake_at, next_due, asked_team, version, "
                         "request_id, data, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const Value& value : columns) BindValue(insert, value);
    absl::Status s = insert.Bind(incident.version())
                         .BindTextOrNull(write.request_id)
                         .BindBlob(data)
                         .Bind(id)
                         .Run();
    if (absl::IsAlreadyExists(s)) {
      return absl::AlreadyExistsError(absl::StrCat("incident with request_id \"", write.request_id,
                                                   "\" from ", incident.reporter(),
                                                   " already exists"));
    }
    AMENDS_RETURN_IF_ERROR(s);
  } else {
    // Only the columns that change are written: SQLite rewrites an index whenever the UPDATE
    // names one of its columns, changed or not, and most changes touch one or two.
    std::vector<Value> stored;
    {
      AMENDS_ASSIGN_OR_RETURN(
          Statement get,
          writer_->Prepare(absl::StrCat("SELECT version, ", absl::StrJoin(kIndexedColumns, ", "),
                                        " FROM incidents WHERE id = ?")));
      AMENDS_ASSIGN_OR_RETURN(const bool found, get.Bind(incident.id()).Step());
      if (!found) {
        return absl::NotFoundError(absl::StrCat("incident ", incident.id(), " not found"));
      }
      if (get.Int64(0) != incident.version() - 1) {
        // A lost race: the caller should retry on fresh data.
        return absl::AbortedError(absl::StrCat(
            "incident ", incident.id(), " was changed concurrently (version ", get.Int64(0),
            " stored, this change expects ", incident.version() - 1, ")"));
      }
      for (size_t i = 0; i < columns.size(); ++i) stored.push_back(ColumnValue(get, 1 + i));
    }
    std::string sql = "UPDATE incidents SET ";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] != stored[i]) absl::StrAppend(&sql, kIndexedColumns[i], " = ?, ");
    }
    absl::StrAppend(&sql, "version = ?, data = ? WHERE id = ?");
    AMENDS_ASSIGN_OR_RETURN(data, Serialize(incident));
    AMENDS_ASSIGN_OR_RETURN(Statement update, writer_->Prepare(sql));
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] != stored[i]) BindValue(update, columns[i]);
    }
    AMENDS_RETURN_IF_ERROR(update.Bind(incident.version()).BindBlob(data).Bind(incident.id()).Run());
  }

  event.set_incident_id(incident.id());
  AMENDS_ASSIGN_OR_RETURN(const int64_t sequence, NextKey(*writer_, "events"));
  event.set_sequence(sequence);
  AMENDS_ASSIGN_OR_RETURN(const std::string event_data, Serialize(event));
  AMENDS_ASSIGN_OR_RETURN(
      Statement insert,
      writer_->Prepare("INSERT INTO events (sequence, incident_id, time_unix_micros, data) "
                       "VALUES (?, ?, ?, ?)"));
  AMENDS_RETURN_IF_ERROR(insert.Bind(sequence)
                             .Bind(incident.id())
                             .Bind(ToUnixMicros(event.time()))
                             .BindBlob(event_data)
                             .Run());

  if (write.request) {
    AMENDS_ASSIGN_OR_RETURN(
        Statement request,
        writer_->Prepare("INSERT INTO requests (caller, request_id, call, incident_id, sequence, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?)"));
    AMENDS_RETURN_IF_ERROR(request.Bind(write.request->caller)
                               .Bind(write.request->id)
                               .Bind(write.request->call)
                               .Bind(incident.id())
                               .Bind(sequence)
                               .Bind(ToUnixMicros(event.time()))
                               .Run());
  }

  // The stream's replay entry, in the same transaction: a Watch replay never misses a commit
  // nor sees one that was rolled back.
  AMENDS_ASSIGN_OR_RETURN(
      Statement stream, writer_->Prepare("INSERT INTO stream (sequence, incident) VALUES (?, ?)"));
  AMENDS_RETURN_IF_ERROR(stream.Bind(event.sequence()).BindBlob(data).Run());

  // The outbox rows, in the same transaction: a notification exists if and only if the change
  // that caused it was committed.
  if (write.notifications) {
    AMENDS_ASSIGN_OR_RETURN(std::vector<v1::Notification> rows, write.notifications(out));
    for (v1::Notification& n : rows) {
      n.set_incident_id(incident.id());
      n.set_sequence(event.sequence());
      AMENDS_RETURN_IF_ERROR(InsertNotification(*writer_, std::move(n)).status());
      ++out.notifications;
    }
  }
  return out;
}

// --- Notifications ---

absl::StatusOr<v1::Notification> SqliteStore::AddNotification(v1::Notification n) {
  absl::MutexLock lock(&write_mu_);
  return InWriteTransaction(*writer_, [&] {
    write_mu_.AssertHeld();  // InWriteTransaction runs this at once
    return InsertNotification(*writer_, std::move(n));
  });
}

absl::StatusOr<bool> SqliteStore::AddDigest(absl::string_view day, v1::Notification n) {
  absl::MutexLock lock(&write_mu_);
  return InWriteTransaction(*writer_, [&]() -> absl::StatusOr<bool> {
    write_mu_.AssertHeld();  // InWriteTransaction runs this at once
    AMENDS_ASSIGN_OR_RETURN(
        Statement mark,
        writer_->Prepare("INSERT OR IGNORE INTO digests (recipient, day) VALUES (?, ?)"));
    AMENDS_RETURN_IF_ERROR(mark.Bind(absl::string_view(n.recipient())).Bind(day).Run());
    if (writer_->Changes() == 0) return false;
    AMENDS_ASSIGN_OR_RETURN(v1::Notification added, InsertNotification(*writer_, std::move(n)));
    return true;
  });
}

namespace {

// Rows of (id, data).
absl::StatusOr<std::vector<v1::Notification>> NotificationRows(Statement& stmt) {
  std::vector<v1::Notification> out;
  for (;;) {
    AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return out;
    v1::Notification& n = out.emplace_back();
    AMENDS_RETURN_IF_ERROR(stmt.Parse(1, n));
    n.set_id(stmt.Int64(0));
  }
}

}  // namespace

absl::StatusOr<v1::Notification> SqliteStore::GetNotification(int64_t id) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn->Prepare("SELECT id, data FROM notifications WHERE id = ?"));
  stmt.Bind(id);
  AMENDS_ASSIGN_OR_RETURN(std::vector<v1::Notification> found, NotificationRows(stmt));
  if (found.empty()) return absl::NotFoundError(absl::StrCat("notification ", id, " not found"));
  return std::move(found.front());
}

absl::StatusOr<std::vector<v1::Notification>> SqliteStore::ListNotifications(
    const NotificationQuery& query) {
  std::string sql = "SELECT id, data FROM notifications WHERE 1";
  if (query.incident_id != 0) absl::StrAppend(&sql, " AND incident_id = ?");
  if (!query.teams.empty()) {
    absl::StrAppend(&sql, " AND team IN (?",
                    absl::StrJoin(std::vector<std::string>(query.teams.size() - 1, ", ?"), ""),
                    ")");
  }
  // Written out, not bound, so that the planner can use the partial index of failures.
  if (query.state != v1::Notification::STATE_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND state = ", int64_t{query.state});
  }
  absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ?");
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  AMENDS_ASSIGN_OR_RETURN(Statement stmt, conn->Prepare(sql));
  if (query.incident_id != 0) stmt.Bind(query.incident_id);
  for (const std::string& team : query.teams) stmt.Bind(team);
  stmt.Bind(int64_t{query.limit});
  return NotificationRows(stmt);
}

absl::StatusOr<std::vector<v1::Notification>> SqliteStore::DueNotifications(
    absl::Time now, int limit, const std::vector<int64_t>& exclude, bool urgent_only) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return InReadTransaction(*conn, [&]() -> absl::StatusOr<std::vector<v1::Notification>> {
    std::vector<v1::Notification> out;
    // Urgent ones first, so that a backlog of routine mail never holds up "tell your manager
    // at once".
    for (const int64_t urgent : {1, 0}) {
      if (urgent == 0 && urgent_only) break;
      AMENDS_ASSIGN_OR_RETURN(
          Statement stmt,
          conn->Prepare("SELECT id, data FROM notifications INDEXED BY notifications_by_due "
                        "WHERE urgent = ? AND due_at IS NOT NULL AND due_at <= ? "
                        "ORDER BY due_at, id"));
      stmt.Bind(urgent).Bind(absl::ToUnixMicros(now));
      while (static_cast<int>(out.size()) < limit) {
        AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
        if (!row) break;
        if (std::find(exclude.begin(), exclude.end(), stmt.Int64(0)) != exclude.end()) continue;
        v1::Notification& n = out.emplace_back();
        AMENDS_RETURN_IF_ERROR(stmt.Parse(1, n));
        n.set_id(stmt.Int64(0));
      }
    }
    return out;
  });
}

absl::StatusOr<std::optional<absl::Time>> SqliteStore::NextNotificationDue() {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  return InReadTransaction(*conn, [&]() -> absl::StatusOr<std::optional<absl::Time>> {
    std::optional<absl::Time> next;
    for (const int64_t urgent : {1, 0}) {  // one step down the index each
      AMENDS_ASSIGN_OR_RETURN(
          Statement stmt,
          conn->Prepare("SELECT MIN(due_at) FROM notifications INDEXED BY notifications_by_due "
                        "WHERE urgent = ? AND due_at IS NOT NULL"));
      AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Bind(urgent).Step());
      if (!row || stmt.IsNull(0)) continue;
      const absl::Time at = absl::FromUnixMicros(stmt.Int64(0));
      if (!next || at < *next) next = at;
    }
    return next;
  });
}

absl::Status SqliteStore::UpdateNotifications(const std::vector<v1::Notification>& updated) {
  if (updated.empty()) return absl::OkStatus();
  absl::MutexLock lock(&write_mu_);
  return InWriteTransaction(*writer_, [&]() -> absl::Status {
    write_mu_.AssertHeld();  // InWriteTransaction runs this at once
    for (v1::Notification n : updated) {
      const int64_t id = n.id();
      n.clear_id();  // the row's key
      AMENDS_ASSIGN_OR_RETURN(const std::string data, Serialize(n));
      AMENDS_ASSIGN_OR_RETURN(
          Statement stmt,
          writer_->Prepare("UPDATE notifications SET state = ?, due_at = ?, data = ? WHERE id = ?"));
      stmt.Bind(int64_t{n.state()});
      BindValue(stmt, DueAt(n));
      AMENDS_RETURN_IF_ERROR(stmt.BindBlob(data).Bind(id).Run());
      if (writer_->Changes() == 0) {
        return absl::NotFoundError(absl::StrCat("notification ", id, " not found"));
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<StreamPage> SqliteStore::ReadStream(int64_t after, int limit) {
  if (limit < 0) {
    return absl::InvalidArgumentError(absl::StrCat("limit must not be negative, got ", limit));
  }
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  // One snapshot for both selects: a prune committed between them would otherwise make the
  // page look complete while pruned_through says nothing was missed.
  return InReadTransaction(*conn, [&]() -> absl::StatusOr<StreamPage> {
    StreamPage page;
    AMENDS_ASSIGN_OR_RETURN(page.pruned_through, PrunedThrough(*conn));
    if (limit == 0) return page;
    AMENDS_ASSIGN_OR_RETURN(
        Statement stmt,
        conn->Prepare("SELECT e.data, s.incident FROM stream s "
                      "JOIN events e ON e.sequence = s.sequence "
                      "WHERE s.sequence > ? ORDER BY s.sequence LIMIT ?"));
    stmt.Bind(after).Bind(int64_t{limit});
    for (;;) {
      AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) return page;
      Committed& entry = page.entries.emplace_back();
      AMENDS_RETURN_IF_ERROR(stmt.Parse(0, entry.event));
      AMENDS_RETURN_IF_ERROR(stmt.Parse(1, entry.incident));
    }
  });
}

absl::StatusOr<int64_t> SqliteStore::PruneRequests(absl::Time before) {
  absl::MutexLock lock(&write_mu_);
  return InWriteTransaction(*writer_, [&]() -> absl::StatusOr<int64_t> {
    write_mu_.AssertHeld();  // InWriteTransaction runs this at once
    AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                            writer_->Prepare("DELETE FROM requests WHERE created_at < ?"));
    AMENDS_RETURN_IF_ERROR(stmt.Bind(absl::ToUnixMicros(before)).Run());
    return writer_->Changes();
  });
}

absl::StatusOr<int64_t> SqliteStore::PruneStream(absl::Time before, int max_entries) {
  if (max_entries <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_entries must be positive, got ", max_entries));
  }
  for (int left = max_entries;;) {
    // The lock is taken per batch, so commits waiting on it get in between batches.
    absl::MutexLock lock(&write_mu_);
    const int batch = std::min(left, kPruneBatch);
    bool more = false;
    AMENDS_ASSIGN_OR_RETURN(
        const int64_t pruned_through,
        InWriteTransaction(*writer_, [&]() -> absl::StatusOr<int64_t> {
          write_mu_.AssertHeld();  // InWriteTransaction runs this at once
          AMENDS_ASSIGN_OR_RETURN(const int64_t from, PrunedThrough(*writer_));
          int64_t last = from;
          {
            AMENDS_ASSIGN_OR_RETURN(
                Statement stmt,
                writer_->Prepare("SELECT s.sequence, e.time_unix_micros FROM stream s "
                                 "JOIN events e ON e.sequence = s.sequence "
                                 "WHERE s.sequence > ? ORDER BY s.sequence LIMIT ?"));
            stmt.Bind(from).Bind(int64_t{batch});
            int rows = 0;
            for (;;) {
              AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
              if (!row) break;
              // Compared as absl::Time: converting `before` to microseconds would round it.
              // Stops at the first entry not older, even if later ones are (clocks are not
              // monotonic), so that the window stays a suffix of the sequence.
              if (absl::FromUnixMicros(stmt.Int64(1)) >= before) break;
              last = stmt.Int64(0);
              ++rows;
            }
            // A full batch, all of it old: there may be more behind it.
            more = rows == batch;
          }
          if (last == from) return from;
          AMENDS_ASSIGN_OR_RETURN(Statement drop,
                                  writer_->Prepare("DELETE FROM stream WHERE sequence <= ?"));
          AMENDS_RETURN_IF_ERROR(drop.Bind(last).Run());
          AMENDS_ASSIGN_OR_RETURN(
              Statement mark,
              writer_->Prepare("UPDATE stream_window SET pruned_through = ? WHERE id = 0"));
          AMENDS_RETURN_IF_ERROR(mark.Bind(last).Run());
          return last;
        }));
    left -= batch;
    if (!more || left == 0) return pruned_through;
  }
}

absl::StatusOr<int64_t> SqliteStore::LastSequence() {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  // MAX of the rowid is one step down its b-tree. Events are never deleted, and AUTOINCREMENT
  // never reuses a number, so this is the newest sequence ever committed.
  AMENDS_ASSIGN_OR_RETURN(Statement stmt,
                          conn->Prepare("SELECT COALESCE(MAX(sequence), 0) FROM events"));
  AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return MarkStorageError(absl::InternalError("MAX(sequence) returned no row"));
  return stmt.Int64(0);
}

absl::Status SqliteStore::ForEachWakeup(
    absl::FunctionRef<void(int64_t id, absl::Time at)> fn) {
  AMENDS_ASSIGN_OR_RETURN(ReadLease conn, BorrowReader());
  // Served from the partial index alone: a million rows stream in well under a second.
  AMENDS_ASSIGN_OR_RETURN(
      Statement stmt,
      conn->Prepare("SELECT id, wake_at FROM incidents INDEXED BY incidents_by_wake "
                    "WHERE wake_at IS NOT NULL"));
  for (;;) {
    AMENDS_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return absl::OkStatus();
    fn(stmt.Int64(0), absl::FromUnixMicros(stmt.Int64(1)));
  }
}

}  // namespace amends
