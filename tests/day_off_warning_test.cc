// The warning for a visit, measure or promise set on a day 営業一課 does not work: weekends and
// holidays of its calendar warn, a working day never does (whatever the hour), and only the
// actions that set such a time are looked at.
#include "server/core/day_off_warning.h"

#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"

namespace amends {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::TimeZone& TokyoZone() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone z;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Tokyo", &z));
    return z;
  }();
  return zone;
}

absl::Time Tokyo(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), TokyoZone());
}

// Monday to Friday, 09:00-18:00, with Labour Thanksgiving Day (Monday 2026-11-23) off.
const BusinessCalendar& Calendar() {
  static const BusinessCalendar calendar = [] {
    v1::Calendar proto;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        R"pb(hours { days: "mon-fri" open: "09:00" close: "18:00" }
             holidays: "2026-11-23")pb",
        &proto));
    return *BusinessCalendar::Make(TokyoZone(), proto);
  }();
  return calendar;
}

TEST(DayOffWarning, AWeekendOrAHolidayWarnsWithTheWeekdayAndTheTeam) {
  EXPECT_EQ(DayOffWarning(Tokyo(12, 12, 10), Calendar(), "営業一課"),
            "2026-12-12 (Sat) 10:00 is not a working day for 営業一課");
  EXPECT_EQ(DayOffWarning(Tokyo(12, 13, 18), Calendar(), "営業一課"),
            "2026-12-13 (Sun) 18:00 is not a working day for 営業一課");
  EXPECT_EQ(DayOffWarning(Tokyo(11, 23, 10), Calendar(), "営業一課"),
            "2026-11-23 (Mon) 10:00 is not a working day for 営業一課");
}

TEST(DayOffWarning, AWorkingDayNeverWarnsWhateverTheHour) {
  for (const absl::Time t : {Tokyo(12, 7, 10), Tokyo(12, 7, 7, 30), Tokyo(12, 11, 20)}) {
    EXPECT_EQ(DayOffWarning(t, Calendar(), "営業一課"), std::nullopt) << t;
  }
}

TEST(DayOffWarning, TheDayIsTheTeamZones) {
  // Friday 20:00 UTC is Saturday 05:00 in Tokyo.
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2026, 12, 11, 20, 0),
                                       absl::UTCTimeZone());
  EXPECT_EQ(DayOffWarning(t, Calendar(), "営業一課"),
            "2026-12-12 (Sat) 05:00 is not a working day for 営業一課");
}

TEST(DayOffWarnings, AVisitAMeasureAPromiseAndAFailedMeasuresNewDueOnADayOffWarn) {
  for (const ActionType type :
       {ActionType::kScheduleVisit, ActionType::kAddMeasure, ActionType::kMakePromise,
        ActionType::kVerifyMeasure}) {  // a failed measure's new due time
    EXPECT_THAT(DayOffWarnings({.type = type, .at = Tokyo(12, 12, 10)}, Calendar(), "営業一課"),
                ElementsAre("2026-12-12 (Sat) 10:00 is not a working day for 営業一課"));
    EXPECT_THAT(DayOffWarnings({.type = type, .at = Tokyo(12, 14, 10)}, Calendar(), "営業一課"),
                IsEmpty());
  }
}

TEST(DayOffWarnings, APastVisitAHoldAndEveryOtherActionNeverWarn) {
  for (const ActionType type : kAllActions) {
    if (type == ActionType::kScheduleVisit || type == ActionType::kAddMeasure ||
        type == ActionType::kMakePromise || type == ActionType::kVerifyMeasure) {
      continue;
    }
    EXPECT_THAT(DayOffWarnings({.type = type, .at = Tokyo(12, 12, 10)}, Calendar(), "営業一課"),
                IsEmpty())
        << ActionName(type);
  }
}

}  // namespace
}  // namespace amends
