// Administration of teams, users and tokens, run offline against the database by
// `amendsd admin ...` (the server may be running; revocations apply to its next call).
//
// Every function validates its input first and changes nothing when it fails. Tokens are
// returned once and stored only as hashes. Thread-compatible.
#ifndef AMENDS_SERVER_ADMIN_H_
#define AMENDS_SERVER_ADMIN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/store.h"

namespace amends {

// time_zone is an IANA name ("Asia/Tokyo"); INVALID_ARGUMENT if the zone database lacks it.
// language ("ja", "en", or empty: English) is that of notifications to members without
// their own (server/core/contact.h). CheckNewTeam is AddTeam's validation alone, for a caller
// that wants it before it creates the database to add the team to.
absl::Status CheckNewTeam(absl::string_view name, absl::string_view time_zone,
                          absl::string_view language = "");
absl::Status AddTeam(Store& store, absl::string_view name, absl::string_view time_zone,
                     absl::string_view language = "");
// Sets the team's language: "ja", "en", or empty (English). NOT_FOUND if there is no team.
absl::Status SetTeamLanguage(Store& store, absl::string_view team, absl::string_view language);

// Where and in which language a user is told of things (server/core/contact.h). Empty
// email: no mail is sent to them; empty language: the team's.
struct Contact {
  std::string email;
  std::string language;
};
// Returns the new user's token.
absl::StatusOr<std::string> AddUser(Store& store, absl::string_view name, absl::string_view team,
                                    absl::string_view role, const Contact& contact = {});
// A change to a user's contact: only the fields that are set change ("" clears one).
struct ContactEdit {
  std::optional<std::string> email;
  std::optional<std::string> language;
  std::optional<std::string> webhook;  // a webhook's name in the notify config
};
// Applies the edit and returns the user as stored after it. NOT_FOUND if there is no user.
absl::StatusOr<User> EditUserContact(Store& store, absl::string_view name,
                                     const ContactEdit& edit);
// Issues a new token; the old one stops working. Returns the new token. FAILED_PRECONDITION
// for a deactivated user.
absl::StatusOr<std::string> RotateToken(Store& store, absl::string_view user);
absl::Status RevokeToken(Store& store, absl::string_view user);
// Deactivates a user who has left (Store::DeactivateUser): their tokens stop working at once;
// they can no longer be given incidents, measures or promises and are told of nothing. What
// they did stays in the timelines under their name. Returns the ids of the open incidents they
// still own, newest first, for someone to hand over. A deactivated user gets no new token.
absl::StatusOr<std::vector<int64_t>> DeactivateUser(Store& store, absl::string_view name);
// The lists of teams and users are server/admin_lists.h.

// A change to a team's own calendar (policy.proto Calendar), which adds to the policy's.
struct CalendarEdit {
  // "mon-fri=09:00-18:00", "sat=10:00-14:00"; when any is given they replace the team's hours.
  std::vector<std::string> hours;
  std::vector<std::string> add_holidays;     // "YYYY-MM-DD"
  std::vector<std::string> remove_holidays;
  bool reset = false;  // forget the team's own calendar first
};
// Applies the edit (none: just shows) and returns the team's calendar in text format. A
// running server applies it to deadlines set from then on.
absl::StatusOr<std::string> EditTeamCalendar(Store& store, absl::string_view team,
                                             const CalendarEdit& edit);

}  // namespace amends

#endif  // AMENDS_SERVER_ADMIN_H_
