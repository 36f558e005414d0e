// absl::Status -> grpc::Status. The canonical codes are the same numbers in both.
#ifndef AMENDS_SERVER_STATUS_MAP_H_
#define AMENDS_SERVER_STATUS_MAP_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace amends {

inline grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

}  // namespace amends

#endif  // AMENDS_SERVER_STATUS_MAP_H_
