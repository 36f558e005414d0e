// What every benchmark program does the same way: give up on a broken set-up with a message,
// and open connections of its own, as separate clients would have.
// Thread-safety: all functions may be called from any thread.
#ifndef AMENDS_BENCH_SUPPORT_COMMON_H_
#define AMENDS_BENCH_SUPPORT_COMMON_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace amends::bench {

// Prints "PROGRAM: what" on stderr and exits 1: a benchmark whose set-up failed has nothing
// to measure.
[[noreturn]] void Die(absl::string_view what);

inline void Check(const absl::Status& status, absl::string_view what) {
  if (!status.ok()) Die(absl::StrCat(what, ": ", status.ToString()));
}

template <typename T>
T Check(absl::StatusOr<T> value, absl::string_view what) {
  Check(value.status(), what);
  return *std::move(value);
}

// A channel with connection number n of its own: gRPC would otherwise share one connection
// between channels with equal arguments.
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& address, int n,
                                          grpc::ChannelArguments args = {});

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_COMMON_H_
