// The write path (issue 6, item 1): how many changes per second amendsd commits durably, and
// how close that is to the two ceilings under it, measured in the same run:
//
//   write_benchmark [--size tiny|quick|full] [--results FILE]
//
// For 1, 16, 64 and 256 calls in flight (tiny: 1 and 16), each point lasting 1 s (tiny), 3 s
// (quick) or 8 s (full) after a short warm-up that is not counted:
// - amendsd: the real server as a child process on a new database (16 teams, each with
//   member-NNN and manager-NNN), driven by a closed loop over 4 connections with the realistic
//   mix (bench/support/write_mix.h: report, first apology, note, escalate, approve, visit done,
//   measure add). Latency is per call, from its start to its answer.
// - Transport ceiling: a bare gRPC service (bench/ceiling/echo.proto), a synchronous server
//   built as amendsd's is, in a process of its own (this program re-run with
//   --serve-transport-ceiling), called the same way with the mix's mean request and response
//   sizes and an authorization header as long as a real one.
// - Storage ceiling: the same mix committed by as many threads as calls in flight straight
//   through an IncidentWriter on a new SqliteStore in this process: the same decisions and
//   grouping of commits, no gRPC.
// Then half the sustained rate: an open loop against amendsd (a new database) at half the
// rate reached with 64 in flight (tiny: 16), latency counted from each call's scheduled start.
// Every run also gives the CPU seconds of the server (this process for the storage ceiling)
// and of the whole machine: client and server share the machine's cores.
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "bench/support/common.h"
#include "bench/support/load.h"
#include "bench/support/process_stats.h"
#include "bench/support/report.h"
#include "bench/support/server_process.h"
#include "bench/support/write_mix.h"
#include "echo.grpc.pb.h"
#include "grpc/grpc.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/amends_server.h"
#include "server/core/clock.h"
#include "server/core/policy.h"
#include "server/default_policy.h"
#include "server/writer.h"
#include "storage/sqlite_store.h"


namespace amends::bench {
namespace {

constexpr int kTeams = 16;
constexpr int kConnections = 4;
constexpr int kOpenLoopMaxInFlight = 256;
constexpr absl::string_view kServeFlag = "--serve-transport-ceiling";
constexpr absl::string_view kListening = "transport ceiling listening on ";

// --- The transport ceiling's server ---------------------------------------------------------

class EchoService final : public TransportCeiling::CallbackService {
  grpc::ServerUnaryReactor* Call(grpc::CallbackServerContext* ctx, const Payload* request,
                                 Payload* reply) override {
    reply->mutable_body()->assign(static_cast<size_t>(request->reply_bytes()), 'x');
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// Built as AmendsServer::Start builds amendsd's server: a callback service, as IncidentService
// is, with the same builder settings (ConfigureServerBuilder).
int ServeTransportCeiling() {
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a benchmark that died
  EchoService service;
  grpc::ServerBuilder builder;
  ConfigureServerBuilder(builder, /*reflection=*/false);
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) Die("transport ceiling: cannot listen");
  std::printf("%s127.0.0.1:%d\n", std::string(kListening).c_str(), port);
  std::fflush(stdout);
  server->Wait();  // until SIGTERM ends the process
  return 0;
}

// --- Runs ------------------------------------------------------------------------------------

// Separate connections, as separate clients would have.
std::vector<std::shared_ptr<grpc::Channel>> Connect(const std::string& address) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < kConnections; ++i) channels.push_back(OwnChannel(address, i));
  return channels;
}

struct Run {
  LoadResult load;
  double cpu_seconds = 0;   // the server's (this process's for the storage ceiling)
  double machine_busy = 0;  // every process's
  double mean_group = 0;    // changes per transaction, where known
  std::string errors;       // the mix's failures, by code
};

template <typename Load>
Run Measure(pid_t server, Load load) {
  const double cpu = CpuSeconds(server);
  const double busy = MachineBusySeconds();
  Run run;
  run.load = load();
  run.cpu_seconds = CpuSeconds(server) - cpu;
  run.machine_busy = MachineBusySeconds() - busy;
  return run;
}

absl::Duration WarmUp(absl::Duration point) { return std::min(point / 4, absl::Seconds(1)); }

// A new database with the mix's teams, in `dir`.
std::pair<std::string, std::vector<MixTeam>> NewDatabase(const std::string& dir,
                                                         absl::string_view name) {
  std::string path = absl::StrCat(dir, "/", name, ".db");
  return {path, Check(CreateMixTeams(path, kTeams), "create teams")};
}

struct AmendsdRun {
  Run run;
  MixSizes sizes;
};

// amendsd on a new database; `drive` runs the load through the mix and the stubs.
template <typename Drive>
AmendsdRun WithAmendsd(const std::string& dir, absl::string_view name, int slots,
                       absl::Duration warm_up, Drive drive) {
  auto [path, teams] = NewDatabase(dir, name);
  std::unique_ptr<ServerProcess> server = Check(ServerProcess::Start(path), "start amendsd");
  std::vector<std::unique_ptr<v1::IncidentService::Stub>> stubs;
  for (const auto& channel : Connect(server->address())) {
    stubs.push_back(v1::IncidentService::NewStub(channel));
  }
  WriteMix mix(teams, slots);
  StartCall start = [&](int64_t n, Done done) {
    mix.StartGrpc(*stubs[n % kConnections], std::move(done));
  };
  RunClosedLoop(std::min(slots, 64), warm_up, start);
  AmendsdRun out;
  out.run = Measure(server->pid(), [&] { return drive(start); });
  out.sizes = mix.sizes();
  out.run.errors = mix.errors();
  std::string printed;
  if (int code = server->Terminate(&printed); code != 0) {
    Die(absl::StrCat("amendsd exited with ", code, ": ", printed));
  }
  // "amendsd: N writes in M commits ...", over the server's life (warm-up included).
  for (absl::string_view line : absl::StrSplit(printed, '\n')) {
    int64_t writes = 0, commits = 0;
    if (std::sscanf(std::string(line).c_str(), "amendsd: %" SCNd64 " writes in %" SCNd64 " commits", &writes,
                    &commits) == 2 &&
        commits > 0) {
      out.run.mean_group = static_cast<double>(writes) / static_cast<double>(commits);
    }
  }
  return out;
}

Run TransportCeiling(const ServerProcess& ceiling, int in_flight, absl::Duration duration,
                     const MixSizes& sizes, size_t token_bytes) {
  std::vector<std::unique_ptr<TransportCeiling::Stub>> stubs;
  for (const auto& channel : Connect(ceiling.address())) {
    stubs.push_back(TransportCeiling::NewStub(channel));
  }
  Payload request;
  request.set_body(std::string(static_cast<size_t>(sizes.request_bytes), 'x'));
  request.set_reply_bytes(static_cast<int32_t>(sizes.response_bytes));
  const std::string authorization = absl::StrCat("Bearer ", std::string(token_bytes, 't'));
  struct EchoCall {
    grpc::ClientContext ctx;
    Payload request;
    Payload reply;
  };
  StartCall start = [&](int64_t n, Done done) {
    auto* call = new EchoCall;
    call->request = request;
    call->ctx.AddMetadata("authorization", authorization);
    stubs[n % kConnections]->async()->Call(&call->ctx, &call->request, &call->reply,
                                           [call, done = std::move(done)](grpc::Status s) {
                                             done(s.ok());
                                             delete call;
                                           });
  };
  RunClosedLoop(in_flight, WarmUp(duration), start);
  return Measure(ceiling.pid(), [&] { return RunClosedLoop(in_flight, duration, start); });
}

Run StorageCeiling(const std::string& dir, int in_flight, absl::Duration duration,
                   const Policy& policy) {
  auto [path, teams] = NewDatabase(dir, absl::StrCat("storage-", in_flight));
  std::unique_ptr<SqliteStore> store = Check(SqliteStore::Open(path), "open store");
  RealClock clock;
  IncidentWriter writer(*store, clock, policy);
  WriteMix mix(teams, in_flight);
  auto drive = [&](absl::Duration d) { return mix.DriveWriter(writer, d); };
  drive(WarmUp(duration));
  const IncidentWriter::Stats before = writer.stats();
  Run run = Measure(getpid(), [&] { return drive(duration); });
  const IncidentWriter::Stats after = writer.stats();
  if (after.groups > before.groups) {
    run.mean_group = static_cast<double>(after.changes - before.changes) /
                     static_cast<double>(after.groups - before.groups);
  }
  run.errors = mix.errors();
  return run;
}

std::string Percent(double ratio) { return absl::StrFormat("%.0f%%", ratio * 100); }

int Main(const Options& options) {
  const std::vector<int> levels = options.Pick<std::vector<int>>({1, 16}, {1, 16, 64, 256},
                                                                 {1, 16, 64, 256});
  const absl::Duration point =
      options.Pick(absl::Seconds(1), absl::Seconds(3), absl::Seconds(8));
  const int half_rate_level = options.size == Size::kTiny ? 16 : 64;

  char dir_template[] = "/tmp/write_benchmark-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) Die("mkdtemp");
  const std::string dir = dir_template;
  const Policy policy =
      Check(Policy::Parse(DefaultPolicyText(), kDefaultPolicyName), "default policy");
  // An amendsd token's length, for the transport ceiling's header.
  const size_t token_bytes = Check(CreateMixTeams(absl::StrCat(dir, "/token.db"), 1), "token")
                                 .front()
                                 .member_token.size();
  // This program re-run as the transport ceiling's server.
  const std::unique_ptr<ServerProcess> ceiling = Check(
      ServerProcess::Spawn({"/proc/self/exe", std::string(kServeFlag)}, kListening),
      "start the transport ceiling");

  Report report("write", options);
  Table& summary = report.AddTable(
      "Write path: amendsd against its ceilings (closed loop, realistic mix)",
      {"in flight", "amendsd changes/s", "p50 ms", "p99 ms", "p99.9 ms",
       "transport ceiling calls/s", "storage ceiling changes/s", "ratio to lower ceiling"});
  Table& runs = report.AddTable(
      "Every run: calls, latency, CPU seconds (server's; this process's for storage) and the "
      "machine's busy seconds",
      {"in flight", "run", "ok", "failed", "per s", "p50 ms", "p99 ms", "p99.9 ms", "CPU s",
       "machine busy s", "changes per commit"});
  auto add_run = [&](int in_flight, absl::string_view name, Run& run) {
    LoadResult& l = run.load;
    runs.Row({int64_t{in_flight}, std::string(name), l.ok, l.failed, l.PerSecond(),
              l.latency.Millis(0.5), l.latency.Millis(0.99), l.latency.Millis(0.999),
              run.cpu_seconds, run.machine_busy,
              run.mean_group > 0 ? Cell(run.mean_group) : Cell(std::string("-"))});
    if (!run.errors.empty()) {
      report.Note(absl::StrCat(name, " at ", in_flight, " in flight: errors: ", run.errors));
    }
  };

  MixSizes sizes;
  double rate_for_half = 0;
  double ratio_at_64 = -1;
  for (int in_flight : levels) {
    AmendsdRun amendsd = WithAmendsd(
        dir, absl::StrCat("amendsd-", in_flight), in_flight, WarmUp(point),
        [&](const StartCall& start) { return RunClosedLoop(in_flight, point, start); });
    sizes = amendsd.sizes;
    Run transport = TransportCeiling(*ceiling, in_flight, point, sizes, token_bytes);
    Run storage = StorageCeiling(dir, in_flight, point, policy);
    LoadResult& a = amendsd.run.load;
    const double lower = std::min(transport.load.PerSecond(), storage.load.PerSecond());
    const double ratio = a.PerSecond() / lower;
    summary.Row({int64_t{in_flight}, a.PerSecond(), a.latency.Millis(0.5),
                 a.latency.Millis(0.99), a.latency.Millis(0.999), transport.load.PerSecond(),
                 storage.load.PerSecond(), Percent(ratio)});
    add_run(in_flight, "amendsd", amendsd.run);
    add_run(in_flight, "transport ceiling", transport);
    add_run(in_flight, "storage ceiling", storage);
    if (in_flight == half_rate_level) rate_for_half = a.PerSecond() / 2;
    if (in_flight == 64) ratio_at_64 = ratio;
  }

  // Half the sustained rate, as independent clients would send it.
  AmendsdRun half = WithAmendsd(
      dir, "amendsd-half-rate", kOpenLoopMaxInFlight, WarmUp(point),
      [&](const StartCall& start) {
        return RunAtRate(rate_for_half, point, kOpenLoopMaxInFlight, start);
      });
  LoadResult& h = half.run.load;
  const double p99 = h.latency.Millis(0.99);
  Table& open = report.AddTable(
      absl::StrCat("Half the sustained rate: open loop against amendsd at half the rate of ",
                   half_rate_level, " in flight, latency from each call's scheduled start"),
      {"target/s", "achieved/s", "failed", "p50 ms", "p99 ms", "p99.9 ms", "p99 < 20 ms",
       "server CPU s", "machine busy s"});
  open.Row({rate_for_half, h.PerSecond(), h.failed, h.latency.Millis(0.5), p99,
            h.latency.Millis(0.999), std::string(p99 < 20 ? "yes" : "NO"),
            half.run.cpu_seconds, half.run.machine_busy});
  if (!half.run.errors.empty()) report.Note(absl::StrCat("half rate: errors: ", half.run.errors));

  report.Note(absl::StrFormat(
      "The mix's mean message sizes (serialized protobuf): request %.0f bytes, response %.0f "
      "bytes (the incident as the change left it, which is also what the change stores); the "
      "transport ceiling carries these, and etcd_benchmark puts values of about that size.",
      sizes.request_bytes, sizes.response_bytes));
  report.Note(
      "Transport ceiling: a bare unary gRPC call, same server settings "
      "(ConfigureServerBuilder), a callback service as amendsd's, same sizes, separate "
      "process; it answers at once, where amendsd answers once the change's group commits. "
      "Storage ceiling: the same changes through IncidentWriter and SqliteStore in-process, one "
      "thread per call in flight, the same group commit; its CPU seconds include those "
      "threads. Changes per commit: amendsd's over the server's whole life, its warm-up "
      "included (it prints them at shutdown); the storage ceiling's over the measured run.");
  if (ratio_at_64 >= 0) {
    report.Note(absl::StrCat("At 64 in flight amendsd reaches ", Percent(ratio_at_64),
                             " of the lower ceiling (target: at least 50%): ",
                             ratio_at_64 >= 0.5 ? "PASS" : "FAIL"));
  }
  report.Note(absl::StrFormat("At half the sustained rate p99 is %.2f ms (target: under 20 ms): %s",
                              p99, p99 < 20 ? "PASS" : "FAIL"));
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return report.Finish().ok() ? 0 : 1;
}

}  // namespace
}  // namespace amends::bench

int main(int argc, char** argv) {
  if (argc == 2 && argv[1] == amends::bench::kServeFlag) {
    return amends::bench::ServeTransportCeiling();
  }
  const amends::bench::Options options = amends::bench::ParseOptions(
      argc, argv, "write_benchmark",
      "The write path: amendsd's durable changes per second and latency at 1, 16, 64 and 256 "
      "calls in flight, beside its transport and storage ceilings measured in the same run, "
      "and its latency at half the sustained rate.");
  return amends::bench::Main(options);
}
