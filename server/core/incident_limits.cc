#include "server/core/incident_limits.h"

#include "absl/strings/str_cat.h"

namespace amends {

size_t ContentBytes(const v1::Incident& incident) {
  const size_t all = incident.ByteSizeLong();
  if (all <= kMaxIncidentBytes) return all;  // what is smaller in all is smaller in part
  v1::Incident content = incident;
  content.clear_version();
  content.clear_updated_at();
  content.clear_deadlines();
  content.clear_reminders();
  content.clear_hold();
  content.clear_warnings();
  return content.ByteSizeLong();
}

absl::Status CheckIncidentSize(const v1::Incident& before, const v1::Incident& after,
                               bool moves_on) {
  if (moves_on) return absl::OkStatus();
  const size_t size = ContentBytes(after);
  if (size <= kMaxIncidentBytes || size <= ContentBytes(before)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "incident size: an incident holds at most ", kMaxIncidentBytes / 1024,
      " KiB of text, and this change would make it ", (size + 1023) / 1024,
      " KiB: write less, or report a new incident"));
}

}  // namespace amends
