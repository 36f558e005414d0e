// summary_benchmark: `amends summary` on a team with a long history (issue 16: "fast on a team
// with 100,000 incidents (measure it)").
//
//   summary_benchmark [--size tiny|quick|full] [--results FILE]
//
// Fills one team's past year (bench/support/team_history.h; full: 100,000 incidents, quick:
// 20,000, tiny: 1,000), most of them closed, the last four weeks' spread over the stages, every
// reminder, breach and automatic escalation fired at its time, all committed in time order.
// Starts the real amendsd on it as a child process and keeps 1 and 16 calls in flight (tiny: 4)
// of GetSummary as the team's manager, and beside it, in the same run on the same database,
// the calls it is compared with: a ListIncidents page of 50 of the same team and GetIncident
// of a random incident. Prints calls/s and latency percentiles, what the summary said, and the
// server's resident memory. Any failed call fails the run.
//
// The load generator runs on the same machine as the server and takes its share of the CPU.
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "bench/support/load.h"
#include "bench/support/process_stats.h"
#include "bench/support/report.h"
#include "bench/support/server_process.h"
#include "bench/support/team_history.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace amends::bench {
namespace {

constexpr int kPageSize = 50;

// Each call's own pseudo-random choice, from its number alone (splitmix64).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

// A call on gRPC's callback API: what it needs, alive until it completes.
template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// The first failure, for the note that fails the run; the driver counts them all.
class Failures {
 public:
  void Record(absl::string_view what) {
    absl::MutexLock lock(&mu_);
    if (first_.empty()) first_ = std::string(what);
  }
  std::string first() {
    absl::MutexLock lock(&mu_);
    return first_;
  }

 private:
  absl::Mutex mu_;
  std::string first_ ABSL_GUARDED_BY(mu_);
};

template <typename C>
void Finish(C* call, const grpc::Status& status, bool right, Failures& failures,
            const Done& done) {
  if (!status.ok()) {
    failures.Record(absl::StrCat("code ", status.error_code(), ": ", status.error_message()));
  } else if (!right) {
    failures.Record(absl::StrCat("wrong answer to ", call->request.ShortDebugString()));
  }
  delete call;
  done(status.ok() && right);
}

std::string Bearer(const std::string& token) { return absl::StrCat("Bearer ", token); }

// The manager's summary of their team; right if it counts every open incident.
StartCall SummaryCalls(v1::IncidentService::Stub& stub, const TeamHistory& history,
                       Failures& failures) {
  return [&stub, &history, &failures](int64_t, Done done) {
    auto* call = new Call<v1::GetSummaryRequest, v1::TeamSummary>;
    call->context.AddMetadata("authorization", Bearer(history.manager_token));
    stub.async()->GetSummary(&call->context, &call->request, &call->response,
                             [call, &history, &failures, done](grpc::Status s) {
                               Finish(call, s,
                                      call->response.open_total().total() == history.open,
                                      failures, done);
                             });
  };
}

// The newest page of 50 of the team, as `amends list` asks for it.
StartCall ListCalls(v1::IncidentService::Stub& stub, const TeamHistory& history,
                    Failures& failures) {
  return [&stub, &history, &failures](int64_t, Done done) {
    auto* call = new Call<v1::ListIncidentsRequest, v1::ListIncidentsResponse>;
    call->context.AddMetadata("authorization", Bearer(history.manager_token));
    call->request.set_page_size(kPageSize);
    stub.async()->ListIncidents(&call->context, &call->request, &call->response,
                                [call, &failures, done](grpc::Status s) {
                                  Finish(call, s, call->response.incidents_size() == kPageSize,
                                         failures, done);
                                });
  };
}

StartCall GetCalls(v1::IncidentService::Stub& stub, const TeamHistory& history,
                   Failures& failures) {
  return [&stub, &history, &failures](int64_t n, Done done) {
    const int64_t id = 1 + static_cast<int64_t>(Mix(n) % history.incidents);
    auto* call = new Call<v1::GetIncidentRequest, v1::Incident>;
    call->context.AddMetadata("authorization", Bearer(history.manager_token));
    call->request.set_id(id);
    stub.async()->GetIncident(&call->context, &call->request, &call->response,
                              [call, id, &failures, done](grpc::Status s) {
                                Finish(call, s, call->response.id() == id, failures, done);
                              });
  };
}

double Megabytes(int64_t kb) { return kb / 1024.0; }

// Removes the benchmark's temporary directory however the run ends.
struct TempDir {
  std::string path;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

int Run(const Options& options) {
  const int64_t incidents = options.Pick<int64_t>(1'000, 20'000, 100'000);
  const absl::Duration each = options.Pick(absl::Seconds(1), absl::Seconds(3), absl::Seconds(8));
  const std::vector<int> in_flights = options.Pick<std::vector<int>>({4}, {1, 16}, {1, 16});

  std::string dir_template =
      (std::filesystem::temp_directory_path() / "summary_benchmark.XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    std::perror("summary_benchmark: mkdtemp");
    return 1;
  }
  const TempDir dir{dir_template};
  const std::string db = dir.path + "/amends.db";

  std::printf("Filling a year of one team, %s incidents (set-up, not measured)...\n",
              FormatNumber(incidents).c_str());
  std::fflush(stdout);
  const absl::Time fill_start = absl::Now();
  absl::StatusOr<TeamHistory> history =
      FillTeamHistory(db, {.incidents = incidents, .now = fill_start});
  if (!history.ok()) {
    std::fprintf(stderr, "summary_benchmark: fill: %s\n", history.status().ToString().c_str());
    return 1;
  }
  const double fill_s = absl::ToDoubleSeconds(absl::Now() - fill_start);
  const int64_t db_bytes = DatabaseBytes(db);
  std::printf("Filled in %.1f s (%s changes/s)\n", fill_s,
              FormatNumber(history->events / fill_s).c_str());
  std::fflush(stdout);

  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(db);
  if (!server.ok()) {
    std::fprintf(stderr, "summary_benchmark: %s\n", server.status().ToString().c_str());
    return 1;
  }
  const pid_t pid = (*server)->pid();
  auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::IncidentService::Stub> stub = v1::IncidentService::NewStub(channel);
  Failures failures;
  const StartCall summary = SummaryCalls(*stub, *history, failures);
  const StartCall list = ListCalls(*stub, *history, failures);
  const StartCall get = GetCalls(*stub, *history, failures);

  Report report("summary", options);
  report
      .AddTable("Team",
                {"incidents", "open", "events", "by amends", "events last 7 days",
                 "recurrences", "MB"})
      .Row({history->incidents, history->open, history->events, history->fired,
            history->last_week, history->recurrences, db_bytes / 1e6});

  // One summary as the manager sees it, for the reader to know what was computed.
  v1::TeamSummary seen;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", Bearer(history->manager_token));
    const grpc::Status s = stub->GetSummary(&context, v1::GetSummaryRequest(), &seen);
    if (!s.ok()) failures.Record(absl::StrCat("GetSummary: ", s.error_message()));
  }
  int64_t overdue = 0;
  for (const v1::OverdueCount& o : seen.overdue()) overdue += o.deadlines();
  report
      .AddTable("What the summary said",
                {"open", "overdue deadlines", "approvals waiting", "breaches 7d",
                 "escalated by amends 7d", "recurrences 7d", "answer bytes"})
      .Row({int64_t{seen.open_total().total()}, overdue, int64_t{seen.approvals_waiting()},
            int64_t{seen.breaches()}, int64_t{seen.automatic_escalations()},
            int64_t{seen.recurrences_reported()}, static_cast<int64_t>(seen.ByteSizeLong())});

  Table& table = report.AddTable(
      absl::StrCat("GetSummary beside the read path, one team of ",
                   FormatNumber(history->incidents), " incidents"),
      {"call", "in flight", "calls/s", "p50 ms", "p99 ms", "p99.9 ms", "failed"});
  int64_t failed = 0;
  const auto measure = [&](absl::string_view name, int in_flight, const StartCall& calls) {
    LoadResult r = RunClosedLoop(in_flight, each, calls);
    failed += r.failed;
    table.Row({std::string(name), int64_t{in_flight}, r.PerSecond(), r.latency.Millis(0.5),
               r.latency.Millis(0.99), r.latency.Millis(0.999), r.failed});
  };
  // Unmeasured: brings the pages the calls touch into the server's and the kernel's caches.
  for (const StartCall* calls : {&summary, &list, &get}) {
    failed += RunClosedLoop(4, each / 4, *calls).failed;
  }
  for (int in_flight : in_flights) {
    measure("GetSummary", in_flight, summary);
    measure("ListIncidents team, page of 50", in_flight, list);
    measure("GetIncident", in_flight, get);
  }

  const int64_t hwm = StatusField(pid, "VmHWM");
  report.AddTable("amendsd resident memory", {"when", "VmRSS MB", "VmHWM MB"})
      .Row({std::string("after the runs"), Megabytes(StatusField(pid, "VmRSS")),
            Megabytes(hwm)});
  report.Note(absl::StrFormat(
      "fill (set-up, not measured): %.1f s; the year's reports one every %s, the last 4 weeks' "
      "left at every stage, older ones closed but 1%%",
      fill_s, absl::FormatDuration(absl::Hours(24 * 365) / incidents)));
  report.Note(
      "GetSummary reads every open incident of the team and the events of the last 7 days "
      "(newest first, stopping at the first older one); the other two read one page and one "
      "incident");
  report.Note(absl::StrCat("each run ", absl::FormatDuration(each),
                           " closed loop after an unmeasured warm-up; the load generator shares "
                           "the machine with the server"));
  if (failed > 0 || !failures.first().empty()) {
    report.Note(absl::StrCat("FAIL: ", failed, " calls failed; first: ", failures.first()));
  }
  const absl::Status finished = report.Finish();
  if (const int code = (*server)->Terminate(); code != 0) {
    std::fprintf(stderr, "summary_benchmark: amendsd exited with %d\n", code);
    return 1;
  }
  return finished.ok() && failed == 0 && failures.first().empty() ? 0 : 1;
}

}  // namespace
}  // namespace amends::bench

int main(int argc, char** argv) {
  const amends::bench::Options options = amends::bench::ParseOptions(
      argc, argv, "summary_benchmark",
      "amends summary on one team with a year of history: GetSummary beside ListIncidents and "
      "GetIncident on the same database (calls/s, latency percentiles).");
  return amends::bench::Run(options);
}
