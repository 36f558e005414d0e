// The server names the request field at fault ("planned_at: 2026-11-26 10:00 JST is in the
// past"), but a user typed a flag or an argument. NameFlags rewrites a leading field name into
// what the CLI takes it from ("--at: 2026-11-26 10:00 JST is in the past"); a message that
// starts with no field the CLI knows stays as it is.
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_FLAG_NAMES_H_
#define AMENDS_CLIENT_FLAG_NAMES_H_

#include "absl/status/status.h"

namespace amends::cli {

absl::Status NameFlags(const absl::Status& status);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_FLAG_NAMES_H_
