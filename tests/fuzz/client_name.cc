// Client names as people type them (server/core/client_name.h): the key a name is compared and
// indexed by is valid UTF-8, has no surrounding or repeated white space, is its own key (so
// that a name typed the way amends shows it finds the same client), and is empty only for a
// name with no visible text.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/core/client_name.h"
#include "server/core/text.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

void FuzzClientName(absl::string_view name) {
  // The server checks every name first (text.h); ClientKey requires valid UTF-8.
  if (!CheckBytes("client.name", name, kMaxNameBytes).ok()) return;
  const std::string key = ClientKey(name);
  FUZZ_EXPECT(CheckBytes("key", key, 4 * kMaxNameBytes).ok(), key);
  FUZZ_EXPECT(key.empty() || (key.front() != ' ' && key.back() != ' '), key);
  FUZZ_EXPECT(key.find("  ") == std::string::npos, key);
  FUZZ_EXPECT(ClientKey(key) == key, absl::StrCat(key, " -> ", ClientKey(key)));
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(client_name, amends::FuzzClientName)
