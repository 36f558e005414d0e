#include "server/admin.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "server/core/actor.h"
#include "server/core/text.h"
#include "server/token.h"

namespace amends {

absl::Status AddTeam(Store& store, absl::string_view name, absl::string_view time_zone) {
  if (auto s = CheckRequired("team", name, kMaxNameBytes); !s.ok()) return s;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(time_zone), &tz)) {
    return absl::InvalidArgumentError(
        absl::StrCat("tz: unknown time zone '", time_zone, "' (an IANA name like Asia/Tokyo)"));
  }
  return store.CreateTeam({std::string(name), std::string(time_zone)});
}

absl::StatusOr<std::string> AddUser(Store& store, absl::string_view name, absl::string_view team,
                                    absl::string_view role) {
  if (auto s = CheckRequired("name", name, kMaxNameBytes); !s.ok()) return s;
  if (!ParseRole(role)) {
    return absl::InvalidArgumentError(
        absl::StrCat("role: unknown role '", role, "' (member, manager, observer or admin)"));
  }
  absl::StatusOr<std::string> token = NewToken();
  if (!token.ok()) return token.status();
  User user{std::string(name), std::string(team), std::string(role), true};
  if (auto s = store.CreateUser(user, HashToken(*token)); !s.ok()) return s;
  return token;
}

absl::StatusOr<std::string> RotateToken(Store& store, absl::string_view user) {
  absl::StatusOr<std::string> token = NewToken();
  if (!token.ok()) return token.status();
  if (auto s = store.SetTokenHash(user, HashToken(*token)); !s.ok()) return s;
  return token;
}

absl::Status RevokeToken(Store& store, absl::string_view user) {
  return store.SetTokenHash(user, "");
}

absl::StatusOr<std::vector<std::string>> DescribeUsers(Store& store) {
  absl::StatusOr<std::vector<User>> users = store.ListUsers();
  if (!users.ok()) return users.status();
  std::vector<std::string> lines;
  for (const User& u : *users) {
    lines.push_back(absl::StrFormat("%-20s team=%s role=%s%s", u.name, u.team, u.role,
                                    u.has_token ? "" : " (token revoked)"));
  }
  return lines;
}

}  // namespace amends
