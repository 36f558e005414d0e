// Day-off warnings: a visit, a prevention measure's due date or a promise set on a day the
// team does not work (a weekend, a holiday of its calendar) is allowed, but the person who set
// it is warned, in case they meant another day:
//
//   DayOffWarnings({.type = ActionType::kScheduleVisit, .at = saturday_10am}, calendar,
//                  "営業一課")
//   // {"2026-12-12 (Sat) 10:00 is not a working day for 営業一課"}
//
// A warning never refuses anything; the API returns it with the change (Incident.warnings).
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_DAY_OFF_WARNING_H_
#define AMENDS_SERVER_CORE_DAY_OFF_WARNING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/business_calendar.h"
#include "server/core/lifecycle.h"

namespace amends {

// "2026-12-12 (Sat) 10:00 is not a working day for 営業一課" when `t`, in the calendar's
// zone, falls on a day that is not a working day of `calendar`; nullopt on a working day
// (whatever the hour).
std::optional<std::string> DayOffWarning(absl::Time t, const BusinessCalendar& calendar,
                                         absl::string_view team);

// The warnings an accepted action deserves: DayOffWarning for the time a visit is planned
// (kScheduleVisit), a measure is due (kAddMeasure) or a promise is to be kept (kMakePromise).
// Empty for every other action: a visit recorded as held on a Sunday happened then, and a
// hold may well end on a day off.
std::vector<std::string> DayOffWarnings(const Action& action, const BusinessCalendar& calendar,
                                        absl::string_view team);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_DAY_OFF_WARNING_H_
