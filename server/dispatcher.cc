#include "server/dispatcher.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/core/time_proto.h"
#include "server/outbox.h"

namespace amends {
namespace {

// Notifications fetched from the store per round of RunDue().
constexpr int kBatch = 256;
// The loop looks at the store at least this often, for rows written by another process.
constexpr absl::Duration kPoll = absl::Minutes(1);
// ... and at most this often, however many commits wake it.
constexpr absl::Duration kFetchEvery = absl::Milliseconds(5);
// Delivery results are written once this many are waiting, or this long after the last write.
constexpr size_t kRecordBatch = 64;
constexpr absl::Duration kRecordEvery = absl::Milliseconds(50);

bool IsUrgent(const v1::Notification& n) { return n.urgent(); }

}  // namespace

Dispatcher::Dispatcher(Store& store, Mailer& mailer, const Clock& clock, Options options)
    : store_(store), mailer_(mailer), clock_(clock), options_(std::move(options)) {}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
  loop_cv_.Signal();
}

std::string Dispatcher::MessageId(const v1::Notification& n) const {
  const int64_t created = absl::ToUnixMicros(FromProto(n.created_at()));
  if (n.id() != 0) {
    return absl::StrCat("<amends.", n.id(), ".", created, "@", options_.message_id_domain, ">");
  }
  thread_local absl::BitGen random;
  return absl::StrCat("<amends.test.", created, ".", absl::Uniform<uint64_t>(random), "@",
                      options_.message_id_domain, ">");
}

MailOutcome Dispatcher::Deliver(const v1::Notification& n) {
  absl::string_view webhook = n.channel();
  if (absl::ConsumePrefix(&webhook, kWebhookChannelPrefix)) {
    if (options_.webhooks != nullptr) {
      auto it = options_.webhooks->find(webhook);
      if (it != options_.webhooks->end()) return it->second->Send(n);
    }
    return {.permanent = true,
            .answer = absl::StrCat("no webhook named ", webhook, " in the notify configuration")};
  }
  return mailer_.Send({.to = n.address(),
                       .subject = n.subject(),
                       .body = n.body(),
                       .message_id = n.message_id(),
                       .date = clock_.Now()});
}

v1::Notification Dispatcher::Attempt(v1::Notification n) {
  if (n.message_id().empty()) n.set_message_id(MessageId(n));
  const MailOutcome outcome = Deliver(n);
  const absl::Time now = clock_.Now();
  v1::DeliveryAttempt* attempt = n.add_attempts();
  *attempt->mutable_at() = ToProto(now);
  attempt->set_channel(n.channel());
  attempt->set_ok(outcome.delivered);
  attempt->set_answer(outcome.answer);
  n.clear_next_attempt();
  // Each channel has its attempts: a fallback starts afresh.
  const int tried = std::count_if(n.attempts().begin(), n.attempts().end(),
                                  [&](const v1::DeliveryAttempt& a) {
                                    return a.channel() == n.channel();
                                  });
  if (outcome.delivered) {
    n.set_state(v1::Notification::STATE_SENT);
  } else if (outcome.permanent || tried >= options_.attempts) {
    n.set_state(v1::Notification::STATE_FAILED);
    if (n.fallback_size() > 0) {  // the next channel, at once
      const v1::Route next = n.fallback(0);
      n.mutable_fallback()->erase(n.mutable_fallback()->begin());
      n.set_channel(next.channel());
      n.set_address(next.address());
      n.set_state(v1::Notification::STATE_RETRYING);
      *n.mutable_next_attempt() = ToProto(now);
    }
  } else {
    // first_wait, 2 x first_wait, 4 x ..., each +/-25% so that a burst of failures spreads.
    thread_local absl::BitGen random;
    const absl::Duration wait = options_.first_wait * (int64_t{1} << (tried - 1)) *
                                absl::Uniform(random, 0.75, 1.25);
    n.set_state(v1::Notification::STATE_RETRYING);
    *n.mutable_next_attempt() = ToProto(now + wait);
  }
  return n;
}

v1::Notification Dispatcher::AttemptOnce(v1::Notification n) {
  v1::Notification done = Attempt(std::move(n));
  if (done.state() != v1::Notification::STATE_SENT) done.set_state(v1::Notification::STATE_FAILED);
  done.clear_next_attempt();
  return done;
}

int Dispatcher::RunDue() {
  int attempted = 0;
  for (;;) {
    absl::StatusOr<std::vector<v1::Notification>> due =
        store_.DueNotifications(clock_.Now(), kBatch, {}, /*urgent_only=*/false);
    if (!due.ok()) {
      std::cerr << "amendsd: reading the outbox: " << due.status().message() << std::endl;
      return attempted;
    }
    if (due->empty()) return attempted;
    std::vector<v1::Notification> done(due->size());
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    const size_t n_threads = std::min(due->size(), static_cast<size_t>(options_.parallel));
    for (size_t t = 0; t < n_threads; ++t) {
      threads.emplace_back([&] {
        for (size_t i; (i = next++) < due->size();) done[i] = Attempt((*due)[i]);
      });
    }
    for (std::thread& t : threads) t.join();
    if (absl::Status s = store_.UpdateNotifications(done); !s.ok()) {
      std::cerr << "amendsd: recording deliveries: " << s.message() << std::endl;
      return attempted;
    }
    attempted += static_cast<int>(done.size());
    // Whatever failed now is due again only after a wait, so this ends.
  }
}

absl::StatusOr<v1::Notification> Dispatcher::Retry(int64_t id) {
  {
    absl::MutexLock lock(&mu_);
    if (!in_flight_.insert(id).second) {
      return absl::FailedPreconditionError(
          absl::StrCat("notification ", id, " is being sent right now"));
    }
  }
  absl::StatusOr<v1::Notification> result = [&]() -> absl::StatusOr<v1::Notification> {
    absl::StatusOr<v1::Notification> n = store_.GetNotification(id);
    if (!n.ok()) return n.status();
    if (n->state() != v1::Notification::STATE_FAILED) {
      return absl::FailedPreconditionError(
          absl::StrCat("notification ", id, " has not failed: only a failed one is retried"));
    }
    if (n->channel() == kMailChannel && n->address().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(n->recipient(), " still has no mail address: set one first (amends me ",
                       "--email, or amendsd admin user set ", n->recipient(), " --email)"));
    }
    v1::Notification done = AttemptOnce(*std::move(n));
    if (absl::Status s = store_.UpdateNotifications({done}); !s.ok()) return s;
    return done;
  }();
  absl::MutexLock lock(&mu_);
  in_flight_.erase(id);
  return result;
}

absl::StatusOr<v1::Notification> Dispatcher::SendNow(v1::Notification n) {
  v1::Notification done = AttemptOnce(std::move(n));
  return store_.AddNotification(std::move(done));
}

void Dispatcher::Start() {
  absl::MutexLock lock(&mu_);
  if (loop_.joinable() || stopping_) return;
  for (int i = 0; i < options_.parallel; ++i) {
    workers_.emplace_back([this] { Work(/*urgent_only=*/false); });
  }
  workers_.emplace_back([this] { Work(/*urgent_only=*/true); });
  loop_ = std::thread([this] { Loop(); });
}

void Dispatcher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    loop_cv_.SignalAll();
    work_cv_.SignalAll();
  }
  for (std::thread& w : workers_) w.join();
  workers_.clear();
  if (loop_.joinable()) loop_.join();
  // What was sent is recorded; what was only queued stays due in the store.
  std::vector<v1::Notification> done;
  {
    absl::MutexLock lock(&mu_);
    done = std::move(finished_);
    finished_.clear();
  }
  Record(std::move(done));
}

void Dispatcher::Record(std::vector<v1::Notification> done) {
  if (done.empty()) return;
  if (absl::Status s = store_.UpdateNotifications(done); !s.ok()) {
    // Left in flight, so nothing sends them again; written at the next round.
    std::cerr << "amendsd: recording deliveries: " << s.message() << std::endl;
    absl::MutexLock lock(&mu_);
    finished_.insert(finished_.end(), done.begin(), done.end());
    return;
  }
  absl::MutexLock lock(&mu_);
  for (const v1::Notification& n : done) in_flight_.erase(n.id());
}

void Dispatcher::Work(bool urgent_only) {
  absl::MutexLock lock(&mu_);
  // A webhook's rows go one at a time, so that a receiver that hangs holds one worker, never
  // mail or the other channels.
  auto free = [&](const v1::Notification& n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !absl::StartsWith(n.channel(), kWebhookChannelPrefix) ||
           !busy_webhooks_.contains(n.channel());
  };
  auto pick = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto next = std::find_if(queue_.begin(), queue_.end(),
                             [&](const v1::Notification& n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                               return IsUrgent(n) && free(n);
                             });
    if (next == queue_.end() && !urgent_only) {
      next = std::find_if(queue_.begin(), queue_.end(), free);
    }
    return next;
  };
  for (;;) {
    auto next = queue_.end();
    while (!stopping_ && (next = pick()) == queue_.end()) work_cv_.Wait(&mu_);
    if (stopping_) return;
    v1::Notification n = std::move(*next);
    queue_.erase(next);
    const std::string channel = n.channel();
    const bool webhook = absl::StartsWith(channel, kWebhookChannelPrefix);
    if (webhook) busy_webhooks_.insert(channel);
    ++sending_;
    mu_.Unlock();
    v1::Notification done = Attempt(std::move(n));
    mu_.Lock();
    --sending_;
    if (webhook) {
      busy_webhooks_.erase(channel);
      work_cv_.SignalAll();  // its next row may be waiting
    }
    finished_.push_back(std::move(done));
    loop_cv_.Signal();
  }
}

void Dispatcher::Loop() {
  // Delivery results are written in batches: one transaction per kRecordEvery at most, so that
  // a busy dispatcher does not compete with the writer for the write lock once per mail.
  absl::Time last_record = absl::InfinitePast();
  // The outbox is read at most once per kFetchEvery however often commits wake the loop.
  absl::Time last_fetch = absl::InfinitePast();
  std::optional<absl::Time> next_due;  // as of the last fetch
  mu_.Lock();
  while (!stopping_) {
    // The loop's own pacing (last_record, last_fetch) counts real steady time, so that a step
    // of the system clock neither stalls nor rushes it; due times are the injected clock's.
    const absl::Time now = RealClock().Steady();
    if (!finished_.empty() &&
        (finished_.size() >= kRecordBatch || now - last_record >= kRecordEvery)) {
      std::vector<v1::Notification> done = std::move(finished_);
      finished_.clear();
      last_record = now;
      mu_.Unlock();
      Record(std::move(done));
      mu_.Lock();
      woken_ = true;  // what was recorded has a new due time, or none: look again
      continue;
    }
    // Only a few queued ahead of the workers, so that an urgent row committed now is not
    // queued behind a backlog of routine ones; with the queue full, urgent rows are still
    // fetched (for the urgent worker) as long as none is queued.
    const int room = options_.parallel * 2 - static_cast<int>(queue_.size()) - sending_;
    const bool urgent_only = room <= 0;
    const bool urgent_queued = std::any_of(queue_.begin(), queue_.end(), IsUrgent);
    const int limit = !urgent_only ? room : urgent_queued ? 0 : options_.parallel;
    const bool may_be_due = woken_ || (next_due && *next_due <= clock_.Now()) ||
                            now - last_fetch >= kPoll;
    if (limit > 0 && may_be_due && now - last_fetch >= kFetchEvery) {
      woken_ = false;
      last_fetch = now;
      const std::vector<int64_t> exclude(in_flight_.begin(), in_flight_.end());
      mu_.Unlock();
      absl::StatusOr<std::vector<v1::Notification>> due =
          store_.DueNotifications(clock_.Now(), limit, exclude, urgent_only);
      absl::StatusOr<std::optional<absl::Time>> next = store_.NextNotificationDue();
      if (!due.ok()) std::cerr << "amendsd: reading the outbox: " << due.status().message() << "\n";
      mu_.Lock();
      next_due = next.ok() ? *next : std::nullopt;
      if (due.ok()) {
        for (v1::Notification& n : *due) {
          if (in_flight_.insert(n.id()).second) queue_.push_back(std::move(n));
        }
        if (!queue_.empty()) work_cv_.SignalAll();
        if (static_cast<int>(due->size()) == limit) {
          woken_ = true;  // a full batch: there may be more due right away
        } else if (next_due && *next_due <= clock_.Now()) {
          // Whatever is due is in flight; its record, or a commit, wakes the loop.
          next_due.reset();
        }
      }
      continue;
    }
    // Sleep until something can be done: results to write, the next fetch, the next due time.
    absl::Duration wait = kPoll - (now - last_fetch);
    if (!finished_.empty()) wait = std::min(wait, kRecordEvery - (now - last_record));
    if (limit > 0 && woken_) wait = std::min(wait, kFetchEvery - (now - last_fetch));
    if (next_due) wait = std::min(wait, *next_due - clock_.Now());
    loop_cv_.WaitWithTimeout(&mu_, std::max(wait, absl::Milliseconds(1)));
  }
  mu_.Unlock();
}

}  // namespace amends
