// How many display columns a line of `amends` output may take: the one source of the width
// that the table views (list, client, inbox, timeline, notifications) and `watch` fit their
// lines to. main() asks once and passes it on (Session::width, WatchOptions::line_width);
// views never read the environment themselves.
//
//   Session session{..., .width = wide ? kWideOutput : TerminalWidth()};
//
// The width is that of the terminal stdout is (ioctl TIOCGWINSZ); else the COLUMNS
// environment variable when it is a positive number; else kUnlimitedWidth: stdout is a file
// or a pipe, where no line wraps, so nothing is shortened to fit.
// Thread-safe: it only reads.
#ifndef AMENDS_CLIENT_TERMINAL_WIDTH_H_
#define AMENDS_CLIENT_TERMINAL_WIDTH_H_

namespace amends::cli {

// No width known: lines are as long as their cells, each still cut to its column's own
// maximum (display.h, Table::Column::max_width).
inline constexpr int kUnlimitedWidth = 0;
// `--wide`: no width and nothing cut at all, every cell whole.
inline constexpr int kWideOutput = -1;

// The width of this process's output by the rule above: positive, or kUnlimitedWidth.
int TerminalWidth();

// The rule on given facts: `terminal_columns` is the terminal's width (0: stdout is not a
// terminal, or its size is unknown), `columns_env` the value of COLUMNS (nullptr: not set).
// A COLUMNS that is not a positive number ("", "abc", "0", "-5") counts as not set.
int ChooseWidth(int terminal_columns, const char* columns_env);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_TERMINAL_WIDTH_H_
