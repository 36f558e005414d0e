// NotificationService: the gRPC handlers of amends.v1.NotificationService: the delivery log,
// retrying a failed notification, a test message, and the caller's own address and language.
//
// Who may do what: an incident's notifications are listed to whoever may read the incident
// (core/visibility.h); failures across a team, and retries, to the team's managers (and
// admins); a test message and `me` to everyone for themselves. Without a dispatcher (amendsd
// runs without --notify) the log still answers, and sending answers FAILED_PRECONDITION.
// Thread-safe: gRPC calls handlers concurrently.
#ifndef AMENDS_SERVER_NOTIFICATION_SERVICE_H_
#define AMENDS_SERVER_NOTIFICATION_SERVICE_H_

#include "amends/v1/amends.grpc.pb.h"
#include "server/authenticator.h"
#include "server/core/clock.h"
#include "server/dispatcher.h"
#include "storage/store.h"

namespace amends {

class NotificationService final : public v1::NotificationService::Service {
 public:
  // `dispatcher` may be null: notifications are off.
  NotificationService(Store& store, Dispatcher* dispatcher, const Clock& clock)
      : store_(store), dispatcher_(dispatcher), clock_(clock), auth_(store) {}

  using Ctx = grpc::ServerContext;
  grpc::Status ListNotifications(Ctx*, const v1::ListNotificationsRequest*,
                                 v1::ListNotificationsResponse*) override;
  grpc::Status RetryNotification(Ctx*, const v1::RetryNotificationRequest*,
                                 v1::Notification*) override;
  grpc::Status SendTestNotification(Ctx*, const v1::SendTestNotificationRequest*,
                                    v1::Notification*) override;
  grpc::Status GetMe(Ctx*, const v1::GetMeRequest*, v1::Me*) override;
  grpc::Status UpdateMe(Ctx*, const v1::UpdateMeRequest*, v1::Me*) override;

 private:
  absl::Status CheckSending() const;
  absl::StatusOr<v1::Me> MeOf(absl::string_view name) const;

  Store& store_;
  Dispatcher* const dispatcher_;
  const Clock& clock_;
  Authenticator auth_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_NOTIFICATION_SERVICE_H_
