#include "client/error_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/substitute.h"
#include "client/exit_code.h"
#include "client/i18n.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

// What went wrong, by the status code; each names what the user can do about it.
const char* WhatWentWrong(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return Tr("the input is not valid");
    case absl::StatusCode::kNotFound:
      return Tr("not found");
    case absl::StatusCode::kPermissionDenied:
      return Tr("you may not do this");
    case absl::StatusCode::kUnauthenticated:
      return Tr("you are not signed in; check your token");
    case absl::StatusCode::kFailedPrecondition:
      return Tr("not possible in the incident's present state");
    case absl::StatusCode::kAborted:
      return Tr("someone else changed it first; reload and try again");
    case absl::StatusCode::kAlreadyExists:
      return Tr("it already exists");
    case absl::StatusCode::kResourceExhausted:
      return Tr("the server is busy; try again shortly");
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return Tr("the server cannot be reached");
    case absl::StatusCode::kOk:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    default:  // absl::StatusCode has sentinel values no switch can list
      return Tr("something went wrong");
  }
}

// The field a message starts with ("--at: ...", "request_id: ..."), or "" when it names none.
absl::string_view FieldOf(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos || colon == 0 || colon > 40) return "";
  const absl::string_view field = message.substr(0, colon);
  for (char c : field) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') return "";
  }
  return field;
}

}  // namespace

std::string ErrorLine(const absl::Status& status) {
  std::string message = status.message().empty()
                            ? std::string(absl::StatusCodeToString(status.code()))
                            : TerminalSafe(OneLine(status.message()));
  if (!InJapanese() || !FromServer(status)) return message;  // the client's own: translated
  const absl::string_view field = FieldOf(message);
  const char* what = WhatWentWrong(status.code());
  if (field.empty()) return absl::Substitute(Tr("$0: $1"), what, message);
  return absl::Substitute(Tr("$0 ($1): $2"), what, field,
                          absl::string_view(message).substr(field.size() + 2));
}

}  // namespace amends::cli
