// Proto enum values as written on the command line: the type prefix stripped, lower case,
// '_' → '-'. Derived from the enum descriptors, so a value added to the proto is spelled
// (and accepted) without touching the client.
//
//   CliName(amends::v1::KIND_MISSED_APPOINTMENT) == "missed-appointment"
//   ParseCliEnum<amends::v1::State>("--state", "apology-visit") == STATE_APOLOGY_VISIT
//   ParseCliEnum<amends::v1::Kind>("--kind", "typo")
//       → INVALID_ARGUMENT "--kind: unknown value 'typo' (allowed: missed-appointment, ...)"
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_ENUM_NAMES_H_
#define AMENDS_CLIENT_ENUM_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace amends::cli {

// The command-line spelling of value `number` of `type`; "unspecified" for the zero value,
// the decimal number for a value this build does not know.
std::string CliName(const google::protobuf::EnumDescriptor& type, int number);

// Every spelling `type` accepts, in declaration order; the zero (UNSPECIFIED) value is not
// one of them.
std::vector<std::string> CliNames(const google::protobuf::EnumDescriptor& type);

// The value spelled `text` (case and '_' versus '-' do not matter). INVALID_ARGUMENT naming
// `option` and listing the allowed spellings when there is none.
absl::StatusOr<int> ParseCliName(const google::protobuf::EnumDescriptor& type,
                                 absl::string_view option, absl::string_view text);

template <typename E>
std::string CliName(E value) {
  return CliName(*google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

template <typename E>
absl::StatusOr<E> ParseCliEnum(absl::string_view option, absl::string_view text) {
  absl::StatusOr<int> number =
      ParseCliName(*google::protobuf::GetEnumDescriptor<E>(), option, text);
  if (!number.ok()) return number.status();
  return static_cast<E>(*number);
}

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_ENUM_NAMES_H_
