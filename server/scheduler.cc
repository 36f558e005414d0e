#include "server/scheduler.h"

#include <iostream>

namespace amends {
namespace {

// A point that failed to fire (the store is unavailable) is tried again this much later.
constexpr absl::Duration kRetryAfter = absl::Seconds(5);
// The thread re-reads the clock at least this often, in case the system clock jumps.
constexpr absl::Duration kMaxSleep = absl::Minutes(1);
// A step of the wall clock beyond this is logged.
constexpr absl::Duration kClockStep = absl::Minutes(1);
// How many due points are fired in one transaction: one sync for a burst (every business-time
// deadline of a weekend falls due at Monday's opening), yet short enough not to hold client
// writes up for long.
constexpr size_t kMaxBatch = 256;

}  // namespace

Scheduler::Scheduler(IncidentWriter& writer, const Clock& clock)
    : writer_(writer), clock_(clock) {
  writer_.SetWakeListener([this](int64_t id, std::optional<absl::Time> wake) {
    Update(id, wake);
  });
}

Scheduler::~Scheduler() {
  Stop();
  writer_.SetWakeListener(nullptr);
}

absl::Status Scheduler::Load(Store& store) {
  absl::MutexLock lock(&mu_);
  return store.ForEachWakeup([&](int64_t id, absl::Time at) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const int64_t micros = absl::ToUnixMicros(at);
    if (auto [it, inserted] = wake_of_.try_emplace(id, micros); !inserted) {
      queue_.erase({it->second, id});
      it->second = micros;
    }
    queue_.insert({micros, id});
  });
}

void Scheduler::Update(int64_t id, std::optional<absl::Time> wake) {
  absl::MutexLock lock(&mu_);
  if (auto it = wake_of_.find(id); it != wake_of_.end()) {
    queue_.erase({it->second, id});
    wake_of_.erase(it);
  }
  if (!wake) return;
  const int64_t micros = absl::ToUnixMicros(*wake);
  const bool earliest = queue_.empty() || micros < queue_.begin()->first;
  queue_.insert({micros, id});
  wake_of_.emplace(id, micros);
  if (earliest) wake_cv_.Signal();
}

std::vector<IncidentWriter::Due> Scheduler::PopDue(absl::Time now) {
  absl::MutexLock lock(&mu_);
  std::vector<IncidentWriter::Due> due;
  const int64_t until = absl::ToUnixMicros(now);
  while (!stopping_ && !queue_.empty() && queue_.begin()->first <= until &&
         due.size() < kMaxBatch) {
    const auto [micros, id] = *queue_.begin();
    queue_.erase(queue_.begin());
    wake_of_.erase(id);
    due.push_back({id, absl::FromUnixMicros(micros)});
  }
  return due;
}

void Scheduler::NoticeClockStep(absl::Time wall, absl::Time steady) {
  absl::MutexLock lock(&mu_);
  if (last_readings_) {
    const absl::Duration step =
        (wall - last_readings_->first) - (steady - last_readings_->second);
    if (absl::AbsDuration(step) > kClockStep) {
      std::cerr << "amendsd: scheduler: the system clock stepped "
                << (step > absl::ZeroDuration() ? "forwards" : "backwards") << " by "
                << absl::FormatDuration(absl::AbsDuration(step))
                << "; deadlines follow the new time\n";
    }
  }
  last_readings_ = {wall, steady};
}

int Scheduler::RunDue() {
  int fired = 0;
  const absl::Time now = clock_.Now();
  NoticeClockStep(now, clock_.Steady());
  // Points are popped before firing and re-added by the writer's listener with each
  // incident's next point, so several points of one incident fire in turn in this loop.
  for (std::vector<IncidentWriter::Due> due = PopDue(now); !due.empty(); due = PopDue(now)) {
    absl::StatusOr<IncidentWriter::Fired> result = writer_.Fire(due);
    if (!result.ok()) {
      std::cerr << "amendsd: scheduler: " << result.status().message() << "; retrying "
                << due.size() << " points in " << absl::FormatDuration(kRetryAfter) << "\n";
      for (const IncidentWriter::Due& d : due) Retry(d.id, clock_.Now() + kRetryAfter);
      continue;
    }
    for (const auto& [d, status] : result->failed) {
      std::cerr << "amendsd: scheduler: incident " << d.id << ": " << status.message()
                << "; retrying in " << absl::FormatDuration(kRetryAfter) << "\n";
      Retry(d.id, clock_.Now() + kRetryAfter);
    }
    fired += result->committed.size();
    if (fired_listener_) {
      const absl::Time done = clock_.Now();
      for (const IncidentWriter::Due& d : result->committed) fired_listener_(d.id, done - d.at);
    }
  }
  return fired;
}

void Scheduler::Retry(int64_t id, absl::Time at) {
  absl::MutexLock lock(&mu_);
  const int64_t micros = absl::ToUnixMicros(at);
  if (wake_of_.try_emplace(id, micros).second) queue_.insert({micros, id});
}

std::optional<absl::Time> Scheduler::NextWake() const {
  absl::MutexLock lock(&mu_);
  if (queue_.empty()) return std::nullopt;
  return absl::FromUnixMicros(queue_.begin()->first);
}

size_t Scheduler::size() const {
  absl::MutexLock lock(&mu_);
  return wake_of_.size();
}

void Scheduler::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    wake_cv_.Signal();
  }
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Loop() {
  for (;;) {
    RunDue();
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    absl::Duration sleep = kMaxSleep;
    if (!queue_.empty()) {
      sleep = std::min(sleep, absl::FromUnixMicros(queue_.begin()->first) - clock_.Now());
    }
    if (sleep > absl::ZeroDuration()) wake_cv_.WaitWithTimeout(&mu_, sleep);
    if (stopping_) return;
  }
}

}  // namespace amends
