// The mail amendsd sends (server/mail/mime.h), for any subject and body and any address a user
// may set (server/core/contact.h); an input is "address\0subject\0body". Promises of
// BuildMessage: CRLF line ends only; US-ASCII only but for the address on the To line; exactly
// the nine headers it writes (so no text can add one); a body in base64 lines of 76
// characters; every encoded word of the subject decoding alone to valid UTF-8 when the
// subject is.
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/contact.h"
#include "server/core/text.h"
#include "server/mail/mailer.h"
#include "server/mail/mime.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

constexpr absl::string_view kHeaders[] = {
    "Date: ",         "From: ",         "To: ",
    "Subject: ",      "Message-ID: ",   "MIME-Version: ",
    "Content-Type: ", "Content-Transfer-Encoding: ", "Auto-Submitted: "};

void FuzzMail(absl::string_view input) {
  std::vector<absl::string_view> parts = absl::StrSplit(input, absl::MaxSplits('\0', 2));
  parts.resize(3);
  MailMessage message{.to = std::string(parts[0]),
                      .subject = std::string(parts[1]),
                      .body = std::string(parts[2]),
                      .message_id = "<1.tokyo-sales@amends.example.com>",
                      .date = absl::FromUnixSeconds(1795762200)};
  if (!ValidateEmail("email", message.to).ok()) return;
  const std::string mail = BuildMessage(message, "amends <amends@example.com>");

  const std::string to_line = absl::StrCat("\r\nTo: ", message.to, "\r\n");
  const size_t to = mail.find(to_line);
  FUZZ_EXPECT(to != std::string::npos, mail);
  for (size_t i = 0; i < mail.size(); ++i) {
    const auto c = static_cast<unsigned char>(mail[i]);
    FUZZ_EXPECT(c < 0x80 || (i > to && i < to + to_line.size()), absl::StrCat("byte ", i, ": ", mail));
    if (c == '\n') FUZZ_EXPECT(i > 0 && mail[i - 1] == '\r', absl::StrCat("byte ", i, ": ", mail));
    if (c == '\r') {
      FUZZ_EXPECT(i + 1 < mail.size() && mail[i + 1] == '\n', absl::StrCat("byte ", i, ": ", mail));
    }
  }
  const size_t end = mail.find("\r\n\r\n");
  FUZZ_EXPECT(end != std::string::npos, mail);
  if (end == std::string::npos) return;

  size_t next = 0;  // the header expected next
  for (absl::string_view line : absl::StrSplit(absl::string_view(mail).substr(0, end), "\r\n")) {
    if (absl::StartsWith(line, " ")) continue;  // a folded line goes on with the header before
    FUZZ_EXPECT(next < std::size(kHeaders) && absl::StartsWith(line, kHeaders[next]),
                absl::StrCat("header ", next, ": ", line));
    ++next;
  }
  FUZZ_EXPECT(next == std::size(kHeaders), absl::StrCat(next, " headers: ", mail));

  for (absl::string_view line : absl::StrSplit(absl::string_view(mail).substr(end + 4), "\r\n",
                                              absl::SkipEmpty())) {
    FUZZ_EXPECT(line.size() <= 76, line);
  }

  if (!CheckBytes("subject", message.subject, message.subject.size()).ok()) return;
  const size_t subject = mail.find("\r\nSubject: ");
  const absl::string_view words =
      absl::string_view(mail).substr(subject, mail.find("\r\nMessage-ID: ") - subject);
  for (size_t at = words.find("=?UTF-8?B?"); at != absl::string_view::npos;
       at = words.find("=?UTF-8?B?", at + 1)) {
    const size_t start = at + 10;
    const size_t stop = words.find("?=", start);
    FUZZ_EXPECT(stop != absl::string_view::npos, words);
    if (stop == absl::string_view::npos) return;
    std::string decoded;
    FUZZ_EXPECT(absl::Base64Unescape(words.substr(start, stop - start), &decoded), words);
    FUZZ_EXPECT(CheckBytes("word", decoded, decoded.size()).ok(), decoded);
  }
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(mail, amends::FuzzMail)
