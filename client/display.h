// Output for people: tables whose columns stay aligned with Japanese text and fit the
// terminal, and times in the team's zone with a hint relative to now. Every date-time the CLI
// prints goes through FormatDateTime, so it always shows the weekday (three ASCII letters:
// columns stay aligned).
//
//   Table table({{"ID"}, {"CLIENT", 20}, {"SUMMARY", 40, Table::kFreeText}}, /*width=*/80);
//   table.AddRow({"12", "ＡＢＣ商事", "15時の打ち合わせを失念"});
//   std::cout << table.Render();
//   FormatDateTime(visit, tokyo)           // "2026-11-28 (Sat) 10:00"
//   FormatTime(visit, tokyo, absl::Now())  // "2026-11-28 (Sat) 10:00 (in 3h)"
//   FormatDue(due, tokyo, absl::Now())     // "2026-11-27 (Fri) 15:00 (overdue by 2h)"
// Pure; thread-safe (a Table is not shared between threads).
#ifndef AMENDS_CLIENT_DISPLAY_H_
#define AMENDS_CLIENT_DISPLAY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/terminal_width.h"

namespace amends::cli {

class Table {
 public:
  // A max_width that never cuts: for a last column of free text (notes, reasons), which
  // would otherwise be unreadable, and whose length cannot misalign any column after it.
  static constexpr int kNoLimit = 0;
  // For Column::free_text.
  static constexpr bool kFreeText = true;
  // However narrow the line, a free-text column keeps this many display columns (or its
  // header's width, when wider), unless its cells are all narrower.
  static constexpr int kMinFreeTextWidth = 10;

  struct Column {
    std::string header;
    int max_width = 40;  // display columns; longer cells are cut with kCutMark; kNoLimit: never
    // Free text (a summary, a note, what is due): the only kind of column that gives way
    // when a line is too long for the table's width. Identifiers, times, states and names
    // never do.
    bool free_text = false;
    // 0: always shown. 1, 2, ...: when a line is still too long with the free text at its
    // least, the table leaves this column out, those numbered 1 first, until lines fit (only
    // columns a reader can do without, such as when a row was last updated).
    int drop_order = 0;
  };

  // `width`: the display columns a line may take (terminal_width.h). When a line would be
  // longer, the free-text columns are narrowed, the widest first, down to
  // kMinFreeTextWidth; no other column is cut. When that is not enough, the columns with a
  // drop_order are left out, in that order; a table whose remaining columns alone are too
  // wide is as narrow as it can be, but still wider. kUnlimitedWidth: only max_width cuts;
  // kWideOutput: nothing is cut, max_width neither.
  explicit Table(std::vector<Column> columns, int width = kUnlimitedWidth);

  // Adds a row; missing trailing cells are empty, extra cells are ignored. Control
  // characters in cells are shown as spaces.
  void AddRow(std::vector<std::string> cells);

  bool empty() const { return rows_.empty(); }

  // The header and the rows, one line each ending in '\n'. Each column starts at the same
  // display column on every line: cells are padded by display width, with two spaces
  // between columns and no trailing spaces.
  std::string Render() const;

  // The rows alone, laid out as by Render() but with neither the header line nor its
  // widths: for a section of `amends show`, where every line is prefixed by `indent`.
  std::string RenderRows(absl::string_view indent) const;

 private:
  std::string Render(bool with_header, absl::string_view indent) const;
  // The cell as it is stored: on one line, cut to the column's max_width unless wide.
  std::string Fit(absl::string_view text, const Column& column) const;

  std::vector<Column> columns_;
  int width_;
  std::vector<std::vector<std::string>> rows_;  // cells already one-line and cut by Fit
};

// The max_width of a table column of times: room for the longest FormatDue after a short
// word ("by 2026-11-27 (Fri) 15:00 (overdue by 1000d)"), so that a time is never cut.
inline constexpr int kTimeColumnWidth = 48;

// "just now" within a minute, else "in 5m" / "5m ago", hours below a day ("in 3h"), then
// days ("2d ago"), each rounded to the nearest unit. `from_now` is the time minus now.
std::string RelativeHint(absl::Duration from_now);

// "2026-11-27 (Fri) 10:00": `t` in `zone` to the minute, with the weekday in English.
std::string FormatDateTime(absl::Time t, absl::TimeZone zone);

// "2026-11-27 (Fri) 10:00 (in 3h)": FormatDateTime with RelativeHint(t - now).
std::string FormatTime(absl::Time t, absl::TimeZone zone, absl::Time now);

// The size of `d` (its sign ignored) rounded to its largest unit as in RelativeHint: "0m",
// "5m", "3h", "2d".
std::string RoundedDuration(absl::Duration d);

// How a deadline stands, `left` being its due time minus now: "in 3h", "overdue by 2h",
// and "due now" within a minute either side. Units and rounding as in RelativeHint.
std::string DueHint(absl::Duration left);

// "2026-11-27 (Fri) 15:00 (overdue by 2h)": FormatDateTime with DueHint(due - now).
std::string FormatDue(absl::Time due, absl::TimeZone zone, absl::Time now);

// A length of time to the minute in at most two units, for time left on a paused clock:
// "45m", "2h 10m", "3h", "1d 4h", "2d"; "0m" below a minute. The sign is ignored.
std::string CompactDuration(absl::Duration d);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_DISPLAY_H_
