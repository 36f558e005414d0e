// Client names as people type them: "ＡＢＣ商事", "ABC商事" and "abc商事" are one client.
//
// ClientKey() is the form names are compared and indexed by: Unicode NFKC, case-folded, without
// invisible characters (Unicode's default ignorables: zero-width spaces and joiners, bidi
// controls, soft hyphens), with surrounding and repeated white space collapsed: "ACME" and
// "ACME" followed by a zero-width space are one client. Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_CLIENT_NAME_H_
#define AMENDS_SERVER_CORE_CLIENT_NAME_H_

#include <string>
#include "absl/strings/string_view.h"

namespace amends {

// REQUIRES: name is valid UTF-8 (see text.h). Returns "" for a name with no visible text.
std::string ClientKey(absl::string_view name);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_CLIENT_NAME_H_
