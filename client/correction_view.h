// What `amends edit` says it did: the "what" of its confirmation line (incident_view.h
// RenderChange), from the request and the incident before and after.
//
//   CorrectionLine(request, before, after)
//       // "corrected: severity medium -> high by the policy on recurrences; client ＡＢＣ商事
//       //  -> ＸＹＺ商事, a recurrence of #1 (the last prevention plan did not hold)"
// A severity the server raised because a change of client made the incident a recurrence says
// so ("by the policy on recurrences"); one that stopped being a recurrence says that its
// severity stays and who may lower it.
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_CORRECTION_VIEW_H_
#define AMENDS_CLIENT_CORRECTION_VIEW_H_

#include <string>

#include "amends/v1/amends.pb.h"

namespace amends::cli {

std::string CorrectionLine(const amends::v1::EditIncidentRequest& request,
                           const amends::v1::Incident& before, const amends::v1::Incident& after);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_CORRECTION_VIEW_H_
