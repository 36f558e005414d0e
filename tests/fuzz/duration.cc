// Lengths of time as people write them: on the command line (`--due-within 2d`,
// client/time_input.h) and in the policy file ("4h30m", "3d"; server/core/policy.h). Any text
// is either refused with a message naming the field, or is a positive length (at most a year
// in the policy); the command line's reads back the same when written out again.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/time_input.h"
#include "server/core/policy.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

void FuzzDuration(absl::string_view text) {
  absl::StatusOr<absl::Duration> arg = cli::ParseDurationArg("--due-within", text);
  if (arg.ok()) {
    FUZZ_EXPECT(*arg > absl::ZeroDuration() && *arg < absl::InfiniteDuration(),
                absl::FormatDuration(*arg));
    const std::string written = absl::FormatDuration(*arg);
    absl::StatusOr<absl::Duration> again = cli::ParseDurationArg("--due-within", written);
    FUZZ_EXPECT(again.ok() && *again == *arg,
                absl::StrCat(written, " -> ", again.status().ToString()));
  } else {
    FUZZ_EXPECT_REFUSAL(arg.status(), "--due-within: ");
  }

  absl::StatusOr<Span> span = ParseSpan("escalate_within", text);
  if (span.ok()) {
    FUZZ_EXPECT((span->days > 0) != (span->time > absl::ZeroDuration()),
                absl::StrCat(span->days, "d ", absl::FormatDuration(span->time)));
    FUZZ_EXPECT(span->days <= 366 && span->time <= absl::Hours(8784),
                absl::StrCat(span->days, "d ", absl::FormatDuration(span->time)));
  } else {
    FUZZ_EXPECT_REFUSAL(span.status(), "escalate_within: ");
  }
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(duration, amends::FuzzDuration)
