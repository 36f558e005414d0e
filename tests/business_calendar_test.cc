#include "server/core/business_calendar.h"

#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"

namespace amends {
namespace {

constexpr char kWeekdays[] = R"pb(hours { days: "mon-fri" open: "09:00" close: "18:00" })pb";
constexpr char kNewYearOff[] = R"pb(holidays: "2026-12-31" holidays: "2027-01-01")pb";

v1::Calendar Calendar(absl::string_view text) {
  v1::Calendar calendar;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text), &calendar))
      << text;
  return calendar;
}

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

const absl::TimeZone& TokyoZone() {
  static const absl::TimeZone zone = Zone("Asia/Tokyo");
  return zone;
}

const absl::TimeZone& NewYorkZone() {
  static const absl::TimeZone zone = Zone("America/New_York");
  return zone;
}

absl::Time Tokyo(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), TokyoZone());
}

absl::Time NewYork(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), NewYorkZone());
}

BusinessCalendar Make(const absl::TimeZone& zone, absl::string_view defaults,
                      absl::string_view team = "") {
  absl::StatusOr<BusinessCalendar> calendar =
      BusinessCalendar::Make(zone, Calendar(defaults), Calendar(team));
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *std::move(calendar);
}

BusinessCalendar TokyoWeekdays() { return Make(TokyoZone(), kWeekdays); }
BusinessCalendar NewYorkWeekdays() { return Make(NewYorkZone(), kWeekdays); }

// ---------------------------------------------------------------------------------------------
// Validation

struct BadCalendar {
  const char* text;
  const char* message;
};

TEST(BusinessCalendarValidation, EveryErrorIsInvalidArgumentNamingItsField) {
  const BadCalendar cases[] = {
      {R"pb(hours { days: "mon-fri" open: "09:00" close: "18:00" }
            hours { days: "sat" open: "9:7" close: "13:00" })pb",
       R"(calendar.hours[1].open: "9:7" is not HH:MM)"},
      {R"pb(hours { days: "mon" close: "18:00" })pb",
       R"(calendar.hours[0].open: "" is not HH:MM)"},
      {R"pb(hours { days: "mon" open: "0900" close: "18:00" })pb",
       R"(calendar.hours[0].open: "0900" is not HH:MM)"},
      {R"pb(hours { days: "mon" open: " 9:00" close: "18:00" })pb",
       R"(calendar.hours[0].open: " 9:00" is not HH:MM)"},
      {R"pb(hours { days: "mon" open: "09:60" close: "18:00" })pb",
       R"(calendar.hours[0].open: "09:60" is not HH:MM)"},
      {R"pb(hours { days: "mon" open: "09:00" close: "25:00" })pb",
       R"(calendar.hours[0].close: "25:00" is not HH:MM)"},
      {R"pb(hours { days: "mon" open: "09:00" close: "24:01" })pb",
       R"(calendar.hours[0].close: "24:01" is not HH:MM)"},
      {R"pb(hours { days: "mon" open: "18:00" close: "09:00" })pb",
       R"(calendar.hours[0].close: "09:00" is not after open "18:00")"},
      {R"pb(hours { days: "mon" open: "09:00" close: "09:00" })pb",
       R"(calendar.hours[0].close: "09:00" is not after open "09:00")"},
      {R"pb(hours { days: "mon" open: "24:00" close: "24:00" })pb",
       R"(calendar.hours[0].close: "24:00" is not after open "24:00")"},
      {R"pb(hours { days: "mnday" open: "09:00" close: "18:00" })pb",
       R"(calendar.hours[0].days: unknown day "mnday")"},
      {R"pb(hours { days: "mon-frii" open: "09:00" close: "18:00" })pb",
       R"(calendar.hours[0].days: unknown day "frii")"},
      {R"pb(hours { days: "mon,,fri" open: "09:00" close: "18:00" })pb",
       R"(calendar.hours[0].days: unknown day "")"},
      {R"pb(hours { days: "" open: "09:00" close: "18:00" })pb",
       R"(calendar.hours[0].days: must not be empty)"},
      {R"pb(hours { days: "mon,tue,mon" open: "09:00" close: "18:00" })pb",
       R"(calendar.hours[0].days: "mon" is listed twice)"},
      {R"pb(hours { days: "mon-fri" open: "09:00" close: "18:00" }
            hours { days: "wed" open: "10:00" close: "12:00" })pb",
       R"(calendar.hours[1].days: "wed" is listed twice)"},
      {R"pb(hours { days: "fri-tue" open: "09:00" close: "18:00" }
            hours { days: "mon" open: "10:00" close: "12:00" })pb",
       R"(calendar.hours[1].days: "mon" is listed twice)"},
      {R"pb(holidays: "2026-13-01")pb",
       R"(calendar.holidays[0]: "2026-13-01" is not a date YYYY-MM-DD)"},
      {R"pb(holidays: "2026-12-31" holidays: "2026-02-30")pb",
       R"(calendar.holidays[1]: "2026-02-30" is not a date YYYY-MM-DD)"},
      {R"pb(holidays: "2026-1-5")pb",
       R"(calendar.holidays[0]: "2026-1-5" is not a date YYYY-MM-DD)"},
      {R"pb(holidays: "2026-01-05T00:00")pb",
       R"(calendar.holidays[0]: "2026-01-05T00:00" is not a date YYYY-MM-DD)"},
      {R"pb(holidays: "tomorrow")pb",
       R"(calendar.holidays[0]: "tomorrow" is not a date YYYY-MM-DD)"},
      {R"pb(holidays: "")pb", R"(calendar.holidays[0]: "" is not a date YYYY-MM-DD)"},
  };
  for (const BadCalendar& bad : cases) {
    SCOPED_TRACE(bad.text);
    const absl::Status status = BusinessCalendar::Validate(Calendar(bad.text));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), bad.message);
    // Make() reports the same, whether the calendar is the default or the team's.
    EXPECT_EQ(BusinessCalendar::Make(TokyoZone(), Calendar(bad.text)).status(), status);
    EXPECT_EQ(
        BusinessCalendar::Make(TokyoZone(), Calendar(kWeekdays), Calendar(bad.text)).status(),
        status);
  }
}

TEST(BusinessCalendarValidation, AcceptsRangesListsSingleDaysAndMidnightClose) {
  EXPECT_TRUE(BusinessCalendar::Validate(Calendar(R"pb(
                hours { days: "mon-wed, fri" open: "00:00" close: "24:00" }
                hours { days: "SAT" open: "09:00" close: "13:00" }
                holidays: "2026-12-31"
                holidays: "2026-12-31"
                holidays: "2028-02-29")pb"))
                  .ok());
}

TEST(BusinessCalendarValidation, EmptyCalendarIsValidBecauseItMeansUseTheDefaults) {
  EXPECT_TRUE(BusinessCalendar::Validate(v1::Calendar()).ok());
  EXPECT_TRUE(BusinessCalendar::Validate(Calendar(kNewYearOff)).ok());
}

TEST(BusinessCalendarValidation, MakeRejectsACalendarWithoutWorkingHours) {
  const absl::Status status = BusinessCalendar::Make(TokyoZone(), v1::Calendar()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "calendar.hours: no working hours");
  EXPECT_EQ(
      BusinessCalendar::Make(TokyoZone(), Calendar(kNewYearOff), Calendar(kNewYearOff)).status(),
      status);
}

TEST(BusinessCalendarValidation, MakeAcceptsHoursGivenOnlyByTheTeam) {
  EXPECT_TRUE(BusinessCalendar::Make(TokyoZone(), v1::Calendar(), Calendar(kWeekdays)).ok());
}

TEST(BusinessCalendarValidation, MakeChecksTheDefaultsEvenWhenTheTeamReplacesTheirHours) {
  const absl::Status status =
      BusinessCalendar::Make(
          TokyoZone(), Calendar(R"pb(hours { days: "mon" open: "9" close: "18:00" })pb"),
          Calendar(kWeekdays))
          .status();
  EXPECT_EQ(status.message(), R"(calendar.hours[0].open: "9" is not HH:MM)");
}

// ---------------------------------------------------------------------------------------------
// Working time, Asia/Tokyo Mon-Fri 09:00-18:00

TEST(TokyoWorkingTime, FourWorkingHoursFromFridayFivePmIsMondayNoon) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingTime(Tokyo(2026, 11, 27, 17), absl::Hours(4)),
            Tokyo(2026, 11, 30, 12));
}

TEST(TokyoWorkingTime, StartOnSaturdayCountsFromMondayOpening) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingTime(Tokyo(2026, 11, 28, 10), absl::Hours(2)),
            Tokyo(2026, 11, 30, 11));
}

TEST(TokyoWorkingTime, StartBeforeOpeningCountsFromOpening) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingTime(Tokyo(2026, 12, 1, 7), absl::Hours(1)),
            Tokyo(2026, 12, 1, 10));
}

TEST(TokyoWorkingTime, StartAfterCloseCountsFromNextOpening) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingTime(Tokyo(2026, 12, 1, 20), absl::Minutes(90)),
            Tokyo(2026, 12, 2, 10, 30));
}

TEST(TokyoWorkingTime, ExactlyFillingADayEndsAtThatDaysCloseNotTheNextOpening) {
  const BusinessCalendar calendar = TokyoWeekdays();
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 9), absl::Hours(9)),
            Tokyo(2026, 11, 30, 18));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 7), absl::Hours(9)),
            Tokyo(2026, 11, 30, 18));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 27, 12), absl::Hours(6)),
            Tokyo(2026, 11, 27, 18));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 27, 12), absl::Hours(15)),
            Tokyo(2026, 11, 30, 18));
}

TEST(TokyoWorkingTime, OneSecondPastAFullDayIsJustAfterTheNextOpening) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingTime(Tokyo(2026, 11, 27, 9),
                                           absl::Hours(9) + absl::Seconds(1)),
            Tokyo(2026, 11, 30, 9) + absl::Seconds(1));
}

TEST(TokyoWorkingTime, ZeroDurationReturnsTheStartEvenOutsideWorkingHours) {
  const BusinessCalendar calendar = TokyoWeekdays();
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 28, 10), absl::ZeroDuration()),
            Tokyo(2026, 11, 28, 10));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 10), absl::ZeroDuration()),
            Tokyo(2026, 11, 30, 10));
}

TEST(TokyoWorkingTime, NegativeDurationCountsBackwardsAndStopsAtAnOpening) {
  const BusinessCalendar calendar = TokyoWeekdays();
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 10), -absl::Hours(2)),
            Tokyo(2026, 11, 27, 17));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 10), -absl::Hours(1)),
            Tokyo(2026, 11, 30, 9));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 28, 12), -absl::Hours(1)),
            Tokyo(2026, 11, 27, 17));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 20), -absl::Hours(9)),
            Tokyo(2026, 11, 30, 9));
}

TEST(TokyoWorkingTime, HolidaysAreSkipped) {
  const BusinessCalendar calendar = Make(TokyoZone(), absl::StrCat(kWeekdays, kNewYearOff));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 12, 30, 17), absl::Hours(2)),
            Tokyo(2027, 1, 4, 10));
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 12, 30, 17), Tokyo(2027, 1, 4, 10)),
            absl::Hours(2));
}

TEST(TokyoWorkingTime, HolidayGivenOnlyByTheTeamIsSkippedAsWell) {
  const BusinessCalendar calendar = Make(
      TokyoZone(), absl::StrCat(kWeekdays, R"pb(holidays: "2027-01-01")pb"),
      R"pb(holidays: "2026-12-31")pb");
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 12, 30, 17), absl::Hours(2)),
            Tokyo(2027, 1, 4, 10));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 12, 31, 12)));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2027, 1, 1, 12)));
}

TEST(TokyoWorkingTime, TeamHoursReplaceTheDefaultHours) {
  const BusinessCalendar calendar =
      Make(TokyoZone(), kWeekdays, R"pb(hours { days: "mon-thu" open: "10:00" close: "16:00" })pb");
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 26, 15), absl::Hours(2)),
            Tokyo(2026, 11, 30, 11));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 27, 12)));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 26, 9, 30)));
}

TEST(TokyoWorkingTime, TeamWithOnlyHolidaysKeepsTheDefaultHours) {
  const BusinessCalendar calendar = Make(TokyoZone(), kWeekdays, kNewYearOff);
  EXPECT_TRUE(calendar.IsWorkingTime(Tokyo(2026, 12, 30, 9)));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 12, 31, 9)));
}

TEST(TokyoWorkingTime, SaturdayHalfDayCountsItsFourHours) {
  const BusinessCalendar calendar = Make(TokyoZone(), R"pb(
    hours { days: "mon-fri" open: "09:00" close: "18:00" }
    hours { days: "sat" open: "09:00" close: "13:00" })pb");
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 27, 17), absl::Hours(3)),
            Tokyo(2026, 11, 28, 11));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 28, 12), absl::Hours(2)),
            Tokyo(2026, 11, 30, 10));
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 11, 27, 0), Tokyo(2026, 11, 30, 0)),
            absl::Hours(13));
}

TEST(TokyoWorkingTime, RangeWrappingPastSundayCoversSundayToThursday) {
  const BusinessCalendar calendar =
      Make(TokyoZone(), R"pb(hours { days: "sun-thu" open: "09:00" close: "18:00" })pb");
  EXPECT_TRUE(calendar.IsWorkingTime(Tokyo(2026, 11, 29, 12)));   // Sunday
  EXPECT_TRUE(calendar.IsWorkingTime(Tokyo(2026, 11, 26, 12)));   // Thursday
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 27, 12)));  // Friday
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 28, 12)));  // Saturday
}

TEST(TokyoWorkingTime, MidnightCloseJoinsConsecutiveDays) {
  const BusinessCalendar calendar =
      Make(TokyoZone(), R"pb(hours { days: "mon-fri" open: "00:00" close: "24:00" })pb");
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 23), absl::Hours(2)),
            Tokyo(2026, 12, 1, 1));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 27, 23), absl::Hours(2)),
            Tokyo(2026, 11, 30, 1));
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 30, 22), absl::Hours(2)),
            Tokyo(2026, 12, 1, 0));
  EXPECT_TRUE(calendar.IsWorkingTime(Tokyo(2026, 11, 27, 23, 59)));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 28, 0)));
}

TEST(TokyoWorkingTime, OpeningIsWorkingTimeAndCloseIsNot) {
  const BusinessCalendar calendar = TokyoWeekdays();
  EXPECT_TRUE(calendar.IsWorkingTime(Tokyo(2026, 11, 30, 9)));
  EXPECT_TRUE(calendar.IsWorkingTime(Tokyo(2026, 11, 30, 18) - absl::Nanoseconds(1)));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 30, 18)));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 30, 9) - absl::Nanoseconds(1)));
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 11, 29, 12)));
  EXPECT_FALSE(calendar.IsWorkingTime(absl::InfiniteFuture()));
}

TEST(TokyoWorkingTime, FromFridayFivePmToMondayNoonIsFourWorkingHours) {
  EXPECT_EQ(TokyoWeekdays().WorkingTimeBetween(Tokyo(2026, 11, 27, 17), Tokyo(2026, 11, 30, 12)),
            absl::Hours(4));
}

TEST(TokyoWorkingTime, WorkingTimeBetweenCountsOnlyTheWorkingPartOfEachDay) {
  const BusinessCalendar calendar = TokyoWeekdays();
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 11, 30, 10), Tokyo(2026, 11, 30, 11, 30)),
            absl::Minutes(90));
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 11, 30, 0), Tokyo(2026, 12, 7, 0)),
            absl::Hours(45));
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 11, 28, 0), Tokyo(2026, 11, 30, 0)),
            absl::ZeroDuration());
}

TEST(TokyoWorkingTime, WorkingTimeBetweenIsZeroWhenToIsNotAfterFrom) {
  const BusinessCalendar calendar = TokyoWeekdays();
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 11, 30, 12), Tokyo(2026, 11, 30, 10)),
            absl::ZeroDuration());
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 11, 30, 12), Tokyo(2026, 11, 30, 12)),
            absl::ZeroDuration());
}

TEST(TokyoWorkingTime, BetweenAndAddTimeUsePlainTimeInTheWallClock) {
  const BusinessCalendar calendar = TokyoWeekdays();
  const absl::Time friday = Tokyo(2026, 11, 27, 17);
  const absl::Time monday = Tokyo(2026, 11, 30, 12);
  EXPECT_EQ(calendar.Between(friday, monday, /*wall_clock=*/true), absl::Hours(67));
  EXPECT_EQ(calendar.Between(friday, monday, /*wall_clock=*/false), absl::Hours(4));
  EXPECT_EQ(calendar.Between(monday, friday, /*wall_clock=*/true), absl::ZeroDuration());
  EXPECT_EQ(calendar.AddTime(friday, absl::Hours(4), /*wall_clock=*/true),
            Tokyo(2026, 11, 27, 21));
  EXPECT_EQ(calendar.AddTime(friday, absl::Hours(4), /*wall_clock=*/false), monday);
}

TEST(TokyoWorkingTime, AddSpanUsesWorkingDaysOrCivilDays) {
  const BusinessCalendar calendar = TokyoWeekdays();
  const absl::Time friday = Tokyo(2026, 11, 27, 17);
  EXPECT_EQ(calendar.Add(friday, Span{.days = 1}, /*wall_clock=*/false), Tokyo(2026, 11, 30, 17));
  EXPECT_EQ(calendar.Add(friday, Span{.days = 1}, /*wall_clock=*/true), Tokyo(2026, 11, 28, 17));
  EXPECT_EQ(calendar.Add(friday, Span{.time = absl::Hours(4)}, /*wall_clock=*/false),
            Tokyo(2026, 11, 30, 12));
  EXPECT_EQ(calendar.Add(friday, Span{.time = absl::Hours(4)}, /*wall_clock=*/true),
            Tokyo(2026, 11, 27, 21));
  EXPECT_EQ(calendar.Add(friday, Span{}, /*wall_clock=*/false), friday);
}

// ---------------------------------------------------------------------------------------------
// Working days, Asia/Tokyo Mon-Fri 09:00-18:00

TEST(TokyoWorkingDays, FridayFivePmPlusOneWorkingDayIsMondayFivePm) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingDays(Tokyo(2026, 11, 27, 17), 1), Tokyo(2026, 11, 30, 17));
}

TEST(TokyoWorkingDays, SaturdayPlusOneWorkingDayIsMondayClose) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingDays(Tokyo(2026, 11, 28, 10), 1), Tokyo(2026, 11, 30, 18));
}

TEST(TokyoWorkingDays, MondayOpeningPlusOneWorkingDayIsMondayClose) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingDays(Tokyo(2026, 11, 30, 9), 1), Tokyo(2026, 11, 30, 18));
}

TEST(TokyoWorkingDays, MondayClosePlusOneWorkingDayIsTuesdayClose) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingDays(Tokyo(2026, 11, 30, 18), 1), Tokyo(2026, 12, 1, 18));
}

TEST(TokyoWorkingDays, EarlyMorningCountsFromTheOpening) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingDays(Tokyo(2026, 12, 1, 7), 2), Tokyo(2026, 12, 2, 18));
}

TEST(TokyoWorkingDays, ThreeWorkingDaysFromWednesdayNoonIsMondayNoon) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingDays(Tokyo(2026, 11, 25, 12), 3), Tokyo(2026, 11, 30, 12));
}

TEST(TokyoWorkingDays, HolidaysAreNotWorkingDays) {
  const BusinessCalendar calendar = Make(TokyoZone(), absl::StrCat(kWeekdays, kNewYearOff));
  EXPECT_EQ(calendar.AddWorkingDays(Tokyo(2026, 12, 30, 12), 1), Tokyo(2027, 1, 4, 12));
  EXPECT_EQ(calendar.AddWorkingDays(Tokyo(2026, 12, 31, 12), 1), Tokyo(2027, 1, 4, 18));
}

TEST(TokyoWorkingDays, ZeroWorkingDaysReturnsTheStart) {
  EXPECT_EQ(TokyoWeekdays().AddWorkingDays(Tokyo(2026, 11, 28, 10), 0), Tokyo(2026, 11, 28, 10));
}

TEST(TokyoWorkingDays, OffsetLongerThanASaturdayHalfDayEndsAtItsClose) {
  const BusinessCalendar calendar = Make(TokyoZone(), R"pb(
    hours { days: "mon-fri" open: "09:00" close: "18:00" }
    hours { days: "sat" open: "09:00" close: "13:00" })pb");
  EXPECT_EQ(calendar.AddWorkingDays(Tokyo(2026, 11, 27, 17), 1), Tokyo(2026, 11, 28, 13));
  EXPECT_EQ(calendar.AddWorkingDays(Tokyo(2026, 11, 27, 10), 1), Tokyo(2026, 11, 28, 10));
  EXPECT_EQ(calendar.AddWorkingDays(Tokyo(2026, 11, 28, 10), 1), Tokyo(2026, 11, 30, 10));
}

// ---------------------------------------------------------------------------------------------
// America/New_York: clocks spring forward on Sunday 2026-03-08 and fall back on 2026-11-01.

TEST(NewYorkDaylightSaving, NineWorkingHoursFromFridayBeforeSpringForwardEndAtFridayClose) {
  EXPECT_EQ(NewYorkWeekdays().AddWorkingTime(NewYork(2026, 3, 6, 9), absl::Hours(9)),
            NewYork(2026, 3, 6, 18));
}

TEST(NewYorkDaylightSaving, SpringForwardWeekendIsAnHourShorterAndHasNoWorkingTime) {
  const BusinessCalendar calendar = NewYorkWeekdays();
  EXPECT_EQ(NewYork(2026, 3, 9, 9) - NewYork(2026, 3, 6, 18), absl::Hours(62));
  EXPECT_EQ(calendar.AddWorkingTime(NewYork(2026, 3, 6, 17), absl::Hours(2)),
            NewYork(2026, 3, 9, 10));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 3, 6, 18), NewYork(2026, 3, 9, 9)),
            absl::ZeroDuration());
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 3, 6, 12), NewYork(2026, 3, 9, 12)),
            absl::Hours(9));
  EXPECT_EQ(calendar.AddWorkingDays(NewYork(2026, 3, 6, 17), 1), NewYork(2026, 3, 9, 17));
}

TEST(NewYorkDaylightSaving, FallBackWeekendIsAnHourLongerAndHasNoWorkingTime) {
  const BusinessCalendar calendar = NewYorkWeekdays();
  EXPECT_EQ(NewYork(2026, 11, 2, 9) - NewYork(2026, 10, 30, 18), absl::Hours(64));
  EXPECT_EQ(calendar.AddWorkingTime(NewYork(2026, 10, 30, 17), absl::Hours(2)),
            NewYork(2026, 11, 2, 10));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 10, 30, 18), NewYork(2026, 11, 2, 9)),
            absl::ZeroDuration());
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 10, 30, 12), NewYork(2026, 11, 2, 12)),
            absl::Hours(9));
  EXPECT_EQ(calendar.AddWorkingDays(NewYork(2026, 10, 30, 17), 1), NewYork(2026, 11, 2, 17));
}

TEST(NewYorkDaylightSaving, WorkingDaysBesideTheTransitionsAreNineHours) {
  const BusinessCalendar calendar = NewYorkWeekdays();
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 3, 6, 0), NewYork(2026, 3, 7, 0)),
            absl::Hours(9));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 3, 9, 0), NewYork(2026, 3, 10, 0)),
            absl::Hours(9));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 10, 30, 0), NewYork(2026, 10, 31, 0)),
            absl::Hours(9));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 11, 2, 0), NewYork(2026, 11, 3, 0)),
            absl::Hours(9));
}

TEST(NewYorkDaylightSaving, WallClockDayAcrossSpringForwardIsTwentyThreeHours) {
  const absl::Time saturday = NewYork(2026, 3, 7, 12);
  const absl::Time sunday = NewYorkWeekdays().Add(saturday, Span{.days = 1}, /*wall_clock=*/true);
  EXPECT_EQ(sunday, NewYork(2026, 3, 8, 12));
  EXPECT_EQ(sunday - saturday, absl::Hours(23));
}

TEST(NewYorkDaylightSaving, WallClockDayAcrossFallBackIsTwentyFiveHours) {
  const absl::Time saturday = NewYork(2026, 10, 31, 12);
  const absl::Time sunday = NewYorkWeekdays().Add(saturday, Span{.days = 1}, /*wall_clock=*/true);
  EXPECT_EQ(sunday, NewYork(2026, 11, 1, 12));
  EXPECT_EQ(sunday - saturday, absl::Hours(25));
}

TEST(NewYorkDaylightSaving, WallClockDaysKeepSubsecondsAndCanGoBack) {
  const BusinessCalendar calendar = NewYorkWeekdays();
  const absl::Time t = NewYork(2026, 3, 7, 12) + absl::Milliseconds(250);
  EXPECT_EQ(calendar.Add(t, Span{.days = 1}, /*wall_clock=*/true),
            NewYork(2026, 3, 8, 12) + absl::Milliseconds(250));
  EXPECT_EQ(calendar.Add(NewYork(2026, 3, 8, 12), Span{.days = -1}, /*wall_clock=*/true),
            NewYork(2026, 3, 7, 12));
}

TEST(NewYorkDaylightSaving, RoundTheClockCalendarHasTwentyThreeAndTwentyFiveHourDays) {
  const BusinessCalendar calendar =
      Make(NewYorkZone(), R"pb(hours { days: "mon-sun" open: "00:00" close: "24:00" })pb");
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 3, 8, 0), NewYork(2026, 3, 9, 0)),
            absl::Hours(23));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 11, 1, 0), NewYork(2026, 11, 2, 0)),
            absl::Hours(25));
  EXPECT_EQ(calendar.AddWorkingTime(NewYork(2026, 3, 7, 12), absl::Hours(24)),
            NewYork(2026, 3, 8, 13));
}

TEST(NewYorkDaylightSaving, OpeningSkippedBySpringForwardOpensWhenTheClocksPassIt) {
  // 02:30 does not exist on 2026-03-08: the clocks go from 02:00 EST to 03:00 EDT.
  const BusinessCalendar calendar =
      Make(NewYorkZone(), R"pb(hours { days: "sun" open: "02:30" close: "05:00" })pb");
  const absl::Time three_edt = absl::FromUnixSeconds(1772953200);  // 2026-03-08T07:00:00Z
  EXPECT_EQ(NewYork(2026, 3, 8, 3), three_edt);
  EXPECT_FALSE(calendar.IsWorkingTime(three_edt - absl::Seconds(1)));
  EXPECT_TRUE(calendar.IsWorkingTime(three_edt));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 3, 8, 0), NewYork(2026, 3, 9, 0)),
            absl::Hours(2));
  EXPECT_EQ(calendar.AddWorkingTime(NewYork(2026, 3, 7, 12), absl::Hours(1)),
            NewYork(2026, 3, 8, 4));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 3, 15, 0), NewYork(2026, 3, 16, 0)),
            absl::Minutes(150));
}

TEST(NewYorkDaylightSaving, OpeningInTheRepeatedHourUsesItsFirstOccurrence) {
  // 01:30 happens twice on 2026-11-01: first in EDT (05:30Z), then in EST (06:30Z).
  const BusinessCalendar calendar =
      Make(NewYorkZone(), R"pb(hours { days: "sun" open: "01:30" close: "03:00" })pb");
  const absl::Time first_half_past_one = absl::FromUnixSeconds(1793511000);  // 05:30Z
  EXPECT_FALSE(calendar.IsWorkingTime(first_half_past_one - absl::Seconds(1)));
  EXPECT_TRUE(calendar.IsWorkingTime(first_half_past_one));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 11, 1, 0), NewYork(2026, 11, 2, 0)),
            absl::Minutes(150));
  EXPECT_EQ(calendar.WorkingTimeBetween(NewYork(2026, 11, 8, 0), NewYork(2026, 11, 9, 0)),
            absl::Minutes(90));
}

TEST(NewYorkDaylightSaving, HoursWhollyInsideTheSkippedHourGiveNoWorkingTimeThatDay) {
  const BusinessCalendar calendar =
      Make(NewYorkZone(), R"pb(hours { days: "sun" open: "02:00" close: "02:45" })pb");
  EXPECT_EQ(calendar.AddWorkingTime(NewYork(2026, 3, 7, 12), absl::Minutes(30)),
            NewYork(2026, 3, 15, 2, 30));
  EXPECT_EQ(calendar.AddWorkingDays(NewYork(2026, 3, 7, 12), 1), NewYork(2026, 3, 15, 2, 45));
}

// ---------------------------------------------------------------------------------------------
// Properties

TEST(BusinessCalendarProperties, AddWorkingTimeAndWorkingTimeBetweenAreInverse) {
  const BusinessCalendar calendar = Make(NewYorkZone(), R"pb(
    hours { days: "mon-fri" open: "09:00" close: "18:00" }
    hours { days: "sat" open: "10:00" close: "13:30" }
    holidays: "2026-07-03"
    holidays: "2026-11-26"
    holidays: "2026-12-25")pb");
  std::mt19937_64 random(20260308);
  std::uniform_int_distribution<int64_t> second_of_year(0, 366 * 86400);
  std::uniform_int_distribution<int64_t> seconds_of_work(1, 80 * 3600);
  const absl::Time year_start = NewYork(2026, 1, 1, 0);
  for (int i = 0; i < 2000; ++i) {
    const absl::Time t = year_start + absl::Seconds(second_of_year(random));
    const absl::Duration d = absl::Seconds(seconds_of_work(random));
    SCOPED_TRACE(absl::StrCat("t=", absl::FormatTime(t, NewYorkZone()), " d=",
                              absl::FormatDuration(d)));

    const absl::Time later = calendar.AddWorkingTime(t, d);
    ASSERT_EQ(calendar.WorkingTimeBetween(t, later), d);
    ASSERT_TRUE(calendar.IsWorkingTime(later - absl::Nanoseconds(1)));

    const absl::Time earlier = calendar.AddWorkingTime(t, -d);
    ASSERT_EQ(calendar.WorkingTimeBetween(earlier, t), d);
    ASSERT_TRUE(calendar.IsWorkingTime(earlier));

    // Back from an arbitrary instant: the last moment that much working time after t.
    const absl::Time u = t + absl::Seconds(second_of_year(random) / 30);
    const absl::Time back = calendar.AddWorkingTime(t, calendar.WorkingTimeBetween(t, u));
    ASSERT_LE(back, u);
    ASSERT_EQ(calendar.WorkingTimeBetween(back, u), absl::ZeroDuration());
  }
}

TEST(BusinessCalendarProperties, HolidaysCoveringYearsStillGiveAFiniteConsistentAnswer) {
  std::string text = R"pb(hours { days: "mon" open: "09:00" close: "18:00" })pb";
  for (absl::CivilDay day(2026, 1, 5); day < absl::CivilDay(2040, 1, 1); day += 7) {
    absl::StrAppend(&text, " holidays: \"", absl::FormatCivilTime(day), "\"");
  }
  const BusinessCalendar calendar = Make(TokyoZone(), text);
  const absl::Time start = Tokyo(2026, 1, 1, 0);
  EXPECT_FALSE(calendar.IsWorkingTime(Tokyo(2026, 1, 5, 10)));

  const absl::Time later = calendar.AddWorkingTime(start, absl::Hours(1));
  EXPECT_GT(later, start + absl::Hours(24 * 3650));
  EXPECT_LT(later, Tokyo(2040, 1, 1, 0));
  EXPECT_EQ(calendar.WorkingTimeBetween(start, later), absl::Hours(1));

  const absl::Time day_later = calendar.AddWorkingDays(start, 1);
  EXPECT_GT(day_later, start + absl::Hours(24 * 3650));
  EXPECT_LT(day_later, Tokyo(2040, 1, 1, 0));
}

TEST(BusinessCalendarProperties, InfiniteInputsPassThrough) {
  const BusinessCalendar calendar = TokyoWeekdays();
  EXPECT_EQ(calendar.AddWorkingTime(absl::InfiniteFuture(), absl::Hours(1)),
            absl::InfiniteFuture());
  EXPECT_EQ(calendar.AddWorkingTime(Tokyo(2026, 11, 27, 17), absl::InfiniteDuration()),
            absl::InfiniteFuture());
  EXPECT_EQ(calendar.WorkingTimeBetween(Tokyo(2026, 11, 27, 17), absl::InfiniteFuture()),
            absl::InfiniteDuration());
  EXPECT_EQ(calendar.AddWorkingDays(absl::InfinitePast(), 3), absl::InfinitePast());
}

}  // namespace
}  // namespace amends
