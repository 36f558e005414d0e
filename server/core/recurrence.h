// Recurrence: how an incident is linked to the other incidents of its client in its team,
// when it is reported and when its client is corrected.
//
// Those still open are "related, open"; a closed one of a client-facing kind (kinds.h) whose
// prevention plan was presented makes a client-facing incident a recurrence (that plan did not
// hold), which the policy may treat as one severity level more serious. A confidential case
// is never linked, so that it cannot surface on an ordinary one.
//
//   LinkClientIncidents(incident, earlier);
//   if (incident.recurrence()) RaiseOnRecurrence(incident, rules.policy);
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_RECURRENCE_H_
#define AMENDS_SERVER_CORE_RECURRENCE_H_

#include <span>

#include "amends/v1/amends.pb.h"
#include "server/core/policy.h"

namespace amends {

// Replaces incident.related_open, earlier_incidents and recurrence with the links to `others`
// (the client's incidents in the team; the incident itself among them is skipped).
void LinkClientIncidents(v1::Incident& incident, std::span<const v1::Incident> others);

// Raises the severity by one level if the policy says so for a recurrence of its severity;
// whether it did. REQUIRES: incident.recurrence().
bool RaiseOnRecurrence(v1::Incident& incident, const Policy& policy);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_RECURRENCE_H_
