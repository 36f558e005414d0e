#include "server/outbox.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "server/core/contact.h"
#include "server/core/notices.h"
#include "server/core/notification_text.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"

namespace amends {
namespace {

// cache[key], read by `load` the first time.
template <typename V, typename Load>
absl::StatusOr<const V*> Cached(absl::flat_hash_map<std::string, V>& cache,
                                const std::string& key, Load load) {
  auto it = cache.find(key);
  if (it == cache.end()) {
    absl::StatusOr<V> value = load();
    if (!value.ok()) return value.status();
    it = cache.emplace(key, *std::move(value)).first;
  }
  return &it->second;
}

}  // namespace

v1::Notification NewNotification(const User& user, absl::string_view team, absl::Time now) {
  v1::Notification n;
  n.set_team(std::string(team));
  n.set_recipient(user.name);
  n.set_channel(std::string(kMailChannel));
  n.set_address(user.email);
  *n.mutable_created_at() = ToProto(now);
  *n.mutable_not_before() = ToProto(now);
  n.set_state(v1::Notification::STATE_PENDING);
  if (!user.webhook.empty()) {
    n.set_channel(absl::StrCat(kWebhookChannelPrefix, user.webhook));
    n.clear_address();
    if (!user.email.empty()) {
      v1::Route* mail = n.add_fallback();
      mail->set_channel(std::string(kMailChannel));
      mail->set_address(user.email);
    }
    return n;
  }
  if (user.email.empty()) {
    n.set_state(v1::Notification::STATE_FAILED);
    v1::DeliveryAttempt* a = n.add_attempts();
    *a->mutable_at() = ToProto(now);
    a->set_channel(std::string(kMailChannel));
    a->set_answer(absl::StrCat(user.name, " has no mail address (amends me --email ADDR, or ",
                               "amendsd admin user set ", user.name, " --email ADDR)"));
  }
  return n;
}

absl::StatusOr<std::vector<v1::Notification>> OutboxRows(const OutboxContext& context,
                                                         const v1::Incident& before,
                                                         const Change& change,
                                                         const Rules& rules,
                                                         std::span<const Notice> extra) {
  std::vector<Notice> notices = NoticesFor(before, change, rules);
  notices.insert(notices.end(), extra.begin(), extra.end());
  std::vector<v1::Notification> rows;
  if (notices.empty()) return rows;

  OutboxReads& reads = context.reads;
  auto team_of = [&](const std::string& name) {
    return Cached(reads.teams, name, [&] { return context.txn.GetTeam(name); });
  };
  auto managers_of = [&](const std::string& team) {
    return Cached(reads.managers, team, [&] { return context.txn.TeamUsers(team, "manager"); });
  };
  auto user_named = [&](const std::string& name) {
    return Cached(reads.users, name, [&]() -> absl::StatusOr<std::optional<User>> {
      absl::StatusOr<User> user = context.txn.GetUser(name);
      if (absl::IsNotFound(user.status())) return std::nullopt;
      if (!user.ok()) return user.status();
      return *std::move(user);
    });
  };

  absl::flat_hash_set<std::string> told;
  // Text, language and time as the recipient reads them, for `n` (its reason and urgency set).
  auto render = [&](v1::Notification& n, const Notice& notice, const Team& team,
                    absl::string_view language) -> absl::Status {
    absl::StatusOr<const BusinessCalendar*> calendar = context.calendar_for(team);
    if (!calendar.ok()) return calendar.status();
    n.set_language(std::string(language));
    MessageText text = RenderNotice(notice, change.incident, change.event, n.language(),
                                    (*calendar)->zone());
    n.set_subject(std::move(text.subject));
    n.set_body(std::move(text.body));
    *n.mutable_not_before() = ToProto(DeliverNotBefore(notice, **calendar, context.now));
    // A message leaves amends: a confidential case's change stays behind, as in mail.
    if (!change.incident.confidential()) *n.mutable_event() = change.event;
    return absl::OkStatus();
  };
  auto tell = [&](const Notice& notice, const User& user) -> absl::Status {
    // Whoever cannot act (token revoked, deactivated) is told nothing, nor is the person a
    // conduct case is about.
    if (!user.active || !user.has_token || user.name == change.event.actor() ||
        IsAbout(change.incident, user.name) || !told.insert(user.name).second) {
      return absl::OkStatus();
    }
    absl::StatusOr<const Team*> team = team_of(user.team);
    if (!team.ok()) return team.status();
    v1::Notification n = NewNotification(user, change.incident.team(), context.now);
    n.set_reason(notice.reason);
    n.set_urgent(notice.urgent);
    if (absl::Status s =
            render(n, notice, **team, EffectiveLanguage(user.language, (*team)->language));
        !s.ok()) {
      return s;
    }
    rows.push_back(std::move(n));
    return absl::OkStatus();
  };

  for (const Notice& notice : notices) {
    if (!notice.managers_of.empty()) {
      absl::StatusOr<const std::vector<User>*> managers = managers_of(notice.managers_of);
      if (!managers.ok()) return managers.status();
      for (const User& manager : **managers) {
        if (absl::Status s = tell(notice, manager); !s.ok()) return s;
      }
      continue;
    }
    absl::StatusOr<const std::optional<User>*> user = user_named(notice.user);
    if (!user.ok()) return user.status();
    if (!**user) continue;  // a name that is nobody's account
    if (absl::Status s = tell(notice, ***user); !s.ok()) return s;
  }

  const std::string& team_name = change.incident.team();
  const std::string* channel = nullptr;
  if (context.team_channels != nullptr) {
    auto it = context.team_channels->find(team_name);
    if (it != context.team_channels->end()) channel = &it->second;
  }
  if (channel != nullptr) {
    if (std::optional<Notice> notice = TeamChannelNotice(before, change)) {
      absl::StatusOr<const Team*> team = team_of(team_name);
      if (!team.ok()) return team.status();
      v1::Notification n;
      n.set_team(team_name);
      n.set_recipient(absl::StrCat("#", team_name));
      n.set_channel(absl::StrCat(kWebhookChannelPrefix, *channel));
      *n.mutable_created_at() = ToProto(context.now);
      n.set_state(v1::Notification::STATE_PENDING);
      n.set_reason(notice->reason);
      if (absl::Status s = render(n, *notice, **team, EffectiveLanguage("", (*team)->language));
          !s.ok()) {
        return s;
      }
      rows.push_back(std::move(n));
    }
  }
  return rows;
}

}  // namespace amends
