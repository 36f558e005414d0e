// What the CLI prints of text other users typed (client/utf8_text.h): TerminalSafe leaves no
// control sequence, C1 or bidirectional control in it and makes it valid UTF-8; OneLine also
// no line break; TruncateToWidth never exceeds the width it is given.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "client/utf8_text.h"
#include "tests/fuzz/fuzz_target.h"
#include "utf8proc.h"

namespace amends::cli {
namespace {

// The first code point of `text` that could act on a terminal (a C0 control but `allowed`,
// DEL, a C1 control, a bidirectional control), or -1; -2 when `text` is not valid UTF-8.
long FirstControl(absl::string_view text, char allowed) {
  for (size_t i = 0; i < text.size();) {
    utf8proc_int32_t c;
    const utf8proc_ssize_t len =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + i,
                         static_cast<utf8proc_ssize_t>(text.size() - i), &c);
    if (len < 0) return -2;
    i += static_cast<size_t>(len);
    const bool bidi = c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
                      (c >= 0x2066 && c <= 0x2069);
    if ((c < 0x20 && c != allowed) || (c >= 0x7F && c <= 0x9F) || bidi) return c;
  }
  return -1;
}

void FuzzTerminalText(absl::string_view text) {
  const std::string safe = TerminalSafe(text);
  FUZZ_EXPECT(FirstControl(safe, '\n') == -1, absl::StrCat(FirstControl(safe, '\n'), ": ", safe));
  const std::string line = OneLine(text);
  FUZZ_EXPECT(FirstControl(line, 0) == -1, absl::StrCat(FirstControl(line, 0), ": ", line));
  for (int width : {1, 2, 3, 4, 7, 12, 40}) {
    const std::string cut = TruncateToWidth(line, width);
    FUZZ_EXPECT(DisplayWidth(cut) <= width, absl::StrCat(width, ": ", cut));
    FUZZ_EXPECT(FirstControl(cut, 0) == -1, absl::StrCat(width, ": ", cut));
    FUZZ_EXPECT(DisplayWidth(line) > width || cut == line, absl::StrCat(width, ": ", cut));
  }
}

}  // namespace
}  // namespace amends::cli

AMENDS_FUZZ_TARGET(terminal_text, amends::cli::FuzzTerminalText)
