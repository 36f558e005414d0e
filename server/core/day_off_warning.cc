#include "server/core/day_off_warning.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace amends {
namespace {

// Indexed by absl::Weekday (Monday: 0); as the CLI shows dates (client/display.h).
constexpr std::array<absl::string_view, 7> kWeekdays = {"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};

}  // namespace

std::optional<std::string> DayOffWarning(absl::Time t, const BusinessCalendar& calendar,
                                         absl::string_view team) {
  const absl::CivilMinute local = absl::ToCivilMinute(t, calendar.zone());
  const absl::CivilDay day(local);
  if (calendar.IsWorkingDay(day)) return std::nullopt;
  return absl::StrCat(absl::FormatCivilTime(day), " (",
                      kWeekdays[static_cast<int>(absl::GetWeekday(day))], ") ",
                      absl::FormatTime("%H:%M", t, calendar.zone()),
                      " is not a working day for ", team);
}

std::vector<std::string> DayOffWarnings(const Action& action, const BusinessCalendar& calendar,
                                        absl::string_view team) {
  std::vector<std::string> warnings;
  if (!action.at.has_value()) return warnings;
  switch (action.type) {
    case ActionType::kScheduleVisit:
    case ActionType::kAddMeasure:
    case ActionType::kMakePromise:
    case ActionType::kVerifyMeasure:  // a failed measure's new due time
      if (std::optional<std::string> w = DayOffWarning(*action.at, calendar, team)) {
        warnings.push_back(*std::move(w));
      }
      break;
    case ActionType::kAddNote:
    case ActionType::kAssign:
    case ActionType::kRecordFirstApology:
    case ActionType::kEscalate:
    case ActionType::kApproveEscalation:
    case ActionType::kDeclineEscalation:
    case ActionType::kRecordVisit:
    case ActionType::kCompleteMeasure:
    case ActionType::kPresentPlan:
    case ActionType::kLogFollowUp:
    case ActionType::kClose:
    case ActionType::kReopen:
    case ActionType::kKeepPromise:
    case ActionType::kHold:
    case ActionType::kResume:
    case ActionType::kAcknowledge:
    case ActionType::kHandOver:
    case ActionType::kDecideResponse:
    case ActionType::kAddChecklistItem:
    case ActionType::kCompleteChecklistItem:
    case ActionType::kEdit:
    case ActionType::kAssignMeasure:
    case ActionType::kRecordExpectation:
    case ActionType::kRecordCause:
    case ActionType::kRecordManagerApology:
    case ActionType::kMakeOffer:
    case ActionType::kApproveOffer:
    case ActionType::kDeclineOffer:
    case ActionType::kDeliverOffer:
    case ActionType::kLogClientUpdate:
      break;
  }
  return warnings;
}

}  // namespace amends
