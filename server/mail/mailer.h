// Mailer: hands one message to a mail server and says how it went. The dispatcher
// (server/dispatcher.h) calls it; the SMTP implementation is smtp_mailer.h.
//
// Thread-safety: Send may be called from several threads at once.
#ifndef AMENDS_SERVER_MAIL_MAILER_H_
#define AMENDS_SERVER_MAIL_MAILER_H_

#include <string>

#include "absl/time/time.h"

namespace amends {

struct MailMessage {
  std::string to;          // one address, "tanaka@example.com"
  std::string subject;     // UTF-8; encoded by the mailer
  std::string body;        // UTF-8 plain text, "\n" line ends
  std::string message_id;  // "<...@...>", the same on every attempt
  absl::Time date;
};

struct MailOutcome {
  bool delivered = false;
  // Not worth retrying: the server refused the message or recipient for good (5xx), or the
  // configuration cannot work. Otherwise a failure is temporary (connection, timeout, 4xx).
  bool permanent = false;
  // The server's last answer or the failure, one line: "250 2.0.0 Ok: queued as 4F2A",
  // "550 5.1.1 <x@example.com>: Recipient address rejected", "connect 127.0.0.1:2525: refused".
  std::string answer;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // One attempt, bounded by the mailer's per-attempt timeout.
  virtual MailOutcome Send(const MailMessage& message) = 0;
};

}  // namespace amends

#endif  // AMENDS_SERVER_MAIL_MAILER_H_
