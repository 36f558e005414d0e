#include "client/enum_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"

namespace amends::cli {
namespace {

// The prefix every value name of `type` shares: the zero value's name without
// "UNSPECIFIED" ("KIND_UNSPECIFIED" → "KIND_").
absl::string_view Prefix(const google::protobuf::EnumDescriptor& type) {
  const google::protobuf::EnumValueDescriptor* zero = type.FindValueByNumber(0);
  if (zero == nullptr) return {};
  absl::string_view name = zero->name();
  if (!absl::ConsumeSuffix(&name, "UNSPECIFIED")) return {};
  return name;
}

// "missed_appointment", "Missed-Appointment" → "missed-appointment".
std::string Normalise(absl::string_view text) {
  return absl::StrReplaceAll(absl::AsciiStrToLower(text), {{"_", "-"}});
}

}  // namespace

std::string CliName(const google::protobuf::EnumDescriptor& type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type.FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, Prefix(type));
  return Normalise(name);
}

std::vector<std::string> CliNames(const google::protobuf::EnumDescriptor& type) {
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    const int number = type.value(i)->number();
    if (number != 0) names.push_back(CliName(type, number));
  }
  return names;
}

absl::StatusOr<int> ParseCliName(const google::protobuf::EnumDescriptor& type,
                                 absl::string_view option, absl::string_view text) {
  const std::string wanted = Normalise(text);
  for (int i = 0; i < type.value_count(); ++i) {
    const int number = type.value(i)->number();
    if (number != 0 && CliName(type, number) == wanted) return number;
  }
  return absl::InvalidArgumentError(absl::StrCat(option, ": unknown value '", text,
                                                 "' (allowed: ",
                                                 absl::StrJoin(CliNames(type), ", "), ")"));
}

}  // namespace amends::cli
