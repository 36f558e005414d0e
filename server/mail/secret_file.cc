#include "server/mail/secret_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace amends {

absl::StatusOr<std::string> ReadConfigFile(absl::string_view field, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": cannot read ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::FailedPreconditionError(absl::StrCat(field, ": cannot read ", path));
  return content.str();
}

absl::StatusOr<std::string> ReadSecretFile(absl::string_view field, const std::string& path) {
  absl::StatusOr<std::string> content = ReadConfigFile(field, path);
  if (!content.ok()) return content.status();
  absl::string_view secret = *content;
  if (absl::ConsumeSuffix(&secret, "\n")) absl::ConsumeSuffix(&secret, "\r");
  if (secret.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(field, ": ", path, " is empty"));
  }
  return std::string(secret);
}

}  // namespace amends
