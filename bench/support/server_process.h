// ServerProcess: the real amendsd as a child process, listening on a free loopback port, so that
// a benchmark measures the server's memory and CPU apart from its own.
//
//   absl::StatusOr<std::unique_ptr<ServerProcess>> server =
//       ServerProcess::Start(db_path, {"--heartbeat", "15s"});
//   auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
//
// The binary is the amendsd built beside the benchmark (AMENDSD_PATH, set by bench/CMakeLists).
// Its stdout is read for the "amendsd listening on ADDRESS" line; its stderr is ours.
// Thread-safety: none needed; the methods only read /proc or signal the child.
#ifndef AMENDS_BENCH_SUPPORT_SERVER_PROCESS_H_
#define AMENDS_BENCH_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace amends::bench {

class ServerProcess {
 public:
  // Starts `amendsd --db DB --listen 127.0.0.1:0 EXTRA...` and waits until it listens.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& db, const std::vector<std::string>& extra_args = {});
  // Starts any server program and waits for the stdout line `listening` ADDRESS.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Spawn(std::vector<std::string> argv,
                                                              absl::string_view listening);

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  // Kills the child with SIGKILL if it still runs.
  ~ServerProcess();

  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  pid_t pid() const { return pid_; }

  // SIGTERM, then waits for the exit. Returns the exit code (128 + signal if killed) and
  // appends what it printed on stdout meanwhile to *printed when given.
  int Terminate(std::string* printed = nullptr);

 private:
  ServerProcess(pid_t pid, FILE* out) : pid_(pid), out_(out) {}
  bool ReadLine(std::string* line);
  // Reaps the child; returns its exit code as Terminate does.
  int Wait();

  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  bool exited_ = false;  // reaped: pid_ may belong to another process now
  std::string address_;
};

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_SERVER_PROCESS_H_
