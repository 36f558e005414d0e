#include "bench/support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

extern char** environ;

namespace amends::bench {

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& db, const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {AMENDSD_PATH, "--db", db, "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return Spawn(std::move(argv), "amendsd listening on ");
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Spawn(
    std::vector<std::string> argv, absl::string_view listening) {
  // Close-on-exec, so that a later child (another server) does not hold this pipe open.
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (error != 0) {
    close(out[0]);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start ", argv[0], ": ", std::strerror(error)));
  }
  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, fdopen(out[0], "r")));
  for (std::string line; server->ReadLine(&line);) {
    if (absl::StartsWith(line, listening)) {
      server->address_ = line.substr(listening.size());
      return server;
    }
  }
  const int code = server->Wait();
  return absl::UnavailableError(absl::StrCat(argv[0], " exited with ", code,
                                             " before it listened (", absl::StrJoin(argv, " "),
                                             ")"));
}

ServerProcess::~ServerProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (out_ != nullptr) fclose(out_);
}

int ServerProcess::Terminate(std::string* printed) {
  if (!exited_) kill(pid_, SIGTERM);
  for (std::string line; ReadLine(&line);) {
    if (printed != nullptr) absl::StrAppend(printed, line, "\n");
  }
  return Wait();
}

int ServerProcess::Wait() {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exited_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool ServerProcess::ReadLine(std::string* line) {
  line->clear();
  if (out_ == nullptr) return false;
  int c;
  while ((c = fgetc(out_)) != EOF && c != '\n') line->push_back(static_cast<char>(c));
  return c != EOF || !line->empty();
}

}  // namespace amends::bench
