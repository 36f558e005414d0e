#include "server/core/text.h"

#include "absl/strings/str_cat.h"
#include "utf8proc.h"

namespace amends {
namespace {

// Returns the number of code points, or -1 if `value` is not valid UTF-8.
long CountCodePoints(absl::string_view value) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(value.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(value.size());
  long count = 0;
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return -1;
    p += n;
    left -= n;
    ++count;
  }
  return count;
}

// True if `value` has nothing but white space and control characters: a note of two
// ideographic spaces (U+3000, easily typed with a Japanese IME) says nothing either.
// REQUIRES: value is valid UTF-8.
bool IsBlank(absl::string_view value) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(value.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(value.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    switch (utf8proc_category(cp)) {
      case UTF8PROC_CATEGORY_ZS:
      case UTF8PROC_CATEGORY_ZL:
      case UTF8PROC_CATEGORY_ZP:
      case UTF8PROC_CATEGORY_CC:
      case UTF8PROC_CATEGORY_CF:
        break;
      default:
        return false;
    }
    p += n;
    left -= n;
  }
  return true;
}

}  // namespace

absl::Status CheckChars(absl::string_view field, absl::string_view value, size_t max_chars) {
  long n = CountCodePoints(value);
  if (n < 0) return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
  if (static_cast<size_t>(n) > max_chars) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", n, " characters, at most ", max_chars, " allowed"));
  }
  return absl::OkStatus();
}

absl::Status CheckBytes(absl::string_view field, absl::string_view value, size_t max_bytes) {
  if (CountCodePoints(value) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
  }
  if (value.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value.size(), " bytes, at most ", max_bytes, " allowed"));
  }
  return absl::OkStatus();
}

absl::Status CheckRequired(absl::string_view field, absl::string_view value, size_t max_bytes) {
  if (auto s = CheckBytes(field, value, max_bytes); !s.ok()) return s;
  if (IsBlank(value)) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  return absl::OkStatus();
}

std::string ValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      out += "\xEF\xBF\xBD";
      n = 1;
    } else {
      out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    }
    p += n;
    left -= n;
  }
  return out;
}

}  // namespace amends
