// The CLI's table output: incidents, lists and timelines rendered as text for people.
// Times are shown in the incident's team zone (Incident.team_time_zone; UTC when this
// machine does not know the zone) with a hint relative to `now`.
//
//   std::cout << RenderIncident(incident, absl::Now());       // amends show 12
//   std::cout << RenderChange(incident, "escalated");
//       // "#12 escalated → state escalated (version 3)\n"
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_INCIDENT_VIEW_H_
#define AMENDS_CLIENT_INCIDENT_VIEW_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"

namespace amends::cli {

using Incidents = google::protobuf::RepeatedPtrField<amends::v1::Incident>;
using Events = google::protobuf::RepeatedPtrField<amends::v1::Event>;

// The zone the incident's times are shown in.
absl::TimeZone TeamZone(const amends::v1::Incident& incident);

// Every field of one incident: title, the latest hand-over note (first, so the new owner
// sees it), the fields one per line, then the numbered prevention measures and follow-ups.
std::string RenderIncident(const amends::v1::Incident& incident, absl::Time now);

// One row per incident: ID, STATE, SEVERITY, KIND, CLIENT, OWNER, SUMMARY, UPDATED.
std::string RenderIncidentList(const Incidents& incidents, absl::Time now);

// One client's incidents with their prevention measures: a row per measure (the incident's
// columns filled on its first row only) — ID, STATE, SEVERITY, SUMMARY, MEASURE, OWNER,
// DUE, DONE.
std::string RenderClientIncidents(const Incidents& incidents, absl::Time now);

// One row per event: TIME, ACTOR, EVENT, STATE ("reported → escalated"), TEXT (never cut:
// notes, hand-over notes and reasons are printed whole, on one line).
std::string RenderTimeline(const Events& events, absl::TimeZone zone, absl::Time now);

// The confirmation after a change: "#12 <what> → state <state> (version <n>)\n".
std::string RenderChange(const amends::v1::Incident& incident, absl::string_view what);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_INCIDENT_VIEW_H_
