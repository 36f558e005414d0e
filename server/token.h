// Bearer tokens: random, shown once, stored only as a hash.
//
// A token is "amd_" followed by 40 hex digits (160 random bits from OpenSSL's CSPRNG). The store
// keeps HashToken(token), the hex SHA-256, so a copy of the database grants nobody access.
// Thread-safe.
#ifndef AMENDS_SERVER_TOKEN_H_
#define AMENDS_SERVER_TOKEN_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace amends {

absl::StatusOr<std::string> NewToken();
std::string HashToken(absl::string_view token);

}  // namespace amends

#endif  // AMENDS_SERVER_TOKEN_H_
