#include "server/status_map.h"

#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "storage/storage_error.h"

namespace amends {
namespace {

// What a client is told of a storage error with this code.
const char* StorageFailure(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
      return "the server's database is busy; try again";
    case absl::StatusCode::kDataLoss:
      return "the server's database is damaged (an administrator should run `amendsd check`); "
             "nothing was changed";
    case absl::StatusCode::kResourceExhausted:
      return "the server's disk is full; nothing was changed";
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
      return "the change conflicts with what the database holds; nothing was changed";
    default:  // absl::StatusCode asks for a default: it may grow
      return "the server could not read or write its database; nothing was changed";
  }
}

}  // namespace

grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(s.code());
  if (!IsStorageError(s)) return grpc::Status(code, std::string(s.message()));
  const std::string when =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::cerr << "amendsd: database error at " << when << ", answered "
            << absl::StatusCodeToString(s.code()) << ": " << s.message() << std::endl;
  return grpc::Status(code, absl::StrCat(StorageFailure(s.code()), " (server log, ", when, ")"));
}

}  // namespace amends
