// How `amends` tells a script what went wrong: one exit code per thing the caller can do
// about it. The codes are part of the CLI's contract and listed in `amends --help`.
//
//   return ExitCodeFor(FromGrpcStatus(stub->GetIncident(&ctx, req, &incident)).code());
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_EXIT_CODE_H_
#define AMENDS_CLIENT_EXIT_CODE_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace amends::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // anything else
  kExitUsage = 2,        // bad arguments or input (INVALID_ARGUMENT)
  kExitNotFound = 3,     // NOT_FOUND
  kExitNotAllowed = 4,   // PERMISSION_DENIED, UNAUTHENTICATED
  kExitConflict = 5,     // ABORTED, FAILED_PRECONDITION, ALREADY_EXISTS
  kExitUnreachable = 6,  // UNAVAILABLE, DEADLINE_EXCEEDED
};

int ExitCodeFor(absl::StatusCode code);

// The same code and message as an absl::Status (the two code sets are numerically equal),
// marked as the server's words (FromServer).
absl::Status FromGrpcStatus(const grpc::Status& status);

// Whether `status` was made by FromGrpcStatus: its message is the server's (or gRPC's), in
// English, where the client's own are in the language in use (error_text.h).
bool FromServer(const absl::Status& status);

// The exit code table for the --help footer, in the language in use (i18n.h).
std::string ExitCodeHelp();

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_EXIT_CODE_H_
