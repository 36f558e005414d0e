// Notify configuration: the channels of `amendsd --notify FILE` (proto/amends/v1/notify.proto;
// the documented example is deploy/notify.textproto), parsed and checked.
//
//   absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(text, "notify.textproto");
//   NotifySettings settings = NotifySettingsOf(*config);      // defaults filled in
//   auto mailer = SmtpMailer::Make(config->smtp());            // reads the password file
//
// ParseNotifyConfig() checks everything a typo could break and names the line and field of
// the first problem ("notify.textproto:3: smtp.server: ..."). It is pure and reads no file:
// that the password and CA files can be read is checked by SmtpMailer::Make, which reads them,
// and which amendsd calls at start-up, so a bad path still stops the server at once.
//
// Pure functions; thread-safe.
#ifndef AMENDS_SERVER_MAIL_NOTIFY_CONFIG_H_
#define AMENDS_SERVER_MAIL_NOTIFY_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/notify.pb.h"

namespace amends {

// The numbers of a NotifyConfig with the defaults of notify.proto filled in.
struct NotifySettings {
  int attempts = 8;                              // retry.attempts, 1..20
  absl::Duration first_wait = absl::Minutes(10);  // retry.first_wait
  int parallel = 4;                              // parallel, 1..64
  absl::Duration smtp_timeout = absl::Seconds(30);  // smtp.timeout, per attempt
};

// The text-format configuration, checked. INVALID_ARGUMENT "<source>:<line>: <field>: <why>"
// (or "<source>: ..." when nothing of the field's path is written) for the first problem.
absl::StatusOr<v1::NotifyConfig> ParseNotifyConfig(absl::string_view text,
                                                   absl::string_view source);

// REQUIRES: `config` passed ParseNotifyConfig or CheckSmtp (a value that does not parse
// gets its default).
NotifySettings NotifySettingsOf(const v1::NotifyConfig& config);

// Where smtp.server points: "mail.example.com:587", "127.0.0.1:2525" or "[::1]:25".
struct SmtpEndpoint {
  std::string host;  // without brackets: "::1"
  int port = 0;
  bool loopback = false;  // localhost, 127.0.0.0/8 or ::1
};

// INVALID_ARGUMENT "smtp.server: ..." unless `server` is HOST:PORT with a port 1..65535.
absl::StatusOr<SmtpEndpoint> ParseSmtpServer(absl::string_view server);

// Every check of an smtp block that needs no file: server, from, security (plain only to a
// loopback server), username and password_file both or neither, timeout. INVALID_ARGUMENT
// whose message starts with the field's path ("smtp.from: ..."), for the first problem.
absl::Status CheckSmtp(const v1::Smtp& smtp);

// `text` as a duration ("10s"), or `fallback` when empty or not a positive finite duration.
absl::Duration DurationOr(absl::string_view text, absl::Duration fallback);

// smtp.timeout, or 30s when unset. REQUIRES: CheckSmtp(smtp) is OK.
absl::Duration SmtpTimeoutOf(const v1::Smtp& smtp);

}  // namespace amends

#endif  // AMENDS_SERVER_MAIL_NOTIFY_CONFIG_H_
