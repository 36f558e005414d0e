#include "server/core/client_name.h"

#include <cstdlib>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "utf8proc.h"

namespace amends {

std::string ClientKey(absl::string_view name) {
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(name.data()),
      static_cast<utf8proc_ssize_t>(name.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE));
  if (n < 0) return "";
  std::string folded(reinterpret_cast<char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  // NFKC has already turned the ideographic space (U+3000) into an ASCII one.
  return absl::StrJoin(absl::StrSplit(folded, ' ', absl::SkipWhitespace()), " ");
}

}  // namespace amends
