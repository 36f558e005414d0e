// Load: drives calls against a server and measures them, for the write and read benchmarks.
//
// A call is started by the benchmark's `start` function (typically on gRPC's callback API:
// `stub->async()->AddNote(ctx, req, resp, callback)`), which must arrange for `done` to be
// called exactly once when the call completes, from any thread, with whether it succeeded.
// The driver measures each call from just before `start` to `done`.
//
//   LoadResult r = RunClosedLoop(64, absl::Seconds(10), [&](int64_t n, Done done) {
//     auto* call = new NoteCall(...);   // owns its ClientContext, request and response
//     stub->async()->AddNote(&call->ctx, &call->req, &call->resp,
//                            [call, done](grpc::Status s) { done(s.ok()); delete call; });
//   });
//
// Thread-safety: each Run* call is self-contained; `start` is called from the driver's own
// thread and from completion threads (whichever finished the previous call), never twice at
// once for the same n.
#ifndef AMENDS_BENCH_SUPPORT_LOAD_H_
#define AMENDS_BENCH_SUPPORT_LOAD_H_

#include <cstdint>
#include <functional>

#include "absl/time/time.h"
#include "bench/support/latency.h"

namespace amends::bench {

using Done = std::function<void(bool ok)>;
// Starts call number n (0, 1, 2, ... in start order).
using StartCall = std::function<void(int64_t n, Done done)>;

struct LoadResult {
  int64_t ok = 0;
  int64_t failed = 0;
  absl::Duration took;  // from the first start to the last completion
  Latencies latency;    // of the successful calls
  double PerSecond() const { return ok / absl::ToDoubleSeconds(took); }
};

// Closed loop: keeps `in_flight` calls outstanding; each completion starts the next one, until
// `duration` has passed; then waits for the outstanding calls to finish.
LoadResult RunClosedLoop(int in_flight, absl::Duration duration, const StartCall& start);

// Open loop: starts calls on a fixed schedule of `per_second`, as independent clients would,
// whether or not earlier ones have finished (at most `max_in_flight` outstanding; a call that
// would exceed it is counted failed), for `duration`. Latency is measured from each call's
// scheduled start, so a server that falls behind shows it in the tail (no coordinated omission).
LoadResult RunAtRate(double per_second, absl::Duration duration, int max_in_flight,
                     const StartCall& start);

// Closed loop on `threads` threads of its own for blocking calls (an in-process writer, a
// mailer): each thread calls `call(thread)` again and again until `duration` has passed;
// `call` returns whether it succeeded.
LoadResult RunOnThreads(int threads, absl::Duration duration,
                        const std::function<bool(int thread)>& call);

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_LOAD_H_
