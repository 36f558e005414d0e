// WatchService: the gRPC handler of amends.v1.WatchService, the change stream.
//
// Each Watch call is a reactor of gRPC's callback API (a Reactor, watch_service.cc): no thread
// waits for a stream. It sends the changes after its cursor that pass the stream's WatchFilter,
// from the ChangeFeed while the cursor is within it and from the store's replay window while it
// is not, and advances the cursor past every change it looked at, sent or not. When caught up
// it lists itself with the feed and sets an alarm for its next heartbeat or token check, and
// gives its thread back; a change of its team or the alarm hands it to a gRPC thread again. So
// a subscriber gets every matching change once, in sequence order, however slow it is, and a
// reconnect with the last sequence it saw continues without a gap. A change is sent only if the
// caller may read the incident as the change left it, and, where that rests on a part they
// play in it (visibility.h ReadsOnlyWhileInvolved), as it is now.
//
// Time (heartbeats, token checks) comes from the injected Clock, counted on its steady reading
// so that a step of the system clock never stalls them; a test moves a fake clock and calls
// ChangeFeed::WakeAllForTest(). Thread-safe: gRPC runs many calls at once.
#ifndef AMENDS_SERVER_WATCH_SERVICE_H_
#define AMENDS_SERVER_WATCH_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "server/authenticator.h"
#include "server/change_feed.h"
#include "server/core/clock.h"
#include "server/core/watch_filter.h"
#include "storage/store.h"

namespace amends {

class WatchService final : public v1::WatchService::CallbackService {
 public:
  // `heartbeat`: how long a stream may stay silent; also how often its token is checked again.
  // `max_per_user`: streams one user may have open at once, so that a runaway subscriber
  // cannot take the server's memory. A cancelled stream stops counting at once.
  WatchService(Store& store, ChangeFeed& feed, const Clock& clock, absl::Duration heartbeat,
               int max_per_user)
      : store_(store),
        feed_(feed),
        clock_(clock),
        heartbeat_(heartbeat),
        max_per_user_(max_per_user),
        auth_(store) {}

  grpc::ServerWriteReactor<v1::WatchResponse>* Watch(grpc::CallbackServerContext* ctx,
                                                     const v1::WatchRequest* request) override;

  // How many pages streams behind the feed have read from the store; for tests.
  int64_t PagesReadFromStoreForTest() const { return pages_from_store_.load(); }
  // How many streams `user` has open (ended ones leave at once); for tests.
  int OpenStreamsForTest(const std::string& user) {
    absl::MutexLock lock(&open_mu_);
    auto it = open_.find(user);
    return it == open_.end() ? 0 : static_cast<int>(it->second.size());
  }

 private:
  class Reactor;  // one call (watch_service.cc)
  // One call's place and permissions.
  struct Stream {
    std::string authorization;
    Actor actor;
    WatchFilter filter;
    std::string wake_team;  // see ChangeFeed::Wait
    int64_t cursor = 0;     // the last sequence this stream has looked at
    absl::Time last_sent;   // the last message (Clock::Steady, as the two below)
    absl::Time last_auth;   // the last token check
  };

  // Authenticates, checks the filters and finds where the stream starts.
  grpc::Status Open(grpc::CallbackServerContext* ctx, const v1::WatchRequest& request,
                    Stream& stream);
  // Looks at the token again, and filters as the user is now (moved team, new role).
  grpc::Status Reauthenticate(const v1::WatchRequest& request, Stream& stream);
  // The changes after the cursor, from the feed or, when it is behind, the store.
  grpc::Status NextBatch(grpc::CallbackServerContext* ctx, const Stream& stream,
                         std::vector<FeedEntryPtr>& batch);
  // Whether the stream may send this change (filters and permissions).
  absl::StatusOr<bool> Deliverable(const Stream& stream, const FeedEntry& entry);
  // A heartbeat saying where the stream is; counts as sent now.
  v1::WatchResponse Heartbeat(Stream& stream);

  // Counts `ctx`'s stream among the user's open streams; RESOURCE_EXHAUSTED if that would
  // pass max_per_user_. At the limit, a stream whose subscriber has gone (cancelled: its
  // client was killed or closed it) stops counting at once, though its reactor may not have
  // ended yet; so a restarted subscriber is never refused for its own dead streams.
  grpc::Status Admit(const std::string& user, grpc::CallbackServerContext* ctx);
  // Takes `ctx`'s stream out again; called by its reactor when it is done.
  void Leave(const std::string& user, grpc::CallbackServerContext* ctx);

  Store& store_;
  ChangeFeed& feed_;
  const Clock& clock_;
  const absl::Duration heartbeat_;
  const int max_per_user_;
  Authenticator auth_;
  std::atomic<int64_t> pages_from_store_{0};
  // A user's streams, each counted until it ends or is found cancelled.
  struct OpenStream {
    grpc::CallbackServerContext* ctx;
    bool counted = true;
  };
  // Lock order: open_mu_, then gRPC's own locks (ServerContext::IsCancelled); nothing else is
  // taken under it.
  absl::Mutex open_mu_;
  absl::flat_hash_map<std::string, std::vector<OpenStream>> open_ ABSL_GUARDED_BY(open_mu_);
};

}  // namespace amends

#endif  // AMENDS_SERVER_WATCH_SERVICE_H_
