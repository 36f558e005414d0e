#include "client/display.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "client/utf8_text.h"

namespace amends::cli {

namespace {

std::string Fit(absl::string_view text, int max_width) {
  return max_width == Table::kNoLimit ? std::string(text) : TruncateToWidth(text, max_width);
}

}  // namespace

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<std::string> cells) {
  std::vector<std::string> row;
  row.reserve(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    const std::string cell = i < cells.size() ? OneLine(cells[i]) : "";
    row.push_back(Fit(cell, columns_[i].max_width));
  }
  rows_.push_back(std::move(row));
}

std::string Table::Render() const {
  std::vector<std::string> header;
  std::vector<int> widths;
  for (const Column& column : columns_) {
    header.push_back(Fit(column.header, column.max_width));
    widths.push_back(DisplayWidth(header.back()));
  }
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  auto render_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line.append(2, ' ');
      line += cells[i];
      line.append(static_cast<size_t>(widths[i] - DisplayWidth(cells[i])), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);  // npos + 1 == 0: an all-blank line
    absl::StrAppend(&out, line, "\n");
  };
  render_line(header);
  for (const auto& row : rows_) render_line(row);
  return out;
}

std::string RelativeHint(absl::Duration from_now) {
  const int64_t s = std::abs(absl::ToInt64Seconds(from_now));
  if (s < 60) return "just now";
  std::string amount;
  if (const int64_t m = (s + 30) / 60; m < 60) {
    amount = absl::StrCat(m, "m");
  } else if (const int64_t h = (s + 1800) / 3600; h < 24) {
    amount = absl::StrCat(h, "h");
  } else {
    amount = absl::StrCat((s + 43200) / 86400, "d");
  }
  return from_now > absl::ZeroDuration() ? absl::StrCat("in ", amount)
                                         : absl::StrCat(amount, " ago");
}

std::string FormatTime(absl::Time t, absl::TimeZone zone, absl::Time now) {
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", t, zone), " (",
                      RelativeHint(t - now), ")");
}

}  // namespace amends::cli
