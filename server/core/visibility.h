// Who may see what: team scope and confidentiality, the same for every RPC.
//
// An actor sees the incidents of their own team (an admin sees every team). A confidential
// incident (harassment, conduct, ...) is seen only by its reporter, its owner and the managers
// of its own team, not even by an admin. To anyone else an incident they may not read does not
// exist: NOT_FOUND, exactly as for an unknown id. The managers of a team an escalation chain
// asks to decide (a department head's team) read the incident too, confidential or not: the
// chain is the management line the case was escalated to; the manager who approved the
// escalation keeps reading it, and so do the managers of the teams told of the case when it was
// reported (informed_teams: a compliance team). The person a conduct case is about (subject)
// never reads it, whatever their role.
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_VISIBILITY_H_
#define AMENDS_SERVER_CORE_VISIBILITY_H_

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"

namespace amends {

// A manager of `team`, or an admin.
bool ManagesTeam(const Actor& actor, absl::string_view team);
// May read incidents of `team` at all.
bool ReadsTeam(const Actor& actor, absl::string_view team);

// A manager of a team the incident's escalation chain has asked (deadlines.h AskedTeam).
bool IsAskedManager(const Actor& actor, const v1::Incident& incident);

// Whether the incident is a conduct case about `user`, who must never see it nor hear of it.
bool IsAbout(const v1::Incident& incident, absl::string_view user);

// Whether the actor may read the incident.
bool CanRead(const v1::Incident& incident, const Actor& actor);
// OK, or NOT_FOUND if the actor may not read the incident.
absl::Status CheckCanRead(const v1::Incident& incident, const Actor& actor);

// Whether the actor reads this version of the incident only through a part they play in it
// that a later change can take away: the owner of a confidential case after a hand-over, a
// manager of a team the escalation chain no longer asks, an approver after a reopen. Whoever
// shows an old version (the change stream) must then check the incident as it is now.
bool ReadsOnlyWhileInvolved(const v1::Incident& incident, const Actor& actor);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_VISIBILITY_H_
