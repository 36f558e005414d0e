#include "server/change_feed.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "server/core/client_name.h"

namespace amends {

FeedEntry::FeedEntry(Committed change) {
  client_key = ClientKey(change.incident.client().name());
  v1::IncidentChange* c = message.mutable_change();
  *c->mutable_event() = std::move(change.event);
  *c->mutable_incident() = std::move(change.incident);
  bytes = message.ByteSizeLong();
}

ChangeFeed::ChangeFeed(int64_t head, size_t capacity, size_t max_bytes)
    : capacity_(std::max<size_t>(capacity, 1)), max_bytes_(max_bytes), floor_(head),
      head_(head) {}

void ChangeFeed::Publish(const Committed& change) {
  // Built outside the lock: streams reading the ring never wait for a copy of an incident.
  auto entry = std::make_shared<const FeedEntry>(change);
  absl::MutexLock lock(&mu_);
  if (closed_) return;
  head_ = entry->sequence();
  const std::string& team = entry->incident().team();
  bytes_ += entry->bytes;
  ring_.push_back(std::move(entry));
  while (ring_.size() > capacity_ || (bytes_ > max_bytes_ && ring_.size() > 1)) {
    floor_ = ring_.front()->sequence();
    bytes_ -= ring_.front()->bytes;
    ring_.pop_front();
  }
  WakeLocked(team, head_);
  WakeLocked("", head_);
}

ChangeFeed::Read ChangeFeed::After(int64_t cursor, size_t max) const {
  absl::ReaderMutexLock lock(&mu_);
  Read read;
  if (closed_) {
    read.closed = true;
    return read;
  }
  if (cursor < floor_) {
    read.behind = true;
    return read;
  }
  auto it = std::upper_bound(ring_.begin(), ring_.end(), cursor,
                             [](int64_t c, const FeedEntryPtr& e) { return c < e->sequence(); });
  const size_t n = std::min<size_t>(max, ring_.end() - it);
  read.entries.assign(it, it + n);
  return read;
}

int64_t ChangeFeed::head() const {
  absl::ReaderMutexLock lock(&mu_);
  return head_;
}

bool ChangeFeed::Listen(int64_t cursor, absl::string_view team, Listener* listener) {
  absl::MutexLock lock(&mu_);
  assert(!listener->listed);
  listener->skip_to = cursor;
  if (closed_ || head_ > cursor) return false;
  listener->team = std::string(team);
  listener->listed = true;
  listeners_[listener->team].push_back(listener);
  return true;
}

std::optional<int64_t> ChangeFeed::Forget(Listener* listener) {
  absl::MutexLock lock(&mu_);
  if (listener->listed) {
    // Not woken, so still listed: only a wake-up takes a listener off its list.
    auto it = listeners_.find(listener->team);
    std::vector<Listener*>& list = it->second;
    list.erase(std::find(list.begin(), list.end(), listener));
    if (list.empty()) listeners_.erase(it);
    listener->listed = false;
    listener->skip_to = head_;  // nothing of its team came
  }
  if (closed_) return std::nullopt;
  return listener->skip_to;
}

void ChangeFeed::WakeLocked(const std::string& team, int64_t sequence) {
  auto it = listeners_.find(team);
  if (it == listeners_.end()) return;
  for (Listener* l : it->second) {
    l->listed = false;
    l->skip_to = sequence - 1;
    l->Woken();
  }
  listeners_.erase(it);
}

void ChangeFeed::WakeAllLocked() {
  for (auto& [team, list] : listeners_) {
    for (Listener* l : list) {
      l->listed = false;
      l->skip_to = head_;  // nothing of its team came, or it would have been woken already
      l->Woken();
    }
  }
  listeners_.clear();
}

void ChangeFeed::WakeAllForTest() {
  absl::MutexLock lock(&mu_);
  WakeAllLocked();
}

void ChangeFeed::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  ring_.clear();
  bytes_ = 0;
  WakeAllLocked();
}

}  // namespace amends
