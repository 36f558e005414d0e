// Dispatcher: delivers the outbox (server/outbox.h) by mail and webhooks (server/mail), at
// least once, and keeps the delivery log.
//
// Each row goes through its channel: "mail", or "webhook:NAME". A channel that gives up (a
// permanent failure, or its attempts used up) hands the row to the next of its fallback
// channels at once (a personal webhook falls back to mail); each channel has its own attempts,
// and the log shows them all. A webhook's rows are sent one at a time, so that a receiver that
// hangs holds one worker and never delays mail or other channels.
//
// Each pending notification due by the clock (not_before passed) is handed to one of
// `parallel` workers, or to one more that sends urgent rows only (see Start()), which sends it
// through the Mailer with the Mailer's per-attempt timeout; a slow or failing mail server
// holds up only the workers on it, never the write path (the writer only writes rows) and
// never other notifications beyond those workers (no head-of-line batch); urgent
// notifications are taken first. Every attempt is appended to the notification's log; the
// results are written back in batches (one transaction per 50 ms at most), so that the
// dispatcher does not compete with the writer for the write lock per mail. A temporary
// failure is tried again after first_wait, doubling each time with +/-25% jitter, until
// `attempts` are used up; a permanent one (5xx) fails at once. A failed notification shows in
// its team managers' inbox.
//
// At least once: a notification is marked sent only after the server took it, so a crash
// between the two sends it again after restart, with the same Message-ID (derived from the
// row's id and creation time, so a resend is recognisable as the same message).
//
// Time comes from the injected Clock. Tests call RunDue() after moving a fake clock; a server
// calls Start() to run it on threads. Thread-safety: every method may be called from any
// thread.
//
// Lock order: one mutex, mu_, a leaf. It is taken after the writer's group_mu_ (Wake() runs in
// the writer's commit listener), and nothing is taken while it is held: no lock of the
// dispatcher is held while sending (the Mailer, webhooks) or calling the store (so never
// together with the store's write_mu_ or pool_mu_).
#ifndef AMENDS_SERVER_DISPATCHER_H_
#define AMENDS_SERVER_DISPATCHER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/clock.h"
#include "server/mail/mailer.h"
#include "server/mail/webhook.h"
#include "server/steady_cond_var.h"
#include "storage/store.h"

namespace amends {

class Dispatcher {
 public:
  struct Options {
    int attempts = 8;
    absl::Duration first_wait = absl::Minutes(10);
    int parallel = 4;
    // The domain of Message-IDs: the sender's ("example.com" of amends@example.com).
    std::string message_id_domain = "amends.invalid";
    // The webhooks "webhook:NAME" channels go to; null: none (such rows fail for good).
    const WebhookSenders* webhooks = nullptr;
  };

  // The store, mailer and clock must outlive the dispatcher.
  Dispatcher(Store& store, Mailer& mailer, const Clock& clock, Options options);
  ~Dispatcher();  // Stop()

  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // New rows were committed: look for due ones now rather than at the next poll.
  void Wake();

  // Attempts every notification due at the clock's current time, `parallel` at a time, and
  // records the outcomes; returns how many were attempted. For tests with a fake clock; not
  // while Start()ed.
  int RunDue();

  // One attempt now of notification `id`, which must have failed, on the calling thread;
  // returns it as it stands afterwards (sent, or failed with the new attempt in its log).
  // FAILED_PRECONDITION unless it is failed.
  absl::StatusOr<v1::Notification> Retry(int64_t id);
  // Sends `n` (a new row without id: a test message) now on the calling thread, then stores
  // it with its outcome.
  absl::StatusOr<v1::Notification> SendNow(v1::Notification n);

  // Runs on `parallel` worker threads, one more worker that sends urgent rows only (so that
  // routine mail to a slow server never holds up urgent mail), and one loop thread that polls
  // the store at each due time and whenever woken. Stop() (or the destructor) ends them after
  // the attempts in progress.
  void Start();
  void Stop();

 private:
  // Sends `n` once through its channel: mail, or the webhook "webhook:NAME" names.
  MailOutcome Deliver(const v1::Notification& n);
  // One attempt: sends `n` and returns it with the attempt logged and its new state (after
  // the last attempt of a channel, the next of its fallback channels is due at once).
  v1::Notification Attempt(v1::Notification n);
  // Attempt() with nothing after it: sent, or failed (a person asked for it and sees why).
  v1::Notification AttemptOnce(v1::Notification n);
  // The Message-ID of `n` (stable: from its id, or creation time for a test message).
  std::string MessageId(const v1::Notification& n) const;
  void Loop();
  // A worker's loop: takes the first urgent row queued, or (unless urgent_only) the first row.
  void Work(bool urgent_only);
  // Writes the outcomes of finished attempts and forgets them as in flight.
  void Record(std::vector<v1::Notification> done);

  Store& store_;
  Mailer& mailer_;
  const Clock& clock_;
  const Options options_;

  absl::Mutex mu_;
  SteadyCondVar loop_cv_;  // woken by Wake(), a finished attempt, or Stop()
  SteadyCondVar work_cv_;  // woken when queue_ gets work, or on Stop()
  std::deque<v1::Notification> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::Notification> finished_ ABSL_GUARDED_BY(mu_);  // sent, not yet recorded
  int sending_ ABSL_GUARDED_BY(mu_) = 0;                          // workers in Attempt()
  // "webhook:NAME" channels a worker is sending to: one row of each at a time.
  absl::flat_hash_set<std::string> busy_webhooks_ ABSL_GUARDED_BY(mu_);
  // Queued, being sent, or sent and not yet recorded: never fetched again meanwhile.
  absl::flat_hash_set<int64_t> in_flight_ ABSL_GUARDED_BY(mu_);
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread loop_;
  std::vector<std::thread> workers_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_DISPATCHER_H_
