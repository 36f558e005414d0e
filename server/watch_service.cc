#include "server/watch_service.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"
#include "server/status_map.h"

namespace amends {
namespace {

// Changes read per step, from the feed or the store. Bounds what a stream holds at once.
constexpr size_t kBatch = 256;

grpc::Status OutOfRange(grpc::ServerContext* ctx, int64_t cursor, int64_t pruned_through) {
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

grpc::Status WatchService::Open(grpc::ServerContext* ctx, const v1::WatchRequest& request,
                                Stream& stream) {
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

grpc::Status WatchService::Admit(const std::string& user, grpc::ServerContext* ctx) {
  absl::MutexLock lock(&open_mu_);
  std::vector<OpenStream>& streams = open_[user];
  auto counted = [&] {
    return std::count_if(streams.begin(), streams.end(),
                         [](const OpenStream& o) { return o.counted; });
  };
  if (counted() >= max_per_user_) {
    // Rarely here, so the cost of looking (a poll of each call's queue) is paid only now.
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

void WatchService::Leave(const std::string& user, grpc::ServerContext* ctx) {
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

grpc::Status WatchService::NextBatch(grpc::ServerContext* ctx, const Stream& stream,
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

bool WatchService::SendHeartbeat(Stream& stream, grpc::ServerWriter<v1::WatchResponse>* writer) {
  v1::WatchResponse response;
  v1::Heartbeat& heartbeat = *response.mutable_heartbeat();
  heartbeat.set_sequence(stream.cursor);
  stream.last_sent = clock_.Steady();
  *heartbeat.mutable_time() = ToProto(clock_.Now());
  *heartbeat.mutable_interval() = google::protobuf::util::TimeUtil::MicrosecondsToDuration(
      absl::ToInt64Microseconds(heartbeat_));
  return writer->Write(response);
}

grpc::Status WatchService::Watch(grpc::ServerContext* ctx, const v1::WatchRequest* request,
                                 grpc::ServerWriter<v1::WatchResponse>* writer) {
  Stream stream;
  if (grpc::Status s = Open(ctx, *request, stream); !s.ok()) return s;
  const std::string user = stream.actor.name;
  if (grpc::Status s = Admit(user, ctx); !s.ok()) return s;
  const absl::Cleanup leave = [&] { Leave(user, ctx); };
  // The first message says where the stream starts, and that it is listening.
  if (!SendHeartbeat(stream, writer)) return grpc::Status::CANCELLED;
  stream.last_auth = stream.last_sent;

  // No ctx->IsCancelled() per turn: on the synchronous server it polls the call's completion
  // queue, a third of the server's CPU with 2,000 streams (docs/PERFORMANCE.md). A subscriber
  // that went away fails its next Write, a heartbeat at the latest.
  std::vector<FeedEntryPtr> batch;
  std::vector<const FeedEntry*> sending;
  for (;;) {
    if (grpc::Status s = NextBatch(ctx, stream, batch); !s.ok()) return s;
    sending.clear();
    for (const FeedEntryPtr& entry : batch) {
      absl::StatusOr<bool> deliverable = Deliverable(stream, *entry);
      if (!deliverable.ok()) return ToGrpc(deliverable.status());
      if (*deliverable) sending.push_back(entry.get());
    }
    for (size_t i = 0; i < sending.size(); ++i) {
      // All but the last may wait in gRPC's buffer: a batch goes out in few packets.
      grpc::WriteOptions options;
      if (i + 1 < sending.size()) options.set_buffer_hint();
      if (!writer->Write(sending[i]->message, options)) return grpc::Status::CANCELLED;
    }
    const absl::Time now = clock_.Steady();
    if (!sending.empty()) stream.last_sent = now;
    if (!batch.empty()) stream.cursor = batch.back()->sequence();

    // Tokens are revoked by `amendsd admin` in another process: look again now and then.
    if (now - stream.last_auth >= heartbeat_) {
      if (grpc::Status s = Reauthenticate(*request, stream); !s.ok()) return s;
      stream.last_auth = now;
    }
    // Also while catching up through changes that do not match, so that the subscriber never
    // takes a long catch-up for a dead connection.
    if (now - stream.last_sent >= heartbeat_ && !SendHeartbeat(stream, writer)) {
      return grpc::Status::CANCELLED;
    }
    if (!batch.empty()) continue;  // there may be more
    const absl::Time next_due = std::min(stream.last_sent, stream.last_auth) + heartbeat_;
    std::optional<int64_t> skip_to = feed_.Wait(stream.cursor, stream.wake_team, next_due - now);
    if (!skip_to) return ShuttingDown();
    stream.cursor = std::max(stream.cursor, *skip_to);
  }
}

}  // namespace amends
