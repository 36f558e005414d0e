// MIME: turns a MailMessage into the bytes of an RFC 5322 message that any mail program shows
// right, Japanese included. libcurl moves the bytes; this file decides what they are.
//
//   std::string bytes = BuildMessage(message, "amends <amends@example.com>");
//
// Guarantees: the result has CRLF line ends only, US-ASCII only (but for an internationalised
// address such as "佐藤@例え.jp", which the To line carries in UTF-8, RFC 6532), lines of at most 78
// characters (an ASCII subject or address longer than that stays on one line), and no header
// value carries a CR or LF from the caller's text (they become spaces), so no caller can add
// a header. The body is UTF-8 in base64, so its content never needs escaping.
//
// Pure functions; thread-safe.
#ifndef AMENDS_SERVER_MAIL_MIME_H_
#define AMENDS_SERVER_MAIL_MIME_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/mail/mailer.h"

namespace amends {

// `text` fit for one header line: CR, LF, TAB and other control characters become spaces.
std::string HeaderSafe(absl::string_view text);

// A header value as RFC 2047 encoded words. Printable ASCII that cannot be mistaken for an
// encoded word passes unchanged. Anything else becomes "=?UTF-8?B?...?=" words of at most 75
// characters each, joined by "\r\n " (a folded line), and never splitting a UTF-8 character
// between words, so each word decodes alone. `first_line_used` is how much of the first line
// is already taken ("Subject: " is 9): the first word is then shortened so that the line stays
// within 76 characters. Control characters become spaces first (HeaderSafe); invalid UTF-8
// is carried as it is, one byte per character.
std::string EncodeHeaderWord(absl::string_view utf8, size_t first_line_used = 0);

// The address alone: "amends@example.com" from "amends <amends@example.com>" or from
// "amends@example.com". Surrounding spaces are dropped.
std::string BareAddress(absl::string_view mailbox);

// RFC 5322 date in UTC, "Tue, 07 May 2024 06:00:00 +0000", with English names whatever the
// process's locale.
std::string FormatMailDate(absl::Time time);

// The whole message: Date, From (from_header, a display name encoded if it needs it), To,
// Subject (encoded), Message-ID (as given), MIME-Version, Content-Type: text/plain;
// charset=UTF-8, Content-Transfer-Encoding: base64, Auto-Submitted: auto-generated, then the
// body with its line ends made CRLF, in base64 lines of 76 characters.
std::string BuildMessage(const MailMessage& message, absl::string_view from_header);

}  // namespace amends

#endif  // AMENDS_SERVER_MAIL_MIME_H_
