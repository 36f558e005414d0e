#include "server/core/actor.h"

namespace amends {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kMember: return "member";
    case Role::kManager: return "manager";
    case Role::kObserver: return "observer";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role r : {Role::kMember, Role::kManager, Role::kObserver, Role::kAdmin}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace amends
