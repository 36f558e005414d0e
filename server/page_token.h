// Page tokens of ListIncidents and GetTimeline: a token is the key of the last item of a page
// (an incident's id, an event's sequence), in decimal, and the next page starts past it.
//
// ParsePageToken() accepts exactly what PageTokenFor() writes (a positive id, its digits with
// no sign, space or leading zero), so each page has one token. Pure; thread-safe.
#ifndef AMENDS_SERVER_PAGE_TOKEN_H_
#define AMENDS_SERVER_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace amends {

// REQUIRES: last_id > 0.
std::string PageTokenFor(int64_t last_id);

// The key in `token`; INVALID_ARGUMENT "page_token: not a token this server issued" for
// anything PageTokenFor() does not write.
absl::StatusOr<int64_t> ParsePageToken(absl::string_view token);

}  // namespace amends

#endif  // AMENDS_SERVER_PAGE_TOKEN_H_
