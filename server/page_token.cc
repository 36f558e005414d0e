#include "server/page_token.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace amends {

std::string PageTokenFor(int64_t last_id) { return absl::StrCat(last_id); }

absl::StatusOr<int64_t> ParsePageToken(absl::string_view token) {
  int64_t id = 0;
  const bool digits = !token.empty() && token.front() != '0' &&
                      std::all_of(token.begin(), token.end(), absl::ascii_isdigit);
  if (!digits || !absl::SimpleAtoi(token, &id)) {
    return absl::InvalidArgumentError("page_token: not a token this server issued");
  }
  return id;
}

}  // namespace amends
