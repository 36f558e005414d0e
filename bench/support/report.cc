#include "bench/support/report.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "nlohmann/json.hpp"
#include "utf8proc.h"

namespace amends::bench {
namespace {

constexpr absl::string_view kSizeNames[] = {"tiny", "quick", "full"};

// "1234567" -> "1,234,567"; digits only.
std::string GroupThousands(absl::string_view digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Terminal columns: cells may hold Japanese, two columns a character.
size_t Width(absl::string_view text) {
  size_t width = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  for (size_t i = 0; i < text.size();) {
    utf8proc_int32_t c = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(bytes + i, text.size() - i, &c);
    width += n > 0 ? utf8proc_charwidth(c) : 1;
    i += n > 0 ? n : 1;
  }
  return width;
}

std::string Pad(absl::string_view text, size_t width, bool right) {
  const std::string fill(width > Width(text) ? width - Width(text) : 0, ' ');
  return right ? absl::StrCat(fill, text) : absl::StrCat(text, fill);
}

nlohmann::json ToJson(const Cell& cell) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, cell);
}

// The value of the first "KEY : value" line of a file such as /proc/cpuinfo; empty if none.
std::string FieldOf(const std::string& path, absl::string_view key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, key)) continue;
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (absl::ConsumePrefix(&rest, ":")) return std::string(absl::StripAsciiWhitespace(rest));
  }
  return "";
}

nlohmann::json Machine() {
  struct utsname uts = {};
  uname(&uts);
  return {{"cpus", std::thread::hardware_concurrency()},
          {"cpu_model", FieldOf("/proc/cpuinfo", "model name")},
          {"kernel", uts.release}};
}

// Read, append, write aside and rename: a crash leaves the old file or the new one.
absl::Status AppendRun(const std::filesystem::path& path, nlohmann::json run) {
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", path.parent_path().string(), ": ", error.message()));
  }
  nlohmann::json runs = nlohmann::json::array();
  if (std::ifstream in(path); in) {
    runs = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!runs.is_array()) {
      return absl::FailedPreconditionError(
          absl::StrCat(path.string(), " is not a JSON array of runs; left as it is"));
    }
  }
  runs.push_back(std::move(run));
  const std::string temporary = absl::StrCat(path.string(), ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    // Replaces invalid UTF-8 rather than throwing: a cell is whatever a benchmark put in it.
    out << runs.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!out.flush()) return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  std::filesystem::rename(temporary, path, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", temporary, ": ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace

// gRPC 1.51 runs the callback API on a completion queue and threads that its channels share,
// and tears them down when the last channel that used them goes. A benchmark's next phase then
// raced that teardown (a crash in grpc_completion_queue_next on the "nexting_thread"). A channel
// that made one callback call and is never destroyed keeps them up for the whole program.
namespace {

void KeepCallbackQueueUp() {
  static auto* channel =
      new std::shared_ptr<grpc::Channel>(grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
  static auto* stub = new grpc::GenericStub(*channel);
  static auto* context = new grpc::ClientContext();
  static grpc::Slice empty("");
  static auto* request = new grpc::ByteBuffer(&empty, 1);
  static auto* response = new grpc::ByteBuffer();
  absl::Notification done;
  context->set_deadline(std::chrono::system_clock::now());
  stub->UnaryCall(context, "/keep.Alive/Call", grpc::StubOptions(), request, response,
                  [&done](const grpc::Status&) { done.Notify(); });
  done.WaitForNotification();
}

}  // namespace

Options ParseOptions(int argc, char** argv, absl::string_view name, absl::string_view about) {
  KeepCallbackQueueUp();
  CLI::App app{std::string(about), std::string(name)};
  std::string size = "full";
  Options options;
  app.add_option("--size", size,
                 "tiny: seconds, for the smoke test; quick: under two minutes; full: the "
                 "issue's scale")
      ->check(CLI::IsMember({"tiny", "quick", "full"}))
      ->capture_default_str();
  app.add_option("--results", options.results,
                 "append this run's figures to FILE, a JSON array of runs (created if missing)")
      ->type_name("FILE");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e));
  }
  options.size = size == "tiny" ? Size::kTiny : size == "quick" ? Size::kQuick : Size::kFull;
  return options;
}

std::string FormatNumber(const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  if (const auto* n = std::get_if<int64_t>(&cell)) {
    const std::string digits = absl::StrCat(*n);
    const bool negative = digits[0] == '-';
    return absl::StrCat(negative ? "-" : "",
                        GroupThousands(absl::string_view(digits).substr(negative ? 1 : 0)));
  }
  const double v = std::get<double>(cell);
  if (!std::isfinite(v)) return "-";
  const double magnitude = std::fabs(v);
  if (magnitude >= 99.95) {  // 99.96 prints 100.0, not 100
    std::string fixed = absl::StrFormat("%.1f", magnitude);
    const size_t dot = fixed.find('.');
    return absl::StrCat(v < 0 ? "-" : "", GroupThousands(fixed.substr(0, dot)),
                        fixed.substr(dot));
  }
  // Three significant digits below 100, trailing zeros dropped: 45.6, 2.41, 0.00123.
  const int decimals =
      magnitude == 0 ? 0 : std::min(9, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
  std::string out = absl::StrFormat("%.*f", decimals, v);
  if (absl::StrContains(out, '.')) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out == "-0" ? "0" : out;
}

Table::Table(std::string title, std::vector<std::string> columns)
    : title_(std::move(title)), columns_(std::move(columns)) {}

Table& Table::Row(std::vector<Cell> cells) {
  if (cells.size() != columns_.size()) {
    std::fprintf(stderr, "table \"%s\": a row of %zu cells for %zu columns\n", title_.c_str(),
                 cells.size(), columns_.size());
    std::abort();
  }
  rows_.push_back(std::move(cells));
  return *this;
}

std::string Table::Format() const {
  std::vector<size_t> width(columns_.size());
  std::vector<bool> numeric(columns_.size(), false);
  std::vector<std::vector<std::string>> text;
  for (size_t c = 0; c < columns_.size(); ++c) width[c] = Width(columns_[c]);
  for (const std::vector<Cell>& row : rows_) {
    std::vector<std::string>& line = text.emplace_back();
    for (size_t c = 0; c < row.size(); ++c) {
      line.push_back(FormatNumber(row[c]));
      width[c] = std::max(width[c], Width(line.back()));
      numeric[c] = numeric[c] || !std::holds_alternative<std::string>(row[c]);
    }
  }
  auto format_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      absl::StrAppend(&line, c > 0 ? "  " : "", Pad(cells[c], width[c], numeric[c]));
    }
    absl::StripTrailingAsciiWhitespace(&line);
    return absl::StrCat(line, "\n");
  };
  std::string out = absl::StrCat("== ", title_, " ==\n", format_line(columns_));
  for (const std::vector<std::string>& line : text) absl::StrAppend(&out, format_line(line));
  return out;
}

Report::Report(std::string benchmark, Options options)
    : benchmark_(std::move(benchmark)), options_(std::move(options)) {}

Table& Report::AddTable(std::string title, std::vector<std::string> columns) {
  return tables_.emplace_back(std::move(title), std::move(columns));
}

void Report::Note(std::string line) { notes_.push_back(std::move(line)); }

absl::Status Report::Finish() {
  for (const Table& table : tables_) std::cout << "\n" << table.Format();
  if (!notes_.empty()) std::cout << "\n";
  for (const std::string& note : notes_) std::cout << note << "\n";
  std::cout << std::flush;
  if (options_.results.empty()) return absl::OkStatus();

  nlohmann::json run = {
      {"benchmark", benchmark_},
      {"size", kSizeNames[static_cast<int>(options_.size)]},
      {"time", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone())},
      {"machine", Machine()},
      {"tables", nlohmann::json::array()},
      {"notes", notes_}};
  for (const Table& table : tables_) {
    nlohmann::json rows = nlohmann::json::array();
    for (const std::vector<Cell>& row : table.rows()) {
      nlohmann::json& cells = rows.emplace_back(nlohmann::json::array());
      for (const Cell& cell : row) cells.push_back(ToJson(cell));
    }
    run["tables"].push_back(
        {{"title", table.title()}, {"columns", table.columns()}, {"rows", std::move(rows)}});
  }

  const absl::Status appended = AppendRun(options_.results, std::move(run));
  if (!appended.ok()) {
    std::cerr << benchmark_ << ": " << appended.message() << "\n";
  } else {
    std::cout << "results appended to " << options_.results << "\n";
  }
  return appended;
}

}  // namespace amends::bench
