#include "bench/support/latency.h"

#include <algorithm>
#include <cmath>

namespace amends::bench {

void Latencies::Merge(const Latencies& other) {
  nanos_.insert(nanos_.end(), other.nanos_.begin(), other.nanos_.end());
  sorted_ = false;
}

double Latencies::Millis(double q) {
  if (nanos_.empty()) return 0;
  if (!sorted_) {
    std::sort(nanos_.begin(), nanos_.end());
    sorted_ = true;
  }
  const double rank = std::ceil(q * static_cast<double>(nanos_.size()));
  const size_t index = std::clamp<size_t>(static_cast<size_t>(std::max(rank, 1.0)) - 1, 0,
                                          nanos_.size() - 1);
  return static_cast<double>(nanos_[index]) / 1e6;
}


}  // namespace amends::bench
