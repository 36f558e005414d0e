// ChangeFeed: the newest committed changes, in memory, for the Watch streams.
//
// The writer publishes every committed change in commit order, so the feed holds them in
// sequence order; each stream reads what follows its own cursor. The feed keeps the newest
// `capacity` changes, and no more than `max_bytes` of them (but always the newest one): a
// stream whose cursor is older than that (After() says `behind`) reads the store's replay
// window (Store::ReadStream) until it is back in range. So a slow subscriber never holds up
// the writer or the other streams, and costs no memory beyond its cursor: the buffer is
// shared and bounded in entries and in bytes, however large the incidents.
//
// Streams sleep in Wait(). Publishing wakes only those whose wake team (the one team whose
// changes they can send, if there is one) is the change's team or any team, so that 2,000 team-filtered streams are not all woken for
// every change.
//
// Thread-safety: every method may be called from any thread. Publish() must be called in
// commit order (the writer calls it under its lock).
//
// Lock order: one mutex, mu_, a leaf. It is taken after the writer's group_mu_ (Publish runs
// in the writer's commit listener) and nothing is taken while it is held: Wait() sleeps on it
// (each Waiter's CondVar), and no method calls the store, the writer or a stream under it.
#ifndef AMENDS_SERVER_CHANGE_FEED_H_
#define AMENDS_SERVER_CHANGE_FEED_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/steady_cond_var.h"
#include "storage/store.h"

namespace amends {

// One committed change, ready to send: built once, shared by every stream that sends it.
struct FeedEntry {
  explicit FeedEntry(Committed change);
  const v1::Event& event() const { return message.change().event(); }
  const v1::Incident& incident() const { return message.change().incident(); }
  int64_t sequence() const { return event().sequence(); }

  v1::WatchResponse message;
  std::string client_key;  // ClientKey of the incident's client, for the client filter
  size_t bytes = 0;        // what it holds, as serialized
};
using FeedEntryPtr = std::shared_ptr<const FeedEntry>;

class ChangeFeed {
 public:
  // `head`: the newest sequence committed before the feed starts (Store::LastSequence).
  ChangeFeed(int64_t head, size_t capacity, size_t max_bytes);

  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  void Publish(const Committed& change);

  struct Read {
    std::vector<FeedEntryPtr> entries;  // sequence order
    // The feed no longer holds every change after the cursor: read the store instead.
    bool behind = false;
    bool closed = false;
  };
  // The changes after `cursor`, oldest first, at most `max`.
  Read After(int64_t cursor, size_t max) const;

  // The newest published sequence.
  int64_t head() const;

  // Sleeps until a change after `cursor` of `team` (empty: any) is published, WakeAllForTest() or
  // Close() is called, or `timeout` passes; returns at once if there is already a change after
  // `cursor`. Returns nullopt once the feed is closed, else the sequence up to which every
  // change is of another team: while the stream slept, nothing of its team was published
  // before the change that woke it, if any. A stream whose team is quiet thus skips the busy
  // teams' changes without reading them, however many there were.
  std::optional<int64_t> Wait(int64_t cursor, absl::string_view team, absl::Duration timeout);

  // Wakes every sleeping stream. Tests call it after moving a fake clock, so that streams
  // look at the new time (heartbeats, token checks).
  void WakeAllForTest();

  // Ends the feed (server shutdown): sleeping streams wake, Wait returns nullopt and After
  // says closed from now on.
  void Close();

 private:
  struct Waiter {
    SteadyCondVar cv;
    bool woken = false;
    int64_t skip_to = 0;  // what Wait returns; set when woken or timed out
  };
  // Wakes the streams filed under `team`: every change before `sequence` was another team's.
  void WakeLocked(const std::string& team, int64_t sequence) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WakeAllLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t capacity_;
  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  std::deque<FeedEntryPtr> ring_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;  // of the entries in ring_
  // Every change after `floor_` is in ring_: the sequence of the newest change evicted, or the
  // head at start.
  int64_t floor_ ABSL_GUARDED_BY(mu_);
  int64_t head_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  // Sleeping streams by wake team ("" for any team).
  absl::flat_hash_map<std::string, std::vector<Waiter*>> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace amends

#endif  // AMENDS_SERVER_CHANGE_FEED_H_
