#include "client/utf8_text.h"

#include <utf8proc.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/substitute.h"
#include "client/i18n.h"

namespace amends::cli {
namespace {

// One step through UTF-8: the code point at the front of `text` and its length in bytes.
// An invalid byte reads as code point -1 of length 1.
struct Step {
  utf8proc_int32_t codepoint;
  size_t length;
};

Step Next(absl::string_view text) {
  utf8proc_int32_t cp = -1;
  const utf8proc_ssize_t n = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &cp);
  if (n <= 0) return {-1, 1};
  return {cp, static_cast<size_t>(n)};
}

int Width(utf8proc_int32_t codepoint) {
  if (codepoint < 0) return 1;
  const int w = utf8proc_charwidth(codepoint);
  return w > 0 ? w : 0;
}

}  // namespace

absl::Status CheckUtf8(absl::string_view what, absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const Step s = Next(text.substr(i));
    if (s.codepoint < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": ", absl::Substitute(Tr("not valid UTF-8 (byte $0)"), i + 1)));
    }
    i += s.length;
  }
  return absl::OkStatus();
}

int DisplayWidth(absl::string_view text) {
  int width = 0;
  for (size_t i = 0; i < text.size();) {
    const Step s = Next(text.substr(i));
    width += Width(s.codepoint);
    i += s.length;
  }
  return width;
}

std::string TruncateToWidth(absl::string_view text, int max_width) {
  if (DisplayWidth(text) <= max_width) return std::string(text);
  const int mark_width = DisplayWidth(kCutMark);
  if (max_width <= mark_width) return std::string(kCutMark.substr(0, std::max(max_width, 0)));
  const int budget = max_width - mark_width;
  size_t keep = 0;  // bytes of whole clusters that fit
  int width = 0;
  utf8proc_int32_t previous = -1;
  utf8proc_int32_t state = 0;
  for (size_t i = 0; i < text.size();) {
    const Step s = Next(text.substr(i));
    const bool starts_cluster =
        i == 0 || previous < 0 || s.codepoint < 0 ||
        utf8proc_grapheme_break_stateful(previous, s.codepoint, &state);
    if (starts_cluster) keep = i;  // everything before this cluster is complete
    width += Width(s.codepoint);
    if (width > budget) break;
    previous = s.codepoint;
    i += s.length;
  }
  return absl::StrCat(text.substr(0, keep), kCutMark);
}

std::string OneLine(absl::string_view text) {
  return TerminalSafe(absl::StrReplaceAll(text, {{"\r\n", " "}, {"\n", " "}, {"\r", " "},
                                                 {"\t", " "}}));
}

namespace {

bool IsBidiControl(utf8proc_int32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

void AppendCodepoint(std::string& out, utf8proc_int32_t c) {
  utf8proc_uint8_t buffer[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(c, buffer);
  out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

}  // namespace

std::string TerminalSafe(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const Step s = Next(text.substr(i));
    const utf8proc_int32_t c = s.codepoint;
    if (c < 0) {
      AppendCodepoint(out, 0xFFFD);
    } else if (c == '\n') {
      out += '\n';
    } else if (c < 0x20) {
      AppendCodepoint(out, 0x2400 + c);  // ␀ ... ␟
    } else if (c == 0x7F) {
      AppendCodepoint(out, 0x2421);  // ␡
    } else if ((c >= 0x80 && c <= 0x9F) || IsBidiControl(c)) {
      absl::StrAppend(&out, absl::StrFormat("<U+%04X>", c));
    } else {
      out.append(text.data() + i, s.length);
    }
    i += s.length;
  }
  return out;
}

}  // namespace amends::cli
