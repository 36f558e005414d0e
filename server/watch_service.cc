#include "server/watch_service.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"
#include "server/core/watch_filter.h"
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
      absl::StrCat("after_sequence: changes after ", cursor,
                   " are no longer kept; the oldest available sequence is ", oldest,
                   ". Start again from the oldest, or re-sync from ListIncidents"));
}

grpc::Status ShuttingDown() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the server is shutting down; reconnect and resume after your last sequence");
}

}  // namespace

grpc::Status WatchService::Watch(grpc::ServerContext* ctx, const v1::WatchRequest* request,
                                 grpc::ServerWriter<v1::WatchResponse>* writer) {
  const auto& md = ctx->client_metadata();
  const auto auth_it = md.find("authorization");
  const std::string authorization =
      auth_it == md.end() ? "" : std::string(auth_it->second.data(), auth_it->second.size());
  absl::StatusOr<Actor> actor = auth_.Authenticate(authorization);
  if (!actor.ok()) return ToGrpc(actor.status());
  absl::StatusOr<WatchFilter> filter = WatchFilter::Parse(*request, *actor);
  if (!filter.ok()) return ToGrpc(filter.status());
  std::string wake_team = filter->WakeTeam();
  if (filter->incident_id != 0) {
    absl::StatusOr<v1::Incident> incident = store_.GetIncident(filter->incident_id);
    if (!incident.ok()) return ToGrpc(incident.status());
    if (auto s = CheckCanRead(*incident, *actor); !s.ok()) return ToGrpc(s);
    wake_team = incident->team();  // an incident never changes team
  }

  // Where to start. The cursor is the last sequence this stream has looked at.
  int64_t cursor = feed_.head();
  if (request->start_case() != v1::WatchRequest::kFromNow &&
      request->start_case() != v1::WatchRequest::START_NOT_SET) {
    absl::StatusOr<StreamPage> window = store_.ReadStream(0, 0);
    if (!window.ok()) return ToGrpc(window.status());
    if (request->start_case() == v1::WatchRequest::kFromOldest) {
      cursor = window->pruned_through;
    } else {
      cursor = request->after_sequence();
      if (cursor < window->pruned_through) {
        return OutOfRange(ctx, cursor, window->pruned_through);
      }
      absl::StatusOr<int64_t> last = store_.LastSequence();
      if (!last.ok()) return ToGrpc(last.status());
      if (cursor > *last) {
        return ToGrpc(absl::InvalidArgumentError(
            absl::StrCat("after_sequence: ", cursor, " is after the newest change (", *last,
                         "); was the cursor saved from another server?")));
      }
    }
  }

  v1::WatchResponse heartbeat;
  *heartbeat.mutable_heartbeat()->mutable_interval() =
      google::protobuf::util::TimeUtil::MicrosecondsToDuration(
          absl::ToInt64Microseconds(heartbeat_));
  absl::Time last_sent;
  auto send_heartbeat = [&] {
    heartbeat.mutable_heartbeat()->set_sequence(cursor);
    last_sent = clock_.Now();
    *heartbeat.mutable_heartbeat()->mutable_time() = ToProto(last_sent);
    return writer->Write(heartbeat);
  };
  // The first message says where the stream starts, and that it is listening.
  if (!send_heartbeat()) return grpc::Status::CANCELLED;
  absl::Time last_auth = last_sent;

  // No ctx->IsCancelled() per turn: on the synchronous server it polls the call's completion
  // queue, a third of the server's CPU with 2,000 streams (docs/PERFORMANCE.md). A subscriber
  // that went away fails its next Write, a heartbeat at the latest.
  std::vector<const FeedEntry*> matching;
  for (;;) {
    ChangeFeed::Read read = feed_.After(cursor, kBatch);
    if (read.closed) return ShuttingDown();
    std::vector<FeedEntryPtr>& entries = read.entries;
    if (read.behind) {
      absl::StatusOr<StreamPage> page = store_.ReadStream(cursor, kBatch);
      if (!page.ok()) return ToGrpc(page.status());
      // Pruned while this stream was catching up: say so rather than skip.
      if (cursor < page->pruned_through) return OutOfRange(ctx, cursor, page->pruned_through);
      if (page->entries.empty()) {
        // Newer changes are in the feed, so they were committed: the window cannot be empty.
        return ToGrpc(absl::InternalError(absl::StrCat(
            "the change stream's window has nothing after ", cursor, " but the server has")));
      }
      for (Committed& c : page->entries) {
        entries.push_back(std::make_shared<const FeedEntry>(std::move(c)));
      }
    }
    matching.clear();
    for (const FeedEntryPtr& entry : entries) {
      if (filter->Matches(entry->event(), entry->incident(), entry->client_key, *actor)) {
        matching.push_back(entry.get());
      }
    }
    for (size_t i = 0; i < matching.size(); ++i) {
      // All but the last may wait in gRPC's buffer: a batch goes out in few packets.
      grpc::WriteOptions options;
      if (i + 1 < matching.size()) options.set_buffer_hint();
      if (!writer->Write(matching[i]->message, options)) return grpc::Status::CANCELLED;
    }
    if (!matching.empty()) last_sent = clock_.Now();
    if (!entries.empty()) cursor = entries.back()->sequence();

    const absl::Time now = clock_.Now();
    if (now - last_auth >= heartbeat_) {
      // Tokens are revoked by `amendsd admin` in another process: look again now and then.
      // The user may also have moved team or changed role since: filter as they are now.
      actor = auth_.Authenticate(authorization);
      if (!actor.ok()) return ToGrpc(actor.status());
      if (filter = WatchFilter::Parse(*request, *actor); !filter.ok()) {
        return ToGrpc(filter.status());
      }
      last_auth = now;
    }
    if (!entries.empty()) continue;  // there may be more
    if (now - last_sent >= heartbeat_ && !send_heartbeat()) return grpc::Status::CANCELLED;
    std::optional<int64_t> skip_to = feed_.Wait(cursor, wake_team, heartbeat_ - (now - last_sent));
    if (!skip_to) return ShuttingDown();
    cursor = std::max(cursor, *skip_to);
  }
}

}  // namespace amends
