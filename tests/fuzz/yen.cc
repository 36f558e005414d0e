// Amounts of compensation as people type them (`amends offer --amount`, client/yen.h): any
// text is either refused with a message naming the option, or is an amount of yen from 0 to
// the most an offer may be, which reads back the same from how amends prints it.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "client/yen.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends::cli {
namespace {

void FuzzYen(absl::string_view text) {
  absl::StatusOr<int64_t> yen = ParseYenArg("--amount", text);
  if (!yen.ok()) {
    FUZZ_EXPECT_REFUSAL(yen.status(), "--amount: ");
    return;
  }
  FUZZ_EXPECT(*yen >= 0 && *yen <= kMaxOfferYen, absl::StrCat(*yen));
  const std::string printed = FormatYen(*yen);
  absl::StatusOr<int64_t> again = ParseYenArg("--amount", printed);
  FUZZ_EXPECT(again.ok() && *again == *yen, absl::StrCat(printed, " -> ", again.status().ToString()));
}

}  // namespace
}  // namespace amends::cli

AMENDS_FUZZ_TARGET(yen, amends::cli::FuzzYen)
