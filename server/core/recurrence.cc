#include "server/core/recurrence.h"

#include "server/core/kinds.h"

namespace amends {

void LinkClientIncidents(v1::Incident& incident, std::span<const v1::Incident> others) {
  incident.clear_related_open();
  incident.clear_earlier_incidents();
  // Still open: related. Closed after its plan was presented, and the team's failure as this
  // one is: that plan did not hold.
  for (const v1::Incident& e : others) {
    if (e.confidential() || (e.id() != 0 && e.id() == incident.id())) continue;
    v1::RelatedIncident* r = nullptr;
    if (e.state() != v1::STATE_CLOSED) {
      r = incident.add_related_open();
    } else if (IsClientFacing(incident.kind()) && IsClientFacing(e.kind()) &&
               e.has_plan_presented_at()) {
      r = incident.add_earlier_incidents();
    } else {
      continue;
    }
    r->set_id(e.id());
    r->set_summary(e.summary());
    r->set_state(e.state());
    *r->mutable_created_at() = e.created_at();
  }
  incident.set_recurrence(incident.earlier_incidents_size() > 0);
}

bool RaiseOnRecurrence(v1::Incident& incident, const Policy& policy) {
  if (incident.severity() == v1::SEVERITY_CRITICAL ||
      !policy.For(incident.severity()).raise_on_recurrence) {
    return false;
  }
  incident.set_severity(static_cast<v1::Severity>(incident.severity() + 1));
  return true;
}

}  // namespace amends
