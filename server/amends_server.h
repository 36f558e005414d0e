// AmendsServer: amendsd's gRPC server, IncidentService plus the standard health and
// reflection services, listening on one address, and the deadline scheduler. Used by main()
// and by in-process tests.
//
// Start() loads the scheduler (so that points missed while the server was down fire first)
// and returns once the server accepts calls; port() says which port it got (listen on
// "127.0.0.1:0" to let the system choose). With a fake clock, leave run_scheduler off and
// call scheduler().RunDue() after moving the clock. Shutdown() stops the scheduler, lets
// in-flight calls finish up to the grace period, then cancels what remains. Thread-safe; the
// store, clock and policy must outlive it.
#ifndef AMENDS_SERVER_AMENDS_SERVER_H_
#define AMENDS_SERVER_AMENDS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "server/core/clock.h"
#include "server/core/policy.h"
#include "server/incident_service.h"
#include "server/scheduler.h"
#include "server/writer.h"
#include "storage/store.h"

namespace amends {

class AmendsServer {
 public:
  struct Options {
    std::string listen = "127.0.0.1:0";
    // Fire deadlines on a thread as the (real) clock reaches them.
    bool run_scheduler = true;
  };
  static absl::StatusOr<std::unique_ptr<AmendsServer>> Start(Store& store, const Clock& clock,
                                                             const Policy& policy,
                                                             const Options& options);
  ~AmendsServer() { Shutdown(absl::ZeroDuration()); }

  int port() const { return port_; }
  Scheduler& scheduler() { return scheduler_; }
  IncidentWriter& writer() { return writer_; }
  void Shutdown(absl::Duration grace);

 private:
  AmendsServer(Store& store, const Clock& clock, const Policy& policy)
      : writer_(store, clock, policy),
        scheduler_(writer_, clock),
        service_(store, writer_, clock) {}

  IncidentWriter writer_;
  Scheduler scheduler_;
  IncidentService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace amends

#endif  // AMENDS_SERVER_AMENDS_SERVER_H_
