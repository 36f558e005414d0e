#include "server/core/lifecycle.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "server/core/client_name.h"
#include "server/core/incident_limits.h"
#include "server/core/kinds.h"
#include "server/core/offers.h"
#include "server/core/recurrence.h"
#include "server/core/text.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"

namespace amends {
namespace {

using v1::Incident;
using v1::State;

enum class Who {
  kTeamMember,      // a member or manager of the incident's team
  kOwnerOrManager,  // the incident's owner, or a manager of its team
  kManager,         // a manager of the incident's team
  kApprover,        // a manager of its team, or of a team the escalation chain asks
  kAddressee,       // a member or manager of its team, or a manager the chain asks
  kMeasureOwner,    // the owner of the measure the action names, or as kOwnerOrManager
  kCaseManager,     // as kApprover, or the manager who approved the escalation
  kOfferApprover,   // a manager who may read it, or an admin; Check() asks for the level
};

constexpr uint32_t Bit(State s) { return 1u << static_cast<int>(s); }
constexpr uint32_t kReported = Bit(v1::STATE_REPORTED);
constexpr uint32_t kEscalated = Bit(v1::STATE_ESCALATED);
constexpr uint32_t kVisit = Bit(v1::STATE_APOLOGY_VISIT);
constexpr uint32_t kPlan = Bit(v1::STATE_PREVENTION_PLAN);
constexpr uint32_t kFollowUp = Bit(v1::STATE_FOLLOW_UP);
constexpr uint32_t kClosed = Bit(v1::STATE_CLOSED);
constexpr uint32_t kOpen = kReported | kEscalated | kVisit | kPlan | kFollowUp;
constexpr uint32_t kNever = 0;
// Where the team may wait on the client. Reporting and escalating never wait: that is the
// hesitation amends exists to prevent.
constexpr uint32_t kHoldable = kVisit | kPlan | kFollowUp;
constexpr State kStays = v1::STATE_UNSPECIFIED;

constexpr uint32_t Of(Playbook p) { return 1u << static_cast<int>(p); }
constexpr uint32_t kCF = Of(Playbook::kClientFacing);
constexpr uint32_t kHA = Of(Playbook::kHarassment);
constexpr uint32_t kCO = Of(Playbook::kConduct);
constexpr uint32_t kHO = Of(Playbook::kHandOver);
constexpr uint32_t kAll = kCF | kHA | kCO | kHO;

struct Rule {
  ActionType action;
  uint32_t playbooks;  // the kinds the row is for
  absl::string_view name;
  uint32_t allowed_in;  // kNever: the kind never does it, for the reason in why_not
  State leads_to;
  Who who;
  v1::EventType event;
  absl::string_view why_not = "";
};

using enum ActionType;
using enum Who;

// The lifecycle. Every action, for each playbook, the states that allow it, where it leads and
// who may take it. Preconditions beyond the state (a measure to present, a reason to close
// early) are in Check().
constexpr Rule kRules[] = {
    // action              kinds            name              allowed in
    //  leads to                 who              event[, why the kind never does it]
    {kAddNote,              kAll,            "note",           kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_NOTE_ADDED},
    {kAssign,               kAll,            "assign",         kOpen,
     kStays,                    kOwnerOrManager, v1::EVENT_TYPE_ASSIGNED},
    // Corrections of what was reported (correction.h); lowering the severity needs a manager.
    {kEdit,                 kAll,            "edit",           kOpen,
     kStays,                    kOwnerOrManager, v1::EVENT_TYPE_CORRECTED},
    // Owed across stages until recorded (Check refuses a second one).
    {kRecordFirstApology,   kCF,             "apologize",      kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED},
    // Only when a manager decides that the client was affected.
    {kRecordFirstApology,   kCO,             "apologize",      kOpen,
     kStays,                    kManager,        v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED},
    {kRecordFirstApology,   kHA,             "apologize",      kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED,
     "nobody apologises to a harasser"},
    {kRecordFirstApology,   kHO,             "apologize",      kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED,
     "a hand-over is not a failure"},
    {kEscalate,             kCF,             "escalate",       kReported,
     v1::STATE_ESCALATED,       kTeamMember,     v1::EVENT_TYPE_ESCALATED},
    {kEscalate,             kHA | kCO,       "escalate",       kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_ESCALATED,
     "it goes to the managers when reported"},
    {kEscalate,             kHO,             "escalate",       kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_ESCALATED,
     "a hand-over is not a failure"},
    {kApproveEscalation,    kCF,             "approve",        kEscalated,
     v1::STATE_APOLOGY_VISIT,   kApprover,       v1::EVENT_TYPE_ESCALATION_APPROVED},
    // The managers take the case on and decide the response and the measures: no visit.
    {kApproveEscalation,    kHA | kCO,       "approve",        kEscalated,
     v1::STATE_PREVENTION_PLAN, kApprover,       v1::EVENT_TYPE_ESCALATION_APPROVED},
    {kApproveEscalation,    kHO,             "approve",        kNever,
     kStays,                    kApprover,       v1::EVENT_TYPE_ESCALATION_APPROVED,
     "a hand-over is not escalated"},
    {kDeclineEscalation,    kCF,             "decline",        kEscalated,
     v1::STATE_REPORTED,        kApprover,       v1::EVENT_TYPE_ESCALATION_DECLINED},
    {kDeclineEscalation,    kHA | kCO,       "decline",        kNever,
     kStays,                    kApprover,       v1::EVENT_TYPE_ESCALATION_DECLINED,
     "it stays with the managers; close it with a reason if it is not what it says"},
    {kDeclineEscalation,    kHO,             "decline",        kNever,
     kStays,                    kApprover,       v1::EVENT_TYPE_ESCALATION_DECLINED,
     "a hand-over is not escalated"},
    {kScheduleVisit,        kCF | kHO,       "visit schedule", kVisit,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_VISIT_SCHEDULED},
    {kScheduleVisit,        kHA | kCO,       "visit schedule", kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_VISIT_SCHEDULED,
     "it has no apology visit"},
    {kRecordVisit,          kCF,             "visit done",     kVisit,
     v1::STATE_PREVENTION_PLAN, kTeamMember,     v1::EVENT_TYPE_VISIT_RECORDED},
    // The introduction of the successor; one follow-up with the client comes after it.
    {kRecordVisit,          kHO,             "visit done",     kVisit,
     v1::STATE_FOLLOW_UP,       kTeamMember,     v1::EVENT_TYPE_VISIT_RECORDED},
    {kRecordVisit,          kHA | kCO,       "visit done",     kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_VISIT_RECORDED,
     "it has no apology visit"},
    // Harassment: measures protect the employee; conduct: reassignment, guidance.
    {kAddMeasure,           kCF | kHA | kCO, "measure add",    kPlan,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_MEASURE_ADDED},
    {kAddMeasure,           kHO,             "measure add",    kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_MEASURE_ADDED,
     "what must pass goes on its checklist"},
    {kCompleteMeasure,      kCF | kHA | kCO, "measure done",   kPlan | kFollowUp,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_MEASURE_COMPLETED},
    {kCompleteMeasure,      kHO,             "measure done",   kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_MEASURE_COMPLETED,
     "what must pass goes on its checklist"},
    {kAssignMeasure,        kCF | kHA | kCO, "measure assign", kPlan | kFollowUp,
     kStays,                    kMeasureOwner,   v1::EVENT_TYPE_MEASURE_ASSIGNED},
    {kAssignMeasure,        kHO,             "measure assign", kNever,
     kStays,                    kMeasureOwner,   v1::EVENT_TYPE_MEASURE_ASSIGNED,
     "what must pass goes on its checklist"},
    {kPresentPlan,          kCF | kHA | kCO, "plan present",   kPlan,
     v1::STATE_FOLLOW_UP,       kTeamMember,     v1::EVENT_TYPE_PLAN_PRESENTED},
    {kPresentPlan,          kHO,             "plan present",   kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_PLAN_PRESENTED,
     "a hand-over has no prevention plan"},
    {kLogFollowUp,          kAll,            "followup",       kFollowUp,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_FOLLOW_UP_LOGGED},
    {kClose,                kAll,            "close",          kOpen,
     v1::STATE_CLOSED,          kOwnerOrManager, v1::EVENT_TYPE_CLOSED},
    // Reopened cases start where new ones of their kind do (Report).
    {kReopen,               kCF,             "reopen",         kClosed,
     v1::STATE_REPORTED,        kManager,        v1::EVENT_TYPE_REOPENED},
    {kReopen,               kHA | kCO,       "reopen",         kClosed,
     v1::STATE_ESCALATED,       kManager,        v1::EVENT_TYPE_REOPENED},
    {kReopen,               kHO,             "reopen",         kClosed,
     v1::STATE_APOLOGY_VISIT,   kManager,        v1::EVENT_TYPE_REOPENED},
    {kMakePromise,          kAll,            "promise",        kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_PROMISE_MADE},
    {kKeepPromise,          kAll,            "promise done",   kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_PROMISE_KEPT},
    {kHold,                 kAll,            "hold",           kHoldable,
     kStays,                    kOwnerOrManager, v1::EVENT_TYPE_HELD},
    {kResume,               kAll,            "resume",         kHoldable,
     kStays,                    kOwnerOrManager, v1::EVENT_TYPE_RESUMED},
    {kAcknowledge,          kAll,            "ack",            kOpen,
     kStays,                    kAddressee,      v1::EVENT_TYPE_REMINDERS_ACKNOWLEDGED},
    {kHandOver,             kAll,            "handover",       kOpen,
     kStays,                    kManager,        v1::EVENT_TYPE_HANDED_OVER},
    {kDecideResponse,       kHA,             "response",       kPlan | kFollowUp,
     kStays,                    kManager,        v1::EVENT_TYPE_RESPONSE_DECIDED},
    {kDecideResponse,       kCF | kCO | kHO, "response",       kNever,
     kStays,                    kManager,        v1::EVENT_TYPE_RESPONSE_DECIDED,
     "only a harassment case has one"},
    {kAddChecklistItem,     kHO,             "checklist add",  kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CHECKLIST_ITEM_ADDED},
    {kAddChecklistItem,     kCF | kHA | kCO, "checklist add",  kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CHECKLIST_ITEM_ADDED,
     "only a hand-over has a checklist"},
    {kCompleteChecklistItem,kHO,             "checklist done", kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CHECKLIST_ITEM_DONE},
    {kCompleteChecklistItem,kCF | kHA | kCO, "checklist done", kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CHECKLIST_ITEM_DONE,
     "only a hand-over has a checklist"},
    // Sincerity: what a client's "show sincerity" is answered with (DOMAIN.md).
    {kRecordExpectation,    kCF,             "expect",         kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_EXPECTATION_RECORDED},
    {kRecordExpectation,    kHA | kCO | kHO, "expect",         kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_EXPECTATION_RECORDED,
     "only a client-facing case answers a client's expectation"},
    {kRecordCause,          kCF,             "cause",          kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CAUSE_RECORDED},
    {kRecordCause,          kHA | kCO | kHO, "cause",          kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CAUSE_RECORDED,
     "only a client-facing case explains a failure to the client"},
    // Owed from the approval where the policy says so; a manager may apologise before it.
    {kRecordManagerApology, kCF,             "apologize --as-manager", kOpen,
     kStays,                    kCaseManager,    v1::EVENT_TYPE_MANAGER_APOLOGY_RECORDED},
    {kRecordManagerApology, kHA | kCO | kHO, "apologize --as-manager", kNever,
     kStays,                    kCaseManager,    v1::EVENT_TYPE_MANAGER_APOLOGY_RECORDED,
     "only a client-facing case apologises to the client"},
    {kMakeOffer,            kCF,             "offer",          kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_OFFER_MADE},
    {kMakeOffer,            kHA | kCO | kHO, "offer",          kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_OFFER_MADE,
     "only a client-facing case compensates the client"},
    // Who may decide depends on the amount (offers.h): Check() asks.
    {kApproveOffer,         kCF,             "offer approve",  kOpen,
     kStays,                    kOfferApprover,  v1::EVENT_TYPE_OFFER_APPROVED},
    {kApproveOffer,         kHA | kCO | kHO, "offer approve",  kNever,
     kStays,                    kOfferApprover,  v1::EVENT_TYPE_OFFER_APPROVED,
     "only a client-facing case compensates the client"},
    {kDeclineOffer,         kCF,             "offer decline",  kOpen,
     kStays,                    kOfferApprover,  v1::EVENT_TYPE_OFFER_DECLINED},
    {kDeclineOffer,         kHA | kCO | kHO, "offer decline",  kNever,
     kStays,                    kOfferApprover,  v1::EVENT_TYPE_OFFER_DECLINED,
     "only a client-facing case compensates the client"},
    {kDeliverOffer,         kCF,             "offer delivered", kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_OFFER_DELIVERED},
    {kDeliverOffer,         kHA | kCO | kHO, "offer delivered", kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_OFFER_DELIVERED,
     "only a client-facing case compensates the client"},
    {kLogClientUpdate,      kCF,             "update",         kOpen,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CLIENT_UPDATE_LOGGED},
    {kLogClientUpdate,      kHA | kCO | kHO, "update",         kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_CLIENT_UPDATE_LOGGED,
     "only a client-facing case reports to the client"},
    // By someone other than the measure's owner; a failed check opens the measure again.
    {kVerifyMeasure,        kCF | kHA | kCO, "measure verify", kPlan | kFollowUp,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_MEASURE_VERIFIED},
    {kVerifyMeasure,        kHO,             "measure verify", kNever,
     kStays,                    kTeamMember,     v1::EVENT_TYPE_MEASURE_VERIFIED,
     "what must pass goes on its checklist"},
};

// The table is complete: every action has exactly one row for each playbook, and every row
// that allows nothing says why.
constexpr bool TableIsComplete() {
  for (ActionType action : kAllActions) {
    for (Playbook playbook : kAllPlaybooks) {
      int rows = 0;
      for (const Rule& r : kRules) rows += r.action == action && (r.playbooks & Of(playbook));
      if (rows != 1) return false;
    }
  }
  for (const Rule& r : kRules) {
    if ((r.allowed_in == kNever) == r.why_not.empty()) return false;
    for (const Rule& other : kRules) {
      if (other.action == r.action && other.name != r.name) return false;  // one CLI name
    }
  }
  return true;
}
static_assert(TableIsComplete(), "every action has exactly one row for each playbook");

const Rule& RuleFor(ActionType type, Playbook playbook) {
  return *std::find_if(std::begin(kRules), std::end(kRules), [&](const Rule& r) {
    return r.action == type && (r.playbooks & Of(playbook));
  });
}

const Rule& RuleFor(ActionType type, const Incident& incident) {
  return RuleFor(type, PlaybookOf(incident.kind()));
}

// "STATE_APOLOGY_VISIT" -> "apology-visit", as the CLI spells it.
std::string StateName(State s) {
  std::string name = v1::State_Name(s);
  absl::string_view rest = absl::StripPrefix(name, "STATE_");
  return absl::StrReplaceAll(absl::AsciiStrToLower(rest), {{"_", "-"}});
}

absl::string_view ResponseName(v1::Response r) {
  switch (r) {
    case v1::RESPONSE_WARN_CLIENT:
      return "warn the client";
    case v1::RESPONSE_CHANGE_CONTACT:
      return "change the contact";
    case v1::RESPONSE_END_BUSINESS:
      return "end the business";
    case v1::RESPONSE_UNSPECIFIED:
    case v1::Response_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Response_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "?";
}

std::string SeverityName(v1::Severity s) {
  return absl::AsciiStrToLower(absl::StripPrefix(v1::Severity_Name(s), "SEVERITY_"));
}

absl::Status CheckWho(const Rule& rule, const Incident& incident, const Actor& actor,
                      const Action& action) {
  const bool manager = ManagesTeam(actor, incident.team());
  const bool member =
      manager || (actor.team == incident.team() && actor.role == Role::kMember);
  const bool asked = IsAskedManager(actor, incident);
  switch (rule.who) {
    case Who::kApprover:
      if (manager || asked) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(rule.name, " needs role manager; you are ",
                                                      RoleName(actor.role)));
    case Who::kAddressee:
      if (member || asked) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(
          rule.name, " needs role member or manager; you are ", RoleName(actor.role)));
    case Who::kTeamMember:
      if (member) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(
          rule.name, " needs role member or manager; you are ", RoleName(actor.role)));
    case Who::kOwnerOrManager:
      if (manager || (member && actor.name == incident.owner())) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(
          rule.name, " needs the incident's owner (", incident.owner(), ") or role manager"));
    case Who::kManager:
      if (manager) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(rule.name, " needs role manager; you are ",
                                                      RoleName(actor.role)));
    case Who::kCaseManager:
      if (manager || asked || (actor.role == Role::kManager && actor.name == incident.manager())) {
        return absl::OkStatus();
      }
      return absl::PermissionDeniedError(absl::StrCat(rule.name, " needs role manager; you are ",
                                                      RoleName(actor.role)));
    case Who::kOfferApprover:
      if (actor.role == Role::kManager || actor.role == Role::kAdmin) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(rule.name, " needs role manager; you are ",
                                                      RoleName(actor.role)));
    case Who::kMeasureOwner: {
      if (manager || (member && actor.name == incident.owner())) return absl::OkStatus();
      const int n = action.number;
      if (member && n >= 1 && n <= incident.measures_size() &&
          incident.measures(n - 1).owner() == actor.name) {
        return absl::OkStatus();
      }
      return absl::PermissionDeniedError(absl::StrCat(
          rule.name, " needs the measure's owner, the incident's owner (", incident.owner(),
          ") or role manager"));
    }
  }
  return absl::InternalError("unknown rule");
}

absl::Status CheckState(const Rule& rule, const Incident& incident) {
  if (rule.allowed_in & Bit(incident.state())) return absl::OkStatus();
  const Playbook playbook = PlaybookOf(incident.kind());
  if (rule.allowed_in == kNever) {
    return absl::FailedPreconditionError(absl::StrCat("incident ", incident.id(), " is ",
                                                      PlaybookName(playbook), ": no ", rule.name,
                                                      " (", rule.why_not, ")"));
  }
  std::vector<absl::string_view> allowed;
  for (const Rule& r : kRules) {
    if ((r.playbooks & Of(playbook)) && (r.allowed_in & Bit(incident.state()))) {
      allowed.push_back(r.name);
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", rule.name, " incident ", incident.id(), " in state ",
                   StateName(incident.state()), "; allowed: ", absl::StrJoin(allowed, ", ")));
}

// Only this round's measures and follow-ups count: after a reopen the old plan proved nothing.
// FAILED_PRECONDITION naming the limit when `incident` already holds `limit` of `what`
// (incident_limits.h).
absl::Status CheckRoom(absl::string_view what, int held, int limit, const Incident& incident) {
  if (held < limit) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("incident ", incident.id(), " already has ",
                                                    held, " ", what, ", the most it may hold"));
}

absl::Status CheckAttendees(const std::vector<std::string>& attendees) {
  if (static_cast<int>(attendees.size()) <= kMaxAttendees) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "attendees: ", attendees.size(), " named, a visit has at most ", kMaxAttendees));
}

int OpenPromises(const Incident& incident) {
  return static_cast<int>(std::count_if(incident.promises().begin(), incident.promises().end(),
                                        [](const v1::Promise& p) { return !p.has_kept_at(); }));
}

int CurrentMeasures(const Incident& incident) {
  return std::count_if(incident.measures().begin(), incident.measures().end(),
                       [&](const auto& m) { return m.round() == incident.round(); });
}

// The round's measures that the policy wants verified and are not: "2, 3".
std::string UnverifiedMeasures(const Incident& incident, const Rules& rules) {
  std::vector<int> numbers;
  if (rules.policy.For(incident.severity()).verify_measures) {
    for (const v1::PreventionMeasure& m : incident.measures()) {
      if (m.round() == incident.round() && !m.has_verified_at()) numbers.push_back(m.number());
    }
  }
  return absl::StrJoin(numbers, ", ");
}

bool CurrentRoundComplete(const Incident& incident, const Rules& rules) {
  const auto current = [&](const auto& x) { return x.round() == incident.round(); };
  return incident.state() == v1::STATE_FOLLOW_UP &&
         std::none_of(incident.measures().begin(), incident.measures().end(),
                      [&](const auto& m) { return current(m) && !m.has_done_at(); }) &&
         UnverifiedMeasures(incident, rules).empty() &&
         std::all_of(incident.checklist().begin(), incident.checklist().end(),
                     [](const v1::ChecklistItem& c) { return c.has_done_at(); }) &&
         std::any_of(incident.follow_ups().begin(), incident.follow_ups().end(), current);
}

// OK if `user`, as owner or holder of work in `after`, may read it: a confidential case is
// not theirs to see, nor a conduct case about them.
absl::Status CheckMayWorkOn(absl::string_view field, const Actor& user, const Incident& after) {
  if (CanRead(after, user)) return absl::OkStatus();
  if (after.subject() == user.name) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": incident ", after.id(), " is about ", user.name, ": they may not work on it"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": ", user.name, " cannot read incident ", after.id(),
      " (confidential: only its reporter, its owner and the managers of ", after.team(),
      " do)"));
}

// OK if `user`, named in `field`, can take on work.
absl::Status CheckStanding(absl::string_view field, const Actor& user) {
  switch (user.standing) {
    case Standing::kActive:
      return absl::OkStatus();
    case Standing::kRevoked:
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": ", user.name, "'s token is revoked, so they could not act on it (",
          "amendsd admin token rotate ", user.name, " issues a new one)"));
    case Standing::kDeactivated:
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": ", user.name,
          " is deactivated and cannot be given incidents, measures or promises"));
  }
  return absl::InternalError("unknown standing");
}

absl::Status CheckTeamUser(absl::string_view field, const std::optional<Actor>& user,
                           const Incident& incident) {
  if (!user) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (user->team != incident.team() ||
      (user->role != Role::kMember && user->role != Role::kManager)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", user->name, " is not a member or manager of team ", incident.team()));
  }
  return CheckStanding(field, *user);
}

std::string LocalTime(absl::Time t, const Rules& rules) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", t, rules.calendar.zone());
}

// In the team's zone, as the user typed it.
absl::Status CheckFuture(absl::string_view field, const std::optional<absl::Time>& at,
                         absl::Time now, const Rules& rules) {
  if (!at) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (*at < now) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", LocalTime(*at, rules), " is in the past"));
  }
  return absl::OkStatus();
}

// The action's own arguments and preconditions, once role and state allow it.
// Whether a fired reminder is addressed to the actor.
bool AddressedTo(const v1::ReminderNotice& n, const Actor& actor) {
  return (!n.user().empty() && n.user() == actor.name) ||
         (!n.managers_of().empty() && ManagesTeam(actor, n.managers_of()));
}

// `number` picks one of `count` numbered items (measures, promises).
absl::Status CheckNumber(absl::string_view items, int number, int count,
                         const Incident& incident) {
  if (number >= 1 && number <= count) return absl::OkStatus();
  if (count == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("number: incident ", incident.id(), " has no ", items));
  }
  return absl::InvalidArgumentError(absl::StrCat("number: incident ", incident.id(), " has ",
                                                 items, " 1 to ", count, ", not ", number));
}

bool IsDone(const v1::PreventionMeasure& m) { return m.has_done_at(); }
bool IsDone(const v1::Promise& p) { return p.has_kept_at(); }
bool IsDone(const v1::ChecklistItem& c) { return c.has_done_at(); }

// `number` picks one of `items` (measures, promises, checklist items, all numbered from 1)
// that is still open.
template <typename Item>
absl::Status CheckOpen(absl::string_view item, absl::string_view done, int number,
                       const google::protobuf::RepeatedPtrField<Item>& items,
                       const Incident& incident) {
  if (auto s = CheckNumber(absl::StrCat(item, "s"), number, items.size(), incident); !s.ok()) {
    return s;
  }
  if (IsDone(items[number - 1])) {
    return absl::FailedPreconditionError(
        absl::StrCat(item, " ", number, " is already ", done));
  }
  return absl::OkStatus();
}

absl::Status CheckHold(const Action& a, const Incident& incident, const Actor& actor,
                       absl::Time now, const Rules& rules) {
  if (incident.has_hold()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "incident ", incident.id(), " is already on hold since ",
        LocalTime(FromProto(incident.hold().since()), rules), ": resume it first"));
  }
  if (auto s = CheckRequired("reason", a.text, kMaxLongTextBytes); !s.ok()) return s;
  if (a.at) {
    if (auto s = CheckFuture("until", a.at, now, rules); !s.ok()) return s;
  }
  const absl::Duration max = rules.policy.max_hold();
  if ((!a.at || *a.at - now > max) && !ManagesTeam(actor, incident.team())) {
    return absl::PermissionDeniedError(absl::StrCat(
        a.at ? "a hold longer than " : "a hold without an end (until) or longer than ",
        absl::FormatDuration(max), " needs role manager"));
  }
  return absl::OkStatus();
}

absl::Status CheckChannel(v1::Channel channel) {
  if (channel == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(channel)) {
    return absl::InvalidArgumentError("channel: required: call, mail or visit");
  }
  return absl::OkStatus();
}

absl::Status CheckCause(const Action& a, const Rules& rules) {
  if (auto s = CheckRequired("what", a.text, kMaxLongTextBytes); !s.ok()) return s;
  if (auto s = CheckRequired("why_missed", a.why_missed, kMaxLongTextBytes); !s.ok()) return s;
  const std::vector<std::string>& known = rules.policy.cause_categories();
  if (!a.category.empty() && std::find(known.begin(), known.end(), a.category) == known.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("category: \"", absl::CHexEscape(a.category.substr(0, kMaxNameBytes)),
                     "\" is not one of the policy's: ", absl::StrJoin(known, ", ")));
  }
  return absl::OkStatus();
}

absl::string_view OfferStateName(v1::Offer::State state) {
  switch (state) {
    case v1::Offer::STATE_ASKED:
      return "waiting for approval";
    case v1::Offer::STATE_APPROVED:
      return "approved";
    case v1::Offer::STATE_DECLINED:
      return "declined";
    case v1::Offer::STATE_DELIVERED:
      return "delivered";
    case v1::Offer::STATE_UNSPECIFIED:
    case v1::Offer_State_Offer_State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Offer_State_Offer_State_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "?";
}

absl::Status CheckOfferDecision(const Action& a, const Incident& incident, const Actor& actor,
                                const Rules& rules) {
  const absl::string_view name = ActionName(a.type);
  if (auto s = CheckNumber("offers", a.number, incident.offers_size(), incident); !s.ok()) {
    return s;
  }
  const v1::Offer& o = incident.offers(a.number - 1);
  if (!MayDecideOffer(actor, o, incident, rules.policy)) {
    return absl::PermissionDeniedError(absl::StrCat(
        name, " of offer ", a.number, " (", FormatYen(o.amount_yen()), ") needs ",
        o.approver_level() == 0 ? std::string("an admin: it is above every level's limit")
                                : absl::StrCat("role manager of ", o.approver_team(),
                                               " or of a level above it, or an admin")));
  }
  if (actor.name == o.offered_by()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "you made offer ", a.number, ": someone else with the authority must decide it"));
  }
  if (o.state() != v1::Offer::STATE_ASKED) {
    return absl::FailedPreconditionError(
        absl::StrCat("offer ", a.number, " is already ", OfferStateName(o.state())));
  }
  if (a.type == ActionType::kDeclineOffer) {
    return CheckRequired("reason", a.text, kMaxLongTextBytes);
  }
  return CheckBytes("note", a.text, kMaxLongTextBytes);
}

absl::Status CheckVerification(const Action& a, const Incident& incident, const Actor& actor,
                               absl::Time now, const Rules& rules) {
  if (auto s = CheckNumber("measures", a.number, incident.measures_size(), incident); !s.ok()) {
    return s;
  }
  const v1::PreventionMeasure& m = incident.measures(a.number - 1);
  if (m.round() != incident.round()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "measure ", a.number, " belongs to round ", m.round(), ", whose plan did not hold"));
  }
  if (!m.has_done_at()) {
    return absl::FailedPreconditionError(
        absl::StrCat("measure ", a.number, " is not done yet: measure done first"));
  }
  if (m.has_verified_at()) {
    return absl::FailedPreconditionError(
        absl::StrCat("measure ", a.number, " is already verified by ", m.verified_by()));
  }
  // An effectiveness check means a second pair of eyes.
  if (actor.name == m.owner() || actor.name == m.done_by()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "measure ", a.number, " is ", actor.name == m.owner() ? "yours" : "marked done by you",
        ": someone other than its owner and the one who marked it done verifies it"));
  }
  if (!a.failed) {
    if (a.at) return absl::InvalidArgumentError("due: only a failed check sets a new due time");
    return CheckBytes("note", a.text, kMaxLongTextBytes);
  }
  if (auto s = CheckRequired("note", a.text, kMaxLongTextBytes); !s.ok()) {
    return absl::InvalidArgumentError("note: required with failed: what did not work");
  }
  if (a.at) return CheckFuture("due", a.at, now, rules);
  if (FromProto(m.due()) <= now) {
    return absl::InvalidArgumentError(
        absl::StrCat("due: measure ", a.number, " was due ", LocalTime(FromProto(m.due()), rules),
                     ": give it a new due time"));
  }
  return absl::OkStatus();
}

absl::Status Check(const Action& a, const Incident& incident, const Actor& actor,
                   absl::Time now, const Rules& rules) {
  switch (a.type) {
    case ActionType::kAddNote:
      return CheckRequired("text", a.text, kMaxLongTextBytes);
    case ActionType::kHandOver: {
      if (auto s = CheckTeamUser("to", a.user, incident); !s.ok()) return s;
      if (a.user->name == a.from) {
        return absl::InvalidArgumentError("to: the successor must be someone else than from");
      }
      if (!HoldsWork(incident, a.from)) {
        return absl::FailedPreconditionError(
            absl::StrCat(a.from, " holds nothing open in incident ", incident.id()));
      }
      // Measures and promises of a case are work on it: the successor must be able to read it.
      v1::Incident after = incident;
      if (after.owner() == a.from) after.set_owner(a.user->name);
      if (auto s = CheckMayWorkOn("to", *a.user, after); !s.ok()) return s;
      return CheckRequired("note", a.text, kMaxLongTextBytes);
    }
    case ActionType::kAssign: {
      if (auto s = CheckTeamUser("new_owner", a.user, incident); !s.ok()) return s;
      if (a.user->name == incident.owner()) {
        return absl::InvalidArgumentError(
            absl::StrCat("new_owner: ", a.user->name, " already owns incident ", incident.id()));
      }
      v1::Incident after = incident;
      after.set_owner(a.user->name);
      if (auto s = CheckMayWorkOn("new_owner", *a.user, after); !s.ok()) return s;
      return CheckRequired("note", a.text, kMaxLongTextBytes);
    }
    case ActionType::kDecideResponse:
      if (a.decision == v1::RESPONSE_UNSPECIFIED || !v1::Response_IsValid(a.decision)) {
        return absl::InvalidArgumentError(
            "decision: required: warn-client, change-contact or end-business");
      }
      return CheckBytes("note", a.text, kMaxLongTextBytes);
    case ActionType::kAddChecklistItem:
      if (auto s = CheckRoom("checklist items", incident.checklist_size(), kMaxChecklistItems,
                             incident);
          !s.ok()) {
        return s;
      }
      return CheckRequired("add", a.text, kMaxLongTextBytes);
    case ActionType::kCompleteChecklistItem:
      return CheckOpen("checklist item", "done", a.number, incident.checklist(), incident);
    case ActionType::kRecordFirstApology:
      if (incident.has_first_apology()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the first apology for incident ", incident.id(), " is already recorded"));
      }
      if (auto s = CheckChannel(a.channel); !s.ok()) return s;
      return CheckBytes("note", a.text, kMaxLongTextBytes);
    case ActionType::kEscalate:
    case ActionType::kReopen:
      return CheckRequired("reason", a.text, kMaxLongTextBytes);
    case ActionType::kApproveEscalation:
    case ActionType::kDeclineEscalation:
      // Deciding on one's own escalation either way would defeat the point of escalating.
      if (actor.name == incident.reporter()) {
        return absl::PermissionDeniedError(absl::StrCat(
            "you reported incident ", incident.id(), ": another manager of team ",
            incident.team(), " must decide on its escalation"));
      }
      if (a.type == ActionType::kDeclineEscalation) {
        return CheckRequired("reason", a.text, kMaxLongTextBytes);
      }
      return CheckBytes("note", a.text, kMaxLongTextBytes);
    case ActionType::kScheduleVisit:
      if (auto s = CheckFuture("planned_at", a.at, now, rules); !s.ok()) return s;
      if (auto s = CheckAttendees(a.attendees); !s.ok()) return s;
      for (const std::string& name : a.attendees) {
        if (auto s = CheckRequired("attendees", name, kMaxNameBytes); !s.ok()) return s;
      }
      return absl::OkStatus();
    case ActionType::kRecordVisit:
      if (auto s = CheckRequired("outcome", a.text, kMaxLongTextBytes); !s.ok()) return s;
      // A visit is recorded once scheduled, or scheduled and recorded in one step with the
      // time it took place.
      if (incident.visit().has_planned_at()) {
        if (a.at) {
          return absl::FailedPreconditionError(
              absl::StrCat("held_at: the visit is scheduled for ",
                           LocalTime(FromProto(incident.visit().planned_at()), rules),
                           "; record it without a time"));
        }
      } else if (!a.at) {
        return absl::FailedPreconditionError(
            "the visit was not scheduled: schedule it first (visit schedule), or give the time "
            "it took place (held_at) to record it in one step");
      } else if (*a.at > now) {
        return absl::InvalidArgumentError(
            absl::StrCat("held_at: ", LocalTime(*a.at, rules), " is in the future"));
      }
      if (auto s = CheckAttendees(a.attendees); !s.ok()) return s;
      for (const std::string& name : a.attendees) {
        if (auto s = CheckRequired("attendees", name, kMaxNameBytes); !s.ok()) return s;
      }
      return absl::OkStatus();
    case ActionType::kAddMeasure:
      if (auto s = CheckRoom("measures in this round", CurrentMeasures(incident),
                             kMaxMeasuresPerRound, incident);
          !s.ok()) {
        return s;
      }
      if (auto s = CheckRequired("text", a.text, kMaxLongTextBytes); !s.ok()) return s;
      if (auto s = CheckTeamUser("owner", a.user, incident); !s.ok()) return s;
      // Owning a measure means working on the case: a confidential one is not theirs to see.
      if (auto s = CheckMayWorkOn("owner", *a.user, incident); !s.ok()) return s;
      return CheckFuture("due", a.at, now, rules);
    case ActionType::kCompleteMeasure:
      return CheckOpen("measure", "done", a.number, incident.measures(), incident);
    case ActionType::kAssignMeasure: {
      if (auto s = CheckOpen("measure", "done", a.number, incident.measures(), incident);
          !s.ok()) {
        return s;
      }
      if (auto s = CheckTeamUser("new_owner", a.user, incident); !s.ok()) return s;
      const v1::PreventionMeasure& m = incident.measures(a.number - 1);
      if (a.user->name == m.owner()) {
        return absl::InvalidArgumentError(
            absl::StrCat("new_owner: ", m.owner(), " already owns measure ", a.number));
      }
      // Owning a measure means working on the case: a confidential one is not theirs to see.
      if (auto s = CheckMayWorkOn("new_owner", *a.user, incident); !s.ok()) return s;
      return CheckBytes("note", a.text, kMaxLongTextBytes);
    }
    case ActionType::kEdit:
      return CheckCorrection(a.correction, a.text, incident, actor);
    case ActionType::kPresentPlan:
      if (incident.kind() == v1::KIND_HARASSMENT && !incident.has_response()) {
        return absl::FailedPreconditionError(
            "the company's response to the client is not decided: response first");
      }
      if (CurrentMeasures(incident) == 0) {
        return absl::FailedPreconditionError(
            "a prevention plan needs at least one measure: measure add first");
      }
      // The client is told why it happened and why nobody noticed, not only what changes.
      if (IsClientFacing(incident.kind()) && !incident.has_cause()) {
        return absl::FailedPreconditionError(
            "a prevention plan needs the cause: what happened and why nobody noticed in time "
            "(cause first)");
      }
      return absl::OkStatus();
    case ActionType::kLogFollowUp:
      if (auto s = CheckRoom("follow-ups", incident.follow_ups_size(), kMaxFollowUps, incident);
          !s.ok()) {
        return s;
      }
      return CheckRequired("note", a.text, kMaxLongTextBytes);
    case ActionType::kMakePromise:
      if (auto s = CheckRoom("open promises", OpenPromises(incident), kMaxOpenPromises,
                             incident);
          !s.ok()) {
        return s;
      }
      if (auto s = CheckRequired("text", a.text, kMaxLongTextBytes); !s.ok()) return s;
      // The promise is the owner's: one who can no longer act must hand the case over first.
      if (a.user && a.user->name == incident.owner()) {
        if (auto s = CheckStanding("owner", *a.user); !s.ok()) {
          return absl::FailedPreconditionError(absl::StrCat(
              s.message(), ": hand incident ", incident.id(), " over first (amends assign)"));
        }
      }
      return CheckFuture("by", a.at, now, rules);
    case ActionType::kKeepPromise:
      return CheckOpen("promise", "kept", a.number, incident.promises(), incident);
    case ActionType::kHold:
      return CheckHold(a, incident, actor, now, rules);
    case ActionType::kResume:
      if (!incident.has_hold()) {
        return absl::FailedPreconditionError(
            absl::StrCat("incident ", incident.id(), " is not on hold"));
      }
      return absl::OkStatus();
    case ActionType::kAcknowledge:
      if (std::none_of(incident.reminders().begin(), incident.reminders().end(),
                       [&](const v1::ReminderNotice& n) { return AddressedTo(n, actor); })) {
        return absl::FailedPreconditionError(
            absl::StrCat("incident ", incident.id(), " has no reminders for you"));
      }
      return absl::OkStatus();
    case ActionType::kClose: {
      if (CurrentRoundComplete(incident, rules)) {
        return CheckBytes("reason", a.text, kMaxLongTextBytes);
      }
      if (!ManagesTeam(actor, incident.team())) {
        const std::string unverified = UnverifiedMeasures(incident, rules);
        return absl::PermissionDeniedError(absl::StrCat(
            "closing before every measure and checklist item is done",
            unverified.empty() ? "" : " and verified",
            " and a follow-up is logged needs role manager",
            unverified.empty() ? ""
                               : absl::StrCat(" (measures not verified by someone other than "
                                              "their owner: ", unverified, ")")));
      }
      return CheckRequired("reason", a.text, kMaxLongTextBytes);
    }
    case ActionType::kRecordExpectation:
      return CheckRequired("text", a.text, kMaxLongTextBytes);
    case ActionType::kRecordCause:
      return CheckCause(a, rules);
    case ActionType::kRecordManagerApology:
      if (incident.has_manager_apology()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the manager's own apology for incident ", incident.id(), " is already recorded (",
            incident.manager_apology().recorded_by(), ")"));
      }
      if (auto s = CheckChannel(a.channel); !s.ok()) return s;
      return CheckBytes("note", a.text, kMaxLongTextBytes);
    case ActionType::kLogClientUpdate:
      if (auto s = CheckChannel(a.channel); !s.ok()) return s;
      return CheckRequired("note", a.text, kMaxLongTextBytes);
    case ActionType::kMakeOffer:
      if (a.offer_kind == v1::OFFER_KIND_UNSPECIFIED || !v1::OfferKind_IsValid(a.offer_kind)) {
        return absl::InvalidArgumentError(
            "kind: required: discount, refund, free-service or other");
      }
      if (a.amount_yen < 0 || a.amount_yen > kMaxOfferYen) {
        return absl::InvalidArgumentError(
            absl::StrCat("amount_yen: must be between 0 and ", FormatYen(kMaxOfferYen)));
      }
      if (auto s = CheckRoom("offers", incident.offers_size(), kMaxOffers, incident); !s.ok()) {
        return s;
      }
      return CheckRequired("text", a.text, kMaxLongTextBytes);
    case ActionType::kApproveOffer:
    case ActionType::kDeclineOffer:
      return CheckOfferDecision(a, incident, actor, rules);
    case ActionType::kDeliverOffer: {
      if (auto s = CheckNumber("offers", a.number, incident.offers_size(), incident); !s.ok()) {
        return s;
      }
      const v1::Offer& o = incident.offers(a.number - 1);
      if (o.state() != v1::Offer::STATE_APPROVED) {
        return absl::FailedPreconditionError(absl::StrCat(
            "offer ", a.number, " is ", OfferStateName(o.state()), ": only an approved offer "
            "is delivered"));
      }
      return CheckBytes("note", a.text, kMaxLongTextBytes);
    }
    case ActionType::kVerifyMeasure:
      return CheckVerification(a, incident, actor, now, rules);
  }
  return absl::InternalError("unknown action");
}

void RecordCause(const Action& a, Incident& incident, const Actor& actor, absl::Time now) {
  v1::Cause* c = incident.mutable_cause();
  c->Clear();
  c->set_what(a.text);
  c->set_why_missed(a.why_missed);
  c->set_category(a.category.empty() ? "other" : a.category);
  c->set_recorded_by(actor.name);
  *c->mutable_recorded_at() = ToProto(now);
  // As a report links them (recurrence.h): never through a confidential case.
  if (incident.confidential()) return;
  for (const Incident& other : a.client_incidents) {
    if (other.id() != incident.id() && !other.confidential() && other.has_cause() &&
        other.cause().category() == c->category()) {
      c->add_same_category(other.id());
    }
  }
  std::sort(c->mutable_same_category()->begin(), c->mutable_same_category()->end());
}

// Records the action on the incident. REQUIRES: Check() passed.
void Record(const Action& a, Incident& incident, const Actor& actor, absl::Time now,
            const Rules& rules) {
  switch (a.type) {
    case ActionType::kMakePromise: {
      v1::Promise* p = incident.add_promises();
      p->set_number(incident.promises_size());
      p->set_text(a.text);
      p->set_owner(incident.owner());
      *p->mutable_by() = ToProto(*a.at);
      p->set_made_by(actor.name);
      *p->mutable_made_at() = ToProto(now);
      return;
    }
    case ActionType::kKeepPromise: {
      v1::Promise* p = incident.mutable_promises(a.number - 1);
      *p->mutable_kept_at() = ToProto(now);
      p->set_kept_by(actor.name);
      return;
    }
    case ActionType::kHold: {
      v1::Hold* h = incident.mutable_hold();
      h->set_reason(a.text);
      h->set_held_by(actor.name);
      *h->mutable_since() = ToProto(now);
      if (a.at) *h->mutable_until() = ToProto(*a.at);
      PauseStageDeadlines(incident, rules, now);
      return;
    }
    case ActionType::kResume:
      ResumeStageDeadlines(incident, rules, now);
      incident.clear_hold();
      return;
    case ActionType::kAcknowledge: {
      auto* notices = incident.mutable_reminders();
      notices->erase(std::remove_if(notices->begin(), notices->end(),
                                    [&](const v1::ReminderNotice& n) {
                                      return AddressedTo(n, actor);
                                    }),
                     notices->end());
      return;
    }
    case ActionType::kAddNote:  // the timeline event is the note
      return;
    case ActionType::kPresentPlan:
      *incident.mutable_plan_presented_at() = ToProto(now);
      return;
    case ActionType::kDecideResponse: {
      v1::CompanyResponse* r = incident.mutable_response();
      r->set_decision(a.decision);
      r->set_note(a.text);
      r->set_decided_by(actor.name);
      *r->mutable_decided_at() = ToProto(now);
      return;
    }
    case ActionType::kAddChecklistItem: {
      v1::ChecklistItem* c = incident.add_checklist();
      c->set_number(incident.checklist_size());
      c->set_text(a.text);
      return;
    }
    case ActionType::kCompleteChecklistItem: {
      v1::ChecklistItem* c = incident.mutable_checklist(a.number - 1);
      *c->mutable_done_at() = ToProto(now);
      c->set_done_by(actor.name);
      return;
    }
    case ActionType::kDeclineEscalation:  // the reason is in the timeline
      incident.clear_escalation_reason();
      return;
    case ActionType::kLogFollowUp: {
      v1::FollowUp* f = incident.add_follow_ups();
      f->set_note(a.text);
      f->set_logged_by(actor.name);
      *f->mutable_logged_at() = ToProto(now);
      f->set_round(incident.round());
      return;
    }
    case ActionType::kHandOver: {
      for (v1::PreventionMeasure& m : *incident.mutable_measures()) {
        if (!m.has_done_at() && m.owner() == a.from) m.set_owner(a.user->name);
      }
      for (v1::Promise& p : *incident.mutable_promises()) {
        if (!p.has_kept_at() && p.owner() == a.from) p.set_owner(a.user->name);
      }
      if (incident.owner() != a.from) return;
      v1::HandOver* h = incident.mutable_last_hand_over();
      h->set_from_owner(incident.owner());
      h->set_to_owner(a.user->name);
      h->set_note(a.text);
      *h->mutable_at() = ToProto(now);
      incident.set_owner(a.user->name);
      return;
    }
    case ActionType::kAssign: {
      v1::HandOver* h = incident.mutable_last_hand_over();
      h->set_from_owner(incident.owner());
      h->set_to_owner(a.user->name);
      h->set_note(a.text);
      *h->mutable_at() = ToProto(now);
      // Open promises go with the client: the new owner keeps them (DOMAIN.md case 5).
      for (v1::Promise& p : *incident.mutable_promises()) {
        if (!p.has_kept_at() && p.owner() == incident.owner()) p.set_owner(a.user->name);
      }
      incident.set_owner(a.user->name);
      return;
    }
    case ActionType::kRecordFirstApology: {
      v1::FirstApology* f = incident.mutable_first_apology();
      f->set_channel(a.channel);
      f->set_note(a.text);
      f->set_recorded_by(actor.name);
      *f->mutable_recorded_at() = ToProto(now);
      return;
    }
    case ActionType::kEscalate:
      incident.set_escalation_reason(a.text);
      return;
    case ActionType::kApproveEscalation:
      incident.set_manager(actor.name);
      return;
    case ActionType::kScheduleVisit: {
      v1::ApologyVisit* v = incident.mutable_visit();
      *v->mutable_planned_at() = ToProto(*a.at);
      v->mutable_attendees()->Assign(a.attendees.begin(), a.attendees.end());
      return;
    }
    case ActionType::kRecordVisit: {
      v1::ApologyVisit* v = incident.mutable_visit();
      if (a.at) {  // scheduled and recorded in one step
        *v->mutable_planned_at() = ToProto(*a.at);
        v->mutable_attendees()->Assign(a.attendees.begin(), a.attendees.end());
      }
      v->set_outcome(a.text);
      v->set_recorded_by(actor.name);
      *v->mutable_recorded_at() = ToProto(now);
      return;
    }
    case ActionType::kAddMeasure: {
      v1::PreventionMeasure* m = incident.add_measures();
      m->set_number(incident.measures_size());
      m->set_text(a.text);
      m->set_owner(a.user->name);
      *m->mutable_due() = ToProto(*a.at);
      m->set_round(incident.round());
      return;
    }
    case ActionType::kCompleteMeasure: {
      v1::PreventionMeasure* m = incident.mutable_measures(a.number - 1);
      *m->mutable_done_at() = ToProto(now);
      m->set_done_by(actor.name);
      m->clear_verified_by();  // a failed check's: the measure waits for a new one
      m->clear_verification_note();
      return;
    }
    case ActionType::kAssignMeasure:  // its deadline follows the owner (UpdateDeadlines)
      incident.mutable_measures(a.number - 1)->set_owner(a.user->name);
      return;
    case ActionType::kEdit:
      ApplyCorrection(a.correction, incident, rules, now);
      return;
    case ActionType::kClose:
      incident.set_close_reason(a.text);
      return;
    case ActionType::kRecordExpectation: {
      v1::ClientExpectation* e = incident.mutable_expectation();
      e->set_text(a.text);
      e->set_recorded_by(actor.name);
      *e->mutable_recorded_at() = ToProto(now);
      return;
    }
    case ActionType::kRecordCause:
      RecordCause(a, incident, actor, now);
      return;
    case ActionType::kRecordManagerApology: {
      v1::FirstApology* f = incident.mutable_manager_apology();
      f->set_channel(a.channel);
      f->set_note(a.text);
      f->set_recorded_by(actor.name);
      *f->mutable_recorded_at() = ToProto(now);
      return;
    }
    case ActionType::kLogClientUpdate: {
      v1::ClientUpdate* u = incident.add_client_updates();
      u->set_channel(a.channel);
      u->set_note(a.text);
      u->set_logged_by(actor.name);
      *u->mutable_logged_at() = ToProto(now);
      u->set_round(incident.round());
      return;
    }
    case ActionType::kMakeOffer: {
      v1::Offer* o = incident.add_offers();
      o->set_number(incident.offers_size());
      o->set_kind(a.offer_kind);
      o->set_amount_yen(a.amount_yen);
      o->set_text(a.text);
      o->set_offered_by(actor.name);
      *o->mutable_offered_at() = ToProto(now);
      o->set_state(v1::Offer::STATE_ASKED);
      const OfferApprover approver = ApproverFor(a.amount_yen, incident, rules.policy);
      o->set_approver_level(approver.level);
      o->set_approver_team(approver.team);
      return;
    }
    case ActionType::kApproveOffer:
    case ActionType::kDeclineOffer: {
      v1::Offer* o = incident.mutable_offers(a.number - 1);
      o->set_state(a.type == ActionType::kApproveOffer ? v1::Offer::STATE_APPROVED
                                                       : v1::Offer::STATE_DECLINED);
      o->set_decided_by(actor.name);
      *o->mutable_decided_at() = ToProto(now);
      o->set_decision_note(a.text);
      return;
    }
    case ActionType::kDeliverOffer: {
      v1::Offer* o = incident.mutable_offers(a.number - 1);
      o->set_state(v1::Offer::STATE_DELIVERED);
      o->set_delivered_by(actor.name);
      *o->mutable_delivered_at() = ToProto(now);
      return;
    }
    case ActionType::kVerifyMeasure: {
      v1::PreventionMeasure* m = incident.mutable_measures(a.number - 1);
      if (a.failed) {  // open again; its deadline comes back (UpdateDeadlines)
        m->clear_done_at();
        m->clear_done_by();
        if (a.at) *m->mutable_due() = ToProto(*a.at);
        m->set_verified_by(actor.name);
        m->set_verification_note(a.text);
        return;
      }
      *m->mutable_verified_at() = ToProto(now);
      m->set_verified_by(actor.name);
      m->set_verification_note(a.text);
      return;
    }
    case ActionType::kReopen:
      // A new round: apology, escalation, visit, plan and follow-ups start over. The old
      // measures stay in view, marked with their round; the timeline keeps everything.
      incident.set_round(incident.round() + 1);
      incident.clear_first_apology();
      incident.clear_visit();
      incident.clear_manager();
      incident.clear_escalation_reason();
      incident.clear_close_reason();
      incident.clear_response();
      incident.clear_expectation();
      incident.clear_cause();
      incident.clear_manager_apology();
      return;
  }
}

// "call: 部長に電話でお詫び".
std::string ChannelText(const Action& a) {
  return absl::StrCat(absl::AsciiStrToLower(absl::StripPrefix(v1::Channel_Name(a.channel),
                                                              "CHANNEL_")),
                      a.text.empty() ? "" : ": ", a.text);
}

// "offer 2, discount ¥300,000".
std::string OfferText(const v1::Offer& o) {
  return absl::StrCat("offer ", o.number(), ", ", OfferKindName(o.kind()), " ",
                      FormatYen(o.amount_yen()));
}

// The text the timeline keeps for the action.
std::string EventText(const Action& a, const Incident& before, const Incident& after,
                      const Rules& rules) {
  switch (a.type) {
    case ActionType::kAssign:
      return absl::StrCat(before.owner(), " -> ", after.owner(), ": ", a.text);
    case ActionType::kHandOver:
      return absl::StrCat(a.from, "'s work -> ", a.user->name, ": ", a.text);
    case ActionType::kScheduleVisit:
      return absl::StrCat(LocalTime(*a.at, rules), a.attendees.empty() ? "" : " with ",
                          absl::StrJoin(a.attendees, ", "));
    case ActionType::kMakePromise:
      return absl::StrCat(after.promises_size(), ". by ", LocalTime(*a.at, rules), ": ",
                          a.text);
    case ActionType::kKeepPromise:
      return absl::StrCat(a.number, ". ", before.promises(a.number - 1).text());
    case ActionType::kHold:
      return a.at ? absl::StrCat(a.text, " (until ", LocalTime(*a.at, rules), ")") : a.text;
    case ActionType::kResume:
      return absl::StrCat("on hold since ", LocalTime(FromProto(before.hold().since()), rules),
                          ": ", before.hold().reason());
    case ActionType::kAcknowledge:
      return absl::StrCat(before.reminders_size() - after.reminders_size(),
                          " reminder(s) acknowledged");
    case ActionType::kRecordFirstApology:
      return ChannelText(a);
    case ActionType::kCompleteMeasure:
      return absl::StrCat(a.number, ". ",
                          before.measures(a.number - 1).text());
    case ActionType::kAddMeasure:
      return absl::StrCat(after.measures_size(), ". ", a.text, " (", a.user->name, ")");
    case ActionType::kAssignMeasure:
      return absl::StrCat(a.number, ". ", before.measures(a.number - 1).text(), " (",
                          before.measures(a.number - 1).owner(), " -> ", a.user->name, ")",
                          a.text.empty() ? "" : ": ", a.text);
    case ActionType::kEdit:
      return CorrectionText(a.correction, a.text, before, after);
    case ActionType::kDecideResponse:
      return absl::StrCat(ResponseName(a.decision), a.text.empty() ? "" : ": ", a.text);
    case ActionType::kAddChecklistItem:
      return absl::StrCat(after.checklist_size(), ". ", a.text);
    case ActionType::kCompleteChecklistItem:
      return absl::StrCat(a.number, ". ", before.checklist(a.number - 1).text());
    case ActionType::kRecordManagerApology:
    case ActionType::kLogClientUpdate:
      return ChannelText(a);
    case ActionType::kRecordCause: {
      const v1::Cause& c = after.cause();
      std::string text = absl::StrCat("[", c.category(), "] ", c.what(),
                                      "; not noticed in time because: ", c.why_missed());
      if (c.same_category_size() > 0) {
        absl::StrAppend(&text, " (the same category as #",
                        absl::StrJoin(c.same_category(), ", #"), ")");
      }
      return text;
    }
    case ActionType::kMakeOffer: {
      const v1::Offer& o = after.offers(after.offers_size() - 1);
      return absl::StrCat(OfferText(o), ": ", a.text, " (asks ",
                          o.approver_level() == 0 ? std::string("an admin")
                                                  : absl::StrCat("managers of ", o.approver_team()),
                          ")");
    }
    case ActionType::kApproveOffer:
    case ActionType::kDeclineOffer:
    case ActionType::kDeliverOffer:
      return absl::StrCat(OfferText(before.offers(a.number - 1)), a.text.empty() ? "" : ": ",
                          a.text);
    case ActionType::kVerifyMeasure: {
      std::string text = absl::StrCat(a.number, ". ", before.measures(a.number - 1).text(),
                                      a.text.empty() ? "" : ": ", a.text);
      if (a.failed) {
        absl::StrAppend(&text, " (did not work: open again, due ",
                        LocalTime(FromProto(after.measures(a.number - 1).due()), rules), ")");
      }
      return text;
    }
    case ActionType::kClose: {
      // Closing is a manager's call, but what was still owed stays on the record.
      std::string text = a.text;
      if (std::any_of(before.deadlines().begin(), before.deadlines().end(),
                      [](const v1::Deadline& d) { return d.key() == kManagerApologyKey; })) {
        absl::StrAppend(&text, text.empty() ? "" : " ",
                        "(closed with the manager's own apology to the client still owed)");
      }
      if (const std::string unverified = UnverifiedMeasures(before, rules);
          !unverified.empty()) {
        absl::StrAppend(&text, text.empty() ? "" : " ", "(closed with measures not verified: ",
                        unverified, ")");
      }
      return text;
    }
    case ActionType::kRecordExpectation:
    case ActionType::kAddNote:
    case ActionType::kEscalate:
    case ActionType::kApproveEscalation:
    case ActionType::kDeclineEscalation:
    case ActionType::kRecordVisit:
    case ActionType::kPresentPlan:
    case ActionType::kLogFollowUp:
    case ActionType::kReopen:
      return a.text;
  }
  return a.text;
}

v1::Event MakeEvent(const Incident& incident, v1::EventType type, const Actor& actor,
                    absl::Time now, State from, std::string text) {
  v1::Event e;
  e.set_incident_id(incident.id());
  e.set_type(type);
  e.set_actor(actor.name);
  *e.mutable_time() = ToProto(now);
  e.set_from_state(from);
  e.set_to_state(incident.state());
  e.set_text(std::move(text));
  return e;
}

absl::Status CheckEnum(absl::string_view field, int value, bool valid) {
  if (value == 0) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (!valid) return absl::InvalidArgumentError(absl::StrCat(field, ": unknown value ", value));
  return absl::OkStatus();
}

// What a report of this kind may carry: a subject for conduct, a checklist for a hand-over;
// harassment and conduct are never made public.
absl::Status CheckReportForKind(const v1::ReportIncidentRequest& r, const Actor& actor,
                                const ReportUsers& users) {
  const Playbook playbook = PlaybookOf(r.kind());
  if (r.has_confidential() && !r.confidential() &&
      (playbook == Playbook::kHarassment || playbook == Playbook::kConduct)) {
    return absl::InvalidArgumentError(
        absl::StrCat("confidential: ", PlaybookName(playbook), " is always confidential"));
  }
  if (!r.subject().empty() || users.subject) {
    if (playbook != Playbook::kConduct) {
      return absl::InvalidArgumentError(
          "subject: only a conduct case names the person it concerns");
    }
    if (!users.subject) return absl::InvalidArgumentError("subject: unknown user");
    if (users.subject->team != r.team()) {
      return absl::InvalidArgumentError(
          absl::StrCat("subject: ", users.subject->name, " is not in team ", r.team()));
    }
    if (users.subject->name == actor.name ||
        (users.owner && users.subject->name == users.owner->name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "subject: ", users.subject->name, " cannot report or own a case about themselves"));
    }
  }
  if (r.checklist_size() > 0 && playbook != Playbook::kHandOver) {
    return absl::InvalidArgumentError("checklist: only a hand-over has a checklist");
  }
  if (r.checklist_size() > kMaxChecklistItems) {
    return absl::InvalidArgumentError(
        absl::StrCat("checklist: at most ", kMaxChecklistItems, " items"));
  }
  for (const std::string& item : r.checklist()) {
    if (auto s = CheckRequired("checklist", item, kMaxLongTextBytes); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// The standard checklist of a hand-over (DOMAIN.md case 5).
constexpr absl::string_view kStandardChecklist[] = {
    "open incidents, promises and measures passed on",
    "key contacts introduced to the successor",
    "what the client is sensitive about told to the successor",
};

absl::Status CheckReport(const v1::ReportIncidentRequest& r) {
  absl::Status checks[] = {
      CheckRequired("client.name", r.client().name(), kMaxNameBytes),
      CheckBytes("client.contact", r.client().contact(), kMaxNameBytes),
      CheckEnum("kind", r.kind(), v1::Kind_IsValid(r.kind())),
      CheckEnum("severity", r.severity(), v1::Severity_IsValid(r.severity())),
      CheckRequired("summary", r.summary(), kMaxLongTextBytes),
      CheckChars("summary", r.summary(), kMaxSummaryChars),
      CheckBytes("details", r.details(), kMaxLongTextBytes),
      CheckBytes("request_id", r.request_id(), kMaxNameBytes),
      CheckBytes("subject", r.subject(), kMaxNameBytes),
  };
  for (absl::Status& s : checks) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

bool HoldsWork(const Incident& incident, absl::string_view user) {
  return incident.owner() == user ||
         std::any_of(incident.measures().begin(), incident.measures().end(),
                     [&](const v1::PreventionMeasure& m) {
                       return !m.has_done_at() && m.owner() == user;
                     }) ||
         std::any_of(incident.promises().begin(), incident.promises().end(),
                     [&](const v1::Promise& p) { return !p.has_kept_at() && p.owner() == user; });
}

absl::string_view ActionName(ActionType type) {
  return RuleFor(type, Playbook::kClientFacing).name;  // the same for every playbook
}

bool StateAllows(v1::Kind kind, State state, ActionType type) {
  return RuleFor(type, PlaybookOf(kind)).allowed_in & Bit(state);
}

absl::StatusOr<Change> Apply(const Incident& incident, const Action& action, const Actor& actor,
                             absl::Time now, const Rules& rules) {
  const Rule& rule = RuleFor(action.type, incident);
  if (auto s = CheckCanRead(incident, actor); !s.ok()) return s;
  if (auto s = CheckWho(rule, incident, actor, action); !s.ok()) return s;
  if (auto s = CheckState(rule, incident); !s.ok()) return s;
  if (auto s = Check(action, incident, actor, now, rules); !s.ok()) return s;

  Change change{incident, {}};
  Incident& next = change.incident;
  Record(action, next, actor, now, rules);
  if (rule.leads_to != kStays) next.set_state(rule.leads_to);
  UpdateDeadlines(next, incident, rules, now);
  next.set_version(incident.version() + 1);
  *next.mutable_updated_at() = ToProto(now);
  const bool moves_on = rule.leads_to != kStays || action.type == ActionType::kAssign ||
                        action.type == ActionType::kHandOver;
  if (auto s = CheckIncidentSize(incident, next, moves_on); !s.ok()) return s;
  const v1::EventType event = action.type == ActionType::kVerifyMeasure && action.failed
                                  ? v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED
                                  : rule.event;
  change.event = MakeEvent(next, event, actor, now, incident.state(),
                           EventText(action, incident, next, rules));
  return change;
}

absl::StatusOr<Change> Report(const v1::ReportIncidentRequest& request, const Actor& actor,
                              absl::string_view team_time_zone, absl::Time now,
                              std::span<const Incident> earlier, const Rules& rules,
                              const ReportUsers& users) {
  if (!ReadsTeam(actor, request.team()) || actor.role == Role::kObserver) {
    return absl::PermissionDeniedError(absl::StrCat(
        "report in team ", request.team(), " needs role member or manager of that team"));
  }
  if (auto s = CheckReport(request); !s.ok()) return s;
  if (ClientKey(request.client().name()).empty()) {
    return absl::InvalidArgumentError("client.name: required");
  }
  if (auto s = CheckReportForKind(request, actor, users); !s.ok()) return s;
  const Playbook playbook = PlaybookOf(request.kind());

  Change change;
  Incident& i = change.incident;
  i.set_team(request.team());
  i.set_team_time_zone(std::string(team_time_zone));
  *i.mutable_client() = request.client();
  i.set_kind(request.kind());
  i.set_severity(request.severity());
  i.set_summary(request.summary());
  i.set_details(request.details());
  i.set_reporter(actor.name);
  i.set_owner(actor.name);
  if (users.subject) i.set_subject(users.subject->name);
  // A new case starts where a reopened one of its kind does.
  i.set_state(RuleFor(ActionType::kReopen, playbook).leads_to);
  i.set_confidential(request.has_confidential()
                         ? request.confidential()
                         : playbook == Playbook::kHarassment || playbook == Playbook::kConduct);
  if (users.owner && users.owner->name != actor.name) {
    if (auto s = CheckTeamUser("owner", users.owner, i); !s.ok()) return s;
    i.set_owner(users.owner->name);
    if (auto s = CheckMayWorkOn("owner", *users.owner, i); !s.ok()) return s;
  }
  for (const ChainLevel& level : rules.policy.TellOnReport(i.kind(), i.severity())) {
    if (level.kind == ChainLevel::Kind::kTeam && level.team != i.team()) {
      i.add_informed_teams(level.team);
    }
  }
  if (playbook == Playbook::kHandOver) {
    for (const std::string& item : request.checklist()) i.add_checklist()->set_text(item);
    if (request.checklist().empty()) {
      for (absl::string_view item : kStandardChecklist) {
        i.add_checklist()->set_text(std::string(item));
      }
    }
    for (int n = 0; n < i.checklist_size(); ++n) i.mutable_checklist(n)->set_number(n + 1);
  }
  LinkClientIncidents(i, earlier);
  std::string text = request.summary();
  // The last plan with this client did not hold: the policy may treat it as more serious.
  if (i.recurrence() && RaiseOnRecurrence(i, rules.policy)) {
    absl::StrAppend(&text, " (severity raised to ", SeverityName(i.severity()),
                    ": recurrence)");
  }
  i.set_round(1);
  *i.mutable_created_at() = ToProto(now);
  *i.mutable_updated_at() = ToProto(now);
  i.set_version(1);
  UpdateDeadlines(i, Incident(), rules, now);
  if (auto s = CheckIncidentSize(Incident(), i, /*moves_on=*/false); !s.ok()) return s;
  change.event = MakeEvent(i, v1::EVENT_TYPE_REPORTED, actor, now, v1::STATE_UNSPECIFIED,
                           std::move(text));
  return change;
}

}  // namespace amends
