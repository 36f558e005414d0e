#include "bench/support/gbench_report.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/support/report.h"

namespace amends::bench {
namespace {

// The console output as the runs finish, and a table row for each.
class TableReporter : public benchmark::ConsoleReporter {
 public:
  TableReporter(Table& table, Report& report)
      : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular),
        table_(table),
        report_(report) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) {
        report_.Note(absl::StrCat(run.benchmark_name(), ": ERROR ", run.error_message));
        ++errors_;
        continue;
      }
      const double to_micros =
          1e6 / benchmark::GetTimeUnitMultiplier(run.time_unit);  // unit -> µs
      const auto items = run.counters.find("items_per_second");
      table_.Row({run.benchmark_name(), static_cast<int64_t>(run.iterations),
                  run.GetAdjustedRealTime() * to_micros, run.GetAdjustedCPUTime() * to_micros,
                  items == run.counters.end() ? std::numeric_limits<double>::quiet_NaN()
                                              : items->second.value});
    }
  }

  int errors() const { return errors_; }

 private:
  Table& table_;
  Report& report_;
  int errors_ = 0;
};

}  // namespace

int RunGoogleBenchmarks(int argc, char** argv, absl::string_view name, absl::string_view about) {
  std::vector<char*> ours = {argv[0]};
  std::vector<char*> library = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    (absl::StartsWith(argv[i], "--benchmark_") ? library : ours).push_back(argv[i]);
  }
  const Options options =
      ParseOptions(static_cast<int>(ours.size()), ours.data(), absl::StrCat(name, "_benchmark"),
                   absl::StrCat(about, "\nAny --benchmark_* flag is passed on to the library."));
  std::string min_time =
      absl::StrCat("--benchmark_min_time=", options.Pick<double>(0.01, 0.2, 0));
  if (options.size != Size::kFull) library.insert(library.begin() + 1, min_time.data());
  int library_argc = static_cast<int>(library.size());
  benchmark::Initialize(&library_argc, library.data());
  if (benchmark::ReportUnrecognizedArguments(library_argc, library.data())) return 1;

  Report report(std::string(name), options);
  Table& table = report.AddTable(
      absl::StrCat(name, " (Google Benchmark)"),
      {"benchmark", "iterations", "real µs/iteration", "CPU µs/iteration", "items/s"});
  TableReporter reporter(table, report);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const bool written = report.Finish().ok();
  return written && reporter.errors() == 0 ? 0 : 1;
}

}  // namespace amends::bench
