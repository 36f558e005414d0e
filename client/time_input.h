// Times given on the command line, and their conversion to the API's Timestamp.
//
// A time is RFC 3339 ("2026-11-27T10:00:00+09:00", "2026-11-27T01:00:00Z"), which needs no
// zone, or a day and a time of day (HH:MM) read in the team's zone (the API tells the client
// the zone in Incident.team_time_zone). The day is one of
//   2026-11-27, 2026/11/27   that date
//   11/27                    that date this year, or next year once this year's has passed
//   today, tomorrow          "today" being `now`'s date in the team's zone (the server's clock);
//   今日, 明日, 明後日        also in Japanese (明後日: the day after tomorrow)
//   +3d                      3 days after today (+0d is today)
//   mon, monday, 月, 月曜, 月曜日 (English case ignored; likewise for every weekday)
//                            the next such day strictly after today: "mon" on a Monday is a
//                            week later, never today (write "today" for today)
// A day without a time of day ("tomorrow", "2026-11-27") is refused: a visit at midnight is a
// slip, not a plan.
//
//   ParseTimeArg("--at", "2026-11-27 10:00", "Asia/Tokyo", now)  // == 2026-11-27T01:00:00Z
//   ParseTimeArg("--at", "tomorrow 10:00", "Asia/Tokyo", now)    // 10:00 the day after now's
//
// A length of time is Abseil's form ("90m", "24h", "1h30m") or days ("2d", "1d12h"):
//
//   ParseDurationArg("--due-within", "2d")  // == absl::Hours(48)
// Pure (zone data is read by Abseil from the system's zoneinfo); thread-safe.
#ifndef AMENDS_CLIENT_TIME_INPUT_H_
#define AMENDS_CLIENT_TIME_INPUT_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace amends::cli {

// The zone named `name` (IANA, e.g. "Asia/Tokyo"). INTERNAL (exit 1: a problem of this
// machine, not of the user's input) when the local tz database lacks it or the name is empty.
absl::StatusOr<absl::TimeZone> LoadTeamZone(absl::string_view name);

// The time `text` denotes (the forms above), a local one in the zone named `zone_name` with
// `now` giving today. INVALID_ARGUMENT naming `option`: listing the accepted forms in one line
// when it is none of them, saying that the time of day is missing when only a day is given,
// or that the time of day is not HH:MM. INTERNAL naming `option` when it is local but the
// zone is unknown here (RFC 3339 still works); the form is checked first.
absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view option, absl::string_view text,
                                        absl::string_view zone_name, absl::Time now);

// The length of time `text` denotes: absl::ParseDuration's form ("90m", "24h", "1h30m"),
// optionally preceded by whole days ("2d", "1d12h"). INVALID_ARGUMENT naming `option` unless
// it is finite and more than zero.
absl::StatusOr<absl::Duration> ParseDurationArg(absl::string_view option,
                                                absl::string_view text);

// The server's clock as the server sends it in the response metadata "amends-now"
// (RFC 3339, e.g. "2026-11-27T08:00:00Z"); nullopt when `value` is not such a time.
std::optional<absl::Time> ParseServerClock(absl::string_view value);

// `t` as a Timestamp to the nanosecond; nanos is never negative (before 1970 too).
// The same as server/core/time_proto.h, which the client does not include.
google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& ts);

// `d` as a Duration to the nanosecond (seconds and nanos of the same sign), and back.
google::protobuf::Duration ToProto(absl::Duration d);
absl::Duration FromProto(const google::protobuf::Duration& d);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_TIME_INPUT_H_
