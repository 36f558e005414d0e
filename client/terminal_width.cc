#include "client/terminal_width.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/numbers.h"

namespace amends::cli {

int ChooseWidth(int terminal_columns, const char* columns_env) {
  if (terminal_columns > 0) return terminal_columns;
  int columns = 0;
  if (columns_env != nullptr && absl::SimpleAtoi(columns_env, &columns) && columns > 0) {
    return columns;
  }
  return kUnlimitedWidth;
}

int TerminalWidth() {
  int terminal_columns = 0;
  if (isatty(STDOUT_FILENO)) {
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) terminal_columns = size.ws_col;
  }
  return ChooseWidth(terminal_columns, std::getenv("COLUMNS"));
}

}  // namespace amends::cli
