// Latencies: a sample of durations and its percentiles, for the benchmarks' p50/p99/p99.9.
//
// Keeps every sample (8 bytes each), so percentiles are exact. Thread-safety: none; give each
// thread its own and Merge them afterwards.
#ifndef AMENDS_BENCH_SUPPORT_LATENCY_H_
#define AMENDS_BENCH_SUPPORT_LATENCY_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"

namespace amends::bench {

class Latencies {
 public:
  void Add(absl::Duration d) { nanos_.push_back(absl::ToInt64Nanoseconds(d)); sorted_ = false; }
  void Merge(const Latencies& other);
  int64_t count() const { return static_cast<int64_t>(nanos_.size()); }
  // The q-quantile (0 < q <= 1) in milliseconds, nearest rank; 0 when empty.
  double Millis(double q);

 private:
  std::vector<int64_t> nanos_;
  bool sorted_ = true;
};

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_LATENCY_H_
