// The cause of an incident (Incident.cause): what happened, why nobody noticed in time, and
// its category, as `amends show` prints it; and, for `amends client`, the categories that
// come back across one client's incidents — the same kind of failure again.
//
//   std::cout << RenderCause(incident, tokyo, absl::Now());
//   // Cause:
//   //   what        15時の打ち合わせを個人の手帳にだけ記入していた
//   //   why missed  予定を共有しておらず、誰も気づける仕組みがなかった
//   //   category    schedule: the same category as #3, #7 before
//   //   recorded    sato, 2026-11-30 (Mon) 10:00 (2h ago)
//   std::cout << CauseRepeats(incidents);  // cause "schedule" repeats: #3, #7, #12
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_CAUSE_VIEW_H_
#define AMENDS_CLIENT_CAUSE_VIEW_H_

#include <string>

#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "client/incident_view.h"

namespace amends::cli {

// "the same category as #3, #7 before" for a cause whose same_category is not empty; "".
std::string SameCategory(const amends::v1::Cause& cause);

// The "Cause:" section of `amends show`, after a blank line, times in `zone`; without a
// cause, one line saying how to record it.
std::string RenderCause(const amends::v1::Incident& incident, absl::TimeZone zone,
                        absl::Time now);

// One line per cause category that two or more incidents share, counting the incidents
// listed and those their causes name in same_category, in the order the categories first
// appear: `cause "schedule" repeats: #3, #7, #12`. "" when none repeats.
std::string CauseRepeats(const Incidents& incidents);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_CAUSE_VIEW_H_
