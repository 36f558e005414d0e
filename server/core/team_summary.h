// Team summary: one team at a glance, for its managers (`amends summary`). Pure; thread-safe.
//
//   if (absl::Status may = CheckMaySummarize(actor, "営業一課"); !may.ok()) return may;
//   v1::TeamSummary summary = SummarizeTeam(actor, {.team = "営業一課",
//                                                   .time_zone = "Asia/Tokyo",
//                                                   .open = open_incidents,
//                                                   .recent = events_since,
//                                                   .recent_incidents = their_incidents,
//                                                   .now = now});
//
// What it counts, of what the actor may read (visibility.h CanRead: a conduct case never
// counts for the person it is about, not even as a number; another's confidential case never
// counts for an observer or an admin):
// - the team's open incidents, by stage and severity;
// - the open deadlines due by now, by the person they name (Deadline.user), or the
//   managers they ask (managers_of) when they name nobody: an approval. Of the team's own
//   incidents every such deadline; of another team's incident, those asking the team's
//   managers (an escalation chain's approval);
// - the escalations waiting for the team's managers to approve them, the team's own and those
//   an escalation chain asks of them;
// - over the period, the 7 days before now: deadlines breached (DEADLINE_BREACHED), incidents
//   escalated by amends itself (ESCALATED by kSystemActor), recurrences reported; and the
//   open incidents that are recurrences.
#ifndef AMENDS_SERVER_CORE_TEAM_SUMMARY_H_
#define AMENDS_SERVER_CORE_TEAM_SUMMARY_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"

namespace amends {

// The period the summary looks back over.
inline constexpr absl::Duration kSummaryPeriod = absl::Hours(7 * 24);
// The most approvals a summary lists (it counts them all).
inline constexpr int kSummaryApprovalsListed = 20;

// The open stages, in lifecycle order: the rows of the summary's matrix.
std::span<const v1::State> SummaryStages();

// The start of the period of a summary made at `now`.
absl::Time SummaryPeriodStart(absl::Time now);

// The event types SummarizeTeam counts: what the store may keep to.
std::vector<v1::EventType> SummaryEventTypes();

// OK if the actor may see the summary of `team`: a manager or an observer of that team, or an
// admin. PERMISSION_DENIED naming the role a member lacks, or the one team the actor may see.
absl::Status CheckMaySummarize(const Actor& actor, absl::string_view team);

struct TeamSummaryInput {
  std::string team;
  std::string time_zone;  // the team's IANA zone, passed on for display
  // The open incidents of the team and those an escalation chain asks the team's managers
  // about. Closed ones, and other teams' that ask nothing of the team, are not counted.
  std::span<const v1::Incident> open;
  // The events of the team's incidents since SummaryPeriodStart(now), of SummaryEventTypes()
  // at least (Store::ListEventsSince), and the incidents they are on, as they stand now. An
  // event whose incident is missing, or older than the period, is not counted.
  std::span<const v1::Event> recent;
  std::span<const v1::Incident> recent_incidents;
  absl::Time now;
};

// The summary of input.team as `actor` may see it. REQUIRES: CheckMaySummarize is OK.
v1::TeamSummary SummarizeTeam(const Actor& actor, const TeamSummaryInput& input);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_TEAM_SUMMARY_H_
