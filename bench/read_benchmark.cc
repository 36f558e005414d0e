// read_benchmark: the read path with a large database (issue 6, item 2).
//
//   read_benchmark [--size tiny|quick|full] [--results FILE]
//
// Prefills a database (full: 1,000,000 incidents over 100 teams; quick: 100,000; tiny: 2,000
// over 10), starts the real amendsd on it as a child process, and keeps 1, 16 and 64 calls in
// flight (tiny: 16) of GetIncident (a random incident, asked by its team's member) and of
// ListIncidents (a page of 50 of one team in one state, asked by its member or manager), then
// a page deep into one team's list through its cursor. Prints calls/s, latency percentiles and
// the server's resident memory against the 300 MB target. Any failed call fails the run.
//
// The load generator runs on the same machine as the server and takes its share of the CPU.
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "bench/support/load.h"
#include "bench/support/prefill.h"
#include "bench/support/process_stats.h"
#include "bench/support/report.h"
#include "bench/support/server_process.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace amends::bench {
namespace {

constexpr int kPageSize = 50;
constexpr double kTargetMb = 300;

// Each call's own pseudo-random choices, from its number alone: the driver starts calls from
// several threads, which then share no generator (splitmix64).
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

// Completes a call: a failed status or a wrong answer counts as failed.
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

StartCall GetIncidentCalls(v1::IncidentService::Stub& stub, const Population& population,
                           Failures& failures) {
  return [&stub, &population, &failures](int64_t n, Done done) {
    const int64_t id = 1 + static_cast<int64_t>(Mix(n) % population.incidents);
    const Population::TeamUsers& team = population.teams[(id - 1) % population.teams.size()];
    auto* call = new Call<v1::GetIncidentRequest, v1::Incident>;
    call->context.AddMetadata("authorization", Bearer(team.member_token));
    call->request.set_id(id);
    stub.async()->GetIncident(&call->context, &call->request, &call->response,
                              [call, id, &failures, done](grpc::Status s) {
                                Finish(call, s, call->response.id() == id, failures, done);
                              });
  };
}

// Pages of one team in one state, each call its own team, state and caller.
StartCall ListIncidentsCalls(v1::IncidentService::Stub& stub, const Population& population,
                             Failures& failures, std::atomic<int64_t>& rows) {
  return [&stub, &population, &failures, &rows](int64_t n, Done done) {
    const uint64_t r = Mix(n);
    const Population::TeamUsers& team = population.teams[r % population.teams.size()];
    auto* call = new Call<v1::ListIncidentsRequest, v1::ListIncidentsResponse>;
    call->context.AddMetadata("authorization", Bearer((r >> 32) % 2 == 0 ? team.member_token
                                                                         : team.manager_token));
    call->request.set_team(team.team);
    call->request.set_state(
        static_cast<v1::State>(v1::STATE_REPORTED + (r >> 40) % v1::STATE_CLOSED));
    call->request.set_page_size(kPageSize);
    stub.async()->ListIncidents(&call->context, &call->request, &call->response,
                                [call, &failures, &rows, done](grpc::Status s) {
                                  rows += call->response.incidents_size();
                                  Finish(call, s, true, failures, done);
                                });
  };
}

// A page ~90% of the way down a team's list, reached by following the cursors from the top.
struct DeepPage {
  const Population::TeamUsers* team;
  std::string token;
  int page;  // from 1
};

absl::StatusOr<std::vector<DeepPage>> FindDeepPages(v1::IncidentService::Stub& stub,
                                                    const Population& population, int teams) {
  const int64_t per_team = population.incidents / population.teams.size();
  const int depth = std::max<int>(1, per_team * 9 / 10 / kPageSize);
  std::vector<DeepPage> pages;
  for (int t = 0; t < teams; ++t) {
    DeepPage deep{&population.teams[t], "", 1};
    while (deep.page <= depth) {
      grpc::ClientContext context;
      context.AddMetadata("authorization", Bearer(deep.team->member_token));
      v1::ListIncidentsRequest request;
      request.set_team(deep.team->team);
      request.set_page_size(kPageSize);
      request.set_page_token(deep.token);
      v1::ListIncidentsResponse response;
      if (grpc::Status s = stub.ListIncidents(&context, request, &response); !s.ok()) {
        return absl::InternalError(absl::StrCat("paging ", deep.team->team, ": ",
                                                s.error_message()));
      }
      if (response.next_page_token().empty()) break;
      deep.token = response.next_page_token();
      ++deep.page;
    }
    pages.push_back(std::move(deep));
  }
  return pages;
}

StartCall DeepPageCalls(v1::IncidentService::Stub& stub, const std::vector<DeepPage>& pages,
                        Failures& failures) {
  return [&stub, &pages, &failures](int64_t n, Done done) {
    const DeepPage& page = pages[Mix(n) % pages.size()];
    auto* call = new Call<v1::ListIncidentsRequest, v1::ListIncidentsResponse>;
    call->context.AddMetadata("authorization", Bearer(page.team->member_token));
    call->request.set_team(page.team->team);
    call->request.set_page_size(kPageSize);
    call->request.set_page_token(page.token);
    stub.async()->ListIncidents(&call->context, &call->request, &call->response,
                                [call, &failures, done](grpc::Status s) {
                                  Finish(call, s, call->response.incidents_size() > 0, failures,
                                         done);
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
  const int teams = options.Pick(10, 100, 100);
  const int64_t incidents = options.Pick<int64_t>(2'000, 100'000, 1'000'000);
  const absl::Duration each = options.Pick(absl::Seconds(1), absl::Seconds(3), absl::Seconds(8));
  const std::vector<int> in_flights = options.Pick<std::vector<int>>({16}, {1, 16, 64}, {1, 16, 64});

  std::string dir_template =
      (std::filesystem::temp_directory_path() / "read_benchmark.XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    std::perror("read_benchmark: mkdtemp");
    return 1;
  }
  const TempDir dir{dir_template};
  const std::string db = dir.path + "/amends.db";

  std::printf("Prefilling %s incidents over %d teams (set-up, not measured)...\n",
              FormatNumber(incidents).c_str(), teams);
  std::fflush(stdout);
  const absl::Time prefill_start = absl::Now();
  absl::StatusOr<Population> population = Prefill(db, teams, incidents);
  if (!population.ok()) {
    std::fprintf(stderr, "read_benchmark: prefill: %s\n", population.status().ToString().c_str());
    return 1;
  }
  const double prefill_s = absl::ToDoubleSeconds(absl::Now() - prefill_start);
  const int64_t db_bytes = DatabaseBytes(db);
  std::printf("Prefilled in %.1f s (%s incidents/s, %s changes/s)\n", prefill_s,
              FormatNumber(incidents / prefill_s).c_str(),
              FormatNumber(population->events / prefill_s).c_str());
  std::fflush(stdout);

  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(db);
  if (!server.ok()) {
    std::fprintf(stderr, "read_benchmark: %s\n", server.status().ToString().c_str());
    return 1;
  }
  const double start_s = absl::ToDoubleSeconds(absl::Now() - start);
  const pid_t pid = (*server)->pid();
  const int64_t rss_started = StatusField(pid, "VmRSS");
  const int64_t hwm_started = StatusField(pid, "VmHWM");

  auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::IncidentService::Stub> stub = v1::IncidentService::NewStub(channel);
  Failures failures;
  std::atomic<int64_t> rows{0};
  const StartCall get = GetIncidentCalls(*stub, *population, failures);
  const StartCall list = ListIncidentsCalls(*stub, *population, failures, rows);

  Report report("read", options);
  report.AddTable("Database", {"teams", "incidents", "events", "MB", "bytes/incident"})
      .Row({int64_t{teams}, population->incidents, population->events, db_bytes / 1e6,
            static_cast<double>(db_bytes) / population->incidents});
  Table& table = report.AddTable(
      absl::StrCat("Read path, ", FormatNumber(population->incidents), " incidents"),
      {"call", "in flight", "calls/s", "p50 ms", "p99 ms", "p99.9 ms", "failed"});
  int64_t failed = 0;
  const auto measure = [&](absl::string_view name, int in_flight, const StartCall& calls) {
    LoadResult r = RunClosedLoop(in_flight, each, calls);
    failed += r.failed;
    table.Row({std::string(name), int64_t{in_flight}, r.PerSecond(), r.latency.Millis(0.5),
               r.latency.Millis(0.99), r.latency.Millis(0.999), r.failed});
    return r.ok;
  };

  // Unmeasured: brings the pages the calls touch into the server's and the kernel's caches.
  failed += RunClosedLoop(16, each / 4, get).failed + RunClosedLoop(16, each / 4, list).failed;
  rows = 0;
  for (int in_flight : in_flights) measure("GetIncident", in_flight, get);
  int64_t list_calls = 0;
  for (int in_flight : in_flights) {
    list_calls += measure("ListIncidents team+state", in_flight, list);
  }
  const int deep_teams = std::min<int>(8, teams);
  absl::StatusOr<std::vector<DeepPage>> deep = FindDeepPages(*stub, *population, deep_teams);
  if (!deep.ok()) {
    failed += 1;
    failures.Record(deep.status().message());
  } else {
    const int64_t pages = (incidents / teams + kPageSize - 1) / kPageSize;
    measure(absl::StrCat("ListIncidents team, page ", deep->front().page, " of ", pages,
                         " (cursor)"),
            16,
            DeepPageCalls(*stub, *deep, failures));
  }

  const int64_t rss_after = StatusField(pid, "VmRSS");
  const int64_t hwm_after = StatusField(pid, "VmHWM");
  report.AddTable("amendsd resident memory", {"when", "VmRSS MB", "VmHWM MB"})
      .Row({std::string("after start-up"), Megabytes(rss_started), Megabytes(hwm_started)})
      .Row({std::string("after the runs"), Megabytes(rss_after), Megabytes(hwm_after)});
  const bool memory_met = hwm_after > 0 && Megabytes(hwm_after) < kTargetMb;
  report.Note(absl::StrFormat("target: under %.0f MB resident: %s (peak VmHWM %.1f MB)",
                              kTargetMb, memory_met ? "met" : "missed", Megabytes(hwm_after)));
  report.Note(absl::StrFormat(
      "prefill (set-up, not measured): %.1f s, %.0f incidents/s; amendsd start-up %.2f s",
      prefill_s, incidents / prefill_s, start_s));
  if (list_calls > 0) {
    report.Note(absl::StrFormat("ListIncidents team+state pages held %.1f incidents on average",
                                static_cast<double>(rows.load()) / list_calls));
  }
  report.Note(absl::StrCat("each run ", absl::FormatDuration(each),
                           " closed loop after an unmeasured warm-up; the load generator shares "
                           "the machine with the server"));
  if (failed > 0) {
    report.Note(absl::StrCat("FAIL: ", failed, " calls failed; first: ", failures.first()));
  }
  const absl::Status finished = report.Finish();
  if (const int code = (*server)->Terminate(); code != 0) {
    std::fprintf(stderr, "read_benchmark: amendsd exited with %d\n", code);
    return 1;
  }
  return finished.ok() && failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace amends::bench

int main(int argc, char** argv) {
  const amends::bench::Options options = amends::bench::ParseOptions(
      argc, argv, "read_benchmark",
      "The read path with a large database: GetIncident and ListIncidents against amendsd "
      "(calls/s, latency percentiles) and the server's resident memory.");
  return amends::bench::Run(options);
}
