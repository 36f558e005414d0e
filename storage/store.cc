#include "storage/store.h"

#include <utility>

namespace amends {

absl::StatusOr<Committed> Store::Commit(const IncidentWrite& write) {
  Committed done;
  absl::Status status = Transact([&](WriteTransaction& txn) -> absl::Status {
    absl::StatusOr<Committed> c = txn.Write(write);
    if (!c.ok()) return c.status();
    done = *std::move(c);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return done;
}

absl::StatusOr<std::vector<Committed>> Store::CommitAll(const std::vector<IncidentWrite>& writes) {
  std::vector<Committed> done;
  done.reserve(writes.size());
  absl::Status status = Transact([&](WriteTransaction& txn) -> absl::Status {
    for (const IncidentWrite& write : writes) {
      absl::StatusOr<Committed> c = txn.Write(write);
      if (!c.ok()) return c.status();
      done.push_back(*std::move(c));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return done;
}

}  // namespace amends
