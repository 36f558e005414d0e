// Google Benchmark programs with the common flags and results (report.h).
//
//   int main(int argc, char** argv) {
//     return amends::bench::RunGoogleBenchmarks(argc, argv, "lifecycle", "What it measures");
//   }
//
// Runs every benchmark registered in the binary (BENCHMARK(...)), with the library's console
// output as they go, then one table: each run's name, iterations, real and CPU time per
// iteration, and items/s (state.SetItemsProcessed; "-" when not set).
// --size sets --benchmark_min_time: tiny 0.01 s, quick 0.2 s, full the library's default.
// Any --benchmark_* flag is passed on to the library, after that one, so it may override it.
// Returns the exit code: 1 when a benchmark reported an error or the results could not be
// written.
#ifndef AMENDS_BENCH_SUPPORT_GBENCH_REPORT_H_
#define AMENDS_BENCH_SUPPORT_GBENCH_REPORT_H_

#include "absl/strings/string_view.h"

namespace amends::bench {

int RunGoogleBenchmarks(int argc, char** argv, absl::string_view name, absl::string_view about);

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_GBENCH_REPORT_H_
