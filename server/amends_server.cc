#include "server/amends_server.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "server/honest_errors.h"
#include "server/mail/mime.h"
#include "server/mail/notify_config.h"
#include "server/mail/smtp_mailer.h"

namespace amends {
namespace {

// How often the replay window is pruned: retention is counted in days, so an hour late is fine.
constexpr absl::Duration kPruneEvery = absl::Hours(1);
// Stream entries pruned per store call.
constexpr int kPruneBatch = 1000;
// How long a request id is remembered (the API promises at least a day).
constexpr absl::Duration kRequestIdsKept = absl::Hours(48);
// Threads the synchronous services (health, reflection, notifications) may take in all; a call
// that finds none free is answered RESOURCE_EXHAUSTED. IncidentService and WatchService are
// callback services and take none: no call of theirs waits on a thread.
constexpr int kMaxSyncThreads = 64;
// Calls one connection may have under way at once.
constexpr int kMaxStreamsPerConnection = 200;

// Takes server reflection out of a builder: linking libgrpc++_reflection adds it to every
// server of the process (a static initializer registers its plugin).
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    std::erase_if(*plugins, [](const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
      return dynamic_cast<grpc::reflection::ProtoServerReflectionPlugin*>(plugin.get()) != nullptr;
    });
  }
};

}  // namespace

void ConfigureServerBuilder(grpc::ServerBuilder& builder, bool reflection) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (!reflection) builder.SetOption(std::make_unique<WithoutReflection>());
  // gRPC shares ports by default (SO_REUSEPORT): a second amendsd would start on a busy port
  // and split the calls between two databases. Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // A peer that vanished without closing its connection (a laptop lid, a dropped VPN) is
  // noticed within half a minute: a ping after 20 s of silence, unanswered for 10 s, ends the
  // connection and its calls, and so frees their streams.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10'000);
  // One connection may have this many calls under way at once (HTTP/2's
  // SETTINGS_MAX_CONCURRENT_STREAMS); the client queues the rest.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxStreamsPerConnection);
  // So that idle streams on the synchronous services (1,000 reflection streams, say) cannot
  // take a thread each without end.
  grpc::ResourceQuota quota("amendsd");
  quota.SetMaxThreads(kMaxSyncThreads);
  builder.SetResourceQuota(quota);
  // Honest errors: an undecodable request is the caller's mistake; no message is unbounded.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<HonestErrorsInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(creators));
}

absl::StatusOr<std::unique_ptr<AmendsServer>> AmendsServer::Start(Store& store,
                                                                   const Clock& clock,
                                                                   const Policy& policy,
                                                                   const Options& options) {
  if (options.retention <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("retention: must be positive");
  }
  if (options.heartbeat <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("heartbeat: must be positive");
  }
  std::unique_ptr<AmendsServer> server(new AmendsServer(store, clock, policy, options));
  if (auto s = server->scheduler_.Load(store); !s.ok()) return s;
  if (auto s = server->PruneStream(); !s.ok()) return s;
  // The writer publishes to the feed before the server takes its first call, so the feed
  // starts exactly at the store's last sequence and sees every change after it.
  absl::StatusOr<int64_t> head = store.LastSequence();
  if (!head.ok()) return head.status();
  server->feed_ = std::make_unique<ChangeFeed>(*head, options.feed_capacity, options.feed_bytes);
  if (options.notify) {
    absl::StatusOr<std::unique_ptr<SmtpMailer>> mailer = SmtpMailer::Make(options.notify->smtp());
    if (!mailer.ok()) return mailer.status();
    server->mailer_ = *std::move(mailer);
    for (const v1::Webhook& hook : options.notify->webhook()) {
      absl::StatusOr<std::unique_ptr<WebhookSender>> sender = WebhookSender::Make(hook);
      if (!sender.ok()) return sender.status();
      server->webhooks_[hook.name()] = *std::move(sender);
    }
    absl::flat_hash_map<std::string, std::string> team_channels;
    for (const v1::TeamChannel& channel : options.notify->team_channel()) {
      team_channels[channel.team()] = channel.webhook();
    }
    const NotifySettings settings = NotifySettingsOf(*options.notify);
    const std::string from = BareAddress(options.notify->smtp().from());
    server->dispatcher_ = std::make_unique<Dispatcher>(
        store, *server->mailer_, clock,
        Dispatcher::Options{.attempts = settings.attempts,
                            .first_wait = settings.first_wait,
                            .parallel = settings.parallel,
                            .message_id_domain = from.substr(from.rfind('@') + 1),
                            .webhooks = &server->webhooks_});
    server->writer_.EnableNotifications(std::move(team_channels));
    server->digests_ =
        std::make_unique<Digests>(store, clock, policy, *server->dispatcher_);
  }
  server->notifications_ =
      std::make_unique<NotificationService>(store, server->dispatcher_.get(), clock);
  server->writer_.SetCommitListener([feed = server->feed_.get(), dispatcher = server->dispatcher_.get()](
                                        const Committed& change) {
    feed->Publish(change);
    if (change.notifications > 0) dispatcher->Wake();
  });
  server->watch_ = std::make_unique<WatchService>(store, *server->feed_, clock,
                                                  options.heartbeat, options.max_streams_per_user);

  const std::string& listen = options.listen;
  grpc::ServerBuilder builder;
  ConfigureServerBuilder(builder, options.reflection);
  builder.AddListeningPort(
      listen,
      options.credentials != nullptr ? options.credentials : grpc::InsecureServerCredentials(),
      &server->port_);
  builder.RegisterService(&server->service_);
  builder.RegisterService(server->watch_.get());
  builder.RegisterService(server->notifications_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen,
                                               " (address in use or not valid?)"));
  }
  if (options.run_background) {
    server->scheduler_.Start();
    if (server->dispatcher_ != nullptr) server->dispatcher_->Start();
    if (server->digests_ != nullptr) server->digests_->Start();
    server->pruner_ = std::thread([s = server.get()] { s->PruneLoop(); });
  }
  return server;
}

absl::Status AmendsServer::PruneStream() {
  const absl::Time before = clock_.Now() - options_.retention;
  // A batch at a time, so that Shutdown() need not wait for a long backlog.
  for (int64_t last = -1;;) {
    {
      absl::MutexLock lock(&prune_mu_);
      if (stopping_) return absl::OkStatus();
    }
    absl::StatusOr<int64_t> through = store_.PruneStream(before, kPruneBatch);
    if (!through.ok()) return through.status();
    if (*through == last) return store_.PruneRequests(clock_.Now() - kRequestIdsKept).status();
    last = *through;
  }
}

void AmendsServer::PruneLoop() {
  absl::MutexLock lock(&prune_mu_);
  while (!stopping_) {
    prune_cv_.WaitWithTimeout(&prune_mu_, kPruneEvery);
    if (stopping_) break;
    prune_mu_.Unlock();  // PruneStream() looks at stopping_ between batches
    // A failure (the file busy for long) only delays pruning to the next round.
    if (absl::Status s = PruneStream(); !s.ok()) {
      std::cerr << "amendsd: pruning the change stream: " << s.message() << std::endl;
    }
    prune_mu_.Lock();
  }
}

void AmendsServer::Shutdown(absl::Duration grace) {
  // Load balancers and orchestrators watching the health service stop sending calls first.
  if (server_ != nullptr) server_->GetHealthCheckService()->Shutdown();
  scheduler_.Stop();
  if (digests_ != nullptr) digests_->Stop();
  {
    absl::MutexLock lock(&prune_mu_);
    stopping_ = true;  // a prune in progress stops after its batch
    prune_cv_.SignalAll();
  }
  // Streams never finish by themselves: end them first, so that they do not hold up the
  // shutdown until the grace period runs out.
  if (feed_ != nullptr) feed_->Close();
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  }
  if (pruner_.joinable()) pruner_.join();
  // After the calls: a retry or test message in progress uses the dispatcher.
  if (dispatcher_ != nullptr) dispatcher_->Stop();
}

}  // namespace amends
