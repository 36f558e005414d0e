// Notices: whom a committed change must tell, why, and how urgently. The one place that says
// who hears of what (issue "Notifications by mail"):
// - a new incident, to the team's managers when the severity's policy says
//   tell_managers_on_report, and to the levels its kind's policy tells at once (harassment:
//   the managers and the chain's top level), urgent ("tell your manager at once"); a case that
//   starts with the managers' approval (harassment, conduct) asks for it as well;
// - an escalation (by a person or by amends), to the managers asked to approve;
// - to the owner: approval or decline of their escalation, an assignment to them, a visit
//   scheduled with them as attendee (and to every other attendee);
// - a bulk hand-over: one message to the successor listing all that went to them (the writer
//   adds it, with `items`; each incident's own hand-over event tells nobody);
// - a reminder, to the person or managers its deadline names;
// - a breach, to the chain level the breach tells (a breached approval: the level now asked).
// Urgent: everything about a CRITICAL incident, the managers' report notice and breaches of
// wall-clock deadlines. The actor who made the change is never told of it.
//
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_NOTICES_H_
#define AMENDS_SERVER_CORE_NOTICES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/change.h"
#include "server/core/deadlines.h"

namespace amends {

struct Notice {
  v1::Notification::Reason reason = v1::Notification::REASON_UNSPECIFIED;
  // Exactly one of the two: a person, or the managers of a team.
  std::string user;
  std::string managers_of;
  bool urgent = false;
  // The deadline a reminder, breach or approval request is about ("approve", "measure-2").
  std::string deadline_key;
  std::string what;
  std::optional<absl::Time> due;
  // REASON_HANDED_OVER of a bulk hand-over: everything that went to the recipient, one line
  // each (user text; the renderer cleans it).
  std::vector<std::string> items;
};

// What `change` (made from `before`, an empty incident for a new report) must tell whom.
std::vector<Notice> NoticesFor(const v1::Incident& before, const Change& change,
                               const Rules& rules);

// What a team's chat channel hears of `change` (the notice names nobody: the channel is the
// team's): a new incident, an approval asked, approved or declined, a breach, a close. Never
// anything about a confidential incident, and never a personal reminder. nullopt: nothing.
std::optional<Notice> TeamChannelNotice(const v1::Incident& before, const Change& change);

// When a notice may be delivered: at once if urgent or if `now` is working time in the
// recipient's calendar; otherwise at the calendar's next opening, but never after the due time
// a reminder announces.
absl::Time DeliverNotBefore(const Notice& notice, const BusinessCalendar& recipient_calendar,
                            absl::Time now);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_NOTICES_H_
