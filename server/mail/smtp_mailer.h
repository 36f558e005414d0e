// SmtpMailer: the Mailer that speaks SMTP, through libcurl, to the server of the notify
// configuration's smtp block (proto/amends/v1/notify.proto).
//
//   absl::StatusOr<std::unique_ptr<SmtpMailer>> mailer = SmtpMailer::Make(config.smtp());
//   MailOutcome outcome = (*mailer)->Send(message);
//
// Security, from smtp.security and the server's address:
//   STARTTLS       smtp://, the upgrade required (USE_SSL ALL); fails if not offered.
//   IMPLICIT_TLS   smtps://, TLS from the first byte.
//   PLAIN          smtp://, no TLS; only to a loopback server (Make refuses any other).
//   UNSPECIFIED    port 465: IMPLICIT_TLS. A loopback server: STARTTLS if it offers it,
//                  plain otherwise. Any other server: STARTTLS.
// Certificates are always verified, against smtp.ca_file or the system's authorities.
//
// Guarantees: Make() checks the block (CheckSmtp in notify_config.h) and reads the password
// file once (its content less one final newline) and checks that the CA file can be read;
// INVALID_ARGUMENT or FAILED_PRECONDITION naming the field otherwise. Send() never throws; the
// exchange up to the server's answer to the message is bounded by smtp.timeout (default 30s),
// and a QUIT (after a failure, or as the mailer is destroyed) by as much again. The outcome is
//   delivered   the server took the message; answer is its last line ("250 2.0.0 Ok: ...");
//   permanent   a 5xx answer, login refused for good, TLS that cannot work (no STARTTLS,
//               a certificate that does not verify, an unreadable CA file);
//   temporary   anything else: no connection, a timeout, a 4xx answer.
// `answer` is one line of at most 300 bytes: the server's answer to the failing command, or
// what went wrong ("smtp://127.0.0.1:2525: Failed to connect ...").
//
// Connections are reused: a handle, with the connection it holds open, goes back to a small
// pool after each Send, and the next Send on it skips the greeting, EHLO, STARTTLS and login
// if the server still holds the connection (libcurl checks; one idle over a minute is closed
// instead). A failed exchange closes its connection. The pool's connections say QUIT when the
// mailer is destroyed.
//
// Thread-safety: Send may be called from several threads at once; each call has a handle, and
// so a connection, of its own. Only the pool is shared, under mu_.
#ifndef AMENDS_SERVER_MAIL_SMTP_MAILER_H_
#define AMENDS_SERVER_MAIL_SMTP_MAILER_H_

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "amends/v1/notify.pb.h"
#include "server/mail/curl_handle.h"
#include "server/mail/mailer.h"

namespace amends {

class SmtpMailer final : public Mailer {
 public:
  static absl::StatusOr<std::unique_ptr<SmtpMailer>> Make(const v1::Smtp& config);

  ~SmtpMailer() override;

  MailOutcome Send(const MailMessage& message) override;

 private:
  SmtpMailer() = default;
  // An idle handle from the pool, or a new one (null if libcurl cannot make one).
  CurlHandle TakeHandle();
  void GiveBack(CurlHandle handle);

  absl::Mutex mu_;
  std::vector<CurlHandle> idle_ ABSL_GUARDED_BY(mu_);

  std::string url_;            // "smtp://127.0.0.1:2525" or "smtps://mail.example.com:465"
  long use_ssl_ = 0;           // CURLOPT_USE_SSL
  std::string ca_file_;        // empty: the system's
  std::string username_;       // empty: no AUTH
  std::string password_;
  std::string envelope_from_;  // "amends@example.com"
  std::string from_header_;    // as configured: "amends <amends@example.com>"
  absl::Duration timeout_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_MAIL_SMTP_MAILER_H_
