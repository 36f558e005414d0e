#include "client/time_input.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace amends::cli {

absl::StatusOr<absl::TimeZone> LoadTeamZone(absl::string_view name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::FailedPreconditionError(
        absl::StrCat("unknown team time zone '", name, "'"));
  }
  return zone;
}

absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view option, absl::string_view text,
                                        absl::string_view zone_name) {
  absl::Time t;
  std::string ignored;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &ignored)) return t;
  absl::StatusOr<absl::TimeZone> zone = LoadTeamZone(zone_name);
  if (!zone.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        option, ": cannot read a local time: ", zone.status().message(),
        " on this machine; give the time in RFC 3339 such as 2026-11-27T10:00:00+09:00"));
  }
  if (absl::ParseTime("%Y-%m-%d %H:%M", text, *zone, &t, &ignored)) return t;
  return absl::InvalidArgumentError(absl::StrCat(
      option, ": '", text, "' is not a time; write 'YYYY-MM-DD HH:MM' (in ", zone_name,
      ") or RFC 3339 such as 2026-11-27T10:00:00+09:00"));
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  const absl::Time seconds = absl::FromUnixSeconds(absl::ToUnixSeconds(t));  // floor
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  ts.set_nanos(static_cast<int32_t>((t - seconds) / absl::Nanoseconds(1)));
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace amends::cli
