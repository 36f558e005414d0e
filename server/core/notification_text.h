// Notification text: the subject and body of each mail amends sends, in Japanese or English.
//
// Guarantees every message gives:
// - The subject is one short line, "[amends #12] ...", with 【至急】 / "URGENT:" when the notice
//   is urgent; the test message's subject is "[amends] ...".
// - The body names the incident number, what is asked of the recipient and by when (in the
//   recipient's time zone, with the weekday: "12月7日(月) 10:00", "Mon 7 Dec 10:00 JST"), and
//   the exact `amends` command to act ("amends approve 12", "amends measure done 12 2",
//   "amends offer approve 12 1"), at least "amends show 12".
// - Confidential incidents: the subject and body carry the number and what is asked, never the
//   client, contact, summary, details, hand-over note, event text, measure or promise text, an
//   offer's kind, amount or text, a decision's note or a check's findings, kind, severity or
//   names of people involved.
// - User text (client names, summaries, notes) appears with control characters (C0, C1) and
//   bidirectional overrides (U+202A-U+202E, U+2066-U+2069) removed and invalid UTF-8 replaced
//   by U+FFFD; one-line fields lose their line breaks too.
// - Plain text: lines end in "\n", no line ends in a space, the body ends with one "\n".
// - Japanese is polite business Japanese (丁寧語) with Japanese names of states, kinds,
//   severities and deadlines; the core's English deadline texts are not used for "ja".
//
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_NOTIFICATION_TEXT_H_
#define AMENDS_SERVER_CORE_NOTIFICATION_TEXT_H_

#include <optional>
#include <span>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/notices.h"

namespace amends {

struct MessageText {
  std::string subject;
  std::string body;
};

// The message `notice` sends about `event` (the change that caused it), with `incident` as it
// stands right after the change. An offer's messages (deadline "offer-N": asking for approval,
// telling the decision) read the offer from `incident`; a failed check's, its findings from
// `event`. `language` is "ja" or "en" (anything else: "en"); `zone` is the recipient's team
// time zone, in which every time is shown.
MessageText RenderNotice(const Notice& notice, const v1::Incident& incident, const v1::Event& event,
                         absl::string_view language, const absl::TimeZone& zone);

// A manager's morning digest (REASON_DIGEST), from the open incidents of their team and those
// asked of it: the approvals waiting for them (escalations and offers), the overdue deadlines
// they may read, and the breaches since `since` (the previous working day's start). nullopt
// when there is nothing.
std::optional<MessageText> RenderDigest(const Actor& manager,
                                        std::span<const v1::Incident> incidents,
                                        absl::Time since, absl::Time now,
                                        absl::string_view language, const absl::TimeZone& zone);

// The message `amends notifications test` sends to the user `recipient` at `now`.
MessageText RenderTestMessage(absl::string_view recipient, absl::string_view language,
                              absl::Time now, const absl::TimeZone& zone);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_NOTIFICATION_TEXT_H_
