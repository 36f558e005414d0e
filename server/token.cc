#include "server/token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace amends {

absl::StatusOr<std::string> NewToken() {
  unsigned char bytes[20];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::InternalError("no random bytes for a token (OpenSSL RAND_bytes failed)");
  }
  return absl::StrCat("amd_", absl::BytesToHexString(absl::string_view(
                                  reinterpret_cast<const char*>(bytes), sizeof bytes)));
}

std::string HashToken(absl::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), len));
}

}  // namespace amends
