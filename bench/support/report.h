// Report: a benchmark's figures, printed as aligned tables and appended to a results file.
//
//   int main(int argc, char** argv) {
//     amends::bench::Options options = amends::bench::ParseOptions(argc, argv, "write_benchmark",
//                                                                   "The write path ...");
//     amends::bench::Report report("write", options);
//     amends::bench::Table& table = report.AddTable("Write path", {"in flight", "changes/s"});
//     table.Row({int64_t{64}, 17'500.0});
//     report.Note("ceiling: transport");
//     return report.Finish().ok() ? 0 : 1;
//   }
//
// Every benchmark binary takes the same flags (ParseOptions):
//   --size tiny|quick|full   tiny: seconds, for the ctest smoke test; quick: each under two
//                            minutes (./scripts/bench --quick); full (default): the scale.
//   --results FILE           append this run's figures to FILE, a JSON array of runs (created if
//                            missing); without it the tables are only printed.
// A run in the results file is one object:
//   {"benchmark": "write", "size": "quick", "time": "2026-11-25T05:00:00Z",
//    "machine": {"cpus": 2, "cpu_model": "...", "kernel": "..."},
//    "tables": [{"title": "...", "columns": [...], "rows": [[...], ...]}], "notes": ["..."]}
// Numbers stay numbers in JSON (full precision); the printed table formats them for reading.
//
// Thread-safety: none; fill a report from one thread.
#ifndef AMENDS_BENCH_SUPPORT_REPORT_H_
#define AMENDS_BENCH_SUPPORT_REPORT_H_

#include <cstdint>
#include <deque>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace amends::bench {

enum class Size { kTiny, kQuick, kFull };

struct Options {
  Size size = Size::kFull;
  std::string results;  // empty: print only
  // Picks the value for this run's size.
  template <typename T>
  T Pick(T tiny, T quick, T full) const {
    return size == Size::kTiny ? tiny : size == Size::kQuick ? quick : full;
  }
};

// Parses the common flags with CLI11; prints help or the error and exits on --help or bad input.
// Also keeps gRPC initialised for the life of the program (see report.cc).
Options ParseOptions(int argc, char** argv, absl::string_view name, absl::string_view about);

// A cell: text, a count or a measurement. Doubles print with at most 3 significant decimals
// (1 decimal at 100 and above, thousands grouped), integers with thousands grouped. A NaN
// prints "-" and is null in JSON: for a figure that does not apply to that row.
using Cell = std::variant<std::string, int64_t, double>;

class Table {
 public:
  Table(std::string title, std::vector<std::string> columns);
  // One cell per column (a mismatch is a bug in the benchmark: aborts with a message).
  Table& Row(std::vector<Cell> cells);

  const std::string& title() const { return title_; }
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::vector<Cell>>& rows() const { return rows_; }
  // The table, aligned, with its title above it.
  std::string Format() const;

 private:
  std::string title_;
  std::vector<std::string> columns_;
  std::vector<std::vector<Cell>> rows_;
};

class Report {
 public:
  Report(std::string benchmark, Options options);

  // Tables keep their address for the life of the report.
  Table& AddTable(std::string title, std::vector<std::string> columns);
  // A line of text printed after the tables and kept in the results (a ceiling's meaning, a
  // PASS/FAIL check, a caveat).
  void Note(std::string line);

  // Prints every table and note to stdout, then appends the run to options.results if set
  // (read, append, write to a temporary file and rename, so a crash never leaves half a file).
  // An error is also printed on stderr, so that callers may just exit non-zero.
  absl::Status Finish();

 private:
  std::string benchmark_;
  Options options_;
  std::deque<Table> tables_;
  std::vector<std::string> notes_;
};

// Formats a number the way the tables do ("17,532", "2.41", "1,234.5").
std::string FormatNumber(const Cell& cell);

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_REPORT_H_
