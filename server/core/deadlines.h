// Deadlines: what must happen by when, for each incident, and what the scheduler does when a
// time comes. The rules of issue "deadlines, business calendars, reminders, promises and
// automatic escalation", kept pure so that each is testable without a server.
//
// - A stage's deadlines are computed when the incident enters the stage (report, escalation,
//   approval, visit, plan) from the severity's policy, in business or wall time; a deadline
//   disappears once met. Open measures and promises are deadlines at their own due times.
// - Each deadline carries its pending reminder times; Fire() fires the earliest due point:
//   the end of a hold, a reminder (REMINDER), a breach (DEADLINE_BREACHED) or the action a
//   breach calls for (escalating a REPORTED incident, as actor "amends"). One point per
//   change, recorded on the incident itself, so a point that was committed never fires again
//   and one that was not fires after a restart.
// - A breach tells the next level of the severity's escalation chain; a breached approval is
//   asked again of the next level, with a new due time, until the chain ends.
//
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_DEADLINES_H_
#define AMENDS_SERVER_CORE_DEADLINES_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/business_calendar.h"
#include "server/core/change.h"
#include "server/core/policy.h"

namespace amends {

// The name the scheduler acts under on timelines. No user may take it.
inline constexpr absl::string_view kSystemActor = "amends";

// Keys of deadlines that other rules look for (Deadline.key lists them all).
inline constexpr absl::string_view kManagerApologyKey = "manager-apology";
// "offer-N": offer N waits for the approval of the managers the deadline names.
std::string OfferKey(int number);
bool IsOfferKey(absl::string_view key);

// What the core needs besides the incident: the policy and the team's calendar.
struct Rules {
  const Policy& policy;
  const BusinessCalendar& calendar;
};

// Brings next.deadlines up to date after a change from `before` (an empty incident for a new
// report): a new stage's deadlines when the state changed, met ones removed, measures and
// promises tracked, reminders of deadlines that are gone dropped, everything cleared once
// closed. Deadlines are kept sorted by due time.
void UpdateDeadlines(v1::Incident& next, const v1::Incident& before, const Rules& rules,
                     absl::Time now);

// Pauses (Hold) or restarts (Resume) the clocks of the stage's deadlines: the time left is
// kept and counted again from `now`. Breached deadlines, measures and promises keep running.
void PauseStageDeadlines(v1::Incident& incident, const Rules& rules, absl::Time now);
void ResumeStageDeadlines(v1::Incident& incident, const Rules& rules, absl::Time now);

// After a correction of the severity or the kind (`before` as it was): the stage's running
// deadlines are what they would be had the incident been of the corrected severity and kind
// since each started (Deadline.started_at; from `now` for one stored without it), keeping the
// time a hold added. A raised severity never gives a deadline more time and a lowered one never
// takes time away. A deadline the corrected kind does not have is dropped (none is added);
// breached deadlines, measures and promises keep their times. Pending reminders are recomputed
// and those already past dropped.
void RecomputeStageDeadlines(v1::Incident& next, const v1::Incident& before, const Rules& rules,
                             absl::Time now);

// The earliest point that must fire, or nothing while none is pending.
std::optional<absl::Time> NextWake(const v1::Incident& incident);
// The earliest due time of an open deadline (breached ones included), for "list --overdue".
std::optional<absl::Time> NextDue(const v1::Incident& incident);
// A team outside the incident's own whose managers are asked (an escalation chain level);
// empty if none. Those managers may read, approve and acknowledge the incident.
std::string AskedTeam(const v1::Incident& incident);

// For an open incident stored before deadlines existed: its current stage's deadlines, as if
// it entered the stage now, recorded as a note by amends. nullopt if it has deadlines or is
// closed, or if its stage has none.
std::optional<Change> AdoptDeadlines(const v1::Incident& incident, const Rules& rules,
                                     absl::Time now);

// The change that fires the earliest point due at `now`, or nullopt if none is due.
std::optional<Change> Fire(const v1::Incident& incident, const Rules& rules, absl::Time now);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_DEADLINES_H_
