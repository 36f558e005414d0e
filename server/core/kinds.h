// Kinds of incident and the playbook each follows (DOMAIN.md, "Not every kind is the team's
// failure"):
// - kClientFacing (a missed appointment, a late deliverable, a delivery delay, a complaint,
//   other): the team let the client down. Apology, escalation, apology visit, prevention plan,
//   follow-ups; an earlier one whose plan was presented makes a new one a recurrence.
// - kHarassment (the client harasses our people) and kConduct (a rep's own conduct): no
//   apology to the client as a rule; the managers are asked at once, then decide the response
//   and the measures. Always confidential.
// - kHandOver (a planned change of the person in charge): a checklist, an introduction visit,
//   one follow-up. Never a failure, never a recurrence.
// The stages of each are in lifecycle.cc's table. Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_KINDS_H_
#define AMENDS_SERVER_CORE_KINDS_H_

#include "absl/strings/string_view.h"
#include "amends/v1/amends.pb.h"

namespace amends {

enum class Playbook { kClientFacing, kHarassment, kConduct, kHandOver };
inline constexpr Playbook kAllPlaybooks[] = {Playbook::kClientFacing, Playbook::kHarassment,
                                             Playbook::kConduct, Playbook::kHandOver};

// REQUIRES: a valid kind; KIND_UNSPECIFIED counts as client-facing (incidents stored before
// kinds were checked).
Playbook PlaybookOf(v1::Kind kind);
bool IsClientFacing(v1::Kind kind);
// "a harassment case", for messages.
absl::string_view PlaybookName(Playbook playbook);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_KINDS_H_
