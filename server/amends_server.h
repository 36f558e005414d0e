// AmendsServer: amendsd's gRPC server, IncidentService plus the standard health and
// reflection services, listening on one address. Used by main() and by in-process tests.
//
// Start() returns once the server accepts calls; port() says which port it got (listen on
// "127.0.0.1:0" to let the system choose). Shutdown() lets in-flight calls finish, up to the
// grace period, then cancels what remains. Thread-safe; the store and clock must outlive it.
#ifndef AMENDS_SERVER_AMENDS_SERVER_H_
#define AMENDS_SERVER_AMENDS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "server/core/clock.h"
#include "server/incident_service.h"
#include "server/writer.h"
#include "storage/store.h"

namespace amends {

class AmendsServer {
 public:
  static absl::StatusOr<std::unique_ptr<AmendsServer>> Start(Store& store, const Clock& clock,
                                                             const std::string& listen);
  ~AmendsServer() { Shutdown(absl::ZeroDuration()); }

  int port() const { return port_; }
  void Shutdown(absl::Duration grace);

 private:
  AmendsServer(Store& store, const Clock& clock) : writer_(store, clock), service_(store, writer_) {}

  IncidentWriter writer_;
  IncidentService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace amends

#endif  // AMENDS_SERVER_AMENDS_SERVER_H_
