// `amends notifications` and `amends me` for people: what amends told whom and how each
// delivery went, the outcome of a test message, and the caller's own contact settings.
// Times are shown in the zone given, with a hint relative to `now`.
//
//   std::cout << RenderNotifications(response.notifications(), tokyo, now,
//                                    /*with_incident=*/false);
// prints a header and one row per notification in the server's order (newest first); a row
// of a retrying one, column by column:
//   ID            9
//   CREATED       2026-11-27 09:00 (1h ago)
//   RECIPIENT     佐藤
//   REASON        approval-asked
//   CHANNEL       mail
//   STATE         retrying
//   ATTEMPTS      1
//   LAST ANSWER   421 4.3.0 try again later
//   NEXT ATTEMPT  2026-11-27 10:05 (in 5m)
//
//   std::cout << RenderMe(me);  // name, team, role, email, language: one line each
// Server text (answers, names, addresses) is printed on one line: control characters become
// spaces, so an answer cannot move the cursor or clear the terminal. Pure; thread-safe.
#ifndef AMENDS_CLIENT_NOTIFICATION_VIEW_H_
#define AMENDS_CLIENT_NOTIFICATION_VIEW_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "client/terminal_width.h"

namespace amends::cli {

using Notifications = google::protobuf::RepeatedPtrField<amends::v1::Notification>;

// The widest LAST ANSWER cell, in display columns; a longer answer is cut with kCutMark
// (never wrapped): the whole answer is in --output json, or --wide.
inline constexpr int kAnswerWidth = 48;

// Columns ID, [INCIDENT,] CREATED, RECIPIENT, REASON, CHANNEL, STATE (pending, sent, retrying,
// failed), ATTEMPTS, LAST ANSWER (the latest attempt's answer, "no address" when there was
// none to send to), NEXT ATTEMPT (when retrying; when a pending one waits for working hours;
// else "-"). `with_incident` adds the INCIDENT column ("#12"; "-" for a test message).
// LAST ANSWER is free text: cut further so that lines fit in `width` display columns
// (terminal_width.h), or not at all with kWideOutput. "no notifications\n" when there are
// none.
std::string RenderNotifications(const Notifications& notifications, absl::TimeZone zone,
                                absl::Time now, bool with_incident,
                                int width = kUnlimitedWidth);

// The confirmation of `amends notifications retry`, by the state the server answered with:
// "notification 7 to sato (#12) queued again → state pending\n", or once it was attempted
// "... sent again → state sent (250 2.0.0 Ok)\n" / "... failed again → state failed (550 ...)\n".
std::string RenderRetried(const amends::v1::Notification& n);

// The outcome of `amends notifications test`: "test message sent to ADDRESS: ANSWER\n" when it
// was delivered. Otherwise an error whose message says why (the server's answer):
// FAILED_PRECONDITION when the caller has no mail address (set one with `amends me
// --email`), UNKNOWN when the delivery failed, was refused, will be retried or was not tried
// yet — the message was not delivered either way.
absl::StatusOr<std::string> TestOutcome(const amends::v1::Notification& n, absl::TimeZone zone,
                                        absl::Time now);

// name, team, role, email ("-" when none: no mail is sent) and language: the caller's own, or
// the effective one marked "(team's)".
std::string RenderMe(const amends::v1::Me& me);

// OK when `lang` is "ja", "en" or "" (the team's); else INVALID_ARGUMENT naming `option`.
absl::Status CheckLanguageArg(absl::string_view option, absl::string_view lang);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_NOTIFICATION_VIEW_H_
