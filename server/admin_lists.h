// What `amendsd admin team list` and `amendsd admin user list` print: one row per team or
// user under a header, columns aligned by display width so that Japanese names line up
// (client/display.h's Table), and every name or address shown TerminalSafe.
//
//   absl::StatusOr<std::string> teams = TeamList(store);
//   TEAM      TIME ZONE   LANG  ACTIVE USERS  CALENDAR
//   営業一課  Asia/Tokyo  ja    2             mon-fri 09:00-18:00; 1 holiday
//
//   absl::StatusOr<std::string> users = UserList(store);
//   NAME    ROLE     TEAM      EMAIL                 WEBHOOK    LANG         STATE
//   tanaka  manager  営業一課  tanaka@example.co.jp  tanaka-dm  ja (team's)  active
//   yamada  member   営業一課  -                     -          ja (team's)  deactivated
//
// Reads only; thread-compatible.
#ifndef AMENDS_SERVER_ADMIN_LISTS_H_
#define AMENDS_SERVER_ADMIN_LISTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace amends {

// Every team by name: its time zone, the language of its members' mail, how many of its users
// are active (not deactivated), and its own calendar if it has one ("-": the policy's applies;
// `team calendar NAME` shows it whole). "no teams\n" when there are none.
absl::StatusOr<std::string> TeamList(Store& store);

// Every user by name: role, team, mail address, personal webhook ("-" for none), the language
// amends writes to them in (their own, or the team's marked "(team's)"), and their state:
// "active", "active (token revoked)" or "deactivated". "no users\n" when there are none.
absl::StatusOr<std::string> UserList(Store& store);

}  // namespace amends

#endif  // AMENDS_SERVER_ADMIN_LISTS_H_
