// absl::Status -> grpc::Status, for every answer a handler gives. The canonical codes are the
// same numbers in both. A storage error (storage/storage_error.h) keeps its code, but its
// message (SQL, file paths) goes only to the server's log, stamped with the time; the client
// is told what kind of failure it was and when, so that an operator can find the detail.
// Thread-safe.
#ifndef AMENDS_SERVER_STATUS_MAP_H_
#define AMENDS_SERVER_STATUS_MAP_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace amends {

grpc::Status ToGrpc(const absl::Status& s);

}  // namespace amends

#endif  // AMENDS_SERVER_STATUS_MAP_H_
