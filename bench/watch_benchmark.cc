// The change stream (WatchService) at the issue's scale: 2,000 concurrent subscribers on one
// server, each filtered to one team, plus 20 that see every team, while the server takes writes
// at its sustained rate. Figures: delivery latency p50/p99 from commit to receipt, and the
// server's resident memory per subscriber. A plain program that prints its figures, because it
// runs the real amendsd as a child process, so that the server's memory and CPU are its own
// (about 40 s):
//
//   build/bin/watch_benchmark
//
// Set-up, not measured: a new database in a temporary directory with 200 teams
// ("team-001".."team-200", Asia/Tokyo), each with one member (who writes) and one observer
// (whose token that team's subscribers use), and one admin (the all-teams subscribers). The
// store is closed, then amendsd starts on it (--listen 127.0.0.1:0 --heartbeat 15s) and the
// program reports one LOW incident per team through the API.
//
// Every run lasts 10 s: 8 threads add Japanese notes to the 200 incidents, round robin across
// the teams, each with that team's member token, either as fast as the server answers them or
// on a fixed schedule, catching up when held up as queued requests would.
// 0. The write path alone: a run flat out with no subscriber, for comparison. It also fills
//    the feed's in-memory ring (4,096 changes), so that the memory baseline below holds it.
// 1. Memory: the server's VmRSS (/proc/PID/status) just before the subscribers connect, and
//    again once every stream has received its opening heartbeat and a second has passed; the
//    difference over the 2,020 streams is the memory per subscriber, of which the threads'
//    stacks (/proc/PID/smaps). The streams use the gRPC callback API over 16 connections, so
//    this program needs no thread per stream; the server runs each on a thread of its own.
// 2. Latency, every stream attached, 5 s after they opened: a run flat out (the sustained rate
//    with 2,020 subscribers), then one at 500 writes/s. A delivery's latency is its receipt time
//    less the event's time, which the writer stamps under its lock before the commit: so it
//    includes the commit and its fsync; the AddNote call's own latency is printed beside it.
//    Client and server share the machine's cores and clock; each run's CPU time is printed
//    for the server, this program and the rest of the machine.
// 3. Correctness, from what each stream received: each team stream got exactly its team's
//    changes, in increasing sequence with none twice and none missing (the same sequences as
//    the all-teams streams saw for that team), and each all-teams stream got every change, as
//    many notes as AddNote calls succeeded. Then SIGTERM: every stream must end UNAVAILABLE.
//    Prints PASS or FAIL; exits 1 on FAIL.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
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
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/admin.h"
#include "server/core/time_proto.h"
#include "storage/sqlite_store.h"

extern char** environ;

namespace amends {
namespace {

constexpr int kTeams = 200;
constexpr int kSubscribersPerTeam = 10;
constexpr int kAllTeamsSubscribers = 20;
constexpr int kSubscribers = kTeams * kSubscribersPerTeam + kAllTeamsSubscribers;
constexpr int kConnections = 16;
constexpr int kWriters = 8;
constexpr absl::Duration kRunFor = absl::Seconds(10);
constexpr int kPacedRate = 500;  // writes/s in the second run
constexpr absl::Duration kDrainWithin = absl::Seconds(20);
constexpr absl::Duration kSettle = absl::Seconds(5);  // from the streams open to the first run

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

// A number with thousands separators, as the docs write them.
std::string Grouped(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? absl::StrCat("-", out) : out;
}

double Millis(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

// amendsd as a child process; stdout on a pipe (for the address), stderr shared with ours.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& db) {
    int out[2];
    if (pipe(out) != 0) Die("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    std::vector<std::string> argv = {AMENDSD_PATH, "--db", db, "--listen", "127.0.0.1:0",
                                     "--heartbeat", "15s"};
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0) {
      Die(absl::StrCat("cannot start ", AMENDSD_PATH));
    }
    posix_spawn_file_actions_destroy(&fa);
    server_pid = pid_;
    close(out[1]);
    out_ = fdopen(out[0], "r");
    constexpr absl::string_view kPrefix = "amendsd listening on ";
    for (std::string line; ReadLine(&line);) {
      if (absl::string_view(line).substr(0, kPrefix.size()) == kPrefix) {
        address_ = line.substr(kPrefix.size());
        return;
      }
    }
    Die("amendsd ended before it listened");
  }
  ~ServerProcess() {
    if (out_) fclose(out_);
  }

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // A field of /proc/PID/status in kB (VmRSS) or a count (Threads).
  int64_t Status(absl::string_view field) const {
    std::ifstream status(absl::StrCat("/proc/", pid_, "/status"));
    const std::string prefix = absl::StrCat(field, ":");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind(prefix, 0) == 0) {
        return std::strtoll(line.c_str() + prefix.size(), nullptr, 10);
      }
    }
    return -1;
  }

  // The resident kB of the threads' stacks: the anonymous mappings of exactly the default
  // stack size (8 MiB, ulimit -s), which is what a thread's stack looks like in
  // /proc/PID/smaps. glibc's malloc arenas are 64 MiB, so they are not counted.
  int64_t StackResidentKb() const {
    std::ifstream smaps(absl::StrCat("/proc/", pid_, "/smaps"));
    int64_t total = 0;
    bool stack = false;
    for (std::string line; std::getline(smaps, line);) {
      long long kb = 0;
      if (std::sscanf(line.c_str(), "Size: %lld kB", &kb) == 1) {
        stack = kb == 8192;
      } else if (stack && std::sscanf(line.c_str(), "Rss: %lld kB", &kb) == 1) {
        total += kb;
      }
    }
    return total;
  }

  // SIGTERM, then waits for the exit; returns the exit code and what it printed on the way.
  int Terminate(std::string* printed) {
    kill(pid_, SIGTERM);
    for (std::string line; ReadLine(&line);) absl::StrAppend(printed, line, "\n");
    int status = 0;
    waitpid(pid_, &status, 0);
    server_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  bool ReadLine(std::string* line) {
    line->clear();
    int c;
    while ((c = fgetc(out_)) != EOF && c != '\n') line->push_back(static_cast<char>(c));
    return c != EOF || !line->empty();
  }

  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string address_;
};

struct Tokens {
  std::vector<std::string> member;    // by team
  std::vector<std::string> observer;  // by team
  std::string admin;
};

Tokens BuildDatabase(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  Check(store.status(), "open");
  Tokens tokens;
  for (int t = 0; t < kTeams; ++t) {
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
class Subscriber final : public grpc::ClientReadReactor<v1::WatchResponse> {
 public:
  // team < 0: every team.
  Subscriber(v1::WatchService::Stub& stub, const std::string& token, int team) : team_(team) {
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
    StartRead(&response_);
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

template <typename T>
T Percentile(const std::vector<T>& sorted, double q) {
  if (sorted.empty()) return T();
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(q * sorted.size()))];
}

// CPU time used so far by a process (user, system), from /proc/PID/stat.
struct Cpu {
  double user = 0;
  double system = 0;
};
Cpu CpuOf(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return {};
  // After the name: state (field 3) ... utime (14), stime (15).
  long long utime = 0, stime = 0;
  if (std::sscanf(text.c_str() + paren + 1,
                  " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime,
                  &stime) != 2) {
    return {};
  }
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {utime / tick, stime / tick};
}

// CPU time used so far by every process on the machine, from /proc/stat.
double MachineBusy() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq;
  return (user + nice + system + irq + softirq) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct WriteRun {
  std::string name;
  absl::Duration took;
  int64_t writes = 0;  // succeeded
  int64_t failed = 0;
  std::vector<absl::Duration> call_latency;  // sorted
  Cpu server_cpu;  // used during the run, in cores (seconds per second)
  Cpu bench_cpu;
  double other_cpu = 0;  // the rest of the machine
};

// kWriters threads add notes, round robin across the teams: as fast as the server answers
// (rate 0) or `rate` writes/s in all on a fixed schedule. Adds the successes to notes_by_team.
WriteRun Write(absl::string_view name, const ServerProcess& server,
               v1::IncidentService::Stub& stub, const Tokens& tokens,
               const std::vector<int64_t>& incidents, int rate, int64_t first_note,
               std::vector<std::atomic<int64_t>>& notes_by_team) {
  WriteRun run;
  run.name = std::string(name);
  std::vector<std::vector<absl::Duration>> latency(kWriters);
  std::vector<int64_t> failed(kWriters, 0);
  const Cpu server_start = CpuOf(server.pid());
  const Cpu bench_start = CpuOf(getpid());
  const double machine_start = MachineBusy();
  const absl::Time start = absl::Now();
  const absl::Time end = start + kRunFor;
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
        const int team = static_cast<int>(i % kTeams);
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", absl::StrCat("Bearer ", tokens.member[team]));
        v1::AddNoteRequest request;
        request.set_id(incidents[team]);
        request.set_text(absl::StrCat("先方へ折り返し連絡 #", first_note + i));
        v1::Incident reply;
        const absl::Time sent = absl::Now();
        const grpc::Status status = stub.AddNote(&ctx, request, &reply);
        latency[w].push_back(absl::Now() - sent);
        if (status.ok()) {
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
  const Cpu server_end = CpuOf(server.pid());
  const Cpu bench_end = CpuOf(getpid());
  const double machine_end = MachineBusy();
  run.server_cpu = {(server_end.user - server_start.user) / seconds,
                    (server_end.system - server_start.system) / seconds};
  run.bench_cpu = {(bench_end.user - bench_start.user) / seconds,
                   (bench_end.system - bench_start.system) / seconds};
  run.other_cpu = (machine_end - machine_start) / seconds - run.server_cpu.user -
                  run.server_cpu.system - run.bench_cpu.user - run.bench_cpu.system;
  for (int w = 0; w < kWriters; ++w) {
    run.failed += failed[w];
    run.call_latency.insert(run.call_latency.end(), latency[w].begin(), latency[w].end());
  }
  run.writes = static_cast<int64_t>(run.call_latency.size()) - run.failed;
  std::sort(run.call_latency.begin(), run.call_latency.end());
  return run;
}

// Waits until every stream has received every note written so far; false on timeout.
bool Drain(const std::vector<std::unique_ptr<Subscriber>>& subscribers,
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

int Run() {
  const absl::Time bench_start = absl::Now();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("amends-watch-bench-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "amends.db").string();
  const Tokens tokens = BuildDatabase(db);  // the store is closed again before amendsd opens it

  ServerProcess server(db);
  std::shared_ptr<grpc::Channel> write_channel =
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto incidents_stub = v1::IncidentService::NewStub(write_channel);
  std::vector<int64_t> incidents;
  for (int t = 0; t < kTeams; ++t) {
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
               kTeams, 2 * kTeams + 1, kTeams, server.pid(), server.address(),
               absl::ToDoubleSeconds(absl::Now() - bench_start));
  std::fflush(stdout);

  // 0. The write path alone, for comparison; it also fills the feed's ring, so that the
  // memory baseline below already holds it.
  std::vector<WriteRun> runs;
  {
    std::vector<std::atomic<int64_t>> unwatched(kTeams);
    runs.push_back(Write("no subscribers, flat out", server, *incidents_stub, tokens, incidents,
                         0, 0, unwatched));
    absl::PrintF("run 0 (%s): %s notes written in %.1f s\n", runs.back().name,
                 Grouped(runs.back().writes), absl::ToDoubleSeconds(runs.back().took));
    std::fflush(stdout);
  }

  // 1. Memory.
  absl::SleepFor(absl::Seconds(1));
  const int64_t rss_before = server.Status("VmRSS");
  const int64_t threads_before = server.Status("Threads");
  const int64_t stacks_before = server.StackResidentKb();
  std::vector<std::unique_ptr<v1::WatchService::Stub>> watch_stubs;
  for (int c = 0; c < kConnections; ++c) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("amends.bench.connection", c);  // a channel of its own, not a shared one
    watch_stubs.push_back(v1::WatchService::NewStub(grpc::CreateCustomChannel(
        server.address(), grpc::InsecureChannelCredentials(), args)));
  }
  const absl::Time open_start = absl::Now();
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    v1::WatchService::Stub& stub = *watch_stubs[i % kConnections];
    if (i < kTeams * kSubscribersPerTeam) {
      const int team = i % kTeams;
      subscribers.push_back(std::make_unique<Subscriber>(stub, tokens.observer[team], team));
    } else {
      subscribers.push_back(std::make_unique<Subscriber>(stub, tokens.admin, -1));
    }
  }
  for (const absl::Time give_up = absl::Now() + absl::Seconds(30);;) {
    int opened = 0;
    for (const auto& s : subscribers) {
      if (s->done() && !s->opened()) {
        Die(absl::StrCat("a stream ended before it opened: ", s->status().error_message()));
      }
      opened += s->opened();
    }
    if (opened == kSubscribers) break;
    if (absl::Now() > give_up) {
      Die(absl::StrCat("only ", opened, " of ", kSubscribers, " streams opened in 30 s"));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  const absl::Duration open_took = absl::Now() - open_start;
  const Cpu idle_start = CpuOf(server.pid());
  absl::SleepFor(absl::Seconds(1));
  const Cpu idle_end = CpuOf(server.pid());
  const int64_t rss_open = server.Status("VmRSS");
  const int64_t threads_open = server.Status("Threads");
  const int64_t stacks_open = server.StackResidentKb();
  // Writes that start within a second or two of the streams opening find the first changes
  // held up for about 90 ms after the server's Write() returned (in gRPC, not in amends), for
  // about 0.1 s. That is start-up, not the steady state the runs measure: let it pass.
  absl::SleepFor(open_start + open_took + kSettle - absl::Now());
  absl::PrintF("opened %s streams over %d connections in %.2f s\n", Grouped(kSubscribers),
               kConnections, absl::ToDoubleSeconds(open_took));
  std::fflush(stdout);

  // 2. Latency, every stream attached.
  std::vector<std::atomic<int64_t>> notes_by_team(kTeams);
  std::vector<int64_t> last_sequence_of_run = {0};  // by run; run 0 had no streams
  std::vector<int64_t> rss_after_run = {rss_before};
  std::vector<bool> drained;
  for (int rate : {0, kPacedRate}) {
    const std::string name = rate == 0 ? "2,020 subscribers, flat out"
                                       : absl::StrCat("2,020 subscribers, ", rate, "/s paced");
    runs.push_back(Write(name, server, *incidents_stub, tokens, incidents, rate,
                         1'000'000 * runs.size(), notes_by_team));
    drained.push_back(Drain(subscribers, notes_by_team));
    int64_t last = 0;
    for (const auto& s : subscribers) last = std::max(last, s->last_sequence());
    last_sequence_of_run.push_back(last);
    rss_after_run.push_back(server.Status("VmRSS"));
    absl::PrintF("run %d (%s): %s notes written in %.1f s%s\n", runs.size() - 1,
                 runs.back().name, Grouped(runs.back().writes),
                 absl::ToDoubleSeconds(runs.back().took),
                 drained.back() ? "" : "; NOT every stream received them within 20 s");
    std::fflush(stdout);
  }

  // 3. Shutdown: every stream must end UNAVAILABLE.
  std::string server_said;
  const int exit_code = server.Terminate(&server_said);
  auto all_ended = [&](absl::Duration within) {
    for (const absl::Time give_up = absl::Now() + within; absl::Now() < give_up;) {
      bool all = true;
      for (const auto& s : subscribers) all = all && s->done();
      if (all) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  };
  if (!all_ended(absl::Seconds(15))) {
    // Counted below as not UNAVAILABLE; cancelled so that no reactor outlives its call.
    for (const auto& s : subscribers) s->Cancel();
    if (!all_ended(absl::Seconds(5))) Die("streams still open 5 s after being cancelled");
  }
  int unavailable = 0;
  for (const auto& s : subscribers) {
    unavailable += s->status().error_code() == grpc::StatusCode::UNAVAILABLE;
  }

  // Correctness. The reference is the first all-teams stream; every other all-teams stream
  // must match it exactly, and every team stream its team's part of it.
  Failures failures;
  int64_t total_notes = 0;
  for (const auto& n : notes_by_team) total_notes += n.load();
  const Subscriber& reference = *subscribers[kTeams * kSubscribersPerTeam];
  std::vector<std::vector<int64_t>> team_sequences(kTeams);
  int64_t reference_notes = 0, other_changes = 0;
  for (const Delivery& d : reference.deliveries()) {
    if (d.team < 0 || d.team >= kTeams) {
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
  if (unavailable != kSubscribers) {
    failures.Add(absl::StrCat(kSubscribers - unavailable, " streams did not end UNAVAILABLE"));
  }
  for (size_t r = 0; r < drained.size(); ++r) {
    if (!drained[r]) failures.Add(absl::StrCat("run ", r + 1, " did not drain"));
  }
  if (exit_code != 0) {
    failures.Add(absl::StrCat("amendsd exited with ", exit_code, "; it printed:\n", server_said));
  }

  // The summary.
  int64_t heartbeats = 0;
  for (const auto& s : subscribers) heartbeats += s->heartbeats();
  absl::PrintF("\n== Change stream: %s subscribers (%s team-filtered, %d per team of %d; %d "
               "all-teams) on one amendsd ==\n",
               Grouped(kSubscribers), Grouped(kTeams * kSubscribersPerTeam),
               kSubscribersPerTeam, kTeams, kAllTeamsSubscribers);
  absl::PrintF("server memory: VmRSS %.1f MiB before the streams, %.1f MiB with %s streams open: "
               "%.1f KiB per subscriber; threads %d -> %d\n",
               rss_before / 1024.0, rss_open / 1024.0, Grouped(kSubscribers),
               static_cast<double>(rss_open - rss_before) / kSubscribers, threads_before,
               threads_open);
  absl::PrintF("               of which thread stacks %.1f MiB -> %.1f MiB: %.1f KiB per "
               "subscriber\n",
               stacks_before / 1024.0, stacks_open / 1024.0,
               static_cast<double>(stacks_open - stacks_before) / kSubscribers);
  absl::PrintF("               VmRSS after run 1 %.1f MiB, after run 2 %.1f MiB; server CPU "
               "with the streams idle for 1 s: %.2f s\n",
               rss_after_run[1] / 1024.0, rss_after_run[2] / 1024.0,
               idle_end.user + idle_end.system - idle_start.user - idle_start.system);
  absl::PrintF("\n%-29s %8s %8s %8s %12s %8s %8s %8s %8s %13s %13s %6s\n", "run (10 s each)",
               "writes/s", "call p50", "call p99", "deliveries/s", "p50", "p99", "p99.9", "max",
               "server CPU", "bench CPU", "other");
  for (size_t r = 0; r < runs.size(); ++r) {
    const WriteRun& run = runs[r];
    const double seconds = absl::ToDoubleSeconds(run.took);
    std::string deliveries = absl::StrFormat("%12s %8s %8s %8s %8s", "-", "-", "-", "-", "-");
    if (r > 0) {
      std::vector<absl::Duration> latency;
      for (const auto& s : subscribers) {
        for (const Delivery& d : s->deliveries()) {
          if (d.sequence > last_sequence_of_run[r - 1] && d.sequence <= last_sequence_of_run[r]) {
            latency.push_back(d.latency);
          }
        }
      }
      std::sort(latency.begin(), latency.end());
      deliveries = absl::StrFormat("%12.0f %8.2f %8.2f %8.2f %8.1f", latency.size() / seconds,
                                   Millis(Percentile(latency, 0.5)),
                                   Millis(Percentile(latency, 0.99)),
                                   Millis(Percentile(latency, 0.999)),
                                   Millis(Percentile(latency, 1.0)));
    }
    absl::PrintF("%-29s %8.0f %8.2f %8.2f %s  %4.2f (%4.2f)  %4.2f (%4.2f) %6.2f\n", run.name,
                 run.writes / seconds, Millis(Percentile(run.call_latency, 0.5)),
                 Millis(Percentile(run.call_latency, 0.99)), deliveries,
                 run.server_cpu.user + run.server_cpu.system, run.server_cpu.system,
                 run.bench_cpu.user + run.bench_cpu.system, run.bench_cpu.system,
                 std::max(0.0, run.other_cpu));
  }
  absl::PrintF("times in ms. call: the AddNote round trip. p50..max: delivery latency, receipt "
               "less event.time,\nwhich the writer stamps before the commit, so the fsync is in "
               "it. CPU: cores busy during the run (of which\nsystem); other: the rest of the "
               "machine.\n\n");
  absl::PrintF("heartbeats received: %s (%s opening); changes other than notes: %d\n",
               Grouped(heartbeats), Grouped(kSubscribers), other_changes);
  absl::PrintF("shutdown: %s of %s streams ended UNAVAILABLE; amendsd exited %d\n",
               Grouped(unavailable), Grouped(kSubscribers), exit_code);
  absl::PrintF("correctness (%s notes while watched; each team stream exactly its team's changes "
               "in order, each all-teams stream all): %s\n",
               Grouped(total_notes), failures.count == 0 ? "PASS" : "FAIL");
  absl::PrintF("total %.0f s\n", absl::ToDoubleSeconds(absl::Now() - bench_start));
  std::filesystem::remove_all(dir);
  return failures.count == 0 ? 0 : 1;
}

}  // namespace
}  // namespace amends

int main() { return amends::Run(); }
