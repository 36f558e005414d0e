// The demo team that `./scripts/serve` creates on first start, so a newcomer can try amends
// at once: team tokyo-sales (Asia/Tokyo) with member sato and managers tanaka and suzuki.
#ifndef AMENDS_SERVER_DEMO_H_
#define AMENDS_SERVER_DEMO_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace amends {

// With an empty database: creates the demo team and users and prints their tokens and
// commands to paste to `out`; returns true. Otherwise changes nothing and returns false.
absl::StatusOr<bool> SeedDemoIfEmpty(Store& store, const std::string& listen, std::ostream& out);

}  // namespace amends

#endif  // AMENDS_SERVER_DEMO_H_
