// Authenticator: turns a call's `authorization: Bearer <token>` metadata into an Actor.
//
// Looks the token's hash up in the store on every call, so `amendsd admin token revoke` takes
// effect at once, even while the server runs. UNAUTHENTICATED for a missing, malformed,
// unknown or revoked token. Thread-safe.
#ifndef AMENDS_SERVER_AUTHENTICATOR_H_
#define AMENDS_SERVER_AUTHENTICATOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "server/core/actor.h"
#include "storage/store.h"

namespace amends {

// The call's `authorization` metadata, or "" if it sent none.
std::string AuthorizationOf(const grpc::ServerContextBase& ctx);

// The core's view of a stored user. INTERNAL if the stored role is unknown.
absl::StatusOr<Actor> ToActor(const User& user);

class Authenticator {
 public:
  explicit Authenticator(Store& store) : store_(store) {}
  // `authorization` is the metadata value, e.g. "Bearer amd_...".
  absl::StatusOr<Actor> Authenticate(absl::string_view authorization) const;

 private:
  Store& store_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_AUTHENTICATOR_H_
