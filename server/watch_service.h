// WatchService: the gRPC handler of amends.v1.WatchService, the change stream.
//
// Each Watch call is a loop on its own gRPC thread. It sends the changes after its cursor that
// pass the stream's WatchFilter, from the ChangeFeed while the cursor is within it and from the
// store's replay window while it is not, and advances the cursor past every change it looked
// at, sent or not. When caught up it sleeps on the feed until a change of its team, a heartbeat
// or a token check is due. So a subscriber gets every matching change once, in sequence order,
// however slow it is, and a reconnect with the last sequence it saw continues without a gap.
//
// Time (heartbeats, token checks) comes from the injected Clock; a test moves a fake clock and
// calls ChangeFeed::WakeAll(). Thread-safe: gRPC runs many calls at once.
#ifndef AMENDS_SERVER_WATCH_SERVICE_H_
#define AMENDS_SERVER_WATCH_SERVICE_H_

#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "server/authenticator.h"
#include "server/change_feed.h"
#include "server/core/clock.h"
#include "storage/store.h"

namespace amends {

class WatchService final : public v1::WatchService::Service {
 public:
  // `heartbeat`: how long a stream may stay silent; also how often its token is checked again.
  WatchService(Store& store, ChangeFeed& feed, const Clock& clock, absl::Duration heartbeat)
      : store_(store), feed_(feed), clock_(clock), heartbeat_(heartbeat), auth_(store) {}

  grpc::Status Watch(grpc::ServerContext* ctx, const v1::WatchRequest* request,
                     grpc::ServerWriter<v1::WatchResponse>* writer) override;

 private:
  Store& store_;
  ChangeFeed& feed_;
  const Clock& clock_;
  const absl::Duration heartbeat_;
  Authenticator auth_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_WATCH_SERVICE_H_
