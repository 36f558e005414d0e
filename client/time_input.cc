#include "client/time_input.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "absl/time/civil_time.h"
#include "client/i18n.h"

namespace amends::cli {
namespace {

constexpr absl::string_view kRfc3339Example = "2026-11-27T10:00:00+09:00";

// Every accepted form, in one line, for the error that names none of them.
std::string AcceptedForms(absl::string_view zone_name) {
  // The Japanese words go in as $0 and $1: a msgid is ASCII.
  return absl::Substitute(
      Tr("write YYYY-MM-DD HH:MM, YYYY/MM/DD HH:MM, MM/DD HH:MM, today HH:MM, tomorrow HH:MM "
         "($0, $1), +3d HH:MM or a weekday such as mon HH:MM (in $2), or RFC 3339 such as $3"),
      "今日", "明日", zone_name.empty() ? Tr("the team's time zone") : zone_name,
      kRfc3339Example);
}

struct WeekdayName {
  absl::Weekday weekday;
  absl::string_view english;   // in full, lower case; its first three letters also do
  absl::string_view japanese;  // the kanji alone; also with 曜 or 曜日
};
constexpr std::array<WeekdayName, 7> kWeekdayNames = {{
    {absl::Weekday::monday, "monday", "月"},
    {absl::Weekday::tuesday, "tuesday", "火"},
    {absl::Weekday::wednesday, "wednesday", "水"},
    {absl::Weekday::thursday, "thursday", "木"},
    {absl::Weekday::friday, "friday", "金"},
    {absl::Weekday::saturday, "saturday", "土"},
    {absl::Weekday::sunday, "sunday", "日"},
}};

// The day a word names: a date, a date of the year without one (the next such date from
// today), a number of days after today, or the next such weekday.
struct Day {
  enum class Kind { kDate, kMonthDay, kFromToday, kNextWeekday };
  Kind kind = Kind::kDate;
  absl::CivilDay date;                             // kDate
  int month = 0, day = 0;                          // kMonthDay
  int days = 0;                                    // kFromToday
  absl::Weekday weekday = absl::Weekday::monday;  // kNextWeekday
};

// "12/20" as month 12, day 20; nullopt unless both are one or two digits.
std::optional<Day> ParseMonthDay(absl::string_view word) {
  const std::vector<absl::string_view> parts = absl::StrSplit(word, '/');
  int month = 0, day = 0;
  if (parts.size() != 2) return std::nullopt;
  for (auto [part, value] : {std::pair{parts[0], &month}, {parts[1], &day}}) {
    if (part.empty() || part.size() > 2 || !std::all_of(part.begin(), part.end(),
                                                        absl::ascii_isdigit)) {
      return std::nullopt;
    }
    if (!absl::SimpleAtoi(part, value)) return std::nullopt;
  }
  return Day{.kind = Day::Kind::kMonthDay, .month = month, .day = day};
}

// absl::ParseTime, but refusing "infinite-future" and "infinite-past", which it reads whatever
// the format and which are no time anyone means.
bool ParseFiniteTime(absl::string_view format, absl::string_view text, absl::Time* t) {
  std::string ignored;
  return absl::ParseTime(format, text, absl::UTCTimeZone(), t, &ignored) &&
         *t != absl::InfiniteFuture() && *t != absl::InfinitePast();
}

std::optional<Day> ParseDay(absl::string_view word) {
  const std::string lower = absl::AsciiStrToLower(word);
  if (lower == "today" || word == "今日") return Day{.kind = Day::Kind::kFromToday, .days = 0};
  if (lower == "tomorrow" || word == "明日") {
    return Day{.kind = Day::Kind::kFromToday, .days = 1};
  }
  if (word == "明後日") return Day{.kind = Day::Kind::kFromToday, .days = 2};
  if (std::optional<Day> month_day = ParseMonthDay(word)) return month_day;
  if (absl::string_view n = word;
      absl::ConsumePrefix(&n, "+") && absl::ConsumeSuffix(&n, "d") && !n.empty() &&
      n.size() <= 4 && std::all_of(n.begin(), n.end(), absl::ascii_isdigit)) {
    int days = 0;
    if (absl::SimpleAtoi(n, &days)) return Day{.kind = Day::Kind::kFromToday, .days = days};
  }
  for (const WeekdayName& name : kWeekdayNames) {
    absl::string_view rest = word;
    if (lower == name.english || lower == name.english.substr(0, 3) ||
        (absl::ConsumePrefix(&rest, name.japanese) &&
         (rest.empty() || rest == "曜" || rest == "曜日"))) {
      return Day{.kind = Day::Kind::kNextWeekday, .weekday = name.weekday};
    }
  }
  for (const char* format : {"%Y-%m-%d", "%Y/%m/%d"}) {
    absl::Time t;
    if (ParseFiniteTime(format, word, &t)) {
      return Day{.kind = Day::Kind::kDate, .date = absl::ToCivilDay(t, absl::UTCTimeZone())};
    }
  }
  return std::nullopt;
}

// "HH:MM" as the hour and minute of a CivilMinute (its date means nothing).
std::optional<absl::CivilMinute> ParseTimeOfDay(absl::string_view word) {
  absl::Time t;
  if (!ParseFiniteTime("%H:%M", word, &t)) return std::nullopt;
  return absl::ToCivilMinute(t, absl::UTCTimeZone());
}

// Whether a Timestamp can carry `t`: from year 1 to 9999 in UTC.
bool TimestampCanCarry(absl::Time t) {
  const int64_t year = absl::ToCivilYear(t, absl::UTCTimeZone()).year();
  return year >= 1 && year <= 9999;
}

// `text` as an RFC 3339 time that a Timestamp can carry, or nullopt.
std::optional<absl::Time> ParseRfc3339(absl::string_view text) {
  absl::Time t;
  if (!ParseFiniteTime(absl::RFC3339_full, text, &t) || !TimestampCanCarry(t)) {
    return std::nullopt;
  }
  return t;
}

}  // namespace

absl::StatusOr<absl::TimeZone> LoadTeamZone(absl::string_view name) {
  if (name.empty()) return absl::InternalError(Tr("the incident names no team time zone"));
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InternalError(
        absl::Substitute(Tr("the time zone database on this machine lacks the team's zone '$0' "
                            "(install or update tzdata)"),
                         name));
  }
  return zone;
}

absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view option, absl::string_view text,
                                        absl::string_view zone_name, absl::Time now) {
  if (std::optional<absl::Time> t = ParseRfc3339(text)) return *t;
  // The form is checked first, needing no zone: a malformed time is the user's to fix.
  const std::vector<absl::string_view> words =
      absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  const std::optional<Day> day =
      words.empty() || words.size() > 2 ? std::nullopt : ParseDay(words[0]);
  if (!day.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ", absl::Substitute(Tr("'$0' is not a time; $1"), text,
                                       AcceptedForms(zone_name))));
  }
  if (words.size() == 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ",
        absl::Substitute(Tr("'$0' has no time of day; add one, such as '$0 10:00'"), text)));
  }
  const std::optional<absl::CivilMinute> clock = ParseTimeOfDay(words[1]);
  if (!clock.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ",
        absl::Substitute(Tr("'$0': '$1' is not a time of day; write HH:MM, from 00:00 to 23:59"),
                         text, words[1])));
  }
  absl::StatusOr<absl::TimeZone> zone = LoadTeamZone(zone_name);
  if (!zone.ok()) {
    return absl::InternalError(absl::StrCat(
        option, ": ",
        absl::Substitute(Tr("cannot read local time '$0': $1; RFC 3339 times still work, such "
                            "as $2"),
                         text, zone.status().message(), kRfc3339Example)));
  }
  const absl::CivilDay today = absl::ToCivilDay(now, *zone);
  absl::CivilDay date;
  switch (day->kind) {
    case Day::Kind::kDate:
      date = day->date;
      break;
    case Day::Kind::kMonthDay: {
      // This year's, or next year's once this year's has passed.
      for (int year : {today.year(), today.year() + 1}) {
        date = absl::CivilDay(year, day->month, day->day);
        if (date.month() != day->month || date.day() != day->day) {
          return absl::InvalidArgumentError(absl::StrCat(
              option, ": ",
              absl::Substitute(Tr("'$0' is not a time; $1 is no date of $2"), text, words[0],
                               year)));
        }
        if (date >= today) break;
      }
      break;
    }
    case Day::Kind::kFromToday:
      date = today + day->days;
      break;
    case Day::Kind::kNextWeekday:
      date = absl::NextWeekday(today, day->weekday);
      break;
  }
  const absl::Time t = absl::FromCivil(
      absl::CivilMinute(date.year(), date.month(), date.day(), clock->hour(), clock->minute()),
      *zone);
  if (!TimestampCanCarry(t)) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ",
        absl::Substitute(Tr("'$0' is not a time; the year must be from 1 to 9999"), text)));
  }
  return t;
}

absl::StatusOr<absl::Duration> ParseDurationArg(absl::string_view option,
                                                absl::string_view text) {
  constexpr int64_t kMaxDays = 366;  // the server's limit: a year ahead
  bool ok = !text.empty();
  // Whole days first: absl::ParseDuration has no unit "d".
  absl::Duration days = absl::ZeroDuration();
  absl::string_view rest = text;
  if (const size_t d = text.find('d'); d != absl::string_view::npos) {
    int64_t n = 0;
    const absl::string_view digits = text.substr(0, d);
    ok = ok && !digits.empty() && std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) &&
         absl::SimpleAtoi(digits, &n) && n <= 1000 * kMaxDays;
    days = absl::Hours(24) * n;
    rest = text.substr(d + 1);
  }
  absl::Duration more = absl::ZeroDuration();
  ok = ok && (rest.empty() || absl::ParseDuration(rest, &more)) &&
       more >= absl::ZeroDuration() && more != absl::InfiniteDuration();
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ",
        absl::Substitute(Tr("'$0' is not a length of time; write for example 90m, 24h, 2d or "
                            "1d12h"),
                         text)));
  }
  if (days + more > absl::Hours(24) * kMaxDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ", absl::Substitute(Tr("at most $0d, not '$1'"), kMaxDays, text)));
  }
  if (days + more <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ", absl::Substitute(Tr("must be more than 0, not '$0'"), text)));
  }
  return days + more;
}

std::optional<absl::Time> ParseServerClock(absl::string_view value) {
  return ParseRfc3339(value);
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  const int64_t seconds = absl::ToUnixSeconds(t);  // rounds toward the infinite past
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);  // so nanos is in [0, 1e9) before 1970 too, as Timestamp requires
  ts.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Duration ToProto(absl::Duration d) {
  const absl::Duration whole = absl::Trunc(d, absl::Seconds(1));  // toward zero: same signs
  google::protobuf::Duration proto;
  proto.set_seconds(absl::ToInt64Seconds(whole));
  proto.set_nanos(static_cast<int32_t>((d - whole) / absl::Nanoseconds(1)));
  return proto;
}

absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace amends::cli
