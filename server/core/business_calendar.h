// BusinessCalendar: a team's working time (time zone, working hours per weekday, holidays) and
// exact arithmetic on it. "4 working hours from Friday 17:00" in a Mon-Fri 09:00-18:00
// Asia/Tokyo calendar is Monday 12:00.
//
// Rules:
// - Working hours are local civil times; a day's interval is converted to absolute time with
//   the zone's own rules, so days that gain or lose an hour to daylight saving have the length
//   their wall clocks show (a 09:00-18:00 day is 9 hours on both transition days in New York).
// - A start outside working hours starts counting at the next opening.
// - A result that uses up a day exactly is that day's close, not the next opening.
// - AddWorkingDays(t, n): the same working-time offset into the nth working day after t's
//   (after moving t to the next opening if it is outside working hours).
// - A calendar with no working hours at all is rejected by Make().
//
// Pure: the zone is loaded by the caller. Immutable after Make(); thread-safe.
#ifndef AMENDS_SERVER_CORE_BUSINESS_CALENDAR_H_
#define AMENDS_SERVER_CORE_BUSINESS_CALENDAR_H_

#include <array>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "amends/v1/policy.pb.h"

namespace amends {

// A policy duration: either whole days or a time ("3d" or "4h30m"), never both.
struct Span {
  int days = 0;
  absl::Duration time = absl::ZeroDuration();

  friend bool operator==(const Span&, const Span&) = default;
};

class BusinessCalendar {
 public:
  // `defaults` is the policy's calendar; `team` the team's own, whose hours (if any) replace
  // the defaults' and whose holidays add to them. INVALID_ARGUMENT naming the field
  // ("calendar.hours[1].open: ...") for a malformed day list, time or date.
  static absl::StatusOr<BusinessCalendar> Make(absl::TimeZone zone,
                                               const v1::Calendar& defaults,
                                               const v1::Calendar& team = {});

  // Checks a calendar's fields without building one; the same errors as Make().
  static absl::Status Validate(const v1::Calendar& calendar);

  const absl::TimeZone& zone() const { return zone_; }

  bool IsWorkingTime(absl::Time t) const;
  // Whether `day` (a civil day in the zone) has working hours: a working weekday that is not
  // a holiday.
  bool IsWorkingDay(absl::CivilDay day) const;
  // t during working time; otherwise the next opening after it.
  absl::Time NextWorkingTime(absl::Time t) const;

  // t plus `span`, counted in working time, or around the clock when wall_clock (then a day
  // is a civil day in the zone).
  absl::Time Add(absl::Time t, Span span, bool wall_clock) const;
  absl::Time AddWorkingTime(absl::Time t, absl::Duration d) const;
  absl::Time AddWorkingDays(absl::Time t, int days) const;

  // The working time between two instants (zero if to <= from).
  absl::Duration WorkingTimeBetween(absl::Time from, absl::Time to) const;

  // Between() and AddTime() in the given clock: working time, or plain time when wall_clock.
  absl::Duration Between(absl::Time from, absl::Time to, bool wall_clock) const;
  absl::Time AddTime(absl::Time t, absl::Duration d, bool wall_clock) const;

 private:
  struct Hours {
    absl::Duration open;   // since local midnight
    absl::Duration close;  // open < close <= 24h
  };

  BusinessCalendar(absl::TimeZone zone) : zone_(zone) {}

  // The working interval of a civil day in absolute time, if it is a working day.
  std::optional<std::pair<absl::Time, absl::Time>> WorkingInterval(absl::CivilDay day) const;

  absl::TimeZone zone_;
  std::array<std::optional<Hours>, 7> hours_;  // indexed by absl::Weekday (monday = 0)
  absl::flat_hash_set<absl::CivilDay> holidays_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_BUSINESS_CALENDAR_H_
