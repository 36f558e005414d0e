#include "client/time_input.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace amends::cli {
namespace {

constexpr absl::string_view kLocalFormat = "%Y-%m-%d %H:%M";
constexpr absl::string_view kRfc3339Example = "2026-11-27T10:00:00+09:00";

}  // namespace

absl::StatusOr<absl::TimeZone> LoadTeamZone(absl::string_view name) {
  if (name.empty()) return absl::InternalError("the incident names no team time zone");
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InternalError(absl::StrCat("the time zone database on this machine lacks the "
                                            "team's zone '", name, "' (install or update tzdata)"));
  }
  return zone;
}

absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view option, absl::string_view text,
                                        absl::string_view zone_name) {
  absl::Time t;
  std::string ignored;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &ignored)) return t;
  // The form is checked first, needing no zone: a malformed time is the user's to fix.
  if (!absl::ParseTime(kLocalFormat, text, absl::UTCTimeZone(), &t, &ignored)) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": '", text, "' is not a time; write 'YYYY-MM-DD HH:MM' (in ",
        zone_name.empty() ? "the team's time zone" : zone_name, ") or RFC 3339 such as ",
        kRfc3339Example));
  }
  absl::StatusOr<absl::TimeZone> zone = LoadTeamZone(zone_name);
  if (!zone.ok()) {
    return absl::InternalError(absl::StrCat(option, ": cannot read local time '", text, "': ",
                                            zone.status().message(),
                                            "; RFC 3339 times still work, such as ",
                                            kRfc3339Example));
  }
  if (!absl::ParseTime(kLocalFormat, text, *zone, &t, &ignored)) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": '", text, "' is not a time in ", zone_name));
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
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": '", text, "' is not a length of time; write for example 90m, "
                     "24h, 2d or 1d12h"));
  }
  if (days + more > absl::Hours(24) * kMaxDays) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": at most ", kMaxDays, "d, not '", text, "'"));
  }
  if (days + more <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": must be more than 0, not '", text, "'"));
  }
  return days + more;
}

std::optional<absl::Time> ParseServerClock(absl::string_view value) {
  absl::Time t;
  std::string ignored;
  if (!absl::ParseTime(absl::RFC3339_full, value, &t, &ignored)) return std::nullopt;
  return t;
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
