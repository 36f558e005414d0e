// ReadFlagFile: the content of a file that one of amendsd's flags names (--policy, --notify,
// --tls-cert, ...), read once at start. INVALID_ARGUMENT naming the flag if it cannot be read:
// "--notify: cannot read /etc/amends/notify.textproto". Thread-safe.
#ifndef AMENDS_SERVER_FLAG_FILE_H_
#define AMENDS_SERVER_FLAG_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace amends {

absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag, const std::string& path);

}  // namespace amends

#endif  // AMENDS_SERVER_FLAG_FILE_H_
