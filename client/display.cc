#include "client/display.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/substitute.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "client/i18n.h"
#include "client/utf8_text.h"

namespace amends::cli {

Table::Table(std::vector<Column> columns, int width)
    : columns_(std::move(columns)), width_(width) {}

std::string Table::Fit(absl::string_view text, const Column& column) const {
  if (width_ == kWideOutput || column.max_width == kNoLimit) return std::string(text);
  return TruncateToWidth(text, column.max_width);
}

void Table::AddRow(std::vector<std::string> cells) {
  std::vector<std::string> row;
  row.reserve(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    row.push_back(Fit(i < cells.size() ? OneLine(cells[i]) : "", columns_[i]));
  }
  rows_.push_back(std::move(row));
}

std::string Table::Render() const { return Render(/*with_header=*/true, ""); }

std::string Table::RenderRows(absl::string_view indent) const {
  return Render(/*with_header=*/false, indent);
}

std::string Table::Render(bool with_header, absl::string_view indent) const {
  std::vector<std::string> header;
  std::vector<int> widths;
  for (const Column& column : columns_) {
    header.push_back(Fit(column.header, column));
    widths.push_back(with_header ? DisplayWidth(header.back()) : 0);
  }
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::vector<bool> shown(widths.size(), true);
  if (width_ > 0) {
    // Narrow the free-text columns, the widest first, until the longest line fits; when they
    // cannot give enough, leave out the columns that may go, in their order, first.
    std::vector<int> least(widths.size());
    for (size_t i = 0; i < columns_.size(); ++i) {
      const int header_width = with_header ? DisplayWidth(header[i]) : 0;
      least[i] = columns_[i].free_text
                     ? std::min(widths[i], std::max(kMinFreeTextWidth, header_width))
                     : widths[i];
    }
    auto excess_with = [&](const std::vector<int>& w) {
      int excess = DisplayWidth(indent) - width_ - 2;
      for (size_t i = 0; i < w.size(); ++i) excess += shown[i] ? w[i] + 2 : 0;
      return excess;
    };
    for (int order = 1; excess_with(least) > 0; ++order) {
      bool any = false, left = false;
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i].drop_order == order) {
          shown[i] = false;
          any = true;
        }
        left = left || columns_[i].drop_order > order;
      }
      if (!any && !left) break;  // nothing more may go
    }
    int excess = excess_with(widths);
    while (excess > 0) {
      size_t widest = widths.size();
      for (size_t i = 0; i < widths.size(); ++i) {
        if (shown[i] && widths[i] > least[i] &&
            (widest == widths.size() || widths[i] > widths[widest])) {
          widest = i;
        }
      }
      if (widest == widths.size()) break;  // nothing left to give
      --widths[widest];
      --excess;
    }
  }
  std::string out;
  auto render_line = [&](const std::vector<std::string>& cells) {
    std::string line(indent);
    bool first = true;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (!shown[i]) continue;
      if (!std::exchange(first, false)) line.append(2, ' ');
      const std::string cell =
          columns_[i].free_text ? TruncateToWidth(cells[i], widths[i]) : cells[i];
      line += cell;
      line.append(static_cast<size_t>(std::max(0, widths[i] - DisplayWidth(cell))), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);  // npos + 1 == 0: an all-blank line
    absl::StrAppend(&out, line, "\n");
  };
  if (with_header) render_line(header);
  for (const auto& row : rows_) render_line(row);
  return out;
}

std::string RoundedDuration(absl::Duration d) {
  const int64_t s = std::abs(absl::ToInt64Seconds(d));
  if (const int64_t m = (s + 30) / 60; m < 60) return absl::Substitute(Tr("$0m"), m);
  if (const int64_t h = (s + 1800) / 3600; h < 24) return absl::Substitute(Tr("$0h"), h);
  return absl::Substitute(Tr("$0d"), (s + 43200) / 86400);
}

std::string RelativeHint(absl::Duration from_now) {
  if (absl::AbsDuration(from_now) < absl::Minutes(1)) return Tr("just now");
  return absl::Substitute(from_now > absl::ZeroDuration() ? Tr("in $0") : Tr("$0 ago"),
                          RoundedDuration(from_now));
}

std::string DueHint(absl::Duration left) {
  if (absl::AbsDuration(left) < absl::Minutes(1)) return Tr("due now");
  return absl::Substitute(left > absl::ZeroDuration() ? Tr("in $0") : Tr("overdue by $0"),
                          RoundedDuration(left));
}

std::string FormatDue(absl::Time due, absl::TimeZone zone, absl::Time now) {
  return absl::StrCat(FormatDateTime(due, zone), " (", DueHint(due - now), ")");
}

std::string CompactDuration(absl::Duration d) {
  const int64_t minutes = (std::abs(absl::ToInt64Seconds(d)) + 30) / 60;
  const int64_t days = minutes / (24 * 60);
  const int64_t hours = minutes / 60 % 24;
  const int64_t mins = minutes % 60;
  // "1d 3h" (1日3時間): the units of RoundedDuration, the larger first.
  auto two_units = [](int64_t big, const char* big_unit, int64_t small, const char* small_unit) {
    const std::string first = absl::Substitute(big_unit, big);
    return small == 0 ? first
                      : absl::Substitute(Tr("$0 $1"), first, absl::Substitute(small_unit, small));
  };
  if (days > 0) return two_units(days, Tr("$0d"), hours, Tr("$0h"));
  if (hours > 0) return two_units(hours, Tr("$0h"), mins, Tr("$0m"));
  return absl::Substitute(Tr("$0m"), mins);
}

namespace {

// Not strftime's %a, which follows the locale: amends' own names, in its language (three
// ASCII letters in English, 月 to 日 in Japanese).
const char* WeekdayName(absl::Weekday day) {
  switch (day) {
    case absl::Weekday::monday: return Tr("Mon");
    case absl::Weekday::tuesday: return Tr("Tue");
    case absl::Weekday::wednesday: return Tr("Wed");
    case absl::Weekday::thursday: return Tr("Thu");
    case absl::Weekday::friday: return Tr("Fri");
    case absl::Weekday::saturday: return Tr("Sat");
    case absl::Weekday::sunday: return Tr("Sun");
  }
  return "";
}

}  // namespace

std::string FormatDateTime(absl::Time t, absl::TimeZone zone) {
  const absl::CivilDay day = absl::ToCivilDay(t, zone);
  // Year, month, day, weekday, time of day: "2026-12-20 (Sun) 09:00", "2026/12/20(日) 09:00".
  return absl::Substitute(Tr("$0-$1-$2 ($3) $4"), day.year(),
                          absl::StrFormat("%02d", day.month()),
                          absl::StrFormat("%02d", day.day()), WeekdayName(absl::GetWeekday(day)),
                          absl::FormatTime("%H:%M", t, zone));
}

std::string FormatTime(absl::Time t, absl::TimeZone zone, absl::Time now) {
  return absl::StrCat(FormatDateTime(t, zone), " (", RelativeHint(t - now), ")");
}

}  // namespace amends::cli
