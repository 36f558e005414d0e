#include "server/notification_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/core/contact.h"
#include "server/core/notification_text.h"
#include "server/core/visibility.h"
#include "server/outbox.h"
#include "server/status_map.h"

namespace amends {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 500;

}  // namespace

absl::Status NotificationService::CheckSending() const {
  if (dispatcher_ == nullptr) {
    return absl::FailedPreconditionError(
        "notifications are off: amendsd runs without --notify, so nothing is sent");
  }
  return absl::OkStatus();
}

grpc::Status NotificationService::ListNotifications(Ctx* ctx,
                                                    const v1::ListNotificationsRequest* request,
                                                    v1::ListNotificationsResponse* out) {
  absl::StatusOr<Actor> actor = auth_.Authenticate(AuthorizationOf(*ctx));
  if (!actor.ok()) return ToGrpc(actor.status());
  if (request->limit() < 0 || request->limit() > kMaxLimit) {
    return ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("limit: must be 1..", kMaxLimit, " (0: ", kDefaultLimit, ")")));
  }
  NotificationQuery query{.limit = request->limit() == 0 ? kDefaultLimit : request->limit()};
  switch (request->which_case()) {
    case v1::ListNotificationsRequest::kIncidentId: {
      if (request->incident_id() <= 0) {
        return ToGrpc(absl::InvalidArgumentError("incident_id: must be a positive number"));
      }
      absl::StatusOr<v1::Incident> incident = store_.GetIncident(request->incident_id());
      if (!incident.ok()) return ToGrpc(incident.status());
      if (absl::Status s = CheckCanRead(*incident, *actor); !s.ok()) return ToGrpc(s);
      query.incident_id = request->incident_id();
      break;
    }
    case v1::ListNotificationsRequest::kFailed:
      if (actor->role != Role::kManager && actor->role != Role::kAdmin) {
        return ToGrpc(absl::PermissionDeniedError(
            "failed: only managers see their team's failed notifications"));
      }
      if (actor->role == Role::kManager) query.teams = {actor->team};
      query.state = v1::Notification::STATE_FAILED;
      break;
    case v1::ListNotificationsRequest::WHICH_NOT_SET:
      return ToGrpc(absl::InvalidArgumentError("which: give incident_id or failed"));
  }
  absl::StatusOr<std::vector<v1::Notification>> found = store_.ListNotifications(query);
  if (!found.ok()) return ToGrpc(found.status());
  for (v1::Notification& n : *found) *out->add_notifications() = std::move(n);
  return grpc::Status::OK;
}

grpc::Status NotificationService::RetryNotification(Ctx* ctx,
                                                    const v1::RetryNotificationRequest* request,
                                                    v1::Notification* out) {
  absl::StatusOr<Actor> actor = auth_.Authenticate(AuthorizationOf(*ctx));
  if (!actor.ok()) return ToGrpc(actor.status());
  if (request->id() <= 0) return ToGrpc(absl::InvalidArgumentError("id: must be a positive number"));
  absl::StatusOr<v1::Notification> n = store_.GetNotification(request->id());
  if (!n.ok()) return ToGrpc(n.status());
  if (!ManagesTeam(*actor, n->team())) {
    return ToGrpc(absl::PermissionDeniedError(
        absl::StrCat("id: only the managers of team ", n->team(), " retry its notifications")));
  }
  if (absl::Status s = CheckSending(); !s.ok()) return ToGrpc(s);
  absl::StatusOr<v1::Notification> done = dispatcher_->Retry(request->id());
  if (!done.ok()) return ToGrpc(done.status());
  *out = *std::move(done);
  return grpc::Status::OK;
}

grpc::Status NotificationService::SendTestNotification(Ctx* ctx,
                                                       const v1::SendTestNotificationRequest*,
                                                       v1::Notification* out) {
  absl::StatusOr<Actor> actor = auth_.Authenticate(AuthorizationOf(*ctx));
  if (!actor.ok()) return ToGrpc(actor.status());
  if (absl::Status s = CheckSending(); !s.ok()) return ToGrpc(s);
  absl::StatusOr<User> user = store_.GetUser(actor->name);
  if (!user.ok()) return ToGrpc(user.status());
  if (user->email.empty()) {
    return ToGrpc(absl::FailedPreconditionError(
        "email: you have no mail address yet; set one with: amends me --email ADDR"));
  }
  absl::StatusOr<Team> team = store_.GetTeam(user->team);
  if (!team.ok()) return ToGrpc(team.status());
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(team->time_zone, &zone)) zone = absl::UTCTimeZone();
  const absl::Time now = clock_.Now();
  v1::Notification n = NewNotification(*user, user->team, now);
  n.set_reason(v1::Notification::REASON_TEST);
  n.set_urgent(true);
  n.set_language(EffectiveLanguage(user->language, team->language));
  MessageText text = RenderTestMessage(user->name, n.language(), now, zone);
  n.set_subject(std::move(text.subject));
  n.set_body(std::move(text.body));
  absl::StatusOr<v1::Notification> done = dispatcher_->SendNow(std::move(n));
  if (!done.ok()) return ToGrpc(done.status());
  *out = *std::move(done);
  return grpc::Status::OK;
}

absl::StatusOr<v1::Me> NotificationService::MeOf(absl::string_view name) const {
  absl::StatusOr<User> user = store_.GetUser(name);
  if (!user.ok()) return user.status();
  absl::StatusOr<Team> team = store_.GetTeam(user->team);
  if (!team.ok()) return team.status();
  v1::Me me;
  me.set_name(user->name);
  me.set_team(user->team);
  me.set_role(user->role);
  me.set_email(user->email);
  me.set_language(user->language);
  me.set_effective_language(EffectiveLanguage(user->language, team->language));
  return me;
}

grpc::Status NotificationService::GetMe(Ctx* ctx, const v1::GetMeRequest*, v1::Me* out) {
  absl::StatusOr<Actor> actor = auth_.Authenticate(AuthorizationOf(*ctx));
  if (!actor.ok()) return ToGrpc(actor.status());
  absl::StatusOr<v1::Me> me = MeOf(actor->name);
  if (!me.ok()) return ToGrpc(me.status());
  *out = *std::move(me);
  return grpc::Status::OK;
}

grpc::Status NotificationService::UpdateMe(Ctx* ctx, const v1::UpdateMeRequest* request,
                                           v1::Me* out) {
  absl::StatusOr<Actor> actor = auth_.Authenticate(AuthorizationOf(*ctx));
  if (!actor.ok()) return ToGrpc(actor.status());
  if (request->has_email()) {
    if (absl::Status s = ValidateEmail("email", request->email()); !s.ok()) return ToGrpc(s);
  }
  if (request->has_language()) {
    if (absl::Status s = ValidateLanguage("language", request->language()); !s.ok()) {
      return ToGrpc(s);
    }
  }
  absl::StatusOr<User> user = store_.GetUser(actor->name);
  if (!user.ok()) return ToGrpc(user.status());
  if (request->has_email()) user->email = request->email();
  if (request->has_language()) user->language = request->language();
  if (absl::Status s = store_.SetUserContact(*user); !s.ok()) return ToGrpc(s);
  absl::StatusOr<v1::Me> me = MeOf(actor->name);
  if (!me.ok()) return ToGrpc(me.status());
  *out = *std::move(me);
  return grpc::Status::OK;
}

}  // namespace amends
