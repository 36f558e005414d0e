// The incident lifecycle: one pure function from (incident, action, actor, time) to a change.
// Each kind follows its playbook (kinds.h) through the same six states:
//
// client-facing:
//   REPORTED --escalate--> ESCALATED --approve--> APOLOGY_VISIT --visit done--> PREVENTION_PLAN
//      ^                      |                                                       |
//      +------decline---------+                        FOLLOW_UP <--plan present------+
// harassment, conduct (reported straight to the managers; no apology visit):
//   ESCALATED --approve--> PREVENTION_PLAN (response, measures) --plan present--> FOLLOW_UP
// hand-over (checklist; the visit is the introduction, then one follow-up):
//   APOLOGY_VISIT --visit done--> FOLLOW_UP
// client-facing, in any open state and in the same state: the client's expectation, the cause
// (the plan needs one), the manager's own apology, offers of compensation (offers.h), updates
// to the client; in prevention-plan and follow-up, the verification of a done measure by
// someone other than its owner (a failed one opens it again)
// any open state --close (manager, reason)--> CLOSED --reopen (manager)--> the kind's start
// any open state --edit (owner or manager; correction.h)--> the same state
//
// The table in lifecycle.cc lists, for every action and playbook, the states that allow it,
// the state it leads to and who may take it; the compiler checks that every action has exactly
// one row for each playbook. Apply() checks in this order and answers with the first failure:
//   visibility (PERMISSION_DENIED for another team, NOT_FOUND for a hidden confidential case),
//   role (PERMISSION_DENIED naming the role needed),
//   state (FAILED_PRECONDITION naming the current state and the actions it allows, or what the
//   kind never does),
//   arguments and the action's own preconditions (INVALID_ARGUMENT naming the field, or
//   FAILED_PRECONDITION, also for an incident holding the most it may: incident_limits.h),
//   and, once decided, the size of the incident (FAILED_PRECONDITION, incident_limits.h).
// On success the change holds the new incident (version + 1) and exactly one event.
//
// Pure: no clock, no I/O. Users named in an action (new owner, measure owner) are resolved by
// the caller and passed in. Thread-safe.
//
//   absl::StatusOr<Change> c = Apply(incident, {.type = ActionType::kEscalate,
//                                               .text = "部長が立腹"}, actor, now, rules);
#ifndef AMENDS_SERVER_CORE_LIFECYCLE_H_
#define AMENDS_SERVER_CORE_LIFECYCLE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/change.h"
#include "server/core/correction.h"
#include "server/core/deadlines.h"

namespace amends {

enum class ActionType {
  kAddNote,
  kAssign,
  kRecordFirstApology,
  kEscalate,
  kApproveEscalation,
  kDeclineEscalation,
  kScheduleVisit,
  kRecordVisit,
  kAddMeasure,
  kCompleteMeasure,
  kPresentPlan,
  kLogFollowUp,
  kClose,
  kReopen,
  kMakePromise,
  kKeepPromise,
  kHold,
  kResume,
  kAcknowledge,
  // One incident's part of a bulk hand-over (`amends handover`): what `from` holds in it (the
  // incident itself if they own it, their open measures and promises) goes to `user`.
  kHandOver,
  kDecideResponse,         // harassment: the company's response (decision, text)
  kAddChecklistItem,       // hand-over: text
  kCompleteChecklistItem,  // hand-over: number
  kEdit,                   // a correction of what was reported (correction.h); text: reason
  kAssignMeasure,          // measure `number` goes to `user`; text: an optional note
  // Sincerity (client-facing kinds).
  kRecordExpectation,      // text: what the client expects
  kRecordCause,            // text: what happened; why_missed; category (empty: "other")
  kRecordManagerApology,   // channel, text: an optional note
  kMakeOffer,              // offer_kind, amount_yen, text
  kApproveOffer,           // number; text: an optional note
  kDeclineOffer,           // number; text: the reason
  kDeliverOffer,           // number; text: an optional note
  kLogClientUpdate,        // channel, text: the note
  kVerifyMeasure,          // number; text: a note (required if failed); failed; at: a new due
};

inline constexpr ActionType kAllActions[] = {
    ActionType::kAddNote,           ActionType::kAssign,          ActionType::kRecordFirstApology,
    ActionType::kEscalate,          ActionType::kApproveEscalation,
    ActionType::kDeclineEscalation, ActionType::kScheduleVisit,   ActionType::kRecordVisit,
    ActionType::kAddMeasure,        ActionType::kCompleteMeasure, ActionType::kPresentPlan,
    ActionType::kLogFollowUp,       ActionType::kClose,           ActionType::kReopen,
    ActionType::kMakePromise,       ActionType::kKeepPromise,     ActionType::kHold,
    ActionType::kResume,            ActionType::kAcknowledge,     ActionType::kHandOver,
    ActionType::kDecideResponse,    ActionType::kAddChecklistItem,
    ActionType::kCompleteChecklistItem, ActionType::kEdit,          ActionType::kAssignMeasure,
    ActionType::kRecordExpectation, ActionType::kRecordCause,   ActionType::kRecordManagerApology,
    ActionType::kMakeOffer,         ActionType::kApproveOffer,  ActionType::kDeclineOffer,
    ActionType::kDeliverOffer,      ActionType::kLogClientUpdate, ActionType::kVerifyMeasure,
};

// The action as the CLI spells it ("escalate", "visit done", ...), for messages.
absl::string_view ActionName(ActionType type);

struct Action {
  ActionType type = ActionType::kAddNote;
  std::string text;  // note, reason, outcome, measure or promise text
  // kRecordFirstApology, kRecordManagerApology, kLogClientUpdate
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  // kScheduleVisit: planned; kAddMeasure: due; kMakePromise: by; kHold: until (optional);
  // kRecordVisit: when an unscheduled visit took place (optional).
  std::optional<absl::Time> at;
  std::vector<std::string> attendees;  // kScheduleVisit, kRecordVisit
  // kAssign, kHandOver, kAssignMeasure: the new owner; kAddMeasure: the measure's owner;
  // kMakePromise: the incident's owner as the caller saw it (checked only if still the owner).
  std::optional<Actor> user;
  // kCompleteMeasure, kAssignMeasure, kVerifyMeasure, kKeepPromise, kCompleteChecklistItem,
  // kApproveOffer, kDeclineOffer, kDeliverOffer: from 1
  int number = 0;
  std::string from;           // kHandOver: whose work moves to `user`
  v1::Response decision = v1::RESPONSE_UNSPECIFIED;  // kDecideResponse
  Correction correction;      // kEdit
  std::string why_missed;     // kRecordCause
  std::string category;       // kRecordCause
  // kRecordCause: the client's incidents in the team (as for a report), to find the same
  // category of cause again.
  std::vector<v1::Incident> client_incidents;
  v1::OfferKind offer_kind = v1::OFFER_KIND_UNSPECIFIED;  // kMakeOffer
  int64_t amount_yen = 0;                                 // kMakeOffer
  bool failed = false;                                    // kVerifyMeasure
};

// Whether `user` holds anything open in the incident: the incident itself, a measure not
// done, a promise not kept. What a hand-over (kHandOver) moves.
bool HoldsWork(const v1::Incident& incident, absl::string_view user);

// Also brings the incident's deadlines up to date (deadlines.h) under `rules`.
absl::StatusOr<Change> Apply(const v1::Incident& incident, const Action& action,
                             const Actor& actor, absl::Time now, const Rules& rules);

// Users a report names besides its reporter, resolved by the caller.
struct ReportUsers {
  std::optional<Actor> owner;    // the reporter if unset (a bulk hand-over names the successor)
  std::optional<Actor> subject;  // request.subject, for a conduct case
};

// A new incident in its kind's first state, id 0 until stored. `earlier` are the incidents of
// the same client in the same team. Those still open are linked as related; a closed one of a
// client-facing kind (kinds.h) whose plan was presented makes a new client-facing incident a
// recurrence, which raises its severity by one level where the policy says so. A confidential
// case is never linked, so that it cannot surface on an ordinary one. Harassment and conduct
// are always confidential; the teams the kind's policy tells at once are recorded
// (informed_teams); a hand-over starts with its checklist (request.checklist, or the standard
// items). The first deadlines are set from `now`.
absl::StatusOr<Change> Report(const v1::ReportIncidentRequest& request, const Actor& actor,
                              absl::string_view team_time_zone, absl::Time now,
                              std::span<const v1::Incident> earlier, const Rules& rules,
                              const ReportUsers& users = {});

// Whether the state allows the action at all for the kind (role aside); the table, for tests.
bool StateAllows(v1::Kind kind, v1::State state, ActionType type);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_LIFECYCLE_H_
