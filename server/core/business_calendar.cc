#include "server/core/business_calendar.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace amends {
namespace {

// Every walk over civil days gives up after this many (ten years) and counts what is left
// around the clock from there: a day as 24 hours, time as plain time. Real deadlines are days
// or weeks away; only a pathological calendar (holidays covering years) or an absurd span gets
// here, and then the answer stays finite, ordered and consistent between AddWorkingTime() and
// WorkingTimeBetween(), instead of looping for ever.
constexpr int kMaxDays = 3660;

// Indexed by absl::Weekday (monday = 0).
constexpr std::array<absl::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu",
                                                        "fri", "sat", "sun"};

struct ParsedCalendar {
  std::array<std::optional<std::pair<absl::Duration, absl::Duration>>, 7> hours;
  std::vector<absl::CivilDay> holidays;
};

std::optional<int> ParseDay(absl::string_view name) {
  for (int day = 0; day < 7; ++day) {
    if (absl::EqualsIgnoreCase(name, kDayNames[day])) return day;
  }
  return std::nullopt;
}

// "HH:MM", 00:00 to 24:00, as the time since local midnight.
std::optional<absl::Duration> ParseClock(absl::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) return std::nullopt;
  return absl::Hours(hour) + absl::Minutes(minute);
}

// Bit `day` set for every weekday in "mon-fri", "sat" or "mon,wed,fri". A range may wrap past
// Sunday ("sun-thu"), for the working weeks that start on Sunday.
absl::StatusOr<unsigned> ParseDays(absl::string_view field, absl::string_view text) {
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must not be empty"));
  }
  unsigned days = 0;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    const size_t dash = item.find('-');
    const absl::string_view first_name = absl::StripAsciiWhitespace(item.substr(0, dash));
    const absl::string_view last_name =
        dash == absl::string_view::npos ? first_name
                                        : absl::StripAsciiWhitespace(item.substr(dash + 1));
    const std::optional<int> first = ParseDay(first_name);
    const std::optional<int> last = ParseDay(last_name);
    if (!first || !last) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": unknown day \"", first ? last_name : first_name, "\""));
    }
    for (int day = *first;; day = (day + 1) % 7) {
      if (days & (1u << day)) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": \"", kDayNames[day], "\" is listed twice"));
      }
      days |= 1u << day;
      if (day == *last) break;
    }
  }
  return days;
}

absl::StatusOr<ParsedCalendar> ParseCalendar(const v1::Calendar& calendar) {
  ParsedCalendar parsed;
  for (int i = 0; i < calendar.hours_size(); ++i) {
    const v1::WorkingHours& hours = calendar.hours(i);
    const std::string field = absl::StrCat("calendar.hours[", i, "]");
    absl::StatusOr<unsigned> days = ParseDays(absl::StrCat(field, ".days"), hours.days());
    if (!days.ok()) return days.status();
    const std::optional<absl::Duration> open = ParseClock(hours.open());
    if (!open) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".open: \"", hours.open(), "\" is not HH:MM"));
    }
    const std::optional<absl::Duration> close = ParseClock(hours.close());
    if (!close) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".close: \"", hours.close(), "\" is not HH:MM"));
    }
    if (*open >= *close) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".close: \"", hours.close(),
                                                     "\" is not after open \"", hours.open(),
                                                     "\""));
    }
    for (int day = 0; day < 7; ++day) {
      if (!(*days & (1u << day))) continue;
      if (parsed.hours[day]) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".days: \"", kDayNames[day], "\" is listed twice"));
      }
      parsed.hours[day] = std::make_pair(*open, *close);
    }
  }
  for (int i = 0; i < calendar.holidays_size(); ++i) {
    const std::string& text = calendar.holidays(i);
    absl::CivilDay day;
    // The round trip rejects what the parser would accept loosely ("2026-1-5", " 2026-01-05").
    if (!absl::ParseCivilTime(text, &day) || absl::FormatCivilTime(day) != text) {
      return absl::InvalidArgumentError(absl::StrCat("calendar.holidays[", i, "]: \"", text,
                                                     "\" is not a date YYYY-MM-DD"));
    }
    parsed.holidays.push_back(day);
  }
  return parsed;
}

bool IsFinite(absl::Time t) { return t != absl::InfiniteFuture() && t != absl::InfinitePast(); }

bool IsFinite(absl::Duration d) {
  return d != absl::InfiniteDuration() && d != -absl::InfiniteDuration();
}

absl::CivilDay LocalDay(absl::Time t, const absl::TimeZone& zone) {
  return absl::CivilDay(zone.At(t).cs);
}

absl::Time StartOf(absl::CivilDay day, const absl::TimeZone& zone) {
  return absl::FromCivil(absl::CivilSecond(day), zone);
}

}  // namespace

absl::StatusOr<BusinessCalendar> BusinessCalendar::Make(absl::TimeZone zone,
                                                        const v1::Calendar& defaults,
                                                        const v1::Calendar& team) {
  absl::StatusOr<ParsedCalendar> base = ParseCalendar(defaults);
  if (!base.ok()) return base.status();
  absl::StatusOr<ParsedCalendar> own = ParseCalendar(team);
  if (!own.ok()) return own.status();

  BusinessCalendar calendar(zone);
  const ParsedCalendar& hours = team.hours().empty() ? *base : *own;
  bool any = false;
  for (int day = 0; day < 7; ++day) {
    if (!hours.hours[day]) continue;
    calendar.hours_[day] = Hours{hours.hours[day]->first, hours.hours[day]->second};
    any = true;
  }
  if (!any) return absl::InvalidArgumentError("calendar.hours: no working hours");
  calendar.holidays_.insert(base->holidays.begin(), base->holidays.end());
  calendar.holidays_.insert(own->holidays.begin(), own->holidays.end());
  return calendar;
}

absl::Status BusinessCalendar::Validate(const v1::Calendar& calendar) {
  return ParseCalendar(calendar).status();
}

std::optional<std::pair<absl::Time, absl::Time>> BusinessCalendar::WorkingInterval(
    absl::CivilDay day) const {
  const std::optional<Hours>& hours = hours_[static_cast<int>(absl::GetWeekday(day))];
  if (!hours || holidays_.contains(day)) return std::nullopt;
  // FromCivil() takes a local time that a DST gap skips to the transition, and one that a
  // fall-back repeats to its first occurrence: the first instant the wall clock reads that
  // time or later, which is when people following the clock open or leave. It preserves
  // order, so a day's interval never overlaps the next one and the walks below can go day by
  // day. Hours lying wholly inside a gap leave an empty interval: no working time that day.
  const absl::CivilSecond midnight(day);
  const absl::Time open = absl::FromCivil(midnight + absl::ToInt64Seconds(hours->open), zone_);
  const absl::Time close = absl::FromCivil(midnight + absl::ToInt64Seconds(hours->close), zone_);
  if (open >= close) return std::nullopt;
  return std::make_pair(open, close);
}

bool BusinessCalendar::IsWorkingDay(absl::CivilDay day) const {
  return WorkingInterval(day).has_value();
}

bool BusinessCalendar::IsWorkingTime(absl::Time t) const {
  if (!IsFinite(t)) return false;
  // The next day matters only where a fall-back crosses midnight: the clock can read the next
  // day's opening before it reads t's day for the last time.
  const absl::CivilDay day = LocalDay(t, zone_);
  for (const absl::CivilDay d : {day, day + 1}) {
    const auto interval = WorkingInterval(d);
    if (interval && interval->first <= t && t < interval->second) return true;
  }
  return false;
}

absl::Time BusinessCalendar::Add(absl::Time t, Span span, bool wall_clock) const {
  if (!wall_clock) return AddWorkingTime(AddWorkingDays(t, span.days), span.time);
  if (span.days != 0 && IsFinite(t)) {
    // The same local time span.days civil days later, so a day across a DST change is 23 or
    // 25 hours; a time the change skips or repeats resolves as in WorkingInterval().
    const absl::TimeZone::CivilInfo local = zone_.At(t);
    const absl::CivilDay day = absl::CivilDay(local.cs) + span.days;
    t = absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), local.cs.hour(),
                                          local.cs.minute(), local.cs.second()),
                        zone_) +
        local.subsecond;
  }
  return t + span.time;
}

absl::Time BusinessCalendar::NextWorkingTime(absl::Time t) const {
  if (IsWorkingTime(t) || !IsFinite(t)) return t;
  // The first instant of working time after t is where one nanosecond of work would start.
  return AddWorkingTime(t, absl::Nanoseconds(1)) - absl::Nanoseconds(1);
}

// Zero returns t even outside working hours: nothing is added, so nothing moves. A negative d
// counts backwards, mirroring the rules: a result that uses up a day exactly is its opening.
absl::Time BusinessCalendar::AddWorkingTime(absl::Time t, absl::Duration d) const {
  if (d == absl::ZeroDuration() || !IsFinite(t) || !IsFinite(d)) return t + d;
  const absl::CivilDay first = LocalDay(t, zone_);
  if (d > absl::ZeroDuration()) {
    // Earlier days close by t's local midnight, which is no later than t.
    const absl::CivilDay end = first + kMaxDays;
    for (absl::CivilDay day = first; day < end; ++day) {
      const auto interval = WorkingInterval(day);
      if (!interval || interval->second <= t) continue;
      const absl::Time start = std::max(t, interval->first);
      const absl::Duration available = interval->second - start;
      if (d <= available) return start + d;
      d -= available;
    }
    return StartOf(end, zone_) + d;
  }
  // Later days open after t, except across a fall-back over midnight (see IsWorkingTime()).
  const absl::CivilDay last = first + 1;
  const absl::CivilDay end = last - kMaxDays;
  for (absl::CivilDay day = last; day > end; --day) {
    const auto interval = WorkingInterval(day);
    if (!interval || interval->first >= t) continue;
    const absl::Time stop = std::min(t, interval->second);
    const absl::Duration available = stop - interval->first;
    if (-d <= available) return stop + d;
    d += available;
  }
  return StartOf(end + 1, zone_) + d;
}

// days <= 0 returns t: policy spans (ParseSpan) are positive.
absl::Time BusinessCalendar::AddWorkingDays(absl::Time t, int days) const {
  if (days <= 0 || !IsFinite(t)) return t;
  const absl::CivilDay first = LocalDay(t, zone_);
  const absl::CivilDay end = first + kMaxDays;
  absl::CivilDay day = first;
  absl::Time open, previous_close;  // of t's working day, or the next one
  for (;; ++day) {
    if (day == end) return StartOf(end, zone_) + absl::Hours(24) * days;
    const auto interval = WorkingInterval(day);
    if (!interval || interval->second <= t) continue;
    open = interval->first;
    previous_close = interval->second;
    break;
  }
  const absl::Duration offset = std::max(t, open) - open;
  while (++day < end) {
    const auto next = WorkingInterval(day);
    if (!next) continue;
    if (--days == 0) {
      // At an opening, the previous close is the same instant in working time and reads
      // better: Monday 09:00 plus a working day is Monday 18:00, not Tuesday 09:00. An offset
      // longer than the target day (a Saturday half day) ends at its close, so the result
      // stays on the nth working day.
      if (offset == absl::ZeroDuration()) return previous_close;
      return std::min(next->first + offset, next->second);
    }
    previous_close = next->second;
  }
  return StartOf(end, zone_) + absl::Hours(24) * days;
}

absl::Duration BusinessCalendar::WorkingTimeBetween(absl::Time from, absl::Time to) const {
  if (to <= from) return absl::ZeroDuration();
  if (!IsFinite(from) || !IsFinite(to)) return to - from;
  // The same days, and the same bound, as AddWorkingTime(from, ...), so that the two agree.
  const absl::CivilDay first = LocalDay(from, zone_);
  const absl::CivilDay bound = first + kMaxDays;
  const absl::CivilDay end = std::min(LocalDay(to, zone_) + 2, bound);
  absl::Duration total = absl::ZeroDuration();
  for (absl::CivilDay day = first; day < end; ++day) {
    const auto interval = WorkingInterval(day);
    if (!interval) continue;
    const absl::Time start = std::max(from, interval->first);
    const absl::Time stop = std::min(to, interval->second);
    if (start < stop) total += stop - start;
  }
  if (end == bound) {
    const absl::Time limit = StartOf(bound, zone_);
    if (to > limit) total += to - std::max(from, limit);
  }
  return total;
}

absl::Duration BusinessCalendar::Between(absl::Time from, absl::Time to, bool wall_clock) const {
  if (!wall_clock) return WorkingTimeBetween(from, to);
  // Zero when to <= from in both clocks, so a caller need not know which one it has.
  return to > from ? to - from : absl::ZeroDuration();
}

absl::Time BusinessCalendar::AddTime(absl::Time t, absl::Duration d, bool wall_clock) const {
  return wall_clock ? t + d : AddWorkingTime(t, d);
}

}  // namespace amends
