// The default policy, deploy/policy.textproto, built into amendsd so that a server started
// without --policy needs no file beside it. Thread-safe.
#ifndef AMENDS_SERVER_DEFAULT_POLICY_H_
#define AMENDS_SERVER_DEFAULT_POLICY_H_

#include "absl/strings/string_view.h"

namespace amends {

// The name messages give the built-in text.
inline constexpr absl::string_view kDefaultPolicyName = "deploy/policy.textproto (built in)";

absl::string_view DefaultPolicyText();

}  // namespace amends

#endif  // AMENDS_SERVER_DEFAULT_POLICY_H_
