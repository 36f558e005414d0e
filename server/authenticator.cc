#include "server/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/token.h"

namespace amends {

std::string AuthorizationOf(const grpc::ServerContextBase& ctx) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

absl::StatusOr<Actor> ToActor(const User& user) {
  std::optional<Role> role = ParseRole(user.role);
  if (!role) {
    return absl::InternalError(absl::StrCat("user ", user.name, " has unknown role ", user.role));
  }
  return Actor{.name = user.name,
               .team = user.team,
               .role = *role,
               .standing = !user.active      ? Standing::kDeactivated
                           : !user.has_token ? Standing::kRevoked
                                             : Standing::kActive};
}

absl::StatusOr<Actor> Authenticator::Authenticate(absl::string_view authorization) const {
  absl::string_view token = authorization;
  if (!absl::ConsumePrefix(&token, "Bearer ") || token.empty()) {
    return absl::UnauthenticatedError(
        "missing token: send metadata 'authorization: Bearer <token>' (amends --token)");
  }
  absl::StatusOr<User> user = store_.GetUserByTokenHash(HashToken(token));
  if (absl::IsNotFound(user.status())) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  if (!user.ok()) return user.status();
  return ToActor(*user);
}

}  // namespace amends
