// `amends watch`: follows the server's change stream (WatchService.Watch) and prints one line
// per change as it is committed, until it is stopped.
//
//   Watcher watcher({.token = token, .json = false});
//   TerminationSignals signals([&] { watcher.Stop(); });  // before gRPC starts any thread
//   auto stub = amends::v1::WatchService::NewStub(WatchChannel("127.0.0.1:50051", grpc::InsecureChannelCredentials()));
//   absl::Status status = watcher.Run(*stub, args);  // OK once stopped by a signal
//
// It keeps the sequence of the last change or heartbeat it saw (a heartbeat's sequence is a
// cursor: every matching change up to it has been sent) and, when the stream breaks —
// UNAVAILABLE (server shutting down, connection lost), any other transient error, or no
// message at all for three of the server's heartbeat intervals (two missed heartbeats), which a
// watchdog thread detects and ends with ClientContext::TryCancel — it reconnects with
// after_sequence = that cursor, so that every change is printed once, in order, with no gap.
// Until a first stream opened it retries with the start the user asked for. Retries wait
// `first_backoff`, doubling up to `max_backoff`, back to `first_backoff` after each message.
// One line on `err` says when the connection was lost and when it is back.
//
// Errors that a retry cannot fix end Run with the server's status: OUT_OF_RANGE (the cursor
// is older than the server keeps; the message then says to use --from oldest),
// UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION,
// UNIMPLEMENTED. Output that cannot be written ends it with INTERNAL.
//
// Thread-safety: Run is called by one thread at a time; Stop may be called from any thread,
// at any time (before Run too: Run then returns at once).
#ifndef AMENDS_CLIENT_WATCH_H_
#define AMENDS_CLIENT_WATCH_H_

#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "client/terminal_width.h"
#include "client/watch_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"

namespace amends::cli {

struct WatchOptions {
  std::string token;  // sent as "authorization: Bearer <token>"
  bool json = false;  // NDJSON (WatchJsonLine) instead of the text form (RenderWatchLine)
  std::ostream* out = &std::cout;  // the changes; flushed after each line
  std::ostream* err = &std::cerr;  // connection news, one line each
  // For RenderWatchLine: terminal_width.h's TerminalWidth(), or kWideOutput (--wide).
  int line_width = kUnlimitedWidth;
  absl::Duration first_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(5);
  // The heartbeat interval assumed until the server has said its own (the first message of
  // every stream says it).
  absl::Duration assumed_heartbeat = absl::Seconds(15);
};

class Watcher {
 public:
  explicit Watcher(WatchOptions options);
  ~Watcher();

  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Watches until Stop() (then OK) or an error no retry can fix (then that error).
  absl::Status Run(amends::v1::WatchService::StubInterface& stub, const WatchArgs& args);

  // Makes Run return OK: cancels the call in flight and ends any wait. Idempotent.
  void Stop();

  // The sequence reconnects resume after; nullopt until a first message came.
  std::optional<int64_t> cursor() const;

 private:
  enum class Outcome { kStopped, kRetry, kFail };
  struct Attempt {
    Outcome outcome = Outcome::kRetry;
    absl::Status status;  // kFail: what Run returns; kRetry: why the stream ended
    bool got_message = false;
  };

  Attempt Stream(amends::v1::WatchService::StubInterface& stub, const WatchArgs& args);
  // Prints a change, or takes in a heartbeat; false when the output failed.
  bool Handle(const amends::v1::WatchResponse& response);
  // Sleeps `d` unless stopped first; false when stopped.
  bool Sleep(absl::Duration d);
  void WatchdogLoop();
  // Until when the call in flight may stay silent.
  absl::Time SilenceDeadline() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const WatchOptions options_;
  bool first_attempt_ = true;  // touched by Run's thread only
  bool header_printed_ = false;
  bool outage_reported_ = false;

  mutable absl::Mutex mu_;
  absl::CondVar cv_;  // stop_, call_, last_message_ or done_ changed
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;                    // Run is over: the watchdog ends
  grpc::ClientContext* call_ ABSL_GUARDED_BY(mu_) = nullptr;  // the call in flight
  absl::Time last_message_ ABSL_GUARDED_BY(mu_);              // or when the call started
  bool silenced_ ABSL_GUARDED_BY(mu_) = false;                // the watchdog cancelled call_
  std::optional<int64_t> cursor_ ABSL_GUARDED_BY(mu_);
  absl::Duration heartbeat_ ABSL_GUARDED_BY(mu_);
};

// A channel for Watch to `target`, plaintext like every other command, that retries a lost
// connection within seconds (gRPC's default backoff grows to two minutes).
std::shared_ptr<grpc::Channel> WatchChannel(const std::string& target,
                                            std::shared_ptr<grpc::ChannelCredentials> credentials);

// Blocks SIGINT and SIGTERM in the calling thread — and so in every thread it starts later:
// construct it before gRPC starts any — and waits for them on a thread of its own, which
// calls `on_signal` (never in a signal handler) for each one that arrives. The destructor
// ends that thread; the signals stay blocked.
class TerminationSignals {
 public:
  explicit TerminationSignals(std::function<void()> on_signal);
  ~TerminationSignals();

  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;

 private:
  std::function<void()> on_signal_;
  std::thread thread_;
  absl::Mutex mu_;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_WATCH_H_
