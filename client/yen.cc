#include "client/yen.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "client/i18n.h"

namespace amends::cli {
namespace {

constexpr absl::string_view kYenSign = "\u00a5";           // ¥
constexpr absl::string_view kFullWidthYenSign = "\uffe5";  // ￥
constexpr absl::string_view kEn = "\u5186";                // 円

absl::Status NotAnAmount(absl::string_view option, absl::string_view text) {
  // The yen sign and 円 go in as $1 and $2: a msgid is ASCII.
  return absl::InvalidArgumentError(absl::StrCat(
      option, ": ",
      absl::Substitute(Tr("'$0' is not an amount of yen (write whole yen: 50000, 50,000, "
                          "$150,000 or 50000$2)"),
                       text, kYenSign, kEn)));
}

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), absl::ascii_isdigit);
}

// "50000" or "50,000": digits, or groups of three after a first group of one to three.
bool WellGrouped(absl::string_view digits) {
  if (digits.find(',') == absl::string_view::npos) return AllDigits(digits);
  const std::vector<absl::string_view> groups = absl::StrSplit(digits, ',');
  if (groups[0].size() > 3 || !AllDigits(groups[0])) return false;
  return std::all_of(groups.begin() + 1, groups.end(),
                     [](absl::string_view g) { return g.size() == 3 && AllDigits(g); });
}

}  // namespace

absl::StatusOr<int64_t> ParseYenArg(absl::string_view option, absl::string_view text) {
  absl::string_view number = absl::StripAsciiWhitespace(text);
  const bool sign =
      absl::ConsumePrefix(&number, kYenSign) || absl::ConsumePrefix(&number, kFullWidthYenSign);
  const bool en = absl::ConsumeSuffix(&number, kEn);
  if ((sign && en) || !WellGrouped(number)) return NotAnAmount(option, text);
  const std::string digits = absl::StrReplaceAll(number, {{",", ""}});
  int64_t yen = 0;
  // More than 18 digits would not fit: far beyond the limit anyway.
  if (digits.size() > 18 || !absl::SimpleAtoi(digits, &yen) || yen > kMaxOfferYen) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ",
        absl::Substitute(Tr("$0 is more than $1, the most an offer may be"), text,
                         FormatYen(kMaxOfferYen))));
  }
  return yen;
}

std::string FormatYen(int64_t yen) {
  // Through uint64_t, so that the lowest int64_t has a magnitude too.
  const uint64_t magnitude = yen < 0 ? 0 - static_cast<uint64_t>(yen) : yen;
  std::string digits = absl::StrCat(magnitude);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return absl::StrCat(yen < 0 ? "-" : "", kYenSign, grouped);
}

}  // namespace amends::cli
