// The server's check of every string a user sends (server/core/text.h): it accepts exactly
// the valid UTF-8 within the limit (judged here by utf8proc's own decoder), and refuses
// everything else with INVALID_ARGUMENT naming the field.
#include "absl/strings/string_view.h"
#include "server/core/text.h"
#include "tests/fuzz/fuzz_target.h"
#include "utf8proc.h"

namespace amends {
namespace {

// The number of code points of `text`, or -1 when it is not valid UTF-8.
long CodePoints(absl::string_view text) {
  long n = 0;
  for (size_t i = 0; i < text.size(); ++n) {
    utf8proc_int32_t c;
    const utf8proc_ssize_t len =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + i,
                         static_cast<utf8proc_ssize_t>(text.size() - i), &c);
    if (len < 0) return -1;
    i += static_cast<size_t>(len);
  }
  return n;
}

void ExpectNamesField(const absl::Status& status) {
  if (status.ok()) return;
  FUZZ_EXPECT_REFUSAL(status, "summary: ");
}

void FuzzText(absl::string_view text) {
  const long chars = CodePoints(text);
  const absl::Status by_chars = CheckChars("summary", text, kMaxSummaryChars);
  FUZZ_EXPECT(by_chars.ok() == (chars >= 0 && chars <= static_cast<long>(kMaxSummaryChars)),
              by_chars.ToString());
  ExpectNamesField(by_chars);
  const absl::Status by_bytes = CheckBytes("summary", text, 64);
  FUZZ_EXPECT(by_bytes.ok() == (chars >= 0 && text.size() <= 64), by_bytes.ToString());
  ExpectNamesField(by_bytes);
  const absl::Status required = CheckRequired("summary", text, 64);
  FUZZ_EXPECT(!required.ok() || by_bytes.ok(), required.ToString());
  FUZZ_EXPECT(!required.ok() || !text.empty(), required.ToString());
  ExpectNamesField(required);
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(text, amends::FuzzText)
