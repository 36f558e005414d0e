// Every unary RPC of amendsd, in process (AmendsServer::InProcessChannel): the first byte of
// an input picks the method, the second the caller, and the rest is the request as the wire
// carries it, decoded by gRPC and handled by amendsd's own handlers on a real SQLite store that
// holds the people and the missed appointment of DOMAIN.md case 1. Promises:
// - no input crashes the server or trips a sanitizer;
// - no request is answered UNKNOWN, INTERNAL or DATA_LOSS, not even one that does not decode
//   (server/honest_errors.h): bad input is the caller's mistake and is said to be;
// - a refused call changes nothing: the change stream does not move.
// The store and the (fake) clock live across inputs, as a server's do, so a finding may need
// the inputs before it; the replay test feeds them in the same order each time.
#include <stdlib.h>  // mkdtemp

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "server/admin.h"
#include "server/amends_server.h"
#include "server/default_policy.h"
#include "storage/sqlite_store.h"
#include "tests/case1.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

using google::protobuf::MethodDescriptor;

struct World {
  std::string dir;
  std::unique_ptr<SqliteStore> store;
  // Friday 2026-11-27 16:50 in Tokyo, when the client called about the missed meeting.
  FakeClock clock{absl::FromCivil(absl::CivilMinute(2026, 11, 27, 7, 50), absl::UTCTimeZone())};
  std::unique_ptr<Policy> policy;
  std::unique_ptr<AmendsServer> server;
  std::unique_ptr<grpc::GenericStub> stub;
  std::vector<const MethodDescriptor*> methods;  // every unary method of every service
  std::vector<std::string> tokens;               // "" sends none; "nope" is no one's
};

// Setting up the world cannot fail on a working machine; if it does, nothing can be fuzzed.
void Must(bool ok, absl::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "rpc fuzz target: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

World& TheWorld() {
  static World* world = [] {
    google::protobuf::SetLogHandler(nullptr);  // "invalid UTF-8" on every such input
    auto* w = new World;
    std::string dir = (std::filesystem::temp_directory_path() / "amends-fuzz-rpc-XXXXXX").string();
    Must(mkdtemp(dir.data()) != nullptr, dir);
    w->dir = dir;
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(dir + "/amends.db");
    Must(store.ok(), store.status().ToString());
    w->store = std::move(*store);
    for (const char* team : {"tokyo-sales", "osaka-sales"}) {
      const absl::Status added = AddTeam(*w->store, team, "Asia/Tokyo");
      Must(added.ok(), added.ToString());
    }
    w->tokens = {"", "nope"};
    for (auto [name, team, role] : {std::tuple{"sato", "tokyo-sales", "member"},
                                    {"tanaka", "tokyo-sales", "manager"},
                                    {"crm-sync", "tokyo-sales", "observer"},
                                    {"kobayashi", "osaka-sales", "member"},
                                    {"root", "tokyo-sales", "admin"}}) {
      absl::StatusOr<std::string> token = AddUser(*w->store, name, team, role);
      Must(token.ok(), token.status().ToString());
      w->tokens.push_back(*token);
    }
    w->policy = std::make_unique<Policy>(*Policy::Parse(DefaultPolicyText(), kDefaultPolicyName));
    absl::StatusOr<std::unique_ptr<AmendsServer>> server =
        AmendsServer::Start(*w->store, w->clock, *w->policy, {.run_background = false});
    Must(server.ok(), server.status().ToString());
    w->server = std::move(*server);
    std::shared_ptr<grpc::Channel> channel = w->server->InProcessChannel();
    w->stub = std::make_unique<grpc::GenericStub>(channel);
    for (const char* name :
         {v1::IncidentService::service_full_name(), v1::NotificationService::service_full_name()}) {
      const google::protobuf::ServiceDescriptor* service =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
      for (int i = 0; i < service->method_count(); ++i) {
        const MethodDescriptor* m = service->method(i);
        if (!m->client_streaming() && !m->server_streaming()) w->methods.push_back(m);
      }
    }
    // DOMAIN.md case 1, reported by sato: incident 1.
    auto incidents = v1::IncidentService::NewStub(channel);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + w->tokens[2]);
    v1::Incident incident;
    const grpc::Status reported =
        incidents->ReportIncident(&context, MissedAppointment(), &incident);
    Must(reported.ok(), reported.error_message());
    atexit([] { std::filesystem::remove_all(TheWorld().dir); });
    return w;
  }();
  return *world;
}

std::string Path(const MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

void FuzzRpc(absl::string_view input) {
  if (input.size() < 2) return;
  World& world = TheWorld();
  const MethodDescriptor& method =
      *world.methods[static_cast<unsigned char>(input[0]) % world.methods.size()];
  const std::string& token =
      world.tokens[static_cast<unsigned char>(input[1]) % world.tokens.size()];
  const absl::string_view request = input.substr(2);

  const int64_t before = *world.store->LastSequence();

  grpc::ClientContext context;
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  grpc::Slice slice(request.data(), request.size());
  grpc::ByteBuffer sent(&slice, 1);
  grpc::ByteBuffer answer;
  grpc::Status status;
  absl::Notification done;
  world.stub->UnaryCall(&context, Path(method), grpc::StubOptions(), &sent, &answer,
                        [&](grpc::Status s) {
                          status = std::move(s);
                          done.Notify();
                        });
  done.WaitForNotification();

  const std::string seen =
      absl::StrCat(method.name(), ": ", status.error_code(), " ", status.error_message());
  FUZZ_EXPECT(status.error_code() != grpc::StatusCode::UNKNOWN &&
                  status.error_code() != grpc::StatusCode::INTERNAL &&
                  status.error_code() != grpc::StatusCode::DATA_LOSS,
              seen);
  if (!status.ok()) FUZZ_EXPECT(*world.store->LastSequence() == before, seen);
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(rpc, amends::FuzzRpc)
