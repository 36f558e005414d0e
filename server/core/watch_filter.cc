#include "server/core/watch_filter.h"

#include "absl/strings/str_cat.h"
#include "server/core/client_name.h"
#include "server/core/text.h"
#include "server/core/visibility.h"

namespace amends {

absl::StatusOr<WatchFilter> WatchFilter::Parse(const v1::WatchRequest& request,
                                               const Actor& actor) {
  WatchFilter filter;
  if (request.start_case() == v1::WatchRequest::kAfterSequence && request.after_sequence() < 0) {
    return absl::InvalidArgumentError("after_sequence: must not be negative");
  }
  for (auto [field, value] : {std::pair{"team", &request.team()}, {"client", &request.client()}}) {
    if (absl::Status s = CheckBytes(field, *value, kMaxNameBytes); !s.ok()) return s;
  }
  if (!request.team().empty()) {
    if (!ReadsTeam(actor, request.team())) {
      return absl::PermissionDeniedError(
          absl::StrCat("team: ", actor.name, " may not read team ", request.team()));
    }
    filter.team = request.team();
  }
  if (request.incident_id() < 0) {
    return absl::InvalidArgumentError("incident_id: must be a positive incident number");
  }
  filter.incident_id = request.incident_id();
  if (!request.client().empty()) {
    filter.client_key = ClientKey(request.client());
    if (filter.client_key.empty()) {
      return absl::InvalidArgumentError("client: a name needs more than white space");
    }
  }
  for (int state : request.states()) {
    if (!v1::State_IsValid(state) || state == v1::STATE_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat("states: unknown state ", state));
    }
    filter.states.insert(state);
  }
  for (int type : request.types()) {
    if (!v1::EventType_IsValid(type) || type == v1::EVENT_TYPE_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat("types: unknown event type ", type));
    }
    filter.types.insert(type);
  }
  return filter;
}

bool WatchFilter::Matches(const v1::Event& event, const v1::Incident& incident,
                          absl::string_view key, const Actor& actor) const {
  return (team.empty() || incident.team() == team) &&
         (incident_id == 0 || incident.id() == incident_id) &&
         (client_key.empty() || key == client_key) &&
         (states.empty() || states.contains(incident.state())) &&
         (types.empty() || types.contains(event.type())) && CanRead(incident, actor);
}

}  // namespace amends
