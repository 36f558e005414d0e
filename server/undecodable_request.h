// What a call whose request cannot be decoded is answered: gRPC's own answer to a message it
// cannot parse into the method's request type (malformed bytes, a string field that is not
// UTF-8) is INTERNAL with an empty message, which says the server failed. It did not: the
// caller sent something no amends client sends. This server interceptor turns that answer into
// INVALID_ARGUMENT "request: ...", naming the method; every other answer passes unchanged.
//
// ConfigureServerBuilder() (amends_server.h) installs it for every service. gRPC makes one
// interceptor per call; the factory is thread-safe.
#ifndef AMENDS_SERVER_UNDECODABLE_REQUEST_H_
#define AMENDS_SERVER_UNDECODABLE_REQUEST_H_

#include "grpcpp/support/server_interceptor.h"

namespace amends {

class UndecodableRequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace amends

#endif  // AMENDS_SERVER_UNDECODABLE_REQUEST_H_
