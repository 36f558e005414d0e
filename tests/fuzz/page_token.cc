// Page tokens of ListIncidents (server/page_token.h), which clients send back as they got
// them: any text is either refused naming page_token, or is the token of exactly one page.
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/page_token.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

void FuzzPageToken(absl::string_view token) {
  absl::StatusOr<int64_t> id = ParsePageToken(token);
  if (!id.ok()) {
    FUZZ_EXPECT(id.status().message() == "page_token: not a token this server issued",
                id.status().ToString());
    return;
  }
  FUZZ_EXPECT(*id > 0, absl::StrCat(*id));
  FUZZ_EXPECT(PageTokenFor(*id) == token, PageTokenFor(*id));
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(page_token, amends::FuzzPageToken)
