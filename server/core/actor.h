// Actor: who is making a call, as the core sees them.
//
// The server resolves a bearer token to an Actor before calling the core; the core decides what
// that actor may do. Plain values, freely copyable.
#ifndef AMENDS_SERVER_CORE_ACTOR_H_
#define AMENDS_SERVER_CORE_ACTOR_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

namespace amends {

enum class Role {
  kMember,    // acts on their own team's incidents
  kManager,   // a member who also approves, declines, closes and reopens in their team
  kObserver,  // read-only, for services (reports, CRM syncs)
  kAdmin,     // manager rights in every team
};

absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

// Whether a user can take on work: a user named in an action (a new owner, a measure's owner,
// the owner a promise is made for) must be kActive. A caller always is: their token just
// worked.
enum class Standing {
  kActive,
  kRevoked,      // no valid token: could not act until given a new one
  kDeactivated,  // gone for good (amendsd admin user deactivate)
};

struct Actor {
  std::string name;
  std::string team;
  Role role = Role::kMember;
  Standing standing = Standing::kActive;
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_ACTOR_H_
