// How a user can be reached: the checks on a mail address and a language, shared by
// `amendsd admin user|team ...` and NotificationService.UpdateMe so that both accept the same.
//
//   if (absl::Status s = ValidateEmail("--email", email); !s.ok()) return s;
//   // INVALID_ARGUMENT "--email: a mail address must not contain spaces"
//   if (absl::Status s = ValidateLanguage("language", "fr"); !s.ok()) return s;
//   // INVALID_ARGUMENT "language: 'fr' is not a language amends writes in (ja or en)"
//
// Errors are INVALID_ARGUMENT and start with `field` (the flag or request field the value
// came from). Empty values are valid: no address (no mail is sent), no language of one's own
// (the team's, else English). Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_CONTACT_H_
#define AMENDS_SERVER_CORE_CONTACT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace amends {

inline constexpr size_t kMaxEmailBytes = 254;  // the longest address SMTP carries (RFC 5321)

// A plausible mail address, or empty: valid UTF-8, at most kMaxEmailBytes, exactly one '@'
// with something on both sides, no white space (ASCII or Unicode, e.g. U+3000), no control
// characters and none of the characters that delimit addresses in a mail header
// ( ) < > [ ] , ; : \ ". Whether the mailbox exists only a delivery can tell.
absl::Status ValidateEmail(absl::string_view field, absl::string_view email);

// "ja", "en", or empty.
absl::Status ValidateLanguage(absl::string_view field, absl::string_view lang);

// The language amends writes to a user in: their own, else their team's, else "en".
std::string EffectiveLanguage(absl::string_view own, absl::string_view team);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_CONTACT_H_
