#include "server/amends_server.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace amends {

absl::StatusOr<std::unique_ptr<AmendsServer>> AmendsServer::Start(Store& store,
                                                                   const Clock& clock,
                                                                   const Policy& policy,
                                                                   const Options& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<AmendsServer> server(new AmendsServer(store, clock, policy));
  if (auto s = server->scheduler_.Load(store); !s.ok()) return s;
  const std::string& listen = options.listen;
  grpc::ServerBuilder builder;
  // Plaintext: amendsd listens on loopback by default; put TLS in front for a network.
  // gRPC shares ports by default (SO_REUSEPORT): a second amendsd would start on a busy port
  // and split the calls between two databases. Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(&server->service_);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen,
                                               " (address in use or not valid?)"));
  }
  if (options.run_scheduler) server->scheduler_.Start();
  return server;
}

void AmendsServer::Shutdown(absl::Duration grace) {
  scheduler_.Stop();
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
}

}  // namespace amends
