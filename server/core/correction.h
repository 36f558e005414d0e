// Correction: what `amends edit` changes in what was reported (the action kEdit of
// lifecycle.h; the lifecycle's table says who may and when: the incident's owner or a manager
// of its team, in every open state).
//
// - Unset fields stay as they are; at least one must be set, and each one set must differ from
//   the current value: a field given with the value it already has is refused, so a correction
//   that is accepted always changes everything it names.
// - Severity: raising it is the owner's right; lowering it needs a manager of the team, since a
//   lower severity gives every deadline more time. Either way it needs a reason. The stage's
//   running deadlines are recomputed (deadlines.h RecomputeStageDeadlines).
// - Client: when the name is another client (another ClientKey), the incident is linked to that
//   client's incidents again as a report is (recurrence.h). If it becomes a recurrence and no
//   severity is given, the policy raises the severity as it would have at report; if it stops
//   being one, the severity stays: lowering it is a manager's decision, with a reason.
// - Kind: only to a kind of the same playbook (kinds.h); another playbook is a new case.
// - Confidential: one way only, and not while someone holding an open measure or promise in
//   the case could no longer read it.
// The timeline keeps one event saying what changed, old -> new (for details, that it changed).
//
//   Action edit{.type = ActionType::kEdit, .text = "先方社長も同席していた",
//               .correction = {.severity = v1::SEVERITY_CRITICAL}};
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_CORRECTION_H_
#define AMENDS_SERVER_CORE_CORRECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/deadlines.h"

namespace amends {

struct Correction {
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;  // unspecified: unchanged
  std::optional<std::string> summary;
  std::optional<std::string> details;
  std::optional<std::string> client;  // the client's name
  std::optional<std::string> contact;
  v1::Kind kind = v1::KIND_UNSPECIFIED;  // unspecified: unchanged
  bool confidential = false;             // true: make it confidential
  // With `client`: that client's incidents in the incident's team, read by the writer.
  std::vector<v1::Incident> client_incidents;
  // With `confidential`: the users holding open measures and promises in the incident,
  // resolved by the caller. One missing counts as unable to read it.
  std::vector<Actor> holders;
};

// The correction's own checks, once visibility, role and state passed: INVALID_ARGUMENT
// naming the field (as in EditIncidentRequest: severity, reason, summary, ...), PERMISSION_DENIED
// for a member lowering the severity, FAILED_PRECONDITION for a kind of another playbook or a
// holder who could not read the case once confidential. `reason` is the action's text.
absl::Status CheckCorrection(const Correction& correction, absl::string_view reason,
                             const v1::Incident& incident, const Actor& actor);

// Applies a correction that passed CheckCorrection, deadlines included.
void ApplyCorrection(const Correction& correction, v1::Incident& incident, const Rules& rules,
                     absl::Time now);

// The timeline's text for the correction that made `after` from `before`.
std::string CorrectionText(const Correction& correction, absl::string_view reason,
                           const v1::Incident& before, const v1::Incident& after);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_CORRECTION_H_
