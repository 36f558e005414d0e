// A bulk hand-over (amends handover): what it starts besides moving the work. For each client
// whose incidents moved, a hand-over case owned by the successor, with the checklist of what
// passed (each incident, open promise and measure, then key contacts and what the client is
// sensitive about); and the one message that tells the successor of all of it.
//
// A confidential incident appears by number only: the hand-over case is the team's to read.
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_HAND_OVER_H_
#define AMENDS_SERVER_CORE_HAND_OVER_H_

#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "amends/v1/amends.pb.h"
#include "server/core/notices.h"

namespace amends {

// The report of each client's hand-over case, in the order the clients first appear in
// `moved` (the incidents as the hand-over left them).
std::vector<v1::ReportIncidentRequest> HandOverCases(std::span<const v1::Incident> moved,
                                                     absl::string_view from,
                                                     absl::string_view to,
                                                     absl::string_view note);

// The message to the successor `to`, listing every incident moved and every hand-over case.
Notice HandOverNotice(std::span<const v1::Incident> moved, std::span<const v1::Incident> cases,
                      absl::string_view from, absl::string_view to);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_HAND_OVER_H_
