// AmendsServer: amendsd's gRPC server, IncidentService and WatchService plus the standard
// health service (and reflection with options.reflection), listening on one address, with the
// deadline scheduler and the change feed. Used by main() and by in-process tests.
//
// With options.notify, every change also writes the notifications it causes (server/outbox.h)
// and a dispatcher delivers them by mail (server/dispatcher.h).
//
// Start() loads the scheduler (so that points missed while the server was down fire first),
// prunes the change stream's replay window to the retention period, and returns once the
// server accepts calls; port() says which port it got (listen on "127.0.0.1:0" to let the
// system choose). With a fake clock, leave run_background off and call scheduler().RunDue() or
// PruneStream() after moving the clock (feed().WakeAllForTest() for the streams' heartbeats,
// dispatcher()->RunDue() for the mail).
// Shutdown() stops the scheduler, ends every Watch stream with UNAVAILABLE, lets in-flight
// calls finish up to the grace period, then cancels what remains. Thread-safe; the store,
// clock and policy must outlive it.
#ifndef AMENDS_SERVER_AMENDS_SERVER_H_
#define AMENDS_SERVER_AMENDS_SERVER_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "server/change_feed.h"
#include "server/core/clock.h"
#include "server/core/policy.h"
#include "server/digests.h"
#include "server/dispatcher.h"
#include "server/incident_service.h"
#include "server/mail/mailer.h"
#include "server/notification_service.h"
#include "amends/v1/notify.pb.h"
#include "server/scheduler.h"
#include "server/steady_cond_var.h"
#include "server/watch_service.h"
#include "server/writer.h"
#include "storage/store.h"

namespace amends {

// The gRPC settings amendsd's server runs with: the health service, server reflection only
// when `reflection` (any caller may use it, without a token), no shared ports, its threading
// and its interceptors. The transport ceiling benchmark builds its server with them too.
void ConfigureServerBuilder(grpc::ServerBuilder& builder, bool reflection);

class AmendsServer {
 public:
  struct Options {
    std::string listen = "127.0.0.1:0";
    // The port's transport security (server/transport_security.h); null: plaintext.
    std::shared_ptr<grpc::ServerCredentials> credentials;
    // Fire deadlines, and prune the stream's replay window, on threads as the (real) clock
    // moves.
    bool run_background = true;
    // How long the change stream keeps changes for subscribers to resume from.
    absl::Duration retention = absl::Hours(24 * 30);
    // How long an idle Watch stream stays silent before a heartbeat.
    absl::Duration heartbeat = absl::Seconds(15);
    // Changes kept in memory for the streams, at most, and the bytes they may take; slower
    // streams read the store.
    size_t feed_capacity = 4096;
    size_t feed_bytes = 64 << 20;
    // Serve gRPC server reflection too (amendsd --reflection), for grpcurl and the like.
    bool reflection = false;
    // Watch streams one user may have open at once.
    int max_streams_per_user = 100;
    // Channels to tell people through (amendsd --notify); unset: nothing is sent and no
    // notification is written.
    std::optional<v1::NotifyConfig> notify;
  };
  static absl::StatusOr<std::unique_ptr<AmendsServer>> Start(Store& store, const Clock& clock,
                                                             const Policy& policy,
                                                             const Options& options);
  ~AmendsServer() { Shutdown(absl::ZeroDuration()); }

  int port() const { return port_; }
  Scheduler& scheduler() { return scheduler_; }
  IncidentWriter& writer() { return writer_; }
  ChangeFeed& feed() { return *feed_; }
  WatchService& watch() { return *watch_; }
  // Null unless options.notify is set.
  Dispatcher* dispatcher() { return dispatcher_.get(); }
  Digests* digests() { return digests_.get(); }
  // A channel to this server that needs no network, as the RPC fuzz target
  // (tests/fuzz/rpc.cc) calls it.
  std::shared_ptr<grpc::Channel> InProcessChannel() { return server_->InProcessChannel({}); }

  // Drops the changes older than the retention period from the stream's replay window, a
  // batch at a time, then the request ids older than two days (Store::PruneRequests); stops
  // early once Shutdown() has begun.
  absl::Status PruneStream();

  void Shutdown(absl::Duration grace);

 private:
  AmendsServer(Store& store, const Clock& clock, const Policy& policy, const Options& options)
      : store_(store),
        clock_(clock),
        options_(options),
        writer_(store, clock, policy),
        scheduler_(writer_, clock),
        service_(store, writer_, clock) {}

  void PruneLoop();

  Store& store_;
  const Clock& clock_;
  const Options options_;
  IncidentWriter writer_;
  Scheduler scheduler_;
  IncidentService service_;
  std::unique_ptr<ChangeFeed> feed_;       // made in Start(), from the store's last sequence
  std::unique_ptr<WatchService> watch_;
  std::unique_ptr<Mailer> mailer_;          // made in Start() when notifying
  WebhookSenders webhooks_;                 // likewise
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Digests> digests_;        // made in Start() when notifying; uses dispatcher_
  std::unique_ptr<NotificationService> notifications_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;

  absl::Mutex prune_mu_;
  SteadyCondVar prune_cv_;
  bool stopping_ ABSL_GUARDED_BY(prune_mu_) = false;
  std::thread pruner_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_AMENDS_SERVER_H_
