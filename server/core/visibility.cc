#include "server/core/visibility.h"

#include "absl/strings/str_cat.h"

namespace amends {

bool ManagesTeam(const Actor& actor, absl::string_view team) {
  return actor.role == Role::kAdmin || (actor.role == Role::kManager && actor.team == team);
}

bool ReadsTeam(const Actor& actor, absl::string_view team) {
  return actor.role == Role::kAdmin || actor.team == team;
}

bool SeesAllConfidential(const Actor& actor, absl::string_view team) {
  return ManagesTeam(actor, team);
}

absl::Status CheckCanRead(const v1::Incident& incident, const Actor& actor) {
  if (!ReadsTeam(actor, incident.team())) {
    return absl::PermissionDeniedError(
        absl::StrCat("incident ", incident.id(), " belongs to another team"));
  }
  if (incident.confidential() && !SeesAllConfidential(actor, incident.team()) &&
      actor.name != incident.reporter() && actor.name != incident.owner()) {
    return absl::NotFoundError(absl::StrCat("incident ", incident.id(), " not found"));
  }
  return absl::OkStatus();
}

}  // namespace amends
