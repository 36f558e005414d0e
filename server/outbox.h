// Outbox: the notification rows a committed change causes, for the writer to write in the
// change's own transaction (so a notification exists if and only if its change committed).
//
// core/notices.h says whom a change tells and why; this resolves it to people and messages:
// "the managers of a team" becomes each manager who still holds a token, nobody is told of
// their own change, nor the person a conduct case is about, and nobody twice for one change.
// Each message is in the recipient's language (their own, else their team's, else English),
// rendered by core/notification_text.h in their team's time zone, and waits for their team's
// working hours unless urgent. A person without a mail address gets a row that has already
// failed, so that their team's managers see in `amends inbox` that nobody told them.
//
// Called by the writer's thread, inside the group's transaction.
#ifndef AMENDS_SERVER_OUTBOX_H_
#define AMENDS_SERVER_OUTBOX_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/business_calendar.h"
#include "server/core/change.h"
#include "server/core/deadlines.h"
#include "server/core/notices.h"
#include "storage/store.h"

namespace amends {

// Channels: mail to an address, or a webhook of the notify config ("webhook:NAME").
inline constexpr absl::string_view kMailChannel = "mail";
inline constexpr absl::string_view kWebhookChannelPrefix = "webhook:";

// A row for `user` with everything but the text: to their personal webhook with mail as the
// fallback, or by mail; failed at once when they have neither.
v1::Notification NewNotification(const User& user, absl::string_view team, absl::Time now);

// What the rows of one transaction's changes look up, read once per transaction: the same
// teams' managers are asked again and again in a group. Valid for one transaction only.
struct OutboxReads {
  absl::flat_hash_map<std::string, Team> teams;
  absl::flat_hash_map<std::string, std::vector<User>> managers;  // by team
  absl::flat_hash_map<std::string, std::optional<User>> users;   // nullopt: no such user
};

struct OutboxContext {
  WriteTransaction& txn;
  OutboxReads& reads;
  absl::Time now;
  // The business calendar of a team (the writer's cache).
  absl::FunctionRef<absl::StatusOr<const BusinessCalendar*>(const Team&)> calendar_for;
  // Team -> the webhook of its chat channel (notify config team_channel); may be null.
  const absl::flat_hash_map<std::string, std::string>* team_channels = nullptr;
};

// The rows `change`, made from `before` (empty for a report), causes, and those of `extra`,
// notices the caller adds about it (a bulk hand-over's one message to the successor); and the
// row for the team's chat channel, if it has one and core/notices.h TeamChannelNotice says so
// (recipient "#TEAM", in the team's language and working hours).
absl::StatusOr<std::vector<v1::Notification>> OutboxRows(const OutboxContext& context,
                                                         const v1::Incident& before,
                                                         const Change& change,
                                                         const Rules& rules,
                                                         std::span<const Notice> extra = {});

}  // namespace amends

#endif  // AMENDS_SERVER_OUTBOX_H_
