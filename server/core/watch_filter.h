// WatchFilter: which committed changes a Watch stream delivers to its subscriber.
//
// Built once per stream from the request and the caller; then Matches() decides each change
// from the event and the incident as it stood right after it. A change is delivered only if it
// matches every filter the request set and the caller may read the incident at that point
// (visibility.h), so a stream never shows more than GetIncident would.
// Pure; Matches() is thread-safe on a const filter.
#ifndef AMENDS_SERVER_CORE_WATCH_FILTER_H_
#define AMENDS_SERVER_CORE_WATCH_FILTER_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"

namespace amends {

struct WatchFilter {
  // Validates the request's filters: INVALID_ARGUMENT naming the field for a bad value,
  // PERMISSION_DENIED for a team the actor may not read. Does not check incident_id exists.
  static absl::StatusOr<WatchFilter> Parse(const v1::WatchRequest& request, const Actor& actor);

  // `client_key` is ClientKey(incident.client().name()), computed once per change.
  bool Matches(const v1::Event& event, const v1::Incident& incident,
               absl::string_view client_key, const Actor& actor) const;

  std::string team;
  int64_t incident_id = 0;
  std::string client_key;
  absl::flat_hash_set<int> states;
  absl::flat_hash_set<int> types;
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_WATCH_FILTER_H_
