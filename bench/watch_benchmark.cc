// The change stream (WatchService) at the issue's scale: 2,000 concurrent subscribers on one
// server, each filtered to one team, plus 20 that see every team, while the server takes writes
// at its sustained rate; and whether one deliberately stalled subscriber changes the others'
// figures. Figures: delivery latency p50/p99 from the event's time (stamped just before its
// commit) to receipt, and the server's resident
// memory per subscriber. A plain program, because it runs the real amendsd as a child process,
// so that the server's memory and CPU are its own:
//
//   build/bin/watch_benchmark [--size tiny|quick|full] [--results FILE]
//
//   size   teams  subscribers                            runs    time
//   full   200    2,000 team-filtered + 20 all-teams      10 s    ~75 s
//   quick  200    2,000 team-filtered + 20 all-teams      4 s     ~45 s
//   tiny   10     20 team-filtered + 2 all-teams          1 s     ~15 s
//
// Set-up, not measured: a new database in a temporary directory with the teams ("team-001",
// ..., Asia/Tokyo), each with one member (who writes) and one observer (whose token that team's
// subscribers use), and one admin (the all-teams subscribers). The store is closed, then amendsd
// starts on it (--heartbeat 15s) and the program reports one LOW incident per team through the
// API.
//
// In every run 8 threads add Japanese notes to those incidents, round robin across the teams,
// each with that team's member token, either as fast as the server answers them or on a fixed
// schedule, catching up when held up as queued requests would.
// 0. The write path alone: a run flat out with no subscriber, for comparison. It also fills
//    the feed's in-memory ring (4,096 changes), so that the memory baseline below holds it.
// 1. Memory: the server's VmRSS just before the subscribers connect, and again once every
//    stream has received its opening heartbeat and a second has passed; the difference over the
//    streams is the memory per subscriber, of which the threads' stacks. The streams use the
//    gRPC callback API over 16 connections, so this program needs no thread per stream; the
//    server runs each on a thread of its own.
// 2. Latency, every stream attached, a settling time after they opened: a run flat out (the
//    sustained rate), then one at 500 writes/s. A delivery's latency is its receipt time less
//    the event's time, which the writer stamps when it decides the change, before the commit:
//    so it includes the commit and its fsync; the AddNote call's own latency is beside it. Client and server
//    share the machine's cores and clock; each run's CPU use is given for the server, this
//    program and the rest of the machine.
// 3. A stalled subscriber (all teams) joins on a connection of its own with a flow-control
//    window of a few bytes, reads its opening heartbeat and never reads again; the two runs are
//    repeated, and their rows printed next to the first ones.
// 4. Correctness, from what each stream but the stalled one received: each team stream got
//    exactly its team's changes, in increasing sequence with none twice and none missing (the
//    same sequences as the all-teams streams saw for that team), and each all-teams stream got
//    every change, as many notes as AddNote calls succeeded. Then SIGTERM: every stream must
//    end UNAVAILABLE (the stalled one may end any way). Notes PASS or FAIL; exits 1 on FAIL.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "bench/support/common.h"
#include "bench/support/latency.h"
#include "bench/support/process_stats.h"
#include "bench/support/report.h"
#include "bench/support/server_process.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/admin.h"
#include "server/core/time_proto.h"
#include "storage/sqlite_store.h"

namespace amends {
namespace {

using bench::Cell;
using bench::Latencies;
using bench::OwnChannel;
using bench::ServerProcess;

constexpr int kConnections = 16;
constexpr int kWriters = 8;
constexpr int kPacedRate = 500;  // writes/s in the paced runs
constexpr absl::Duration kDrainWithin = absl::Seconds(20);

// What --size changes.
struct Scale {
  int teams;
  int subscribers_per_team;
  int all_teams_subscribers;
  absl::Duration run_for;
  absl::Duration settle;  // from the streams open to the first run with them
  int subscribers() const { return teams * subscribers_per_team + all_teams_subscribers; }
};

pid_t server_pid = -1;  // killed on a fatal error, so that no amendsd is left behind

[[noreturn]] void Die(absl::string_view what) {
  absl::FPrintF(stderr, "watch_benchmark: %s\n", what);
  if (server_pid > 0) kill(server_pid, SIGKILL);
  std::exit(1);
}

void Check(const absl::Status& status, absl::string_view what) {
  if (!status.ok()) Die(absl::StrCat(what, ": ", status.ToString()));
}

std::string TeamName(int t) { return absl::StrFormat("team-%03d", t + 1); }

// The index of "team-NNN", or -1.
int TeamIndex(absl::string_view name) {
  int n = 0;
  if (!absl::ConsumePrefix(&name, "team-") || !absl::SimpleAtoi(name, &n)) return -1;
  return n - 1;
}

std::string Grouped(int64_t n) { return bench::FormatNumber(n); }

double MiB(int64_t kb) { return static_cast<double>(kb) / 1024.0; }

struct Tokens {
  std::vector<std::string> member;    // by team
  std::vector<std::string> observer;  // by team
  std::string admin;
};

Tokens BuildDatabase(const std::string& path, int teams) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  Check(store.status(), "open");
  Tokens tokens;
  for (int t = 0; t < teams; ++t) {
    const std::string team = TeamName(t);
    Check(AddTeam(**store, team, "Asia/Tokyo"), "team add");
    absl::StatusOr<std::string> member =
        AddUser(**store, absl::StrFormat("member-%03d", t + 1), team, "member");
    Check(member.status(), "user add");
    absl::StatusOr<std::string> observer =
        AddUser(**store, absl::StrFormat("observer-%03d", t + 1), team, "observer");
    Check(observer.status(), "user add");
    tokens.member.push_back(*member);
    tokens.observer.push_back(*observer);
  }
  absl::StatusOr<std::string> admin = AddUser(**store, "admin", TeamName(0), "admin");
  Check(admin.status(), "user add");
  tokens.admin = *admin;
  return tokens;
}

// One change as a stream received it.
struct Delivery {
  int64_t sequence;
  absl::Duration latency;  // receipt less event.time
  int16_t team;            // TeamIndex of the incident's team
  bool note;               // EVENT_TYPE_NOTE_ADDED
};

// One Watch stream, on the callback API. Its deliveries are its own (no lock on the hot path);
// the main thread reads them only after OnDone. The counters are for waiting on progress.
// A stalled one reads its opening heartbeat and never reads again.
class Subscriber final : public grpc::ClientReadReactor<v1::WatchResponse> {
 public:
  enum class Reading { kAll, kStallAfterOpening };
  // team < 0: every team.
  Subscriber(v1::WatchService::Stub& stub, const std::string& token, int team,
             Reading reading = Reading::kAll)
      : team_(team), stall_(reading == Reading::kStallAfterOpening) {
    ctx_.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    request_.set_from_now(true);
    if (team >= 0) request_.set_team(TeamName(team));
    deliveries_.reserve(team >= 0 ? 1'024 : 65'536);
    stub.async()->Watch(&ctx_, &request_, this);
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended: OnDone follows
    const absl::Time now = absl::Now();
    if (response_.has_heartbeat()) {
      if (heartbeats_.fetch_add(1, std::memory_order_relaxed) == 0) {
        opening_sequence_ = response_.heartbeat().sequence();
        opened_.store(true, std::memory_order_release);
      }
    } else if (response_.has_change()) {
      const v1::Event& event = response_.change().event();
      const bool note = event.type() == v1::EVENT_TYPE_NOTE_ADDED;
      deliveries_.push_back({event.sequence(), now - FromProto(event.time()),
                             static_cast<int16_t>(TeamIndex(response_.change().incident().team())),
                             note});
      if (note) notes_.fetch_add(1, std::memory_order_relaxed);
      last_sequence_.store(event.sequence(), std::memory_order_relaxed);
    }
    if (!stall_) StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    status_ = status;
    done_.store(true, std::memory_order_release);
  }

  int team() const { return team_; }
  bool opened() const { return opened_.load(std::memory_order_acquire); }
  int64_t opening_sequence() const { return opening_sequence_; }  // once opened()
  int64_t heartbeats() const { return heartbeats_.load(std::memory_order_relaxed); }
  int64_t notes() const { return notes_.load(std::memory_order_relaxed); }
  int64_t last_sequence() const { return last_sequence_.load(std::memory_order_relaxed); }
  bool done() const { return done_.load(std::memory_order_acquire); }
  void Cancel() { ctx_.TryCancel(); }
  // Only once done().
  const grpc::Status& status() const { return status_; }
  const std::vector<Delivery>& deliveries() const { return deliveries_; }

 private:
  const int team_;
  const bool stall_;
  grpc::ClientContext ctx_;
  v1::WatchRequest request_;
  v1::WatchResponse response_;
  std::vector<Delivery> deliveries_;
  int64_t opening_sequence_ = 0;
  std::atomic<bool> opened_{false};
  std::atomic<int64_t> heartbeats_{0};
  std::atomic<int64_t> notes_{0};
  std::atomic<int64_t> last_sequence_{0};
  std::atomic<bool> done_{false};
  grpc::Status status_;
};

using Subscribers = std::vector<std::unique_ptr<Subscriber>>;

// Waits until every subscriber has opened; dies if one ends first or `within` passes.
void AwaitOpened(const Subscribers& subscribers, absl::Duration within) {
  for (const absl::Time give_up = absl::Now() + within;;) {
    size_t opened = 0;
    for (const auto& s : subscribers) {
      if (s->done() && !s->opened()) {
        Die(absl::StrCat("a stream ended before it opened: ", s->status().error_message()));
      }
      opened += s->opened();
    }
    if (opened == subscribers.size()) return;
    if (absl::Now() > give_up) {
      Die(absl::StrCat("only ", opened, " of ", subscribers.size(), " streams opened in ",
                       absl::FormatDuration(within)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

// One run of writes, and what the streams received meanwhile.
struct WriteRun {
  std::string name;
  bool stalled = false;  // the stalled subscriber was attached
  absl::Duration took;
  int64_t writes = 0;  // succeeded
  int64_t failed = 0;
  Latencies call_latency;
  double server_cpu = 0;  // cores used during the run (CPU seconds per second)
  double bench_cpu = 0;
  double other_cpu = 0;  // the rest of the machine
  int64_t rss_after_kb = 0;
  bool drained = true;
  int64_t first_sequence = 0;  // the streams' deliveries in (first, last] are this run's
  int64_t last_sequence = 0;
};

// kWriters threads add notes, round robin across the teams: as fast as the server answers
// (rate 0) or `rate` writes/s in all on a fixed schedule. Adds the successes to notes_by_team.
WriteRun Write(absl::string_view name, const ServerProcess& server, const Scale& scale,
               v1::IncidentService::Stub& stub, const Tokens& tokens,
               const std::vector<int64_t>& incidents, int rate, int64_t first_note,
               std::vector<std::atomic<int64_t>>& notes_by_team) {
  WriteRun run;
  run.name = std::string(name);
  std::vector<Latencies> latency(kWriters);
  std::vector<int64_t> failed(kWriters, 0);
  const double server_start = bench::CpuSeconds(server.pid());
  const double bench_start = bench::CpuSeconds(getpid());
  const double machine_start = bench::MachineBusySeconds();
  const absl::Time start = absl::Now();
  const absl::Time end = start + scale.run_for;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int64_t i = w;; i += kWriters) {
        if (rate > 0) {
          const absl::Time at = start + absl::Seconds(i) / rate;
          if (at >= end) break;
          absl::SleepFor(at - absl::Now());
        } else if (absl::Now() >= end) {
          break;
        }
        const int team = static_cast<int>(i % scale.teams);
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", absl::StrCat("Bearer ", tokens.member[team]));
        v1::AddNoteRequest request;
        request.set_id(incidents[team]);
        request.set_text(absl::StrCat("先方へ折り返し連絡 #", first_note + i));
        v1::Incident reply;
        const absl::Time sent = absl::Now();
        const grpc::Status status = stub.AddNote(&ctx, request, &reply);
        if (status.ok()) {
          latency[w].Add(absl::Now() - sent);
          notes_by_team[team].fetch_add(1, std::memory_order_relaxed);
        } else if (++failed[w] <= 3) {
          absl::FPrintF(stderr, "watch_benchmark: AddNote: %s\n", status.error_message());
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  run.took = absl::Now() - start;
  const double seconds = absl::ToDoubleSeconds(run.took);
  run.server_cpu = (bench::CpuSeconds(server.pid()) - server_start) / seconds;
  run.bench_cpu = (bench::CpuSeconds(getpid()) - bench_start) / seconds;
  run.other_cpu = std::max(
      0.0, (bench::MachineBusySeconds() - machine_start) / seconds - run.server_cpu -
               run.bench_cpu);
  for (int w = 0; w < kWriters; ++w) {
    run.failed += failed[w];
    run.call_latency.Merge(latency[w]);
  }
  run.writes = run.call_latency.count();
  return run;
}

// Waits until every stream has received every note written so far; false on timeout.
bool Drain(const Subscribers& subscribers,
           const std::vector<std::atomic<int64_t>>& notes_by_team) {
  int64_t total = 0;
  for (const auto& n : notes_by_team) total += n.load();
  for (const absl::Time give_up = absl::Now() + kDrainWithin; absl::Now() < give_up;) {
    bool all = true;
    for (const auto& s : subscribers) {
      const int64_t want = s->team() >= 0 ? notes_by_team[s->team()].load() : total;
      if (s->notes() < want) {
        all = false;
        break;
      }
    }
    if (all) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

struct Failures {
  int64_t count = 0;
  void Add(const std::string& what) {
    if (++count <= 10) absl::PrintF("  FAIL: %s\n", what);
  }
};

// Checks what each stream received against the reference, the first all-teams stream: every
// other all-teams stream must match it exactly, and every team stream its team's part of it.
// Returns the changes other than notes the reference saw.
int64_t CheckDeliveries(const Subscribers& subscribers, const Scale& scale, int64_t total_notes,
                        Failures& failures) {
  const Subscriber& reference = *subscribers[scale.teams * scale.subscribers_per_team];
  std::vector<std::vector<int64_t>> team_sequences(scale.teams);
  int64_t reference_notes = 0, other_changes = 0;
  for (const Delivery& d : reference.deliveries()) {
    if (d.team < 0 || d.team >= scale.teams) {
      failures.Add(absl::StrCat("sequence ", d.sequence, " of an unknown team"));
      continue;
    }
    team_sequences[d.team].push_back(d.sequence);
    d.note ? ++reference_notes : ++other_changes;
  }
  if (reference_notes != total_notes) {
    failures.Add(absl::StrCat("the all-teams stream got ", reference_notes, " notes, not ",
                              total_notes));
  }
  for (const auto& s : subscribers) {
    const std::vector<Delivery>& got = s->deliveries();
    for (size_t i = 1; i < got.size(); ++i) {
      if (got[i].sequence <= got[i - 1].sequence) {
        failures.Add(absl::StrCat("a stream got sequence ", got[i].sequence, " after ",
                                  got[i - 1].sequence));
      }
    }
    if (!got.empty() && got.front().sequence <= s->opening_sequence()) {
      failures.Add(absl::StrCat("a stream opened at ", s->opening_sequence(), " got ",
                                got.front().sequence));
    }
    std::vector<int64_t> sequences;
    for (const Delivery& d : got) {
      if (s->team() >= 0 && d.team != s->team()) {
        failures.Add(absl::StrCat("a stream of ", TeamName(s->team()), " got a change of ",
                                  d.team >= 0 ? TeamName(d.team) : "an unknown team"));
      }
      sequences.push_back(d.sequence);
    }
    std::vector<int64_t> want;
    if (s->team() >= 0) {
      want = team_sequences[s->team()];
    } else {
      for (const Delivery& d : reference.deliveries()) want.push_back(d.sequence);
    }
    if (sequences != want) {
      failures.Add(absl::StrCat(
          "a stream of ", s->team() >= 0 ? TeamName(s->team()) : "every team", " got ",
          sequences.size(), " changes, not the ", want.size(), " the reference saw"));
    }
  }
  return other_changes;
}

// Waits until every subscriber is done; false if `within` passes first.
bool AwaitDone(const Subscribers& subscribers, absl::Duration within) {
  for (const absl::Time give_up = absl::Now() + within; absl::Now() < give_up;) {
    if (std::all_of(subscribers.begin(), subscribers.end(),
                    [](const auto& s) { return s->done(); })) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

int Run(const bench::Options& options) {
  const Scale scale = options.Pick<Scale>(
      {.teams = 10, .subscribers_per_team = 2, .all_teams_subscribers = 2,
       .run_for = absl::Seconds(1), .settle = absl::Milliseconds(500)},
      {.teams = 200, .subscribers_per_team = 10, .all_teams_subscribers = 20,
       .run_for = absl::Seconds(4), .settle = absl::Seconds(3)},
      {.teams = 200, .subscribers_per_team = 10, .all_teams_subscribers = 20,
       .run_for = absl::Seconds(10), .settle = absl::Seconds(5)});
  const int subscriber_count = scale.subscribers();
  const absl::Time bench_start = absl::Now();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("amends-watch-bench-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "amends.db").string();
  // The store is closed again before amendsd opens it.
  const Tokens tokens = BuildDatabase(db, scale.teams);

  absl::StatusOr<std::unique_ptr<ServerProcess>> started =
      ServerProcess::Start(db, {"--heartbeat", "15s"});
  Check(started.status(), "amendsd");
  ServerProcess& server = **started;
  server_pid = server.pid();
  std::shared_ptr<grpc::Channel> write_channel =
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto incidents_stub = v1::IncidentService::NewStub(write_channel);
  std::vector<int64_t> incidents;
  for (int t = 0; t < scale.teams; ++t) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", tokens.member[t]));
    v1::ReportIncidentRequest request;
    request.set_team(TeamName(t));
    request.mutable_client()->set_name(absl::StrCat("株式会社サンプル", t + 1));
    request.set_kind(v1::KIND_MISSED_APPOINTMENT);
    request.set_severity(v1::SEVERITY_LOW);
    request.set_summary("15時の打ち合わせに伺えず、17時前に先方からお電話");
    v1::Incident incident;
    const grpc::Status status = incidents_stub->ReportIncident(&ctx, request, &incident);
    if (!status.ok()) Die(absl::StrCat("ReportIncident: ", status.error_message()));
    incidents.push_back(incident.id());
  }
  absl::PrintF("set-up: %d teams, %d users, %d incidents; amendsd (pid %d) on %s; %.1f s\n",
               scale.teams, 2 * scale.teams + 1, scale.teams, server.pid(), server.address(),
               absl::ToDoubleSeconds(absl::Now() - bench_start));
  std::fflush(stdout);

  // 0. The write path alone, for comparison; it also fills the feed's ring, so that the
  // memory baseline below already holds it.
  std::vector<WriteRun> runs;
  {
    std::vector<std::atomic<int64_t>> unwatched(scale.teams);
    runs.push_back(Write("no subscribers, flat out", server, scale, *incidents_stub, tokens,
                         incidents, 0, 0, unwatched));
    absl::PrintF("run 0 (%s): %s notes written in %.1f s\n", runs.back().name,
                 Grouped(runs.back().writes), absl::ToDoubleSeconds(runs.back().took));
    std::fflush(stdout);
  }

  // 1. Memory.
  absl::SleepFor(absl::Seconds(1));
  const int64_t rss_before = bench::StatusField(server.pid(), "VmRSS");
  const int64_t threads_before = bench::StatusField(server.pid(), "Threads");
  const int64_t stacks_before = bench::StackResidentKb(server.pid());
  runs.back().rss_after_kb = rss_before;
  std::vector<std::unique_ptr<v1::WatchService::Stub>> watch_stubs;
  for (int c = 0; c < kConnections; ++c) {
    watch_stubs.push_back(v1::WatchService::NewStub(OwnChannel(server.address(), c)));
  }
  const absl::Time open_start = absl::Now();
  Subscribers subscribers;
  for (int i = 0; i < subscriber_count; ++i) {
    v1::WatchService::Stub& stub = *watch_stubs[i % kConnections];
    if (i < scale.teams * scale.subscribers_per_team) {
      const int team = i % scale.teams;
      subscribers.push_back(std::make_unique<Subscriber>(stub, tokens.observer[team], team));
    } else {
      subscribers.push_back(std::make_unique<Subscriber>(stub, tokens.admin, -1));
    }
  }
  AwaitOpened(subscribers, absl::Seconds(30));
  const absl::Duration open_took = absl::Now() - open_start;
  const double idle_cpu_start = bench::CpuSeconds(server.pid());
  absl::SleepFor(absl::Seconds(1));
  const double idle_cpu = bench::CpuSeconds(server.pid()) - idle_cpu_start;
  const int64_t rss_open = bench::StatusField(server.pid(), "VmRSS");
  const int64_t threads_open = bench::StatusField(server.pid(), "Threads");
  const int64_t stacks_open = bench::StackResidentKb(server.pid());
  absl::PrintF("opened %s streams over %d connections in %.2f s\n", Grouped(subscriber_count),
               kConnections, absl::ToDoubleSeconds(open_took));
  std::fflush(stdout);
  // Writes that start within a second or two of the streams opening find the first changes
  // held up for about 90 ms after the server's Write() returned (in gRPC, not in amends), for
  // about 0.1 s. That is start-up, not the steady state the runs measure: let it pass.
  absl::SleepFor(open_start + open_took + scale.settle - absl::Now());

  // 2 and 3. Latency, every stream attached, then with the stalled subscriber too.
  std::vector<std::atomic<int64_t>> notes_by_team(scale.teams);
  std::unique_ptr<v1::WatchService::Stub> stalled_stub;
  Subscribers stalled;  // one, from the second pair of runs on
  for (const bool with_stalled : {false, true}) {
    if (with_stalled) {
      // The client announces a window of (about) this many bytes and, with the BDP probe off,
      // never grows it: the server's sends to this stream stop once it is full.
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1);
      args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
      stalled_stub = v1::WatchService::NewStub(OwnChannel(server.address(), -1, args));
      stalled.push_back(std::make_unique<Subscriber>(*stalled_stub, tokens.admin, -1,
                                                     Subscriber::Reading::kStallAfterOpening));
      AwaitOpened(stalled, absl::Seconds(10));
      absl::PrintF("a stalled subscriber joined\n");
      std::fflush(stdout);
    }
    for (const int rate : {0, kPacedRate}) {
      const std::string name = absl::StrCat(
          Grouped(subscriber_count), " subscribers, ",
          rate == 0 ? std::string("flat out") : absl::StrCat(rate, "/s paced"));
      int64_t first_sequence = runs.back().last_sequence;
      runs.push_back(Write(name, server, scale, *incidents_stub, tokens, incidents, rate,
                           1'000'000 * static_cast<int64_t>(runs.size()), notes_by_team));
      WriteRun& run = runs.back();
      run.stalled = with_stalled;
      run.drained = Drain(subscribers, notes_by_team);
      run.first_sequence = first_sequence;
      for (const auto& s : subscribers) {
        run.last_sequence = std::max(run.last_sequence, s->last_sequence());
      }
      run.rss_after_kb = bench::StatusField(server.pid(), "VmRSS");
      absl::PrintF("run %d (%s%s): %s notes written in %.1f s%s\n", runs.size() - 1, run.name,
                   with_stalled ? ", one stalled" : "", Grouped(run.writes),
                   absl::ToDoubleSeconds(run.took),
                   run.drained ? "" : "; NOT every stream received them within 20 s");
      std::fflush(stdout);
    }
  }

  // 4. Shutdown: every stream but the stalled one must end UNAVAILABLE.
  std::string server_said;
  const absl::Time terminate_start = absl::Now();
  const int exit_code = server.Terminate(&server_said);
  const absl::Duration terminate_took = absl::Now() - terminate_start;
  server_pid = -1;
  if (!AwaitDone(subscribers, absl::Seconds(15))) {
    // Counted below as not UNAVAILABLE; cancelled so that no reactor outlives its call.
    for (const auto& s : subscribers) s->Cancel();
    if (!AwaitDone(subscribers, absl::Seconds(5))) Die("streams still open 5 s after cancelled");
  }
  // gRPC hands a client its stream's status only after the messages before it were read, so
  // the stalled one never ends by itself.
  stalled.front()->Cancel();
  if (!AwaitDone(stalled, absl::Seconds(5))) Die("the stalled stream open 5 s after cancelled");
  int unavailable = 0;
  for (const auto& s : subscribers) {
    unavailable += s->status().error_code() == grpc::StatusCode::UNAVAILABLE;
  }

  // Correctness.
  Failures failures;
  int64_t total_notes = 0;
  for (const auto& n : notes_by_team) total_notes += n.load();
  const int64_t other_changes = CheckDeliveries(subscribers, scale, total_notes, failures);
  if (unavailable != subscriber_count) {
    failures.Add(absl::StrCat(subscriber_count - unavailable, " streams did not end UNAVAILABLE"));
  }
  for (size_t r = 1; r < runs.size(); ++r) {
    if (!runs[r].drained) failures.Add(absl::StrCat("run ", r, " did not drain"));
  }
  if (exit_code != 0) {
    failures.Add(absl::StrCat("amendsd exited with ", exit_code, "; it printed:\n", server_said));
  }

  // The report.
  bench::Report report("watch", options);
  const double subscribers_d = static_cast<double>(subscriber_count);
  report
      .AddTable(absl::StrFormat("Server memory, %s subscribers (%s team-filtered, %d per team of "
                                "%d; %d all-teams) on one amendsd",
                                Grouped(subscriber_count),
                                Grouped(scale.teams * scale.subscribers_per_team),
                                scale.subscribers_per_team, scale.teams,
                                scale.all_teams_subscribers),
                {"subscribers", "VmRSS before MiB", "VmRSS open MiB", "KiB per subscriber",
                 "stacks before MiB", "stacks open MiB", "stack KiB per subscriber",
                 "threads before", "threads open", "open s", "idle CPU s"})
      .Row({int64_t{subscriber_count}, MiB(rss_before), MiB(rss_open),
            static_cast<double>(rss_open - rss_before) / subscribers_d, MiB(stacks_before),
            MiB(stacks_open), static_cast<double>(stacks_open - stacks_before) / subscribers_d,
            threads_before, threads_open, absl::ToDoubleSeconds(open_took), idle_cpu});
  bench::Table& table = report.AddTable(
      absl::StrFormat("Writes and deliveries, %s s runs; each run without and with the stalled "
                      "subscriber",
                      bench::FormatNumber(absl::ToDoubleSeconds(scale.run_for))),
      {"run", "stalled", "writes/s", "call p50 ms", "call p99 ms", "deliveries/s", "p50 ms",
       "p99 ms", "p99.9 ms", "max ms", "server CPU", "bench CPU", "other CPU",
       "VmRSS after MiB"});
  auto add_row = [&](WriteRun& run, bool watched) {
    const double seconds = absl::ToDoubleSeconds(run.took);
    Latencies latency;
    for (const auto& s : subscribers) {
      if (!watched) break;
      for (const Delivery& d : s->deliveries()) {
        if (d.sequence > run.first_sequence && d.sequence <= run.last_sequence) {
          latency.Add(d.latency);
        }
      }
    }
    const double none = std::numeric_limits<double>::quiet_NaN();  // printed "-"
    table.Row({run.name, std::string(!watched ? "-" : run.stalled ? "yes" : "no"),
               static_cast<double>(run.writes) / seconds, run.call_latency.Millis(0.5),
               run.call_latency.Millis(0.99),
               watched ? static_cast<double>(latency.count()) / seconds : none,
               watched ? latency.Millis(0.5) : none, watched ? latency.Millis(0.99) : none,
               watched ? latency.Millis(0.999) : none, watched ? latency.Millis(1.0) : none,
               run.server_cpu, run.bench_cpu, run.other_cpu, MiB(run.rss_after_kb)});
  };
  // Runs 1..4 are flat/paced without, then flat/paced with: each without next to its with.
  add_row(runs[0], false);
  for (const size_t r : {1, 3, 2, 4}) add_row(runs[r], true);

  int64_t heartbeats = 0;
  for (const auto& s : subscribers) heartbeats += s->heartbeats();
  report.Note(
      "call: the AddNote round trip. p50..max: delivery latency, receipt less event.time, which "
      "the writer stamps before the commit, so the fsync is in it. CPU: cores busy during the "
      "run; other: the rest of the machine.");
  report.Note(absl::StrCat(
      "stalled: one more all-teams stream on a connection of its own with a flow-control "
      "window of a few bytes, which read its opening heartbeat and nothing after; it ended ",
      stalled.front()->status().ok()
          ? std::string("OK")
          : absl::StrCat("with code ", stalled.front()->status().error_code(), " (",
                         stalled.front()->status().error_message(), ")")));
  report.Note(absl::StrCat("heartbeats received: ", Grouped(heartbeats), " (",
                           Grouped(subscriber_count), " opening); changes other than notes: ",
                           other_changes));
  report.Note(absl::StrFormat(
      "shutdown: %s of %s streams ended UNAVAILABLE; amendsd exited %d after %.1f s",
      Grouped(unavailable), Grouped(subscriber_count), exit_code,
      absl::ToDoubleSeconds(terminate_took)));
  report.Note(absl::StrCat(
      "correctness (", Grouped(total_notes),
      " notes while watched; each team stream exactly its team's changes in order, each "
      "all-teams stream all; the stalled one not checked): ",
      failures.count == 0 ? "PASS" : "FAIL"));
  report.Note(absl::StrFormat("total %.0f s", absl::ToDoubleSeconds(absl::Now() - bench_start)));
  std::filesystem::remove_all(dir);
  const bool written = report.Finish().ok();
  return written && failures.count == 0 ? 0 : 1;
}

}  // namespace
}  // namespace amends

int main(int argc, char** argv) {
  const amends::bench::Options options = amends::bench::ParseOptions(
      argc, argv, "watch_benchmark",
      "The change stream: delivery latency and server memory per subscriber, with and without "
      "a stalled subscriber.");
  return amends::Run(options);
}
