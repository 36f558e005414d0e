// The peer (issue 6, item 6): etcd's durable put rate and watch delivery latency, measured the
// way amends' write and change-stream benchmarks measure amendsd, to be read next to them:
//
//   bench/with_etcd.sh build/bin/etcd_benchmark [--size tiny|quick|full] [--results FILE]
//                                               [--endpoint HOST:PORT] [--value-bytes N]
//
// etcd is Debian's etcd-server (3.4), a single member with its default settings, so a put is
// acknowledged only once its raft log entry is fsynced; with_etcd.sh starts it on loopback with
// a new data directory and sets ETCD_ENDPOINT (the default of --endpoint) and ETCD_PID (for its
// memory and CPU; without it those figures are left out). The calls are etcd's own gRPC API
// (KV.Put, the Watch stream) through bench/etcd's wire-compatible subset of its protos.
//
// Every put writes one of 10,000 keys "/team-NNN/key-KKKKK" (put n writes key n mod 10,000, of
// team key mod the number of teams) with a value of --value-bytes that starts with the time the
// put was sent, in decimal Unix nanoseconds. The default, 1,000 bytes, is what a change of
// write_benchmark's mix stores and returns on average at full size: the incident as it left it
// (700 to 1,000 bytes, growing with its measures over a run).
//
// The watches. amends' change stream has 2,000 subscribers that each see one team (10 per team
// over 200 teams) and 20 that see every team: 2,020 gRPC streams over 16 connections. etcd's
// equivalent of a team subscriber is a watch on the prefix "/team-NNN/", and of an all-teams
// subscriber a watch on "/team-"; each is a watcher of its own in etcd (its own range, its own
// copy of each event), so 2,020 watches. Unlike amends, etcd lets one stream carry many
// watches, so two layouts are measured, both over 16 connections:
//   "16 streams":     the 2,020 watches multiplexed on 16 streams, as one client process
//                     watching for many users would do: etcd's best case;
//   "a stream each":  2,020 streams of one watch each, as 2,020 independent subscribers would
//                     have: amends' layout.
// tiny: 20 watches (2 on each of 9 teams, 2 on every team).
//
// 1. Memory, before any load: for each layout in turn, etcd's VmRSS before its watches are
//    created and once etcd has confirmed every one and a second has passed (tiny: 0.2 s); KiB
//    per watch is the difference over the watches. etcd is a Go program: after a load its heap
//    holds garbage that comes and goes by tens of MB, which would drown the watches' share, and
//    heap it freed stays resident for minutes, so the smaller layout goes first and can hide at
//    most its own growth in the second one's.
// 2. Durable puts, as amends' write benchmark drives amendsd: a closed loop of 1, 16, 64 and 256
//    puts in flight over 4 connections (tiny: 1 and 16), each point lasting 8 s (quick 3 s,
//    tiny 1 s) after an uncounted warm-up of a quarter of that (at most 1 s): puts/s, latency
//    p50/p99/p99.9 and etcd's CPU seconds; then an open loop at half the 64-in-flight rate
//    (tiny: the 16), latency counted from each put's scheduled start, so that a server falling
//    behind shows in the tail.
// 3. Watch delivery: for each layout, its watches attached, puts to their teams flat out (8 in
//    flight, as amends' 8 writer threads) and then at 500 puts/s, each for 10 s (quick 5 s, tiny
//    0.5 s). A delivery's latency is its receipt less the send time in the value: the put's trip
//    to etcd, its commit and fsync, and the event's trip back (amends stamps an event when its group's
//    leader decides it, before the commit: the same span less the request's trip and its wait
//    in the writer's queue, which favours amends). deliveries/s
//    counts events received by all watches together, from a run's start to the last one. Then a
//    check: every watch received exactly the acknowledged puts in its range; exits 1 if not.
// Client and server share the machine's cores, so each run prints the CPU seconds of both.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/support/common.h"
#include "bench/support/latency.h"
#include "bench/support/load.h"
#include "bench/support/process_stats.h"
#include "bench/support/report.h"
#include "etcdserverpb/rpc.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace amends::bench {
namespace {

constexpr int kKeys = 10'000;
constexpr int kPutConnections = 4;
constexpr int kWatchConnections = 16;
constexpr int kFlatOutInFlight = 8;
constexpr double kPacedRate = 500;  // puts/s in the second watch run
constexpr int kMaxOpenLoopInFlight = 4'096;
constexpr int kStampDigits = 20;  // the value's leading send time, in Unix nanoseconds
constexpr absl::Duration kCallDeadline = absl::Seconds(30);
constexpr absl::Duration kAttachWithin = absl::Seconds(60);
constexpr absl::Duration kDrainWithin = absl::Seconds(30);
constexpr absl::string_view kAllTeamsPrefix = "/team-";

struct Flags {
  std::string endpoint;
  int value_bytes = 1'000;  // see the file comment
  pid_t etcd_pid = -1;  // -1: unknown, no memory or CPU figures
};

// Who watches what: `per_team` watches on each of `teams` team prefixes, then `all_teams`
// watches on every team.
struct Watchers {
  int teams;
  int per_team;
  int all_teams;
  int count() const { return teams * per_team + all_teams; }
  // Watch i's team, or -1 for every team.
  int TeamOf(int i) const { return i < teams * per_team ? i % teams : -1; }
};

// The range [key, range_end) of a team's keys, or of every team's.
std::pair<std::string, std::string> Range(int team) {
  std::string prefix =
      team < 0 ? std::string(kAllTeamsPrefix) : absl::StrFormat("/team-%03d/", team + 1);
  std::string end = prefix;
  ++end.back();  // etcd's prefix range: the prefix with its last byte plus one ('/' or '-')
  return {std::move(prefix), std::move(end)};
}

int TeamOfPut(int64_t n, int teams) { return static_cast<int>(n % kKeys % teams); }

std::string Key(int64_t n, int teams) {
  return absl::StrFormat("/team-%03d/key-%05d", TeamOfPut(n, teams) + 1, n % kKeys);
}

std::string StampedValue(absl::Time sent, int bytes) {
  std::string value = absl::StrFormat("%0*d", kStampDigits, absl::ToUnixNanos(sent));
  value.resize(bytes, 'x');
  return value;
}

bool ReadStamp(absl::string_view value, absl::Time* sent) {
  int64_t nanos = 0;
  if (!absl::SimpleAtoi(value.substr(0, kStampDigits), &nanos)) return false;
  *sent = absl::FromUnixNanos(nanos);
  return true;
}

// A channel with a connection of its own (gRPC would otherwise share one between channels with
// equal arguments), without a limit on the size of what it receives: a watch that fell behind
// gets its events in batches.
std::shared_ptr<grpc::Channel> Connect(const std::string& endpoint, int n) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  return OwnChannel(endpoint, n, args);
}

// etcd's CPU seconds so far, 0 when its pid is unknown.
double EtcdCpu(const Flags& flags) { return flags.etcd_pid > 0 ? CpuSeconds(flags.etcd_pid) : 0; }

bool WaitUntil(const std::function<bool()>& done, absl::Duration within) {
  const absl::Time deadline = absl::Now() + within;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Puts over a few connections, counting the acknowledged ones by team.
class Putter {
 public:
  Putter(const Flags& flags, int teams)
      : value_bytes_(flags.value_bytes), teams_(teams), acked_(teams) {
    for (int c = 0; c < kPutConnections; ++c) {
      stubs_.push_back(etcdserverpb::KV::NewStub(Connect(flags.endpoint, c)));
    }
  }

  // One put, waited for: whether etcd answers at all.
  absl::Status Probe() {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    etcdserverpb::PutRequest request;
    request.set_key(Key(0, teams_));
    request.set_value(StampedValue(absl::Now(), value_bytes_));
    etcdserverpb::PutResponse response;
    grpc::Status status = stubs_[0]->Put(&ctx, request, &response);
    if (!status.ok()) {
      return absl::UnavailableError(absl::StrCat("put: ", status.error_message()));
    }
    return absl::OkStatus();
  }

  // The StartCall of load.h: call n puts Key(n).
  const StartCall& start() const { return start_; }
  int64_t acked(int team) const { return acked_[team].load(std::memory_order_relaxed); }
  int64_t acked() const {
    int64_t total = 0;
    for (int t = 0; t < teams_; ++t) total += acked(t);
    return total;
  }
  std::string first_error() const {
    absl::MutexLock lock(&mu_);
    return first_error_;
  }

 private:
  struct Call {
    grpc::ClientContext ctx;
    etcdserverpb::PutRequest request;
    etcdserverpb::PutResponse response;
  };

  void Start(int64_t n, Done done) {
    auto* call = new Call;
    call->ctx.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    call->request.set_key(Key(n, teams_));
    call->request.set_value(StampedValue(absl::Now(), value_bytes_));
    const int team = TeamOfPut(n, teams_);
    stubs_[n % kPutConnections]->async()->Put(
        &call->ctx, &call->request, &call->response,
        [this, call, team, done = std::move(done)](grpc::Status status) {
          if (status.ok()) {
            acked_[team].fetch_add(1, std::memory_order_relaxed);
          } else {
            absl::MutexLock lock(&mu_);
            if (first_error_.empty()) first_error_ = status.error_message();
          }
          delete call;
          done(status.ok());
        });
  }

  const int value_bytes_;
  const int teams_;
  std::vector<std::unique_ptr<etcdserverpb::KV::Stub>> stubs_;
  std::vector<std::atomic<int64_t>> acked_;
  const StartCall start_ = [this](int64_t n, Done done) { Start(n, std::move(done)); };
  mutable absl::Mutex mu_;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

// One Watch stream carrying some of the watches, on the callback API. It creates its watches
// one write after the other (watch_id = its index on the stream, plus 1) and keeps reading.
class WatchStream final
    : public grpc::ClientBidiReactor<etcdserverpb::WatchRequest, etcdserverpb::WatchResponse> {
 public:
  // teams: each watch's team, -1 for every team. delivered counts events for every stream.
  WatchStream(etcdserverpb::Watch::Stub& stub, std::vector<int> teams,
              std::atomic<int64_t>* delivered)
      : teams_(std::move(teams)), delivered_(delivered), received_(teams_.size()) {
    for (size_t i = 0; i < teams_.size(); ++i) {
      auto [key, range_end] = Range(teams_[i]);
      etcdserverpb::WatchCreateRequest* create = requests_.emplace_back().mutable_create_request();
      create->set_key(std::move(key));
      create->set_range_end(std::move(range_end));
      create->set_watch_id(static_cast<int64_t>(i) + 1);
    }
    stub.async()->Watch(&ctx_, this);
    StartWrite(&requests_[0]);
    StartRead(&response_);
    StartCall();
  }

  void OnWriteDone(bool ok) override {
    if (ok && ++written_ < requests_.size()) StartWrite(&requests_[written_]);
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended: OnDone follows
    const absl::Time now = absl::Now();
    if (response_.created()) created_.fetch_add(1, std::memory_order_relaxed);
    {
      absl::MutexLock lock(&mu_);
      if (response_.canceled() && error_.empty()) {
        error_ = absl::StrCat("watch canceled: ", response_.cancel_reason());
      }
      const int64_t watch = response_.watch_id() - 1;
      for (const mvccpb::Event& event : response_.events()) {
        absl::Time sent;
        if (ReadStamp(event.kv().value(), &sent)) latency_.Add(now - sent);
        if (watch >= 0 && watch < static_cast<int64_t>(received_.size())) ++received_[watch];
      }
    }
    delivered_->fetch_add(response_.events_size(), std::memory_order_relaxed);
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    {
      absl::MutexLock lock(&mu_);
      if (!closing_ && error_.empty()) {
        error_ = absl::StrCat("stream ended: ", status.error_message());
      }
    }
    done_.Notify();
  }

  int created() const { return created_.load(std::memory_order_relaxed); }
  const std::vector<int>& teams() const { return teams_; }
  // Events received by watch i so far.
  int64_t received(size_t i) const {
    absl::MutexLock lock(&mu_);
    return received_[i];
  }
  // The latencies of the deliveries since the last call.
  Latencies TakeLatencies() {
    absl::MutexLock lock(&mu_);
    return std::exchange(latency_, Latencies());
  }
  // Empty while all is well.
  std::string error() const {
    absl::MutexLock lock(&mu_);
    return error_;
  }

  // Cancels the stream and waits for its end.
  void Close() {
    {
      absl::MutexLock lock(&mu_);
      closing_ = true;
    }
    ctx_.TryCancel();
    done_.WaitForNotification();
  }

 private:
  const std::vector<int> teams_;
  grpc::ClientContext ctx_;
  std::vector<etcdserverpb::WatchRequest> requests_;
  size_t written_ = 0;
  etcdserverpb::WatchResponse response_;
  std::atomic<int> created_{0};
  std::atomic<int64_t>* const delivered_;
  mutable absl::Mutex mu_;
  Latencies latency_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> received_ ABSL_GUARDED_BY(mu_);
  std::string error_ ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Notification done_;
};

void RunPuts(const Flags& flags, const Options& options, Report& report) {
  const absl::Duration run_for = options.Pick(absl::Seconds(1), absl::Seconds(3), absl::Seconds(8));
  const std::vector<int> levels =
      options.size == Size::kTiny ? std::vector<int>{1, 16} : std::vector<int>{1, 16, 64, 256};
  Table& table = report.AddTable(
      absl::StrCat("etcd durable puts (", flags.value_bytes, "-byte values, 10,000 keys)"),
      {"load", "puts/s", "p50 ms", "p99 ms", "p99.9 ms", "failed", "etcd CPU s", "own CPU s"});
  Putter putter(flags, /*teams=*/200);
  const absl::Duration warm_up = std::min(run_for / 4, absl::Seconds(1));
  double open_loop_rate = 0;
  // Runs `load` once uncounted for warm_up, then for run_for, and adds its row.
  auto point = [&](std::string name, const std::function<LoadResult(absl::Duration)>& load) {
    load(warm_up);
    const double cpu = EtcdCpu(flags);
    const double own_cpu = CpuSeconds(getpid());
    LoadResult result = load(run_for);
    table.Row({std::move(name), result.PerSecond(), result.latency.Millis(0.5),
               result.latency.Millis(0.99), result.latency.Millis(0.999), result.failed,
               EtcdCpu(flags) - cpu, CpuSeconds(getpid()) - own_cpu});
    return result.PerSecond();
  };
  for (int in_flight : levels) {
    const double rate = point(absl::StrCat(in_flight, " in flight"), [&](absl::Duration d) {
      return RunClosedLoop(in_flight, d, putter.start());
    });
    if (in_flight <= 64) open_loop_rate = rate / 2;
  }
  point(absl::StrCat("open loop at ", FormatNumber(open_loop_rate), "/s"), [&](absl::Duration d) {
    return RunAtRate(open_loop_rate, d, kMaxOpenLoopInFlight, putter.start());
  });
  if (!putter.first_error().empty()) report.Note("first put error: " + putter.first_error());
}

// How the watches are spread over streams; every layout uses kWatchConnections connections.
struct Layout {
  std::string name;
  int streams;
};

// Every watch of a layout, attached; closed on destruction.
class WatchSet {
 public:
  WatchSet(const Flags& flags, const Watchers& watchers, int streams) : watchers_(watchers) {
    for (int c = 0; c < kWatchConnections; ++c) {
      stubs_.push_back(etcdserverpb::Watch::NewStub(Connect(flags.endpoint, c)));
    }
    std::vector<std::vector<int>> teams(streams);
    for (int i = 0; i < watchers.count(); ++i) teams[i % streams].push_back(watchers.TeamOf(i));
    for (int s = 0; s < streams; ++s) {
      streams_.push_back(std::make_unique<WatchStream>(*stubs_[s % kWatchConnections],
                                                       std::move(teams[s]), &delivered_));
    }
  }
  ~WatchSet() {
    for (const auto& stream : streams_) stream->Close();
  }

  // Waits until etcd has created every watch.
  bool WaitCreated() {
    return WaitUntil(
        [&] {
          int created = 0;
          for (const auto& stream : streams_) created += stream->created();
          return created == watchers_.count();
        },
        kAttachWithin);
  }

  int64_t delivered() const { return delivered_.load(); }
  // Events all watches together must receive for the puts acknowledged so far.
  int64_t Expected(const Putter& putter) const {
    int64_t n = putter.acked() * watchers_.all_teams;
    for (int t = 0; t < watchers_.teams; ++t) n += putter.acked(t) * watchers_.per_team;
    return n;
  }
  Latencies TakeLatencies() {
    Latencies all;
    for (const auto& stream : streams_) all.Merge(stream->TakeLatencies());
    return all;
  }
  // Empty if every watch received exactly the acknowledged puts in its range, else what went
  // wrong first.
  std::string Check(const Putter& putter) const {
    for (const auto& stream : streams_) {
      if (std::string error = stream->error(); !error.empty()) return error;
      for (size_t i = 0; i < stream->teams().size(); ++i) {
        const int team = stream->teams()[i];
        const int64_t want = team < 0 ? putter.acked() : putter.acked(team);
        if (stream->received(i) != want) {
          return absl::StrCat("a watch on ", Range(team).first, " received ", stream->received(i),
                              " events for ", want, " acknowledged puts");
        }
      }
    }
    return "";
  }

 private:
  const Watchers watchers_;
  std::vector<std::unique_ptr<etcdserverpb::Watch::Stub>> stubs_;
  std::atomic<int64_t> delivered_{0};
  std::vector<std::unique_ptr<WatchStream>> streams_;
};

// etcd's VmRSS before and after each layout's watches attach, on an etcd that has not been
// loaded yet: after a load its Go heap holds garbage that comes and goes by tens of MB, which
// would drown the watches' share. The layouts go in order of size, so that the second one's
// growth is hidden at most by the heap the first one left free. Returns false if a layout's
// watches were not all created.
bool MeasureMemory(const Flags& flags, const Options& options, const Watchers& watchers,
                   const std::vector<Layout>& layouts, Report& report) {
  Table& table = report.AddTable(
      "etcd memory per watch (VmRSS, before any load)",
      {"layout", "streams", "watches", "attach s", "before KiB", "after KiB", "KiB per watch"});
  const absl::Duration settle =
      options.Pick(absl::Milliseconds(200), absl::Seconds(1), absl::Seconds(1));
  bool created = true;
  for (const Layout& layout : layouts) {
    absl::SleepFor(settle);  // the previous layout's streams and connections wind down
    const int64_t before = StatusField(flags.etcd_pid, "VmRSS");
    const absl::Time start = absl::Now();
    WatchSet watches(flags, watchers, layout.streams);
    if (!watches.WaitCreated()) {
      report.Note(absl::StrCat("FAIL ", layout.name, ": not every watch created in time"));
      created = false;
      continue;
    }
    const absl::Duration took = absl::Now() - start;
    absl::SleepFor(settle);
    const int64_t after = StatusField(flags.etcd_pid, "VmRSS");
    table.Row({layout.name, int64_t{layout.streams}, int64_t{watchers.count()},
               absl::ToDoubleSeconds(took), before, after,
               static_cast<double>(after - before) / watchers.count()});
  }
  report.Note(absl::StrCat("etcd memory: Go keeps freed heap resident, so \"", layouts.back().name,
                           "\" may be understated by up to the growth of \"", layouts.front().name,
                           "\""));
  return created;
}

// One layout's watches under puts flat out and then at kPacedRate; returns false if a watch
// missed an event or got one too many.
bool RunDeliveries(const Flags& flags, const Options& options, const Watchers& watchers,
                   const Layout& layout, Table& table, Report& report) {
  const absl::Duration run_for =
      options.Pick(absl::Milliseconds(500), absl::Seconds(5), absl::Seconds(10));
  Putter putter(flags, watchers.teams);
  WatchSet watches(flags, watchers, layout.streams);
  if (!watches.WaitCreated()) {
    report.Note(absl::StrCat("FAIL ", layout.name, ": not every watch created in time"));
    return false;
  }
  absl::SleepFor(options.Pick(absl::Milliseconds(200), absl::Seconds(1), absl::Seconds(1)));
  auto run = [&](std::string puts, const std::function<LoadResult()>& load) {
    const double cpu = EtcdCpu(flags);
    const double own_cpu = CpuSeconds(getpid());
    const int64_t delivered_before = watches.delivered();
    const absl::Time start = absl::Now();
    LoadResult result = load();
    WaitUntil([&] { return watches.delivered() >= watches.Expected(putter); }, kDrainWithin);
    const absl::Duration took = absl::Now() - start;
    Latencies deliveries = watches.TakeLatencies();
    table.Row(
        {layout.name, std::move(puts), result.PerSecond(), result.latency.Millis(0.5),
         result.latency.Millis(0.99),
         static_cast<double>(watches.delivered() - delivered_before) / absl::ToDoubleSeconds(took),
         deliveries.Millis(0.5), deliveries.Millis(0.99), deliveries.Millis(0.999),
         EtcdCpu(flags) - cpu, CpuSeconds(getpid()) - own_cpu});
  };
  run("flat out", [&] { return RunClosedLoop(kFlatOutInFlight, run_for, putter.start()); });
  run(absl::StrCat(kPacedRate, "/s"),
      [&] { return RunAtRate(kPacedRate, run_for, kMaxOpenLoopInFlight, putter.start()); });
  const std::string failure = watches.Check(putter);
  report.Note(failure.empty()
                  ? absl::StrCat("PASS ", layout.name, ": each of the ",
                                 FormatNumber(int64_t{watchers.count()}),
                                 " watches received exactly the acknowledged puts in its range (",
                                 FormatNumber(putter.acked()), " puts)")
                  : absl::StrCat("FAIL ", layout.name, ": ", failure));
  if (!putter.first_error().empty()) report.Note("first put error: " + putter.first_error());
  return failure.empty();
}

int Main(int argc, char** argv) {
  // This program's own flags first; the rest are the common ones (ParseOptions).
  CLI::App app;
  app.set_help_flag();
  app.allow_extras();
  Flags flags;
  if (const char* endpoint = std::getenv("ETCD_ENDPOINT")) flags.endpoint = endpoint;
  app.add_option("--endpoint", flags.endpoint);
  app.add_option("--value-bytes", flags.value_bytes)->check(CLI::Range(kStampDigits, 1 << 20));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  std::vector<std::string> rest = app.remaining();
  std::vector<char*> common = {argv[0]};
  for (std::string& arg : rest) common.push_back(arg.data());
  const Options options = ParseOptions(
      static_cast<int>(common.size()), common.data(), "etcd_benchmark",
      "etcd's durable put rate and watch delivery latency, next to amends' write and stream "
      "figures. Run it as bench/with_etcd.sh etcd_benchmark [FLAGS]. Also takes\n"
      "  --endpoint HOST:PORT  etcd's client address (default: $ETCD_ENDPOINT)\n"
      "  --value-bytes N       bytes of every put's value (default 1000, an amends change)");
  if (flags.endpoint.empty()) {
    std::fprintf(stderr,
                 "etcd_benchmark: no etcd: give --endpoint HOST:PORT or run me through "
                 "bench/with_etcd.sh\n");
    return 2;
  }
  if (const char* pid = std::getenv("ETCD_PID")) {
    if (!absl::SimpleAtoi(pid, &flags.etcd_pid)) flags.etcd_pid = -1;
  }

  if (absl::Status probe = Putter(flags, 1).Probe(); !probe.ok()) {
    std::fprintf(stderr, "etcd_benchmark: etcd at %s does not answer: %s\n", flags.endpoint.c_str(),
                 probe.ToString().c_str());
    return 1;
  }
  Report report("etcd", options);
  const Watchers watchers = options.size == Size::kTiny ? Watchers{9, 2, 2} : Watchers{200, 10, 20};
  const std::vector<Layout> layouts = {{"16 streams", kWatchConnections},
                                       {"a stream each", watchers.count()}};
  bool pass = true;
  if (flags.etcd_pid > 0) {
    pass = MeasureMemory(flags, options, watchers, layouts, report);
  } else {
    report.Note("ETCD_PID not set: no memory or CPU figures");
  }
  RunPuts(flags, options, report);
  Table& deliveries =
      report.AddTable(absl::StrCat("etcd watch delivery (", flags.value_bytes,
                                   "-byte values; latency from the put's send to receipt)"),
                      {"layout", "puts", "puts/s", "put p50 ms", "put p99 ms", "deliveries/s",
                       "p50 ms", "p99 ms", "p99.9 ms", "etcd CPU s", "own CPU s"});
  for (const Layout& layout : layouts) {
    pass = RunDeliveries(flags, options, watchers, layout, deliveries, report) && pass;
  }
  if (absl::Status finish = report.Finish(); !finish.ok()) {
    std::fprintf(stderr, "etcd_benchmark: %s\n", finish.ToString().c_str());
    return 1;
  }
  return pass ? 0 : 1;
}

}  // namespace
}  // namespace amends::bench

int main(int argc, char** argv) { return amends::bench::Main(argc, argv); }
