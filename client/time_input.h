// Times given on the command line, and their conversion to the API's Timestamp.
//
// A time is either RFC 3339 ("2026-11-27T10:00:00+09:00", "2026-11-27T01:00:00Z"), which
// needs no zone, or local "YYYY-MM-DD HH:MM" read in the team's zone (the API tells the
// client the zone in Incident.team_time_zone):
//
//   ParseTimeArg("--at", "2026-11-27 10:00", "Asia/Tokyo")  // == 2026-11-27T01:00:00Z
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

// The time `text` denotes: RFC 3339, or "YYYY-MM-DD HH:MM" in the zone named `zone_name`.
// INVALID_ARGUMENT naming `option` and both accepted forms when it is neither; INTERNAL
// naming `option` when it is local but the zone is unknown here (RFC 3339 still works).
absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view option, absl::string_view text,
                                        absl::string_view zone_name);

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
