#include "storage/storage_error.h"

#include <utility>

#include "absl/strings/cord.h"

namespace amends {
namespace {

constexpr char kStorageErrorUrl[] = "type.amends.dev/storage-error";

}  // namespace

absl::Status MarkStorageError(absl::Status status) {
  status.SetPayload(kStorageErrorUrl, absl::Cord());
  return status;
}

bool IsStorageError(const absl::Status& status) {
  return status.GetPayload(kStorageErrorUrl).has_value();
}

}  // namespace amends
