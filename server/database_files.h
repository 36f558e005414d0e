// The database's files on disk: private modes and one server per database.
//
//   umask(077);  // at process start: new directories 0700, new files 0600
//   absl::StatusOr<std::vector<std::string>> said = TightenDatabaseFiles("/var/lib/amends/a.db");
//   absl::StatusOr<ServerLock> lock = ServerLock::Take("/var/lib/amends/a.db");
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
