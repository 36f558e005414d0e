#include "client/exit_code.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "client/i18n.h"

namespace amends::cli {

int ExitCodeFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
      return kExitUsage;
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return kExitNotAllowed;
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
      return kExitConflict;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kExitUnreachable;
    default:
      return kExitFailure;
  }
}

namespace {
constexpr absl::string_view kFromServer = "amends/from-server";
}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  absl::Status converted(static_cast<absl::StatusCode>(status.error_code()),
                         status.error_message());
  if (!converted.ok()) converted.SetPayload(kFromServer, absl::Cord());
  return converted;
}

bool FromServer(const absl::Status& status) {
  return status.GetPayload(kFromServer).has_value();
}

std::string ExitCodeHelp() {
  return Tr("Exit codes:\n"
         "  0  success\n"
         "  1  any other failure\n"
         "  2  usage error or invalid input (bad option, unknown value, invalid UTF-8,\n"
         "     INVALID_ARGUMENT)\n"
         "  3  incident not found (NOT_FOUND)\n"
         "  4  not allowed or not authenticated (PERMISSION_DENIED, UNAUTHENTICATED)\n"
         "  5  conflict or wrong state: re-read the incident and retry (ABORTED,\n"
         "     FAILED_PRECONDITION, ALREADY_EXISTS)\n"
         "  6  server unreachable (UNAVAILABLE, DEADLINE_EXCEEDED)");
}

}  // namespace amends::cli
