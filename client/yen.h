// Amounts of yen as people type and read them: compensation offered to a client
// (`amends offer --amount`, Offer.amount_yen).
//
//   ParseYenArg("--amount", "¥50,000")   // == 50000
//   ParseYenArg("--amount", "50000円")   // == 50000
//   ParseYenArg("--amount", "5万")
//       → INVALID_ARGUMENT "--amount: '5万' is not an amount of yen (write 50000, 50,000, ..."
//   FormatYen(300000)                    // == "¥300,000"
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_YEN_H_
#define AMENDS_CLIENT_YEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace amends::cli {

// The most an offer may be, as MakeOfferRequest.amount_yen says: ¥1,000,000,000.
inline constexpr int64_t kMaxOfferYen = 1'000'000'000;

// The whole yen `text` denotes: digits ("50000"), optionally grouped by commas in threes
// ("50,000"), optionally after a yen sign ("¥50,000"; the full-width "￥" too, as Japanese
// input methods type it) or before "円" ("50000円", "50,000円"), but not both; white space
// around it is ignored. INVALID_ARGUMENT naming `option` for anything else (a sign, a
// decimal point, "5万", misplaced commas), listing the accepted forms, or for more than
// kMaxOfferYen.
absl::StatusOr<int64_t> ParseYenArg(absl::string_view option, absl::string_view text);

// "¥50,000": `yen` with a yen sign and commas every three digits ("-¥500" below zero).
std::string FormatYen(int64_t yen);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_YEN_H_
