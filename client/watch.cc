#include "client/watch.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/exit_code.h"
#include "client/i18n.h"
#include "client/time_input.h"
#include "client/utf8_text.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace amends::cli {
namespace {

constexpr absl::string_view kOldestSequenceKey = "amends-oldest-sequence";
// A stream silent for this many heartbeat intervals (two heartbeats missed) is taken for dead.
constexpr int kSilentHeartbeats = 3;

// Errors a reconnect cannot fix: the request, the token or the cursor is wrong.
bool IsPermanent(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNIMPLEMENTED:
      return true;
    default:
      return false;
  }
}

// The status for a stream that ended with `status` (a permanent error), with advice for
// OUT_OF_RANGE, whose message already gives the oldest sequence kept.
absl::Status PermanentError(const grpc::Status& status, const grpc::ClientContext& context) {
  if (status.error_code() != grpc::StatusCode::OUT_OF_RANGE) return FromGrpcStatus(status);
  std::optional<int64_t> oldest;
  const auto& trailers = context.GetServerTrailingMetadata();
  if (const auto it =
          trailers.find(grpc::string_ref(kOldestSequenceKey.data(), kOldestSequenceKey.size()));
      it != trailers.end()) {
    int64_t sequence = 0;
    if (absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &sequence)) {
      oldest = sequence;
    }
  }
  return FromGrpcStatus(grpc::Status(grpc::StatusCode::OUT_OF_RANGE, absl::StrCat(
      status.error_message(),
      oldest.has_value()
          ? absl::Substitute(Tr(". To continue from the oldest change still kept (#$0), run "
                                "again with --from oldest"),
                             *oldest)
          : std::string(Tr(". To continue from the oldest change still kept, run again with "
                           "--from oldest")))));
}

// "UNAVAILABLE: the server is shutting down", on one line.
std::string Reason(const grpc::Status& status) {
  const std::string code = absl::StatusCodeToString(FromGrpcStatus(status).code());
  return status.error_message().empty() ? code
                                        : absl::StrCat(code, ": ", OneLine(status.error_message()));
}

}  // namespace

Watcher::Watcher(WatchOptions options)
    : options_(std::move(options)), heartbeat_(options_.assumed_heartbeat) {}

Watcher::~Watcher() = default;

std::optional<int64_t> Watcher::cursor() const {
  absl::MutexLock lock(&mu_);
  return cursor_;
}

void Watcher::Stop() {
  absl::MutexLock lock(&mu_);
  stop_ = true;
  if (call_ != nullptr) call_->TryCancel();
  cv_.SignalAll();
}

absl::Status Watcher::Run(amends::v1::WatchService::StubInterface& stub, const WatchArgs& args) {
  {
    absl::MutexLock lock(&mu_);
    if (stop_) return absl::OkStatus();
    done_ = false;
  }
  first_attempt_ = true;
  std::thread watchdog([this] { WatchdogLoop(); });
  absl::Status result;
  absl::Duration backoff = options_.first_backoff;
  for (;;) {
    Attempt attempt = Stream(stub, args);
    if (attempt.outcome == Outcome::kStopped) break;
    if (attempt.outcome == Outcome::kFail) {
      result = attempt.status;
      break;
    }
    if (attempt.got_message) backoff = options_.first_backoff;
    if (!outage_reported_) {
      const std::optional<int64_t> after = cursor();
      const std::string why = TerminalSafe(OneLine(attempt.status.message()));
      *options_.err << "amends: "
                    << (after.has_value()
                            ? absl::Substitute(Tr("connection lost ($0); reconnecting after #$1"),
                                               why, *after)
                            : absl::Substitute(Tr("cannot reach the server ($0); retrying"), why))
                    << std::endl;
      outage_reported_ = true;
    }
    if (!Sleep(backoff)) break;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
    cv_.SignalAll();
  }
  watchdog.join();
  return result;
}

Watcher::Attempt Watcher::Stream(amends::v1::WatchService::StubInterface& stub,
                                 const WatchArgs& args) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  // The first call fails at once when the server cannot be reached, so that the user hears
  // of it; the retries wait for the channel to reconnect (the watchdog bounds the wait), so
  // that the stream is back as soon as the server is, not at the next backoff step.
  context.set_wait_for_ready(!first_attempt_);
  first_attempt_ = false;
  amends::v1::WatchRequest request;
  {
    absl::MutexLock lock(&mu_);
    if (stop_) return {.outcome = Outcome::kStopped};
    request = BuildWatchRequest(args, cursor_);
    call_ = &context;
    last_message_ = absl::Now();
    silenced_ = false;
    cv_.SignalAll();
  }
  Attempt attempt;
  bool output_failed = false;
  grpc::Status status;
  {
    std::unique_ptr<grpc::ClientReaderInterface<amends::v1::WatchResponse>> reader =
        stub.Watch(&context, request);
    amends::v1::WatchResponse response;
    while (reader->Read(&response)) {
      {
        absl::MutexLock lock(&mu_);
        last_message_ = absl::Now();
      }
      if (!attempt.got_message) {
        // The first message of a stream (a heartbeat) says where it starts.
        attempt.got_message = true;
        const std::optional<int64_t> at =
            response.has_heartbeat() ? response.heartbeat().sequence() : cursor();
        if (!header_printed_) {
          *options_.err << "amends: "
                        << (at.has_value()
                                ? absl::Substitute(
                                      Tr("watching changes after #$0 (Ctrl-C to stop)"), *at)
                                : std::string(Tr("watching changes (Ctrl-C to stop)")))
                        << std::endl;
        } else if (outage_reported_) {
          *options_.err << "amends: "
                        << (at.has_value()
                                ? absl::Substitute(Tr("reconnected; watching changes after #$0"),
                                                   *at)
                                : std::string(Tr("reconnected; watching changes")))
                        << std::endl;
        }
        outage_reported_ = false;
        if (!header_printed_ && !options_.json) {
          *options_.out << RenderWatchHeader() << std::flush;
        }
        header_printed_ = true;
      }
      if (!Handle(response)) {
        output_failed = true;
        context.TryCancel();
        while (reader->Read(&response)) {
        }
        break;
      }
    }
    status = reader->Finish();
  }
  bool stopped = false;
  bool silenced = false;
  absl::Duration silence_limit;
  {
    absl::MutexLock lock(&mu_);
    call_ = nullptr;
    stopped = stop_;
    silenced = silenced_;
    silence_limit = kSilentHeartbeats * heartbeat_;
  }
  if (output_failed) {
    return {.outcome = Outcome::kFail,
            .status = absl::InternalError(Tr("cannot write the changes to the output; stopped"))};
  }
  if (stopped) return {.outcome = Outcome::kStopped};
  if (silenced) {
    attempt.status = absl::UnavailableError(absl::Substitute(
        Tr("no message from the server for $0"), absl::FormatDuration(silence_limit)));
  } else if (status.ok()) {
    attempt.status = absl::UnavailableError(Tr("the server ended the stream"));
  } else if (IsPermanent(status.error_code())) {
    return {.outcome = Outcome::kFail, .status = PermanentError(status, context)};
  } else {
    attempt.status = absl::UnavailableError(Reason(status));
  }
  attempt.outcome = Outcome::kRetry;
  return attempt;
}

bool Watcher::Handle(const amends::v1::WatchResponse& response) {
  if (response.has_heartbeat()) {
    const amends::v1::Heartbeat& heartbeat = response.heartbeat();
    absl::MutexLock lock(&mu_);
    cursor_ = heartbeat.sequence();  // every matching change up to it has been sent
    if (const absl::Duration interval = FromProto(heartbeat.interval());
        interval > absl::ZeroDuration() && interval != heartbeat_) {
      heartbeat_ = interval;
      cv_.SignalAll();  // the watchdog may be sleeping until a deadline now too late
    }
    return true;
  }
  if (!response.has_change()) return true;  // a message this build does not know
  const amends::v1::IncidentChange& change = response.change();
  if (options_.json) {
    absl::StatusOr<std::string> line = WatchJsonLine(change);
    if (!line.ok()) return false;
    *options_.out << *line;
  } else {
    *options_.out << TerminalSafe(RenderWatchLine(change, options_.line_width));
  }
  options_.out->flush();
  if (!options_.out->good()) return false;
  absl::MutexLock lock(&mu_);
  cursor_ = change.event().sequence();  // only once printed: a reconnect must not skip it
  return true;
}

bool Watcher::Sleep(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  return !mu_.AwaitWithTimeout(absl::Condition(&stop_), d);
}

absl::Time Watcher::SilenceDeadline() const {
  return last_message_ + kSilentHeartbeats * heartbeat_;
}

void Watcher::WatchdogLoop() {
  absl::MutexLock lock(&mu_);
  while (!done_) {
    if (call_ == nullptr || silenced_) {
      cv_.Wait(&mu_);
      continue;
    }
    const absl::Time deadline = SilenceDeadline();
    if (absl::Now() >= deadline) {
      call_->TryCancel();  // Read returns false; Stream sees silenced_
      silenced_ = true;
      continue;
    }
    cv_.WaitWithDeadline(&mu_, deadline);  // a message may have moved it since: look again
  }
}

std::shared_ptr<grpc::Channel> WatchChannel(
    const std::string& target, std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return grpc::CreateCustomChannel(target, std::move(credentials), args);
}

TerminationSignals::TerminationSignals(std::function<void()> on_signal)
    : on_signal_(std::move(on_signal)) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set] {
    bool signalled = false;
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      {
        absl::MutexLock lock(&mu_);
        if (closing_) return;
      }
      // A second signal while the first is still being handled: the user insists.
      if (signalled) std::_Exit(128 + sig);
      signalled = true;
      on_signal_();
    }
  });
}

TerminationSignals::~TerminationSignals() {
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
  }
  pthread_kill(thread_.native_handle(), SIGTERM);  // wakes sigwait; the signal is blocked
  thread_.join();
}

}  // namespace amends::cli
