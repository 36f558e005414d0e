#include "server/watch_service.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpc/support/time.h"
#include "grpcpp/alarm.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"
#include "server/status_map.h"

namespace amends {
namespace {

// Changes read per step, from the feed or the store. Bounds what a stream holds at once.
constexpr size_t kBatch = 256;

grpc::Status OutOfRange(grpc::CallbackServerContext* ctx, int64_t cursor, int64_t pruned_through) {
  const int64_t oldest = pruned_through + 1;
  ctx->AddTrailingMetadata("amends-oldest-sequence", absl::StrCat(oldest));
  return grpc::Status(
      grpc::StatusCode::OUT_OF_RANGE,
      absl::StrCat("after_sequence: the changes after ", cursor,
                   " are no longer kept; the oldest available sequence is ", oldest,
                   ". Re-sync from ListIncidents, then watch from the oldest"));
}

grpc::Status ShuttingDown() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the server is shutting down; reconnect and resume after your last sequence");
}

}  // namespace

grpc::Status WatchService::Open(grpc::CallbackServerContext* ctx,
                                const v1::WatchRequest& request, Stream& stream) {
  stream.authorization = AuthorizationOf(*ctx);
  absl::StatusOr<Actor> actor = auth_.Authenticate(stream.authorization);
  if (!actor.ok()) return ToGrpc(actor.status());
  stream.actor = *std::move(actor);
  absl::StatusOr<WatchFilter> filter = WatchFilter::Parse(request, stream.actor);
  if (!filter.ok()) return ToGrpc(filter.status());
  stream.filter = *std::move(filter);
  stream.wake_team = stream.filter.team;
  if (!stream.wake_team.empty()) {
    absl::Status team = store_.GetTeam(stream.wake_team).status();
    if (absl::IsNotFound(team)) {
      return ToGrpc(absl::InvalidArgumentError(
          absl::StrCat("team: unknown team ", stream.wake_team)));
    }
    if (!team.ok()) return ToGrpc(team);
  }
  if (stream.filter.incident_id != 0) {
    absl::StatusOr<v1::Incident> incident = store_.GetIncident(stream.filter.incident_id);
    if (!incident.ok()) return ToGrpc(incident.status());
    if (auto s = CheckCanRead(*incident, stream.actor); !s.ok()) return ToGrpc(s);
    stream.wake_team = incident->team();  // an incident never changes team
  }

  stream.cursor = feed_.head();
  if (request.start_case() == v1::WatchRequest::kFromNow ||
      request.start_case() == v1::WatchRequest::START_NOT_SET) {
    return grpc::Status::OK;
  }
  absl::StatusOr<StreamPage> window = store_.ReadStream(0, 0);
  if (!window.ok()) return ToGrpc(window.status());
  if (request.start_case() == v1::WatchRequest::kFromOldest) {
    stream.cursor = window->pruned_through;
    return grpc::Status::OK;
  }
  stream.cursor = request.after_sequence();
  if (stream.cursor < window->pruned_through) {
    return OutOfRange(ctx, stream.cursor, window->pruned_through);
  }
  absl::StatusOr<int64_t> last = store_.LastSequence();
  if (!last.ok()) return ToGrpc(last.status());
  if (stream.cursor > *last) {
    return ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("after_sequence: ", stream.cursor, " is after the newest change (", *last,
                     "); was the cursor saved from another server?")));
  }
  return grpc::Status::OK;
}

grpc::Status WatchService::Admit(const std::string& user, grpc::CallbackServerContext* ctx) {
  absl::MutexLock lock(&open_mu_);
  std::vector<OpenStream>& streams = open_[user];
  auto counted = [&] {
    return std::count_if(streams.begin(), streams.end(),
                         [](const OpenStream& o) { return o.counted; });
  };
  if (counted() >= max_per_user_) {
    for (OpenStream& o : streams) {
      if (o.counted && o.ctx->IsCancelled()) o.counted = false;
    }
  }
  if (const int open = static_cast<int>(counted()); open >= max_per_user_) {
    if (streams.empty()) open_.erase(user);
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat(user, " already has ", open,
                                     " streams open, the most one user may; close one first"));
  }
  streams.push_back({ctx});
  return grpc::Status::OK;
}

void WatchService::Leave(const std::string& user, grpc::CallbackServerContext* ctx) {
  absl::MutexLock lock(&open_mu_);
  auto it = open_.find(user);
  std::erase_if(it->second, [&](const OpenStream& o) { return o.ctx == ctx; });
  if (it->second.empty()) open_.erase(it);
}

grpc::Status WatchService::Reauthenticate(const v1::WatchRequest& request, Stream& stream) {
  absl::StatusOr<Actor> actor = auth_.Authenticate(stream.authorization);
  if (!actor.ok()) return ToGrpc(actor.status());
  absl::StatusOr<WatchFilter> filter = WatchFilter::Parse(request, *actor);
  if (!filter.ok()) return ToGrpc(filter.status());
  stream.actor = *std::move(actor);
  stream.filter = *std::move(filter);
  return grpc::Status::OK;
}

grpc::Status WatchService::NextBatch(grpc::CallbackServerContext* ctx, const Stream& stream,
                                     std::vector<FeedEntryPtr>& batch) {
  ChangeFeed::Read read = feed_.After(stream.cursor, kBatch);
  if (read.closed) return ShuttingDown();
  batch = std::move(read.entries);
  if (!read.behind) return grpc::Status::OK;
  pages_from_store_.fetch_add(1, std::memory_order_relaxed);
  absl::StatusOr<StreamPage> page = store_.ReadStream(stream.cursor, kBatch);
  if (!page.ok()) return ToGrpc(page.status());
  // Pruned while this stream was catching up: say so rather than skip.
  if (stream.cursor < page->pruned_through) {
    return OutOfRange(ctx, stream.cursor, page->pruned_through);
  }
  if (page->entries.empty()) {
    // Newer changes are in the feed, so they were committed: the window cannot be empty.
    return ToGrpc(absl::InternalError(absl::StrCat(
        "the change stream's window has nothing after ", stream.cursor, " but the feed has")));
  }
  for (Committed& c : page->entries) {
    batch.push_back(std::make_shared<const FeedEntry>(std::move(c)));
  }
  return grpc::Status::OK;
}

absl::StatusOr<bool> WatchService::Deliverable(const Stream& stream, const FeedEntry& entry) {
  const v1::Incident& then = entry.incident();
  if (!stream.filter.Matches(entry.event(), then, entry.client_key, stream.actor)) return false;
  if (!ReadsOnlyWhileInvolved(then, stream.actor)) return true;
  // Rare (confidential cases, other teams' chains): one read to see the incident as it is now.
  absl::StatusOr<v1::Incident> now = store_.GetIncident(then.id());
  if (!now.ok()) return now.status();
  return CanRead(*now, stream.actor);
}

v1::WatchResponse WatchService::Heartbeat(Stream& stream) {
  v1::WatchResponse response;
  v1::Heartbeat& heartbeat = *response.mutable_heartbeat();
  heartbeat.set_sequence(stream.cursor);
  stream.last_sent = clock_.Steady();
  *heartbeat.mutable_time() = ToProto(clock_.Now());
  *heartbeat.mutable_interval() = google::protobuf::util::TimeUtil::MicrosecondsToDuration(
      absl::ToInt64Microseconds(heartbeat_));
  return response;
}

// One Watch call. At any moment one thing holds the stream: a step running on a gRPC thread
// (Step), a write in flight (until OnWriteDone), or a sleep (listed with the feed, an alarm set,
// until Wake). Each hands it to the next, so the stream's state needs no lock; only OnCancel,
// which gRPC may call at any time, looks at `sleeping_` under `mu_` to cut a sleep short.
// Deletes itself when gRPC is done with it (OnDone); by then nothing else holds it, since it
// calls Finish only while holding the stream.
class WatchService::Reactor final : public grpc::ServerWriteReactor<v1::WatchResponse>,
                                    private ChangeFeed::Listener {
 public:
  Reactor(WatchService& service, grpc::CallbackServerContext* ctx,
          const v1::WatchRequest& request)
      : service_(service), ctx_(ctx), request_(request) {
    if (grpc::Status s = service_.Open(ctx_, request_, stream_); !s.ok()) {
      Finish(s);
      return;
    }
    if (grpc::Status s = service_.Admit(stream_.actor.name, ctx_); !s.ok()) {
      Finish(s);
      return;
    }
    admitted_ = true;
    // The first message says where the stream starts, and that it is listening.
    heartbeat_ = service_.Heartbeat(stream_);
    stream_.last_auth = stream_.last_sent;
    more_ = true;
    StartWrite(&heartbeat_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::CANCELLED);
    Step();
  }

  void OnCancel() override {
    cancelled_ = true;
    absl::MutexLock lock(&mu_);
    if (sleeping_) alarm_->Cancel();  // Wake runs at once and ends the stream
  }

  void OnDone() override {
    if (admitted_) service_.Leave(stream_.actor.name, ctx_);
    delete this;
  }

 private:
  // From the feed, under its lock: hand the stream to a gRPC thread now.
  void Woken() override { alarm_->Cancel(); }

  // Both parts of the sleep have ended: it is over.
  void Wake() {
    std::optional<int64_t> skip_to = service_.feed_.Forget(this);
    {
      absl::MutexLock lock(&mu_);
      sleeping_ = false;
    }
    if (!skip_to) return Finish(ShuttingDown());
    stream_.cursor = std::max(stream_.cursor, *skip_to);
    more_ = true;
    Step();
  }

  // Runs the stream until it must wait: for a write, or asleep for changes.
  void Step() {
    for (;;) {
      if (cancelled_) return Finish(grpc::Status::CANCELLED);
      if (next_ < sending_.size()) {
        // All but the last may wait in gRPC's buffer: a batch goes out in few packets.
        grpc::WriteOptions options;
        if (next_ + 1 < sending_.size()) options.set_buffer_hint();
        return StartWrite(sending_[next_++], options);
      }
      if (in_turn_) {
        // The batch is out.
        in_turn_ = false;
        const absl::Time now = service_.clock_.Steady();
        if (!sending_.empty()) stream_.last_sent = now;
        if (!batch_.empty()) stream_.cursor = batch_.back()->sequence();
        more_ = !batch_.empty();  // there may be more
        batch_.clear();
        sending_.clear();
        next_ = 0;
        // Tokens are revoked by `amendsd admin` in another process: look again now and then.
        if (now - stream_.last_auth >= service_.heartbeat_) {
          if (grpc::Status s = service_.Reauthenticate(request_, stream_); !s.ok()) {
            return Finish(s);
          }
          stream_.last_auth = now;
        }
        // Also while catching up through changes that do not match, so that the subscriber
        // never takes a long catch-up for a dead connection.
        if (now - stream_.last_sent >= service_.heartbeat_) {
          heartbeat_ = service_.Heartbeat(stream_);
          return StartWrite(&heartbeat_);
        }
      }
      if (!more_) return Sleep();
      if (grpc::Status s = service_.NextBatch(ctx_, stream_, batch_); !s.ok()) return Finish(s);
      for (const FeedEntryPtr& entry : batch_) {
        absl::StatusOr<bool> deliverable = service_.Deliverable(stream_, *entry);
        if (!deliverable.ok()) return Finish(ToGrpc(deliverable.status()));
        if (*deliverable) sending_.push_back(&entry->message);
      }
      in_turn_ = true;
    }
  }

  // Lists the stream with the feed and sets the alarm for its next heartbeat or token check.
  void Sleep() {
    const absl::Time next_due =
        std::min(stream_.last_sent, stream_.last_auth) + service_.heartbeat_;
    const absl::Duration wait =
        std::max(next_due - service_.clock_.Steady(), absl::ZeroDuration());
    // Two parts end a sleep: the alarm's callback (it went off, or a change or OnCancel
    // cancelled it) and the end of this function. The last to finish wakes the stream, so
    // that nothing here runs once the stream may be awake, and the alarm stays as it is while
    // the feed or OnCancel may use it.
    alarm_ = std::make_unique<grpc::Alarm>();
    sleep_parts_ = 2;
    {
      absl::MutexLock lock(&mu_);
      sleeping_ = true;
      alarm_->Set(gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                               gpr_time_from_micros(absl::ToInt64Microseconds(wait), GPR_TIMESPAN)),
                  [this](bool) { EndSleepPart(); });
      if (cancelled_) alarm_->Cancel();  // OnCancel came before sleeping_ was set
    }
    // Already something after the cursor (or the feed closed): no need to wait.
    if (!service_.feed_.Listen(stream_.cursor, stream_.wake_team, this)) alarm_->Cancel();
    EndSleepPart();
  }
  void EndSleepPart() {
    if (sleep_parts_.fetch_sub(1) == 1) Wake();
  }

  WatchService& service_;
  grpc::CallbackServerContext* const ctx_;
  const v1::WatchRequest& request_;  // gRPC's, alive until OnDone
  Stream stream_;
  bool admitted_ = false;
  std::vector<FeedEntryPtr> batch_;              // the changes of this turn
  std::vector<const v1::WatchResponse*> sending_;  // those of them it sends
  size_t next_ = 0;                              // in sending_
  bool in_turn_ = false;                         // batch_ was read and is being sent
  bool more_ = false;                            // read again before sleeping
  v1::WatchResponse heartbeat_;
  // Set by the one who holds the stream before it sleeps; cancelled by the feed (under its
  // lock, after Listen) or by OnCancel (under mu_) to end the sleep.
  std::unique_ptr<grpc::Alarm> alarm_;
  std::atomic<int> sleep_parts_{0};  // of the sleep under way, not yet ended (Sleep)
  std::atomic<bool> cancelled_{false};
  absl::Mutex mu_;
  bool sleeping_ ABSL_GUARDED_BY(mu_) = false;
};

grpc::ServerWriteReactor<v1::WatchResponse>* WatchService::Watch(
    grpc::CallbackServerContext* ctx, const v1::WatchRequest* request) {
  return new Reactor(*this, ctx, *request);
}

}  // namespace amends
