// Text as a terminal shows it: UTF-8 checked, measured in display columns, cut to fit.
//
// Japanese (and other East Asian wide) characters take two columns, combining marks none,
// so byte or code point counts do not line columns up; these functions use utf8proc's
// character widths and grapheme boundaries instead.
//
//   DisplayWidth("ＡＢＣ商事 Ltd") == 14
//   TruncateToWidth("株式会社ＡＢＣ商事", 12) == "株式会社..."  (width 8 + 3: a fifth wide
//                                                           character would not fit)
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_UTF8_TEXT_H_
#define AMENDS_CLIENT_UTF8_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace amends::cli {

// OK when `text` is valid UTF-8; otherwise INVALID_ARGUMENT naming `what` (an option name
// such as "--summary"), e.g. "--summary: not valid UTF-8 (byte 7)".
absl::Status CheckUtf8(absl::string_view what, absl::string_view text);

// The number of terminal columns `text` occupies. Invalid bytes count one column each.
int DisplayWidth(absl::string_view text);

// The mark TruncateToWidth puts where it cut: ASCII, so that it takes the same 3 columns in
// every terminal (U+2026 "…" is of ambiguous East Asian width: one column in some terminals,
// two in those that draw such characters wide, which breaks the alignment of a table).
inline constexpr absl::string_view kCutMark = "...";

// `text` when it fits in `max_width` columns; otherwise its longest prefix of whole grapheme
// clusters that fits in `max_width` columns together with kCutMark, followed by kCutMark
// (or, when even the mark does not fit, as much of the mark as does: "." or ".."). The
// result is never wider than `max_width`. Never splits a UTF-8 sequence.
// REQUIRES: max_width >= 1.
std::string TruncateToWidth(absl::string_view text, int max_width);

// `text` on one line of a table: line breaks and tabs become spaces, and the rest is made
// TerminalSafe (below), so that its width is measured as it will show.
std::string OneLine(absl::string_view text);

// `text` safe to print on someone's terminal: nothing in it can move the cursor, clear the
// screen, set the window title, write the clipboard or reorder what follows. Newlines stay;
// every other C0 control and DEL becomes its visible Control Pictures symbol ("\x1b" -> "␛",
// "\t" -> "␉"), a C1 control or a bidirectional control (U+061C, U+200E-F, U+202A-E,
// U+2066-9) becomes "<U+202E>", and an invalid byte becomes U+FFFD. So an escape sequence
// shows as "␛]0;title␇" instead of acting.
std::string TerminalSafe(absl::string_view text);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_UTF8_TEXT_H_
