#include "server/core/inbox.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/core/deadlines.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"

namespace amends {
namespace {

v1::InboxItem Item(const v1::Incident& incident, v1::InboxItem::Reason reason,
                   const std::string& key, const std::string& what,
                   const google::protobuf::Timestamp& due) {
  v1::InboxItem item;
  item.set_reason(reason);
  item.set_incident_id(incident.id());
  item.set_team(incident.team());
  item.set_team_time_zone(incident.team_time_zone());
  item.set_client(incident.client().name());
  item.set_summary(incident.summary());
  item.set_state(incident.state());
  item.set_deadline_key(key);
  item.set_what(what);
  *item.mutable_due() = due;
  return item;
}

// One of the managers a deadline's managers_of names. Admins manage every team but are not
// asked: an inbox of every team's approvals would bury what is theirs.
bool AmongManagers(const Actor& actor, const std::string& team) {
  return !team.empty() && actor.role == Role::kManager && actor.team == team;
}

}  // namespace

std::vector<v1::InboxItem> InboxFor(std::span<const v1::Incident> incidents, const Actor& actor,
                                    std::span<const v1::Notification> failed) {
  std::vector<v1::InboxItem> items;
  for (const v1::Notification& n : failed) {
    if (n.state() != v1::Notification::STATE_FAILED || n.incident_id() == 0 ||
        !AmongManagers(actor, n.team())) {
      continue;
    }
    v1::InboxItem& item = items.emplace_back();
    item.set_reason(v1::InboxItem::REASON_NOTIFICATION_FAILED);
    item.set_incident_id(n.incident_id());
    item.set_team(n.team());
    item.set_notification_id(n.id());
    const std::string answer = n.attempts().empty() ? "" : n.attempts().rbegin()->answer();
    item.set_what(absl::StrCat(n.channel(), " to ", n.recipient(), " failed: ", answer));
    *item.mutable_due() = n.created_at();
  }
  for (const v1::Incident& incident : incidents) {
    if (!CheckCanRead(incident, actor).ok()) continue;
    for (const v1::Deadline& d : incident.deadlines()) {
      if (!d.has_due()) continue;  // on hold
      if (d.user() == actor.name) {
        items.push_back(Item(incident, v1::InboxItem::REASON_DEADLINE, d.key(), d.what(), d.due()));
      } else if (AmongManagers(actor, d.managers_of())) {
        // An escalation or an offer of compensation waits for their decision.
        const auto reason = d.key() == "approve" || IsOfferKey(d.key())
                                ? v1::InboxItem::REASON_APPROVAL
                                : v1::InboxItem::REASON_BREACH;
        items.push_back(Item(incident, reason, d.key(), d.what(), d.due()));
      }
    }
    for (const v1::ReminderNotice& n : incident.reminders()) {
      if (n.user() == actor.name || AmongManagers(actor, n.managers_of())) {
        items.push_back(
            Item(incident, v1::InboxItem::REASON_REMINDER, n.deadline_key(), n.what(), n.due()));
      }
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const v1::InboxItem& a, const v1::InboxItem& b) {
    return FromProto(a.due()) < FromProto(b.due());
  });
  return items;
}

}  // namespace amends
