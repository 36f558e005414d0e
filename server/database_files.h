// The database's files on disk: which may be created, private modes, one server per database.
//
//   umask(077);  // at process start: new files 0600
//   absl::StatusOr<bool> is_new = CheckDatabasePath("/var/lib/amends/a.db", NewDatabase::kAllow);
//   absl::StatusOr<std::vector<std::string>> said = TightenDatabaseFiles("/var/lib/amends/a.db");
//   absl::StatusOr<ServerLock> lock = ServerLock::Take("/var/lib/amends/a.db");
//
// CheckDatabasePath: the one rule for what opening a database may bring into being, checked
// before anything touches the path (the lock file, SQLite). No command creates a directory: a
// missing one is far more often a mistyped --db than a new installation, which makes its
// directory itself (0700: `mkdir -m 700`, or the systemd unit's StateDirectory). A new
// database file is created only where the command allows it (kAllow: serving, and `amendsd
// admin team add`); every other admin command needs the file to exist (kRefuse). Returns
// whether the file is new, i.e. opening it will create an empty database, which the caller
// says. FAILED_PRECONDITION otherwise, one line naming the path and what to do, e.g.
//   no database at /var/lib/amend/amends.db; create one with 'amendsd admin --db
//   /var/lib/amend/amends.db team add TEAM --tz ZONE'
//
// TightenDatabaseFiles: the database and its -wal and -shm files, where they exist, lose every
// permission of group and others (0644 -> 0600); returns one line per file changed, for the
// log. ServerLock: an exclusive flock(2) on PATH.lock, held for the object's life and released
// by the kernel if the process dies (kill -9 included), so a stale lock never blocks a restart.
// The file holds the holder's pid, which the refusal names: FAILED_PRECONDITION "another
// amendsd (pid 4242) serves PATH". `amendsd admin` does not take it: SQLite's own locking keeps
// its writes safe beside the server's. Thread-compatible.
#ifndef AMENDS_SERVER_DATABASE_FILES_H_
#define AMENDS_SERVER_DATABASE_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace amends {

// Whether a command may create the database file when it does not exist (never a directory).
enum class NewDatabase { kRefuse, kAllow };

absl::StatusOr<bool> CheckDatabasePath(const std::string& db_path, NewDatabase new_database);

absl::StatusOr<std::vector<std::string>> TightenDatabaseFiles(const std::string& db_path);

class ServerLock {
 public:
  static absl::StatusOr<ServerLock> Take(const std::string& db_path);
  ServerLock(ServerLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ServerLock& operator=(ServerLock&&) = delete;
  ServerLock(const ServerLock&) = delete;
  ~ServerLock();

 private:
  explicit ServerLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_DATABASE_FILES_H_
