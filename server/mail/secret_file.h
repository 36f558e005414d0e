// Files the notify configuration names (password_file, url_file, secret_file, ca_file): read
// once at start-up, with errors naming the field. Thread-safe.
#ifndef AMENDS_SERVER_MAIL_SECRET_FILE_H_
#define AMENDS_SERVER_MAIL_SECRET_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace amends {

// The file's bytes. FAILED_PRECONDITION "FIELD: cannot read PATH: why".
absl::StatusOr<std::string> ReadConfigFile(absl::string_view field, const std::string& path);

// A one-line secret: the file's content less a final newline (or CRLF); empty is refused.
absl::StatusOr<std::string> ReadSecretFile(absl::string_view field, const std::string& path);

}  // namespace amends

#endif  // AMENDS_SERVER_MAIL_SECRET_FILE_H_
