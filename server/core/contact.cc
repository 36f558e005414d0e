#include "server/core/contact.h"

#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/core/text.h"
#include "utf8proc.h"

namespace amends {
namespace {

constexpr absl::string_view kDelimiters = "()<>[],;:\\\"";

// The first character of `email` that no plausible address contains, described for an error
// message ("spaces", "control characters", "'<'"); empty when there is none.
// REQUIRES: email is valid UTF-8.
std::string ForbiddenCharacter(absl::string_view email) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(email.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(email.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return "invalid UTF-8";
    switch (utf8proc_category(cp)) {
      case UTF8PROC_CATEGORY_ZS:
      case UTF8PROC_CATEGORY_ZL:
      case UTF8PROC_CATEGORY_ZP:
        return "spaces";
      case UTF8PROC_CATEGORY_CC:
      case UTF8PROC_CATEGORY_CF:
        return "control characters";
      default:
        break;
    }
    if (cp < 0x80 && absl::StrContains(kDelimiters, static_cast<char>(cp))) {
      return absl::StrCat("'", std::string(1, static_cast<char>(cp)), "'");
    }
    p += n;
    left -= n;
  }
  return "";
}

}  // namespace

absl::Status ValidateEmail(absl::string_view field, absl::string_view email) {
  if (email.empty()) return absl::OkStatus();
  if (absl::Status s = CheckBytes(field, email, kMaxEmailBytes); !s.ok()) return s;
  if (const std::string bad = ForbiddenCharacter(email); !bad.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": a mail address must not contain ", bad));
  }
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || std::count(email.begin(), email.end(), '@') != 1 ||
      at == 0 || at + 1 == email.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", email,
                     "' is not a mail address (one '@' between name and domain, "
                     "like sato@example.co.jp)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateLanguage(absl::string_view field, absl::string_view lang) {
  if (lang.empty() || lang == "ja" || lang == "en") return absl::OkStatus();
  // Echoed below: measured first, so that the error stays short.
  if (absl::Status s = CheckBytes(field, lang, 35); !s.ok()) return s;  // BCP 47's longest
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": '", lang, "' is not a language amends writes in (ja or en)"));
}

std::string EffectiveLanguage(absl::string_view own, absl::string_view team) {
  if (!own.empty()) return std::string(own);
  if (!team.empty()) return std::string(team);
  return "en";
}

}  // namespace amends
