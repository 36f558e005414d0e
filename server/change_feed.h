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
// A stream with nothing to send lists itself (Listen) and returns its thread. Publishing wakes
// only the listeners whose wake team (the one team whose changes they can send, if there is
// one) is the change's team or any team, so that 2,000 team-filtered streams are not all woken
// for every change.
//
// Thread-safety: every method may be called from any thread. Publish() must be called in
// commit order (the writer calls it on its thread, group_mu_ held).
//
// Lock order: one mutex, mu_. It is taken after the writer's group_mu_ (Publish runs in the
// writer's commit listener). Under it the feed calls only Listener::Woken(), which may take
// no lock but gRPC's own (it hands the stream to a gRPC thread); no method calls the store,
// the writer or a stream's code under it.
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
#include "amends/v1/amends.pb.h"
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

  // A stream waiting for changes. Its fields are the feed's, guarded by its mu_.
  class Listener {
   public:
    virtual ~Listener() = default;
    // Called once per Listen(), under the feed's lock, when the listener is woken: it must be
    // quick, take no lock of amends and not call the feed.
    virtual void Woken() = 0;

   private:
    friend class ChangeFeed;
    std::string team;
    bool listed = false;
    int64_t skip_to = 0;
  };
  // Lists `listener` to be woken when a change after `cursor` of `team` (empty: any) is
  // published, or WakeAllForTest() or Close() is called. Returns false and lists nothing if
  // there is a change after `cursor` already or the feed is closed: there is no need to wait.
  bool Listen(int64_t cursor, absl::string_view team, Listener* listener);
  // Takes `listener` off the list if it is still there; after this the feed no longer calls
  // it. Returns nullopt once the feed is closed, else the sequence up to which every change is
  // of another team: while the stream waited, nothing of its team was published before the
  // change that woke it, if any. A stream whose team is quiet thus skips the busy teams'
  // changes without reading them, however many there were.
  std::optional<int64_t> Forget(Listener* listener);

  // Wakes every listener. Tests call it after moving a fake clock, so that streams look at the
  // new time (heartbeats, token checks).
  void WakeAllForTest();

  // Ends the feed (server shutdown): listeners are woken, Forget returns nullopt and After
  // says closed from now on.
  void Close();

 private:
  // Wakes the listeners filed under `team`: every change before `sequence` was another team's.
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
  // Listening streams by wake team ("" for any team).
  absl::flat_hash_map<std::string, std::vector<Listener*>> listeners_ ABSL_GUARDED_BY(mu_);
};

}  // namespace amends

#endif  // AMENDS_SERVER_CHANGE_FEED_H_
