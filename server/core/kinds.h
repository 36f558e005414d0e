// Kinds of incident: which are the team's failure toward the client.
//
// A client-facing kind (a missed appointment, a late deliverable, a delivery delay, a complaint,
// other) is one where the team let the client down: it is apologised for, and an earlier one
// whose prevention plan was presented makes a new one a recurrence. Harassment (by the client),
// a rep's own conduct and a hand-over are not (DOMAIN.md, "Not every kind is the team's
// failure"). Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_KINDS_H_
#define AMENDS_SERVER_CORE_KINDS_H_

#include "amends/v1/amends.pb.h"

namespace amends {

bool IsClientFacing(v1::Kind kind);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_KINDS_H_
