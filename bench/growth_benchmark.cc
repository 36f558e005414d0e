// Growth (issue 6, item 3): does writing get slower as incidents accumulate?
//
//   growth_benchmark [--size tiny|quick|full] [--results FILE]
//
// For each size (full: 10,000, 100,000 and 1,000,000 incidents already stored; quick: 10,000
// and 100,000; tiny: 1,000 and 5,000), set-up not measured: Prefill writes a database of that
// many realistic incidents over 16 teams (bench/support/prefill.h), and its size on disk
// (the file after the store closed, which checkpoints the WAL, plus any -wal) gives the bytes
// per incident. Then amendsd starts on it and the realistic write mix (write_mix.h) runs at 64
// calls in flight for 1 s (tiny), 4 s (quick) or 8 s (full) after a 1 s warm-up: changes/s
// and p50/p99 per call. The note compares the cost per change (1 / throughput) at the largest
// and smallest sizes with what flat and logarithmic growth would give.
#include <stdlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "bench/support/common.h"
#include "bench/support/load.h"
#include "bench/support/prefill.h"
#include "bench/support/process_stats.h"
#include "bench/support/report.h"
#include "bench/support/server_process.h"
#include "bench/support/write_mix.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace amends::bench {
namespace {

constexpr int kTeams = 16;
constexpr int kInFlight = 64;
constexpr int kConnections = 4;

struct Point {
  int64_t stored = 0;
  double bytes_per_incident = 0;
  double prefill_seconds = 0;
  LoadResult load;
  double server_cpu = 0;
  std::string errors;
};

Point Measure(const std::string& dir, int64_t incidents, absl::Duration duration) {
  Point point;
  const std::string path = absl::StrCat(dir, "/stored-", incidents, ".db");
  const absl::Time prefill_start = absl::Now();
  Population population = Check(Prefill(path, kTeams, incidents), "prefill");
  point.prefill_seconds = absl::ToDoubleSeconds(absl::Now() - prefill_start);
  point.stored = population.incidents;
  point.bytes_per_incident =
      static_cast<double>(DatabaseBytes(path)) / static_cast<double>(population.incidents);

  std::unique_ptr<ServerProcess> server = Check(ServerProcess::Start(path), "start amendsd");
  std::vector<std::unique_ptr<v1::IncidentService::Stub>> stubs;
  for (int i = 0; i < kConnections; ++i) {
    stubs.push_back(v1::IncidentService::NewStub(OwnChannel(server->address(), i)));
  }
  WriteMix mix(population.teams, kInFlight);
  StartCall start = [&](int64_t n, Done done) {
    mix.StartGrpc(*stubs[n % kConnections], std::move(done));
  };
  RunClosedLoop(kInFlight, absl::Seconds(1), start);
  const double cpu = CpuSeconds(server->pid());
  point.load = RunClosedLoop(kInFlight, duration, start);
  point.server_cpu = CpuSeconds(server->pid()) - cpu;
  point.errors = mix.errors();
  std::string printed;
  if (int code = server->Terminate(&printed); code != 0) {
    Die(absl::StrCat("amendsd exited with ", code, ": ", printed));
  }
  std::filesystem::remove(path);
  return point;
}

// Whether the cost per change from the smallest to the largest size stays flat, grows at most
// as log(stored) would make it, or grows faster.
std::string Verdict(Point& small, Point& large) {
  const double cost_ratio = small.load.PerSecond() / large.load.PerSecond();
  const double log_ratio = std::log(static_cast<double>(large.stored)) /
                           std::log(static_cast<double>(small.stored));
  const double size_ratio = static_cast<double>(large.stored) / small.stored;
  // 10%: what two runs of the same size differ by on a shared machine.
  const char* verdict = cost_ratio <= 1.10              ? "flat"
                        : cost_ratio <= log_ratio * 1.1 ? "at most logarithmic"
                                                        : "faster than logarithmic";
  return absl::StrFormat(
      "Cost per change at %s stored vs %s stored (%.0fx the incidents): %.2fx (throughput %.0f "
      "-> %.0f changes/s; p99 %.2f -> %.2f ms). Flat would be 1x, logarithmic %.2fx, linear "
      "%.0fx: %s.",
      FormatNumber(large.stored), FormatNumber(small.stored), size_ratio, cost_ratio, small.load.PerSecond(),
      large.load.PerSecond(), small.load.latency.Millis(0.99), large.load.latency.Millis(0.99),
      log_ratio, size_ratio, verdict);
}

int Main(const Options& options) {
  const std::vector<int64_t> sizes = options.Pick<std::vector<int64_t>>(
      {1'000, 5'000}, {10'000, 100'000}, {10'000, 100'000, 1'000'000});
  const absl::Duration duration =
      options.Pick(absl::Seconds(1), absl::Seconds(4), absl::Seconds(8));
  char dir_template[] = "/tmp/growth_benchmark-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) Die("mkdtemp");
  const std::string dir = dir_template;

  Report report("growth", options);
  Table& table = report.AddTable(
      absl::StrCat("Growth: the write mix at ", kInFlight,
                   " in flight against amendsd with incidents already stored"),
      {"incidents stored", "changes/s", "p50 ms", "p99 ms", "p99.9 ms", "failed",
       "server CPU s", "DB bytes / incident", "prefill s"});
  std::vector<Point> points;
  for (int64_t incidents : sizes) {
    Point p = Measure(dir, incidents, duration);
    table.Row({p.stored, p.load.PerSecond(), p.load.latency.Millis(0.5),
               p.load.latency.Millis(0.99), p.load.latency.Millis(0.999), p.load.failed,
               p.server_cpu, p.bytes_per_incident, p.prefill_seconds});
    if (!p.errors.empty()) {
      report.Note(absl::StrCat(p.stored, " stored: errors: ", p.errors));
    }
    points.push_back(std::move(p));
  }
  report.Note(Verdict(points.front(), points.back()));
  report.Note(
      "DB bytes / incident: the prefilled file (checkpointed, -wal included) over the incidents "
      "in it, timelines and indexes included; prefill time is set-up, not measured.");
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return report.Finish().ok() ? 0 : 1;
}

}  // namespace
}  // namespace amends::bench

int main(int argc, char** argv) {
  const amends::bench::Options options = amends::bench::ParseOptions(
      argc, argv, "growth_benchmark",
      "Growth: write throughput and p99 with 10 thousand, 100 thousand and 1 million "
      "incidents already stored, and database bytes per incident.");
  return amends::bench::Main(options);
}
