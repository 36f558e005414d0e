// Validation of user text: every string a user sends passes through here before it is stored.
//
// Errors are INVALID_ARGUMENT and name the field, e.g. "summary: must not be empty".
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_TEXT_H_
#define AMENDS_SERVER_CORE_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace amends {

inline constexpr size_t kMaxSummaryChars = 200;   // code points: what a person counts
inline constexpr size_t kMaxLongTextBytes = 10 * 1024;  // details, notes, reasons, outcomes
inline constexpr size_t kMaxNameBytes = 200;      // client names, contacts, user names

// Checks that `value` is valid UTF-8 and at most `max_chars` code points; empty is allowed.
absl::Status CheckChars(absl::string_view field, absl::string_view value, size_t max_chars);
// Checks that `value` is valid UTF-8 and at most `max_bytes` bytes; empty is allowed.
absl::Status CheckBytes(absl::string_view field, absl::string_view value, size_t max_bytes);
// As CheckBytes, and the value must contain something other than (Unicode) white space.
absl::Status CheckRequired(absl::string_view field, absl::string_view value, size_t max_bytes);

// `text` with each byte that is not part of valid UTF-8 replaced by U+FFFD, for output built
// from text that should have been checked but must not be trusted to have been (JSON).
std::string ValidUtf8(absl::string_view text);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_TEXT_H_
