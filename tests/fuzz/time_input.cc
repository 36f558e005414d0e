// Times as people type them on the command line (client/time_input.h, `--at`, `--due`) and as
// the server sends its clock: any text is either refused with a message naming the option, or
// is a finite time that reads back the same when written out in RFC 3339. `--from` of
// `amends watch` likewise.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/time_input.h"
#include "client/watch_view.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends::cli {
namespace {

void FuzzTimeInput(absl::string_view text) {
  // Friday 2026-11-27 16:50 in Tokyo.
  const absl::Time now = absl::FromCivil(absl::CivilMinute(2026, 11, 27, 7, 50),
                                         absl::UTCTimeZone());
  absl::StatusOr<absl::Time> at = ParseTimeArg("--at", text, "Asia/Tokyo", now);
  if (at.ok()) {
    FUZZ_EXPECT(*at > absl::InfinitePast() && *at < absl::InfiniteFuture(), absl::FormatTime(*at));
    const std::string written = absl::FormatTime(absl::RFC3339_full, *at, absl::UTCTimeZone());
    absl::StatusOr<absl::Time> again = ParseTimeArg("--at", written, "Asia/Tokyo", now);
    FUZZ_EXPECT(again.ok() && *again == *at, absl::StrCat(written, " -> ", again.status().ToString()));
  } else {
    FUZZ_EXPECT_REFUSAL(at.status(), "--at: ");
  }

  if (std::optional<absl::Time> clock = ParseServerClock(text)) {
    FUZZ_EXPECT(*clock > absl::InfinitePast() && *clock < absl::InfiniteFuture(),
                absl::FormatTime(*clock));
  }

  absl::StatusOr<WatchStart> from = ParseWatchFrom("--from", text);
  if (from.ok()) {
    FUZZ_EXPECT(from->kind != WatchStart::Kind::kAfter || from->after_sequence >= 1,
                absl::StrCat(from->after_sequence));
  } else {
    FUZZ_EXPECT_REFUSAL(from.status(), "--from: ");
  }
}

}  // namespace
}  // namespace amends::cli

AMENDS_FUZZ_TARGET(time_input, amends::cli::FuzzTimeInput)
