// Storage errors: a status that is the database's own failure (an SQL error, an I/O error, a
// full disk, a damaged or locked file) rather than a rule of amends (not found, a version
// conflict). Its message carries what an operator needs (SQL, file paths, the database's own
// words) and must never reach a client: the server logs it and tells the client only what
// kind of failure it was (server/status_map.h).
//
// Stores mark every such status they return; code above them only asks. Thread-safe.
#ifndef AMENDS_STORAGE_STORAGE_ERROR_H_
#define AMENDS_STORAGE_STORAGE_ERROR_H_

#include "absl/status/status.h"

namespace amends {

// `status` (not OK) marked as a storage error; its code and message are kept.
absl::Status MarkStorageError(absl::Status status);

// Whether `status` was marked by MarkStorageError (and kept its mark through copies).
bool IsStorageError(const absl::Status& status);

}  // namespace amends

#endif  // AMENDS_STORAGE_STORAGE_ERROR_H_
