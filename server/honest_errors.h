// What a failed call is told, whatever service or handler answered it (a server interceptor
// that ConfigureServerBuilder() in amends_server.h installs on every service):
// - A request gRPC cannot decode into the method's request type (malformed bytes, a text field
//   that is not UTF-8) is the caller's mistake: INVALID_ARGUMENT "request: not a valid request
//   of /amends.v1.IncidentService/AddNote (...)". gRPC alone answers INTERNAL (synchronous
//   services) or UNIMPLEMENTED (callback services) with an empty message, as if the server
//   had failed or lacked the method.
// - An error message is at most kMaxErrorMessageBytes, cut at a UTF-8 boundary and marked
//   "...": a message that echoes what was sent (a 9 KB team name) would otherwise exceed
//   gRPC's limit on metadata and fail calls that share the caller's connection.
// Every other answer passes unchanged. gRPC makes one interceptor per call and runs its hooks
// one at a time; the factory is thread-safe.
#ifndef AMENDS_SERVER_HONEST_ERRORS_H_
#define AMENDS_SERVER_HONEST_ERRORS_H_

#include <cstddef>

#include "grpcpp/support/server_interceptor.h"

namespace amends {

inline constexpr size_t kMaxErrorMessageBytes = 1024;

class HonestErrorsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace amends

#endif  // AMENDS_SERVER_HONEST_ERRORS_H_
