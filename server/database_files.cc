#include "server/database_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace amends {

absl::StatusOr<bool> CheckDatabasePath(const std::string& db_path, NewDatabase new_database) {
  struct stat st {};
  if (stat(db_path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          db_path, " is a directory; --db names the database file in it, e.g. ",
          (std::filesystem::path(db_path) / "amends.db").string()));
    }
    return false;
  }
  if (const int error = errno; error != ENOENT) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot inspect the database ", db_path, ": ", std::strerror(error)));
  }
  const std::filesystem::path parent = std::filesystem::path(db_path).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  const bool dir_missing = stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode);
  const std::string no_dir = absl::StrCat("there is no directory ", dir);
  switch (new_database) {
    case NewDatabase::kRefuse:
      if (dir_missing) {
        return absl::FailedPreconditionError(absl::StrCat(
            "no database at ", db_path, ": ", no_dir, " (check --db; amendsd creates no ",
            "directories: a new database needs 'mkdir -m 700 ", dir, "' first)"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("no database at ", db_path, "; create one with 'amendsd admin --db ",
                       db_path, " team add TEAM --tz ZONE'"));
    case NewDatabase::kAllow:
      if (dir_missing) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot create the database ", db_path, ": ", no_dir, " (check --db; amendsd ",
            "creates no directories: 'mkdir -m 700 ", dir, "' makes a private one)"));
      }
      return true;
  }
  return absl::InternalError("unreachable");
}

absl::StatusOr<std::vector<std::string>> TightenDatabaseFiles(const std::string& db_path) {
  std::vector<std::string> said;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string path = absl::StrCat(db_path, suffix);
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      return absl::FailedPreconditionError(
          absl::StrCat("cannot inspect ", path, ": ", std::strerror(errno)));
    }
    const mode_t mode = st.st_mode & 07777;
    if ((mode & 077) == 0) continue;
    const mode_t tight = mode & 0700;
    if (chmod(path.c_str(), tight) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, " is readable by other users and cannot be made private: ", std::strerror(errno)));
    }
    said.push_back(absl::StrFormat("made %s private: mode %04o -> %04o", path, mode, tight));
  }
  return said;
}

absl::StatusOr<ServerLock> ServerLock::Take(const std::string& db_path) {
  const std::string path = absl::StrCat(db_path, ".lock");
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open the lock file ", path, ": ", std::strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char buffer[32] = {0};
    const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
    close(fd);
    if (error != EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot lock ", path, ": ", std::strerror(error)));
    }
    int pid = 0;
    const bool known = n > 0 && absl::SimpleAtoi(absl::StripAsciiWhitespace(buffer), &pid);
    return absl::FailedPreconditionError(
        absl::StrCat("another amendsd", known ? absl::StrCat(" (pid ", pid, ")") : "",
                     " serves ", db_path, "; one server per database (", path, " is locked)"));
  }
  const std::string pid = absl::StrCat(getpid(), "\n");
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    const int error = errno;
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the lock file ", path, ": ", std::strerror(error)));
  }
  return ServerLock(fd);
}

ServerLock::~ServerLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

}  // namespace amends
