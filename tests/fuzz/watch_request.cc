// The request of a Watch stream (amends watch; server/core/watch_filter.h), decoded as gRPC
// decodes it and checked for each kind of caller: any bytes are either refused with
// INVALID_ARGUMENT naming the field or PERMISSION_DENIED, or give a filter that can judge a
// change of the missed appointment of DOMAIN.md case 1.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/core/actor.h"
#include "server/core/client_name.h"
#include "server/core/watch_filter.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

void FuzzWatchRequest(absl::string_view bytes) {
  v1::WatchRequest request;
  if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  v1::Incident incident;
  incident.set_id(1);
  incident.set_team("tokyo-sales");
  incident.mutable_client()->set_name("ＡＢＣ商事");
  incident.set_kind(v1::KIND_MISSED_APPOINTMENT);
  incident.set_severity(v1::SEVERITY_HIGH);
  incident.set_state(v1::STATE_ESCALATED);
  incident.set_reporter("sato");
  incident.set_owner("sato");
  v1::Event event;
  event.set_incident_id(1);
  event.set_type(v1::EVENT_TYPE_ESCALATED);
  event.set_actor("sato");
  const std::string key = ClientKey(incident.client().name());
  for (const Actor& actor : {Actor{.name = "sato", .team = "tokyo-sales"},
                             Actor{.name = "tanaka", .team = "tokyo-sales", .role = Role::kManager},
                             Actor{.name = "crm-sync", .team = "tokyo-sales", .role = Role::kObserver},
                             Actor{.name = "kobayashi", .team = "osaka-sales"},
                             Actor{.name = "root", .team = "tokyo-sales", .role = Role::kAdmin}}) {
    absl::StatusOr<WatchFilter> filter = WatchFilter::Parse(request, actor);
    if (!filter.ok()) {
      FUZZ_EXPECT(filter.status().code() == absl::StatusCode::kInvalidArgument ||
                      filter.status().code() == absl::StatusCode::kPermissionDenied,
                  filter.status().ToString());
      FUZZ_EXPECT(filter.status().message().find(": ") != std::string::npos,
                  filter.status().ToString());
      continue;
    }
    filter->Matches(event, incident, key, actor);
  }
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(watch_request, amends::FuzzWatchRequest)
