#include "bench/support/load.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace amends::bench {
namespace {

// What both loops share: the tally of finished calls. Held by shared_ptr from every `done`, so
// that a completion still returning on a gRPC thread never touches a destroyed driver.
struct Tally {
  absl::Mutex mu;
  int64_t outstanding ABSL_GUARDED_BY(mu) = 0;
  absl::Time first_start ABSL_GUARDED_BY(mu) = absl::InfiniteFuture();
  absl::Time last_done ABSL_GUARDED_BY(mu) = absl::InfinitePast();
  LoadResult result ABSL_GUARDED_BY(mu);

  // Records a finished call started (or scheduled) at `from`.
  void Finish(absl::Time from, bool ok) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    absl::Time now = absl::Now();
    if (ok) {
      ++result.ok;
      result.latency.Add(now - from);
    } else {
      ++result.failed;
    }
    last_done = std::max(last_done, now);
    --outstanding;
  }

  LoadResult WaitForAll() {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int64_t* n) { return *n == 0; }, &outstanding));
    if (last_done > first_start) result.took = last_done - first_start;
    return std::move(result);
  }
};

// A completion called inline from `start` (a call that fails at once) would otherwise start the
// next call from inside `start`, recursing without bound; such restarts are counted here and
// made by the outermost Launch on this thread instead.
thread_local bool t_launching = false;
thread_local int64_t t_deferred = 0;

struct ClosedLoop : std::enable_shared_from_this<ClosedLoop> {
  ClosedLoop(const StartCall& start, absl::Time deadline) : start(start), deadline(deadline) {}

  void Launch() {
    if (t_launching) {
      ++t_deferred;
      return;
    }
    t_launching = true;
    for (int64_t pending = 1; pending > 0; pending += std::exchange(t_deferred, 0)) {
      --pending;
      StartOne();
    }
    t_launching = false;
  }

  void StartOne() {
    int64_t n = next.fetch_add(1, std::memory_order_relaxed);
    absl::Time from = absl::Now();
    {
      absl::MutexLock lock(&tally.mu);
      tally.first_start = std::min(tally.first_start, from);
    }
    start(n, [self = shared_from_this(), from](bool ok) { self->OnDone(from, ok); });
  }

  void OnDone(absl::Time from, bool ok) {
    bool again;
    {
      absl::MutexLock lock(&tally.mu);
      tally.Finish(from, ok);
      again = absl::Now() < deadline;
      if (again) ++tally.outstanding;
    }
    if (again) Launch();
  }

  const StartCall& start;
  const absl::Time deadline;
  std::atomic<int64_t> next{0};
  Tally tally;
};

}  // namespace

LoadResult RunClosedLoop(int in_flight, absl::Duration duration, const StartCall& start) {
  auto loop = std::make_shared<ClosedLoop>(start, absl::Now() + duration);
  {
    absl::MutexLock lock(&loop->tally.mu);
    loop->tally.outstanding = in_flight;
  }
  for (int i = 0; i < in_flight; ++i) loop->Launch();
  return loop->tally.WaitForAll();
}

LoadResult RunAtRate(double per_second, absl::Duration duration, int max_in_flight,
                     const StartCall& start) {
  auto tally = std::make_shared<Tally>();
  const absl::Duration interval = absl::Seconds(1) / per_second;
  const absl::Time begin = absl::Now();
  const int64_t calls = static_cast<int64_t>(per_second * absl::ToDoubleSeconds(duration));
  {
    absl::MutexLock lock(&tally->mu);
    tally->first_start = begin;
  }
  // The pacing thread is this one. Calls whose time has come are all started at once, so a
  // slow start or a late wake-up delays calls (and shows in their latency) but never drops them.
  int64_t n = 0;
  for (int64_t i = 0; i < calls; ++i) {
    const absl::Time scheduled = begin + interval * i;
    absl::Duration wait = scheduled - absl::Now();
    if (wait > absl::ZeroDuration()) absl::SleepFor(wait);
    bool room;
    {
      absl::MutexLock lock(&tally->mu);
      room = tally->outstanding < max_in_flight;
      if (room) {
        ++tally->outstanding;
      } else {
        ++tally->result.failed;
      }
    }
    if (!room) continue;
    start(n++, [tally, scheduled](bool ok) {
      absl::MutexLock lock(&tally->mu);
      tally->Finish(scheduled, ok);
    });
  }
  return tally->WaitForAll();
}

LoadResult RunOnThreads(int threads, absl::Duration duration,
                        const std::function<bool(int thread)>& call) {
  std::vector<LoadResult> results(threads);
  std::vector<std::thread> running;
  const absl::Time begin = absl::Now();
  const absl::Time end = begin + duration;
  for (int i = 0; i < threads; ++i) {
    running.emplace_back([&, i] {
      LoadResult& r = results[i];
      for (absl::Time start = absl::Now(); start < end; start = absl::Now()) {
        if (call(i)) {
          ++r.ok;
          r.latency.Add(absl::Now() - start);
        } else {
          ++r.failed;
        }
      }
    });
  }
  for (std::thread& t : running) t.join();
  LoadResult all;
  all.took = absl::Now() - begin;
  for (LoadResult& r : results) {
    all.ok += r.ok;
    all.failed += r.failed;
    all.latency.Merge(r.latency);
  }
  return all;
}

}  // namespace amends::bench
