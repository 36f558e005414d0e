#include "server/core/visibility.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/core/deadlines.h"

namespace amends {

bool ManagesTeam(const Actor& actor, absl::string_view team) {
  return actor.role == Role::kAdmin || (actor.role == Role::kManager && actor.team == team);
}

bool ReadsTeam(const Actor& actor, absl::string_view team) {
  return actor.role == Role::kAdmin || actor.team == team;
}

bool IsAskedManager(const Actor& actor, const v1::Incident& incident) {
  if (actor.role != Role::kManager) return false;
  const std::string asked = AskedTeam(incident);
  return !asked.empty() && asked == actor.team;
}

bool IsAbout(const v1::Incident& incident, absl::string_view user) {
  return !incident.subject().empty() && user == incident.subject();
}

namespace {

// May see the confidential incidents of `team` whoever reported or owns them: its managers.
bool SeesAllConfidential(const Actor& actor, absl::string_view team) {
  return actor.role == Role::kManager && actor.team == team;
}

// Readable through who the actor is, not what they do in the incident: nothing a later
// change to the incident can take away.
// A manager of a team told of the case when it was reported.
bool WasInformed(const v1::Incident& incident, const Actor& actor) {
  return actor.role == Role::kManager &&
         std::find(incident.informed_teams().begin(), incident.informed_teams().end(),
                   actor.team) != incident.informed_teams().end();
}

bool ReadsAsOfRight(const v1::Incident& incident, const Actor& actor) {
  return !IsAbout(incident, actor.name) &&
         ((ReadsTeam(actor, incident.team()) &&
           (!incident.confidential() || SeesAllConfidential(actor, incident.team()) ||
            actor.name == incident.reporter())) ||
          WasInformed(incident, actor));
}

}  // namespace

bool CanRead(const v1::Incident& incident, const Actor& actor) {
  // The person a conduct case is about never sees it, whatever else they are.
  if (IsAbout(incident, actor.name)) return false;
  return ReadsAsOfRight(incident, actor) ||
         (ReadsTeam(actor, incident.team()) && actor.name == incident.owner()) ||
         IsAskedManager(actor, incident) ||
         // A manager the chain asked, who approved, stays with the case they took on.
         (!incident.manager().empty() && actor.name == incident.manager());
}

absl::Status CheckCanRead(const v1::Incident& incident, const Actor& actor) {
  // The same answer as for an id that does not exist, so that probing ids tells nobody which
  // incidents are another team's and which are confidential.
  if (!CanRead(incident, actor)) {
    return absl::NotFoundError(absl::StrCat("incident ", incident.id(), " not found"));
  }
  return absl::OkStatus();
}

bool ReadsOnlyWhileInvolved(const v1::Incident& incident, const Actor& actor) {
  return !ReadsAsOfRight(incident, actor) && CanRead(incident, actor);
}

}  // namespace amends
