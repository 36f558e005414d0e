// The lifecycle rules, exhaustively: every state x action x role, then each rule's details.
// The cases are DOMAIN.md's: a rep (sato) who missed a 15:00 meeting with ＡＢＣ商事, the
// managers of tokyo-sales (tanaka, suzuki), and people who must not act on it.
#include "server/core/lifecycle.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "server/core/client_name.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"
#include "tests/test_rules.h"

namespace amends {
namespace {

using v1::State;

const absl::Time kNow = absl::FromCivil(absl::CivilMinute(2026, 11, 27, 16, 50),
                                        absl::FixedTimeZone(9 * 3600));
const Actor kOwner{"sato", "tokyo-sales", Role::kMember};
const Actor kColleague{"yamada", "tokyo-sales", Role::kMember};
const Actor kManager{"tanaka", "tokyo-sales", Role::kManager};
const Actor kOtherManager{"suzuki", "tokyo-sales", Role::kManager};
const Actor kObserver{"crm-sync", "tokyo-sales", Role::kObserver};
const Actor kOutsider{"kobayashi", "osaka-sales", Role::kManager};
const Actor kAdmin{"root", "", Role::kAdmin};

v1::ReportIncidentRequest MissedAppointment() {
  v1::ReportIncidentRequest r;
  r.set_team("tokyo-sales");
  r.mutable_client()->set_name("ＡＢＣ商事");
  r.mutable_client()->set_contact("山田様");
  r.set_kind(v1::KIND_MISSED_APPOINTMENT);
  r.set_severity(v1::SEVERITY_HIGH);
  r.set_summary("15時のサンプル受け渡しの打ち合わせを失念");
  return r;
}

v1::ReportIncidentRequest OfKind(v1::Kind kind) {
  v1::ReportIncidentRequest r = MissedAppointment();
  r.set_kind(kind);
  return r;
}

// An incident of `kind` reported by sato, moved straight into `state` with one open measure
// where the state can have measures, an open promise, an open checklist item (a hand-over's),
// the company's response where a harassment case has one, and a reminder for each of sato,
// yamada and the managers, so every action's own preconditions can be met. `held` puts it on
// hold.
v1::Incident InStateOf(v1::Kind kind, State state, bool held = false) {
  v1::Incident i = Report(OfKind(kind), kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident;
  i.set_id(7);
  i.set_state(state);
  v1::Promise* p = i.add_promises();
  p->set_number(1);
  p->set_text("15時までに折り返し電話");
  p->set_owner("sato");
  *p->mutable_by() = ToProto(kNow + absl::Hours(1));
  for (const char* user : {"sato", "yamada", ""}) {
    v1::ReminderNotice* n = i.add_reminders();
    n->set_deadline_key("escalate");
    n->set_user(user);
    if (*user == '\0') n->set_managers_of("tokyo-sales");
  }
  if (state == v1::STATE_APOLOGY_VISIT) {
    *i.mutable_visit()->mutable_planned_at() = ToProto(kNow + absl::Hours(20));
  }
  if (held) {
    i.mutable_hold()->set_reason("先方部長の日程待ち");
    *i.mutable_hold()->mutable_since() = ToProto(kNow);
  }
  i.mutable_cause()->set_what("15時の打ち合わせを手帳にだけ記入し、共有カレンダーに入れていなかった");
  i.mutable_cause()->set_category("schedule");
  // Offer 1 waits for the team's managers; offer 2 (sato's too) was approved.
  for (auto state : {v1::Offer::STATE_ASKED, v1::Offer::STATE_APPROVED}) {
    v1::Offer* o = i.add_offers();
    o->set_number(i.offers_size());
    o->set_kind(v1::OFFER_KIND_DISCOUNT);
    o->set_amount_yen(50'000);
    o->set_offered_by("sato");
    o->set_state(state);
    o->set_approver_level(1);
    o->set_approver_team("tokyo-sales");
  }
  if (state == v1::STATE_PREVENTION_PLAN || state == v1::STATE_FOLLOW_UP) {
    v1::PreventionMeasure* m = i.add_measures();
    m->set_number(1);
    m->set_text("共有スケジュールで予定をダブルチェック");
    m->set_owner("sato");
    m->set_round(1);
    *m->mutable_due() = ToProto(kNow + absl::Hours(24 * 7));
    // Measure 2 is sato's and done, waiting for someone else to verify it.
    v1::PreventionMeasure* done = i.add_measures();
    *done = *m;
    done->set_number(2);
    done->set_text("前日夕方に上長とアポイントを確認");
    *done->mutable_done_at() = ToProto(kNow - absl::Hours(1));
    done->set_done_by("sato");
    if (kind == v1::KIND_HARASSMENT) i.mutable_response()->set_decision(v1::RESPONSE_WARN_CLIENT);
  }
  return i;
}

v1::Incident InState(State state, bool held = false) {
  return InStateOf(v1::KIND_MISSED_APPOINTMENT, state, held);
}

// Arguments that satisfy the action's own checks, so only role and state decide.
Action ValidAction(ActionType type) {
  Action a{.type = type, .text = "先方部長に誠意を見せる"};
  switch (type) {
    case ActionType::kAssign: a.user = kColleague; break;
    case ActionType::kRecordFirstApology: a.channel = v1::CHANNEL_CALL; break;
    case ActionType::kScheduleVisit: a.at = kNow + absl::Hours(20); break;
    case ActionType::kAddMeasure:
      a.at = kNow + absl::Hours(24 * 7);
      a.user = kOwner;
      break;
    case ActionType::kCompleteMeasure: a.number = 1; break;
    case ActionType::kKeepPromise: a.number = 1; break;
    case ActionType::kMakePromise: a.at = kNow + absl::Hours(2); break;
    case ActionType::kHold: a.at = kNow + absl::Hours(24); break;
    case ActionType::kHandOver:
      a.user = kColleague;
      a.from = kOwner.name;
      break;
    case ActionType::kDecideResponse: a.decision = v1::RESPONSE_CHANGE_CONTACT; break;
    case ActionType::kCompleteChecklistItem: a.number = 1; break;
    case ActionType::kEdit: a.correction.severity = v1::SEVERITY_CRITICAL; break;  // raised
    case ActionType::kAssignMeasure:
      a.number = 1;
      a.user = kOtherManager;  // reads confidential cases too
      break;
    case ActionType::kRecordCause: a.why_missed = "手帳だけで管理し、誰も気づけなかった"; break;
    case ActionType::kRecordManagerApology: a.channel = v1::CHANNEL_VISIT; break;
    case ActionType::kLogClientUpdate: a.channel = v1::CHANNEL_MAIL; break;
    case ActionType::kMakeOffer:
      a.offer_kind = v1::OFFER_KIND_DISCOUNT;
      a.amount_yen = 50'000;
      break;
    case ActionType::kApproveOffer: a.number = 1; break;
    case ActionType::kDeclineOffer: a.number = 1; break;
    case ActionType::kDeliverOffer: a.number = 2; break;
    case ActionType::kVerifyMeasure: a.number = 2; break;
    default: break;
  }
  return a;
}

const State kStates[] = {v1::STATE_REPORTED,        v1::STATE_ESCALATED,
                         v1::STATE_APOLOGY_VISIT,   v1::STATE_PREVENTION_PLAN,
                         v1::STATE_FOLLOW_UP,       v1::STATE_CLOSED};
const State kOpenStates[] = {v1::STATE_REPORTED, v1::STATE_ESCALATED, v1::STATE_APOLOGY_VISIT,
                             v1::STATE_PREVENTION_PLAN, v1::STATE_FOLLOW_UP};

using A = ActionType;

// The specification of one kind's playbook (issue "Each kind of incident gets its own
// playbook"), written out independently of the table in lifecycle.cc.
struct Spec {
  std::map<State, std::set<ActionType>> allowed_in;
  std::map<ActionType, State> leads_to;  // absent: the state stays
  std::set<ActionType> manager_only;
};

Spec SpecFor(v1::Kind kind) {
  Spec spec;
  // Every kind: open states take notes, hand-overs, promises, acknowledgements and closing;
  // the stages that can wait on the client can be held; follow-ups are logged in FOLLOW_UP.
  for (State s : kOpenStates) {
    spec.allowed_in[s] = {A::kAddNote,     A::kHandOver,    A::kAssign,      A::kClose,
                          A::kMakePromise, A::kKeepPromise, A::kAcknowledge, A::kEdit};
  }
  for (State s : {v1::STATE_APOLOGY_VISIT, v1::STATE_PREVENTION_PLAN, v1::STATE_FOLLOW_UP}) {
    spec.allowed_in[s].insert({A::kHold, A::kResume});
  }
  spec.allowed_in[v1::STATE_FOLLOW_UP].insert(A::kLogFollowUp);
  spec.allowed_in[v1::STATE_CLOSED] = {A::kReopen};
  spec.leads_to = {{A::kClose, v1::STATE_CLOSED}};
  spec.manager_only = {A::kApproveEscalation,    A::kDeclineEscalation, A::kReopen,
                       A::kHandOver,             A::kDecideResponse,    A::kRecordManagerApology,
                       A::kApproveOffer,         A::kDeclineOffer};
  // Measures are verified wherever they are worked on, by someone other than their owner.
  if (kind != v1::KIND_HAND_OVER) {
    for (State s : {v1::STATE_PREVENTION_PLAN, v1::STATE_FOLLOW_UP}) {
      spec.allowed_in[s].insert(A::kVerifyMeasure);
    }
  }
  auto& in = spec.allowed_in;
  switch (kind) {
    case v1::KIND_HARASSMENT:  // no apology, no visit; the managers decide the response
      in[v1::STATE_ESCALATED].insert(A::kApproveEscalation);
      in[v1::STATE_PREVENTION_PLAN].insert({A::kAddMeasure, A::kCompleteMeasure,
                                            A::kAssignMeasure, A::kPresentPlan,
                                            A::kDecideResponse});
      in[v1::STATE_FOLLOW_UP].insert(
          {A::kCompleteMeasure, A::kAssignMeasure, A::kDecideResponse});
      spec.leads_to.insert({{A::kApproveEscalation, v1::STATE_PREVENTION_PLAN},
                            {A::kPresentPlan, v1::STATE_FOLLOW_UP},
                            {A::kReopen, v1::STATE_ESCALATED}});
      break;
    case v1::KIND_CONDUCT:  // measures; an apology only as a manager decides
      for (State s : kOpenStates) in[s].insert(A::kRecordFirstApology);
      in[v1::STATE_ESCALATED].insert(A::kApproveEscalation);
      in[v1::STATE_PREVENTION_PLAN].insert(
          {A::kAddMeasure, A::kCompleteMeasure, A::kAssignMeasure, A::kPresentPlan});
      in[v1::STATE_FOLLOW_UP].insert({A::kCompleteMeasure, A::kAssignMeasure});
      spec.leads_to.insert({{A::kApproveEscalation, v1::STATE_PREVENTION_PLAN},
                            {A::kPresentPlan, v1::STATE_FOLLOW_UP},
                            {A::kReopen, v1::STATE_ESCALATED}});
      spec.manager_only.insert(A::kRecordFirstApology);
      break;
    case v1::KIND_HAND_OVER:  // a checklist, the introduction visit, one follow-up
      for (State s : kOpenStates) in[s].insert({A::kAddChecklistItem, A::kCompleteChecklistItem});
      in[v1::STATE_APOLOGY_VISIT].insert({A::kScheduleVisit, A::kRecordVisit});
      spec.leads_to.insert({{A::kRecordVisit, v1::STATE_FOLLOW_UP},
                            {A::kReopen, v1::STATE_APOLOGY_VISIT}});
      break;
    default:  // client-facing: apology, escalation, apology visit, plan, follow-ups
      // The first apology is owed across stages until recorded; what sincerity is made of
      // (DOMAIN.md) is recorded whenever it happens.
      for (State s : kOpenStates) {
        in[s].insert({A::kRecordFirstApology, A::kRecordExpectation, A::kRecordCause,
                      A::kRecordManagerApology, A::kMakeOffer, A::kApproveOffer,
                      A::kDeclineOffer, A::kDeliverOffer, A::kLogClientUpdate});
      }
      in[v1::STATE_REPORTED].insert(A::kEscalate);
      in[v1::STATE_ESCALATED].insert({A::kApproveEscalation, A::kDeclineEscalation});
      in[v1::STATE_APOLOGY_VISIT].insert({A::kScheduleVisit, A::kRecordVisit});
      in[v1::STATE_PREVENTION_PLAN].insert(
          {A::kAddMeasure, A::kCompleteMeasure, A::kAssignMeasure, A::kPresentPlan});
      in[v1::STATE_FOLLOW_UP].insert({A::kCompleteMeasure, A::kAssignMeasure});
      spec.leads_to = {{A::kEscalate, v1::STATE_ESCALATED},
                       {A::kApproveEscalation, v1::STATE_APOLOGY_VISIT},
                       {A::kDeclineEscalation, v1::STATE_REPORTED},
                       {A::kRecordVisit, v1::STATE_PREVENTION_PLAN},
                       {A::kPresentPlan, v1::STATE_FOLLOW_UP},
                       {A::kClose, v1::STATE_CLOSED},
                       {A::kReopen, v1::STATE_REPORTED}};
      break;
  }
  return spec;
}

// The owner may also hand over, hold, close, correct and give a measure to someone else (the
// fixture's measure is the owner's too), but closing early (every fixture is early: its
// measure or checklist item is open and no follow-up is logged) is a manager's call.
const std::set<ActionType> kOwnerOrManager = {ActionType::kAssign, ActionType::kClose,
                                              ActionType::kHold,   ActionType::kResume,
                                              ActionType::kEdit,   ActionType::kAssignMeasure};

absl::StatusCode Expected(v1::Kind kind, State state, ActionType action, const Actor& actor) {
  const Spec spec = SpecFor(kind);
  const bool confidential = kind == v1::KIND_HARASSMENT || kind == v1::KIND_CONDUCT;
  const bool team_manager = actor.role == Role::kManager && actor.team == "tokyo-sales";
  if (actor.team != "tokyo-sales" && actor.role != Role::kAdmin) {
    return absl::StatusCode::kNotFound;  // another team's incidents do not exist for them
  }
  // A confidential case: its reporter and owner (sato) and the team's managers, not an admin.
  if (confidential && actor.name != kOwner.name && !team_manager) {
    return absl::StatusCode::kNotFound;
  }
  const bool manager = actor.role == Role::kAdmin || team_manager;
  const bool member = manager || (actor.role == Role::kMember && actor.team == "tokyo-sales");
  const bool may = spec.manager_only.count(action)  ? manager
                   : kOwnerOrManager.count(action) ? manager || actor.name == kOwner.name
                                                   : member;
  if (!may) return absl::StatusCode::kPermissionDenied;
  if (!spec.allowed_in.at(state).count(action)) return absl::StatusCode::kFailedPrecondition;
  // sato made the offers and owns the measures: someone else decides and verifies them.
  if ((action == ActionType::kVerifyMeasure || action == ActionType::kApproveOffer ||
       action == ActionType::kDeclineOffer) &&
      actor.name == kOwner.name) {
    return absl::StatusCode::kPermissionDenied;
  }
  if (action == ActionType::kClose && !manager) return absl::StatusCode::kPermissionDenied;
  return absl::StatusCode::kOk;
}

const v1::Kind kKinds[] = {v1::KIND_MISSED_APPOINTMENT, v1::KIND_LATE_DELIVERABLE,
                           v1::KIND_DELIVERY_DELAY,     v1::KIND_COMPLAINT,
                           v1::KIND_OTHER,              v1::KIND_HARASSMENT,
                           v1::KIND_CONDUCT,            v1::KIND_HAND_OVER};

TEST(LifecycleTest, EveryKindStateActionAndRoleFollowsThePlaybooks) {
  int checked = 0;
  for (v1::Kind kind : kKinds) {
    const Spec spec = SpecFor(kind);
    for (State state : kStates) {
      for (ActionType action : kAllActions) {
        EXPECT_EQ(StateAllows(kind, state, action), spec.allowed_in.at(state).count(action) == 1)
            << v1::Kind_Name(kind) << " / " << State_Name(state) << " / " << ActionName(action);
        for (const Actor& actor : {kOwner, kColleague, kManager, kObserver, kOutsider, kAdmin}) {
          SCOPED_TRACE(absl::StrCat(v1::Kind_Name(kind), " / ", State_Name(state), " / ",
                                    ActionName(action), " / ", actor.name));
          const v1::Incident before = InStateOf(kind, state, action == ActionType::kResume);
          absl::StatusOr<Change> change =
              Apply(before, ValidAction(action), actor, kNow, TokyoRules());
          ASSERT_EQ(change.status().code(), Expected(kind, state, action, actor))
              << change.status();
          ++checked;
          if (!change.ok()) continue;
          auto to = spec.leads_to.find(action);
          EXPECT_EQ(change->incident.state(), to == spec.leads_to.end() ? state : to->second);
          EXPECT_EQ(change->incident.version(), before.version() + 1);
          EXPECT_EQ(change->event.from_state(), state);
          EXPECT_EQ(change->event.to_state(), change->incident.state());
          EXPECT_EQ(change->event.actor(), actor.name);
          EXPECT_EQ(change->event.incident_id(), 7);
        }
      }
    }
  }
  EXPECT_EQ(checked,
            static_cast<int>(std::size(kKinds) * std::size(kStates) * std::size(kAllActions) * 6));
}

TEST(LifecycleTest, WrongStateNamesTheStateAndTheActionsItAllows) {
  absl::StatusOr<Change> c =
      Apply(InState(v1::STATE_REPORTED), ValidAction(ActionType::kApproveEscalation), kManager,
            kNow, TokyoRules());
  ASSERT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(c.status().message(),
            "cannot approve incident 7 in state reported; allowed: note, assign, edit, "
            "apologize, escalate, close, promise, promise done, ack, handover, expect, cause, "
            "apologize --as-manager, offer, offer approve, offer decline, offer delivered, "
            "update");
}

TEST(LifecycleTest, MemberApprovingIsDeniedNamingTheRole) {
  absl::StatusOr<Change> c = Apply(InState(v1::STATE_ESCALATED),
                                   ValidAction(ActionType::kApproveEscalation), kOwner, kNow, TokyoRules());
  ASSERT_EQ(c.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(c.status().message(), "approve needs role manager; you are member");
}

TEST(LifecycleTest, ApproveBySelfReporterIsDenied) {
  v1::Incident i = Report(MissedAppointment(), kManager, "Asia/Tokyo", kNow, {}, TokyoRules())->incident;
  i.set_id(8);
  i.set_state(v1::STATE_ESCALATED);
  for (ActionType t : {ActionType::kApproveEscalation, ActionType::kDeclineEscalation}) {
    absl::StatusOr<Change> c = Apply(i, ValidAction(t), kManager, kNow, TokyoRules());
    ASSERT_EQ(c.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_NE(c.status().message().find("another manager of team tokyo-sales"),
              std::string::npos);
  }
  EXPECT_TRUE(Apply(i, ValidAction(ActionType::kApproveEscalation), kOtherManager, kNow, TokyoRules()).ok());
}

TEST(LifecycleTest, ApprovalMakesTheApproverTheIncidentsManager) {
  absl::StatusOr<Change> c =
      Apply(InState(v1::STATE_ESCALATED), {.type = ActionType::kApproveEscalation}, kManager,
            kNow, TokyoRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.manager(), "tanaka");
  EXPECT_EQ(c->event.type(), v1::EVENT_TYPE_ESCALATION_APPROVED);
}

TEST(LifecycleTest, EscalateAndDeclineNeedAReasonNamingTheField) {
  absl::StatusOr<Change> e =
      Apply(InState(v1::STATE_REPORTED), {.type = ActionType::kEscalate, .text = "  "}, kOwner,
            kNow, TokyoRules());
  EXPECT_EQ(e.status(), absl::InvalidArgumentError("reason: required"));
  absl::StatusOr<Change> d = Apply(InState(v1::STATE_ESCALATED),
                                   {.type = ActionType::kDeclineEscalation}, kManager, kNow, TokyoRules());
  EXPECT_EQ(d.status(), absl::InvalidArgumentError("reason: required"));
}

TEST(LifecycleTest, EscalationKeepsItsReason) {
  absl::StatusOr<Change> c = Apply(InState(v1::STATE_REPORTED),
                                   {.type = ActionType::kEscalate, .text = "先方部長がお怒り"},
                                   kOwner, kNow, TokyoRules());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->incident.escalation_reason(), "先方部長がお怒り");
  EXPECT_EQ(c->event.text(), "先方部長がお怒り");
}

TEST(LifecycleTest, FirstApologyIsRecordedOnceWithItsChannel) {
  absl::StatusOr<Change> c = Apply(
      InState(v1::STATE_REPORTED),
      {.type = ActionType::kRecordFirstApology, .text = "電話で謝罪", .channel = v1::CHANNEL_CALL},
      kOwner, kNow, TokyoRules());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->incident.first_apology().channel(), v1::CHANNEL_CALL);
  EXPECT_EQ(c->incident.first_apology().recorded_by(), "sato");
  EXPECT_EQ(Apply(c->incident, ValidAction(ActionType::kRecordFirstApology), kOwner, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Apply(InState(v1::STATE_REPORTED), {.type = ActionType::kRecordFirstApology}, kOwner,
                  kNow, TokyoRules())
                .status(),
            absl::InvalidArgumentError("channel: required: call, mail or visit"));
}

TEST(LifecycleTest, HandOverNeedsANoteAndATeamMemberAndIsKept) {
  const v1::Incident i = InState(v1::STATE_APOLOGY_VISIT);
  EXPECT_EQ(Apply(i, {.type = ActionType::kAssign, .user = kColleague}, kOwner, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("note: required"));
  EXPECT_EQ(Apply(i, {.type = ActionType::kAssign, .text = "引き継ぎ", .user = kOutsider}, kOwner,
                  kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Apply(i, {.type = ActionType::kAssign, .text = "引き継ぎ", .user = kObserver},
                  kOwner, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<Change> c =
      Apply(i, {.type = ActionType::kAssign, .text = "部長は木曜午後なら在席", .user = kColleague},
            kOwner, kNow, TokyoRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.owner(), "yamada");
  EXPECT_EQ(c->incident.last_hand_over().from_owner(), "sato");
  EXPECT_EQ(c->incident.last_hand_over().note(), "部長は木曜午後なら在席");
  EXPECT_EQ(c->event.text(), "sato -> yamada: 部長は木曜午後なら在席");
}

TEST(LifecycleTest, VisitInThePastIsRejectedNamingTheField) {
  absl::StatusOr<Change> c =
      Apply(InState(v1::STATE_APOLOGY_VISIT),
            {.type = ActionType::kScheduleVisit, .at = kNow - absl::Hours(1)}, kOwner, kNow, TokyoRules());
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message().substr(0, 11), "planned_at:");
}

TEST(LifecycleTest, VisitCanBeRescheduledAndItsOutcomeMovesToThePlan) {
  Change c = *Apply(InState(v1::STATE_APOLOGY_VISIT),
                    {.type = ActionType::kScheduleVisit,
                     .at = kNow + absl::Hours(18),
                     .attendees = {"sato", "tanaka"}},
                    kOwner, kNow, TokyoRules());
  c = *Apply(c.incident, {.type = ActionType::kScheduleVisit, .at = kNow + absl::Hours(42)},
             kManager, kNow, TokyoRules());
  EXPECT_EQ(FromProto(c.incident.visit().planned_at()), kNow + absl::Hours(42));
  EXPECT_EQ(c.incident.state(), v1::STATE_APOLOGY_VISIT);
  c = *Apply(c.incident, {.type = ActionType::kRecordVisit, .text = "部長に直接謝罪、再発防止策を約束"},
             kManager, kNow, TokyoRules());
  EXPECT_EQ(c.incident.state(), v1::STATE_PREVENTION_PLAN);
  EXPECT_EQ(c.incident.visit().outcome(), "部長に直接謝罪、再発防止策を約束");
}

TEST(LifecycleTest, MeasuresAreNumberedAndNeedOwnerAndFutureDueDate) {
  v1::Incident i = InState(v1::STATE_PREVENTION_PLAN);
  i.clear_measures();
  EXPECT_EQ(Apply(i, {.type = ActionType::kPresentPlan}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Apply(i, {.type = ActionType::kAddMeasure, .text = "x", .at = kNow + absl::Hours(1)},
                  kOwner, kNow, TokyoRules())
                .status(),
            absl::InvalidArgumentError("owner: required"));
  EXPECT_EQ(Apply(i, {.type = ActionType::kAddMeasure, .text = "x", .user = kOwner}, kOwner, kNow, TokyoRules())
                .status(),
            absl::InvalidArgumentError("due: required"));
  Change c = *Apply(i, ValidAction(ActionType::kAddMeasure), kOwner, kNow, TokyoRules());
  c = *Apply(c.incident, ValidAction(ActionType::kAddMeasure), kOwner, kNow, TokyoRules());
  ASSERT_EQ(c.incident.measures_size(), 2);
  EXPECT_EQ(c.incident.measures(1).number(), 2);
  EXPECT_EQ(Apply(c.incident, {.type = ActionType::kCompleteMeasure, .number = 3}, kOwner,
                  kNow, TokyoRules())
                .status(),
            absl::InvalidArgumentError("number: incident 7 has measures 1 to 2, not 3"));
  c = *Apply(c.incident, {.type = ActionType::kCompleteMeasure, .number = 2}, kOwner,
             kNow, TokyoRules());
  EXPECT_EQ(c.incident.measures(1).done_by(), "sato");
  EXPECT_EQ(Apply(c.incident, {.type = ActionType::kCompleteMeasure, .number = 2},
                  kOwner, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

// Every done measure of the round verified by yamada, who owns none of them.
v1::Incident Verified(v1::Incident i) {
  const v1::Incident before = i;
  for (const v1::PreventionMeasure& m : before.measures()) {
    if (m.round() != i.round() || !m.has_done_at()) continue;
    i = Apply(i, {.type = ActionType::kVerifyMeasure, .number = m.number()}, kColleague, kNow,
              TokyoRules())
            ->incident;
  }
  return i;
}

TEST(LifecycleTest, OwnerClosesOnlyOnceMeasuresAreDoneAndAFollowUpIsLogged) {
  v1::Incident i = InState(v1::STATE_FOLLOW_UP);
  EXPECT_EQ(Apply(i, {.type = ActionType::kClose}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);
  i = Apply(i, {.type = ActionType::kCompleteMeasure, .number = 1}, kOwner, kNow, TokyoRules())
          ->incident;
  EXPECT_EQ(Apply(i, {.type = ActionType::kClose}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);  // no follow-up yet
  i = Apply(i, {.type = ActionType::kLogFollowUp, .text = "1週間後に電話、関係良好"}, kOwner, kNow, TokyoRules())
          ->incident;
  // HIGH: someone other than their owner checks that the measures worked.
  EXPECT_EQ(Apply(i, {.type = ActionType::kClose}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);
  i = Verified(i);
  absl::StatusOr<Change> c = Apply(i, {.type = ActionType::kClose}, kOwner, kNow, TokyoRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.state(), v1::STATE_CLOSED);
}

TEST(LifecycleTest, ManagerClosesEarlyOnlyWithAReason) {
  const v1::Incident i = InState(v1::STATE_ESCALATED);
  EXPECT_EQ(Apply(i, {.type = ActionType::kClose}, kManager, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("reason: required"));
  absl::StatusOr<Change> c =
      Apply(i, {.type = ActionType::kClose, .text = "重複: #3 と同じ件"}, kManager, kNow, TokyoRules());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->incident.close_reason(), "重複: #3 と同じ件");
}

TEST(LifecycleTest, ReopenStartsANewRoundThatNeedsItsOwnPlanAndFollowUp) {
  // Closed properly once: measure done, follow-up logged.
  v1::Incident i = InState(v1::STATE_FOLLOW_UP);
  i = Apply(i, {.type = ActionType::kCompleteMeasure, .number = 1}, kOwner, kNow, TokyoRules())
          ->incident;
  i = Apply(i, {.type = ActionType::kLogFollowUp, .text = "関係良好"}, kOwner, kNow, TokyoRules())->incident;
  i = Apply(Verified(i), {.type = ActionType::kClose}, kOwner, kNow, TokyoRules())->incident;
  ASSERT_EQ(i.state(), v1::STATE_CLOSED);

  EXPECT_EQ(Apply(i, {.type = ActionType::kReopen}, kManager, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("reason: required"));
  absl::StatusOr<Change> c =
      Apply(i, {.type = ActionType::kReopen, .text = "再びアポイントを失念"}, kManager, kNow, TokyoRules());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->incident.state(), v1::STATE_REPORTED);
  EXPECT_EQ(c->incident.round(), 2);
  EXPECT_EQ(c->incident.measures_size(), 2);  // the plan that did not hold stays in view
  EXPECT_EQ(c->event.type(), v1::EVENT_TYPE_REOPENED);

  // The old measure and follow-up prove nothing for the new round.
  v1::Incident again = c->incident;
  again.set_state(v1::STATE_PREVENTION_PLAN);
  EXPECT_EQ(Apply(again, {.type = ActionType::kPresentPlan}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  again = Apply(again, ValidAction(ActionType::kAddMeasure), kOwner, kNow, TokyoRules())->incident;
  EXPECT_EQ(again.measures(2).round(), 2);
  // The cause of the first round is cleared with it: this round's is recorded anew.
  EXPECT_EQ(Apply(again, {.type = ActionType::kPresentPlan}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  again = Apply(again, ValidAction(ActionType::kRecordCause), kOwner, kNow, TokyoRules())->incident;
  again = Apply(again, {.type = ActionType::kPresentPlan}, kOwner, kNow, TokyoRules())->incident;
  again = Apply(again, {.type = ActionType::kCompleteMeasure, .number = 3}, kOwner, kNow, TokyoRules())
              ->incident;
  EXPECT_EQ(Apply(again, {.type = ActionType::kClose}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);  // no follow-up in this round yet
}

TEST(LifecycleTest, DeclineReturnsToReportedAndForgetsTheEscalationReason) {
  v1::Incident i = InState(v1::STATE_ESCALATED);
  i.set_escalation_reason("先方部長がお怒り");
  absl::StatusOr<Change> c = Apply(
      i, {.type = ActionType::kDeclineEscalation, .text = "担当者から再度電話で十分"}, kManager,
      kNow, TokyoRules());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->incident.state(), v1::STATE_REPORTED);
  EXPECT_EQ(c->incident.escalation_reason(), "");
  EXPECT_EQ(c->event.text(), "担当者から再度電話で十分");
}

TEST(LifecycleTest, TextOfOnlyJapaneseSpacesCountsAsEmpty) {
  EXPECT_EQ(Apply(InState(v1::STATE_REPORTED),
                  {.type = ActionType::kAddNote, .text = "\u3000\u3000 \t"}, kOwner, kNow, TokyoRules())
                .status(),
            absl::InvalidArgumentError("text: required"));
}

TEST(LifecycleTest, ConfidentialIncidentIsHiddenFromColleagues) {
  v1::ReportIncidentRequest r = MissedAppointment();
  r.set_kind(v1::KIND_CONDUCT);
  v1::Incident i = Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident;
  i.set_id(9);
  ASSERT_TRUE(i.confidential());
  EXPECT_EQ(Apply(i, ValidAction(ActionType::kAddNote), kColleague, kNow, TokyoRules()).status(),
            absl::NotFoundError("incident 9 not found"));
  EXPECT_EQ(Apply(i, ValidAction(ActionType::kAddNote), kAdmin, kNow, TokyoRules()).status(),
            absl::NotFoundError("incident 9 not found"));
  EXPECT_TRUE(Apply(i, ValidAction(ActionType::kAddNote), kManager, kNow, TokyoRules()).ok());
  EXPECT_TRUE(Apply(i, ValidAction(ActionType::kAddNote), kOwner, kNow, TokyoRules()).ok());
}

TEST(LifecycleTest, HarassmentAndConductAreAlwaysConfidentialOtherKindsWhenTheReporterSays) {
  v1::ReportIncidentRequest r = MissedAppointment();
  EXPECT_FALSE(Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident.confidential());
  r.set_confidential(true);
  EXPECT_TRUE(Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident.confidential());
  for (v1::Kind kind : {v1::KIND_HARASSMENT, v1::KIND_CONDUCT}) {
    r = OfKind(kind);
    EXPECT_TRUE(Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident.confidential());
    r.set_confidential(false);
    absl::StatusOr<Change> c = Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules());
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(c.status().message(), "confidential: ")) << c.status();
  }
}

TEST(LifecycleTest, ReportStartsReportedOwnedByTheReporter) {
  Change c = *Report(MissedAppointment(), kOwner, "Asia/Tokyo", kNow, {}, TokyoRules());
  EXPECT_EQ(c.incident.state(), v1::STATE_REPORTED);
  EXPECT_EQ(c.incident.owner(), "sato");
  EXPECT_EQ(c.incident.reporter(), "sato");
  EXPECT_EQ(c.incident.version(), 1);
  EXPECT_EQ(c.incident.team_time_zone(), "Asia/Tokyo");
  EXPECT_EQ(c.event.type(), v1::EVENT_TYPE_REPORTED);
  EXPECT_FALSE(c.incident.recurrence());
}

TEST(LifecycleTest, ReportRejectsBadInputNamingTheField) {
  struct Case {
    std::function<void(v1::ReportIncidentRequest&)> mutate;
    std::string message;
  };
  const Case cases[] = {
      {[](auto& r) { r.mutable_client()->set_name(""); }, "client.name: required"},
      {[](auto& r) { r.set_kind(v1::KIND_UNSPECIFIED); }, "kind: required"},
      {[](auto& r) { r.set_kind(static_cast<v1::Kind>(42)); }, "kind: unknown value 42"},
      {[](auto& r) { r.set_severity(v1::SEVERITY_UNSPECIFIED); }, "severity: required"},
      {[](auto& r) { r.set_summary(""); }, "summary: required"},
      {[](auto& r) {
         std::string s;
         for (int i = 0; i < 201; ++i) s += "謝";
         r.set_summary(s);
       },
       "summary: 201 characters, at most 200 allowed"},
      {[](auto& r) { r.set_summary("bad \xff\xfe utf-8"); }, "summary: not valid UTF-8"},
      {[](auto& r) { r.set_details(std::string(10 * 1024 + 1, 'x')); },
       "details: 10241 bytes, at most 10240 allowed"},
  };
  for (const Case& c : cases) {
    v1::ReportIncidentRequest r = MissedAppointment();
    c.mutate(r);
    EXPECT_EQ(Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules()).status(),
              absl::InvalidArgumentError(c.message));
  }
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += "謝";
  v1::ReportIncidentRequest r = MissedAppointment();
  r.set_summary(longest);
  EXPECT_TRUE(Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules()).ok());
}

TEST(LifecycleTest, ObserversAndOtherTeamsCannotReport) {
  EXPECT_EQ(Report(MissedAppointment(), kObserver, "Asia/Tokyo", kNow, {}, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Report(MissedAppointment(), kOutsider, "Asia/Tokyo", kNow, {}, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(LifecycleTest, EarlierIncidentsOfTheClientMakeARecurrenceButConfidentialOnesStayHidden) {
  v1::Incident late = InState(v1::STATE_CLOSED);
  late.set_id(3);
  late.set_summary("月次報告書の提出遅れ");
  *late.mutable_plan_presented_at() = ToProto(kNow - absl::Hours(24 * 30));
  v1::Incident conduct = InState(v1::STATE_REPORTED);
  conduct.set_id(4);
  conduct.set_confidential(true);
  Change c = *Report(MissedAppointment(), kOwner, "Asia/Tokyo", kNow, {{late, conduct}}, TokyoRules());
  EXPECT_TRUE(c.incident.recurrence());
  ASSERT_EQ(c.incident.earlier_incidents_size(), 1);
  EXPECT_EQ(c.incident.earlier_incidents(0).id(), 3);
  EXPECT_EQ(c.incident.earlier_incidents(0).summary(), "月次報告書の提出遅れ");

  Change only_conduct = *Report(MissedAppointment(), kOwner, "Asia/Tokyo", kNow, {{conduct}}, TokyoRules());
  EXPECT_FALSE(only_conduct.incident.recurrence());
  EXPECT_EQ(only_conduct.incident.related_open_size(), 0);
}

// An earlier incident of the same client as Report() is given it.
v1::Incident Earlier(int64_t id, State state, v1::Kind kind, bool plan_presented) {
  v1::Incident e = InState(state);
  e.set_id(id);
  e.set_kind(kind);
  e.set_summary(absl::StrCat("案件", id));
  if (plan_presented) *e.mutable_plan_presented_at() = ToProto(kNow - absl::Hours(24 * 30));
  return e;
}

// ---- Playbooks by kind (DOMAIN.md, "Not every kind is the team's failure") -------------------

bool HasDeadline(const v1::Incident& i, absl::string_view key) {
  return std::any_of(i.deadlines().begin(), i.deadlines().end(),
                     [&](const v1::Deadline& d) { return d.key() == key; });
}

TEST(PlaybookTest, HarassmentNeverAsksForAnApologyAndGoesToTheManagersAtOnce) {
  const Change c = *Report(OfKind(v1::KIND_HARASSMENT), kOwner, "Asia/Tokyo", kNow, {},
                           TokyoRules());
  EXPECT_EQ(c.incident.state(), v1::STATE_ESCALATED);
  EXPECT_TRUE(c.incident.confidential());
  EXPECT_FALSE(HasDeadline(c.incident, "first-apology"));
  ASSERT_TRUE(HasDeadline(c.incident, "approve"));
  v1::Incident i = c.incident;
  i.set_id(7);
  absl::StatusOr<Change> apology =
      Apply(i, ValidAction(ActionType::kRecordFirstApology), kOwner, kNow, TokyoRules());
  EXPECT_EQ(apology.status(),
            absl::FailedPreconditionError("incident 7 is a harassment case: no apologize "
                                          "(nobody apologises to a harasser)"));
  EXPECT_EQ(Apply(i, ValidAction(ActionType::kDeclineEscalation), kManager, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PlaybookTest, HarassmentPlanNeedsTheCompanysResponseDecidedByAManager) {
  v1::Incident i = InStateOf(v1::KIND_HARASSMENT, v1::STATE_ESCALATED);
  i = Apply(i, ValidAction(ActionType::kApproveEscalation), kManager, kNow, TokyoRules())
          ->incident;
  EXPECT_EQ(i.state(), v1::STATE_PREVENTION_PLAN);
  EXPECT_TRUE(HasDeadline(i, "plan"));
  i = Apply(i, {.type = ActionType::kAddMeasure, .text = "訪問は必ず上長と二人で行う",
                .at = kNow + absl::Hours(48), .user = kOwner},
            kManager, kNow, TokyoRules())
          ->incident;
  EXPECT_EQ(Apply(i, {.type = ActionType::kPresentPlan}, kManager, kNow, TokyoRules()).status(),
            absl::FailedPreconditionError(
                "the company's response to the client is not decided: response first"));
  const Action response{.type = ActionType::kDecideResponse, .text = "先方部長に窓口変更を依頼",
                        .decision = v1::RESPONSE_CHANGE_CONTACT};
  EXPECT_EQ(Apply(i, response, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Apply(i, {.type = ActionType::kDecideResponse}, kManager, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError(
                "decision: required: warn-client, change-contact or end-business"));
  Change decided = *Apply(i, response, kManager, kNow, TokyoRules());
  EXPECT_EQ(decided.incident.response().decision(), v1::RESPONSE_CHANGE_CONTACT);
  EXPECT_EQ(decided.incident.response().decided_by(), "tanaka");
  EXPECT_EQ(decided.event.text(), "change the contact: 先方部長に窓口変更を依頼");
  const v1::Incident presented =
      Apply(decided.incident, {.type = ActionType::kPresentPlan}, kManager, kNow, TokyoRules())
          ->incident;
  EXPECT_EQ(presented.state(), v1::STATE_FOLLOW_UP);
  // The follow-ups are with the employee.
  EXPECT_TRUE(std::any_of(presented.deadlines().begin(), presented.deadlines().end(),
                          [](const v1::Deadline& d) {
                            return d.what() == "follow-up with the employee 1";
                          }));
}

v1::ReportIncidentRequest ConductAbout(const Actor& subject) {
  v1::ReportIncidentRequest r = OfKind(v1::KIND_CONDUCT);
  r.set_summary("担当者と先方担当者との間の利益相反の懸念");
  r.set_subject(subject.name);
  return r;
}

TEST(PlaybookTest, ConductCaseIsNeverReadNorOwnedByThePersonItIsAbout) {
  // suzuki is a manager of the team, and still does not see the case about him.
  Change c = *Report(ConductAbout(kOtherManager), kManager, "Asia/Tokyo", kNow, {},
                     TokyoRules(), {.subject = kOtherManager});
  v1::Incident i = c.incident;
  i.set_id(7);
  EXPECT_EQ(i.subject(), "suzuki");
  EXPECT_TRUE(i.confidential());
  EXPECT_EQ(i.state(), v1::STATE_ESCALATED);
  EXPECT_FALSE(CanRead(i, kOtherManager));
  EXPECT_EQ(Apply(i, ValidAction(ActionType::kAddNote), kOtherManager, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(CanRead(i, kManager));
  EXPECT_FALSE(CanRead(i, kColleague));
  EXPECT_EQ(Apply(i, {.type = ActionType::kAssign, .text = "引き継ぎ", .user = kOtherManager},
                  kManager, kNow, TokyoRules())
                .status(),
            absl::FailedPreconditionError(
                "new_owner: incident 7 is about suzuki: they may not work on it"));
  EXPECT_EQ(Apply(i, {.type = ActionType::kHandOver, .text = "引き継ぎ", .user = kOtherManager,
                      .from = "tanaka"},
                  kManager, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PlaybookTest, ConductSubjectIsAnotherUserOfTheTeamAndOnlyForConduct) {
  auto report = [](v1::ReportIncidentRequest r, const Actor& by, const ReportUsers& users) {
    return Report(r, by, "Asia/Tokyo", kNow, {}, TokyoRules(), users).status();
  };
  EXPECT_EQ(report(ConductAbout(kOwner), kOwner, {.subject = kOwner}),
            absl::InvalidArgumentError(
                "subject: sato cannot report or own a case about themselves"));
  EXPECT_EQ(report(ConductAbout(kOutsider), kManager, {.subject = kOutsider}),
            absl::InvalidArgumentError("subject: kobayashi is not in team tokyo-sales"));
  EXPECT_EQ(report(ConductAbout(kColleague), kManager, {}),
            absl::InvalidArgumentError("subject: unknown user"));
  v1::ReportIncidentRequest complaint = ConductAbout(kColleague);
  complaint.set_kind(v1::KIND_COMPLAINT);
  EXPECT_EQ(report(complaint, kManager, {.subject = kColleague}),
            absl::InvalidArgumentError(
                "subject: only a conduct case names the person it concerns"));
}

TEST(PlaybookTest, ConductApologyToTheClientIsAManagersDecision) {
  const v1::Incident i = InStateOf(v1::KIND_CONDUCT, v1::STATE_PREVENTION_PLAN);
  EXPECT_EQ(Apply(i, ValidAction(ActionType::kRecordFirstApology), kOwner, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      Apply(i, ValidAction(ActionType::kRecordFirstApology), kManager, kNow, TokyoRules()).ok());
  EXPECT_FALSE(HasDeadline(
      Report(OfKind(v1::KIND_CONDUCT), kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident,
      "first-apology"));
}

TEST(PlaybookTest, HandOverStartsAtItsIntroductionWithAChecklistAndPlansOneFollowUp) {
  const Change c = *Report(OfKind(v1::KIND_HAND_OVER), kOwner, "Asia/Tokyo", kNow, {},
                           TokyoRules());
  v1::Incident i = c.incident;
  i.set_id(7);
  EXPECT_EQ(i.state(), v1::STATE_APOLOGY_VISIT);
  EXPECT_FALSE(i.confidential());
  EXPECT_FALSE(HasDeadline(i, "first-apology"));
  ASSERT_TRUE(HasDeadline(i, "visit"));
  ASSERT_EQ(i.checklist_size(), 3);
  EXPECT_EQ(i.checklist(1).number(), 2);
  EXPECT_EQ(i.checklist(1).text(), "key contacts introduced to the successor");

  i = Apply(i, {.type = ActionType::kRecordVisit, .text = "後任の佐藤を紹介。先方部長も了承",
                .at = kNow - absl::Hours(1), .attendees = {"sato", "yamada"}},
            kOwner, kNow, TokyoRules())
          ->incident;
  EXPECT_EQ(i.state(), v1::STATE_FOLLOW_UP);
  EXPECT_TRUE(HasDeadline(i, "follow-up-1"));
  EXPECT_FALSE(HasDeadline(i, "follow-up-2"));  // the default policy plans two for a complaint
  i = Apply(i, {.type = ActionType::kLogFollowUp, .text = "1週間後に電話。問題なし"}, kOwner, kNow,
            TokyoRules())
          ->incident;
  // The owner closes once every item has passed.
  EXPECT_EQ(Apply(i, {.type = ActionType::kClose}, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);
  for (int n = 1; n <= 3; ++n) {
    i = Apply(i, {.type = ActionType::kCompleteChecklistItem, .number = n}, kOwner, kNow,
              TokyoRules())
            ->incident;
  }
  EXPECT_EQ(Apply(i, {.type = ActionType::kCompleteChecklistItem, .number = 2}, kOwner, kNow,
                  TokyoRules())
                .status(),
            absl::FailedPreconditionError("checklist item 2 is already done"));
  EXPECT_EQ(Apply(i, {.type = ActionType::kClose}, kOwner, kNow, TokyoRules())->incident.state(),
            v1::STATE_CLOSED);
}

TEST(PlaybookTest, OnlyAHandOverHasAChecklist) {
  v1::ReportIncidentRequest r = OfKind(v1::KIND_HAND_OVER);
  r.add_checklist("先方経理部の締め日（毎月20日）");
  const v1::Incident i =
      Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident;
  ASSERT_EQ(i.checklist_size(), 1);  // given: instead of the standard items
  r.set_kind(v1::KIND_COMPLAINT);
  EXPECT_EQ(Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules()).status(),
            absl::InvalidArgumentError("checklist: only a hand-over has a checklist"));
  EXPECT_EQ(Apply(InState(v1::STATE_REPORTED),
                  {.type = ActionType::kAddChecklistItem, .text = "連絡先"}, kOwner, kNow,
                  TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PlaybookTest, TeamThePolicyTellsOfHarassmentMayReadIt) {
  absl::StatusOr<Policy> policy = Policy::Parse(
      absl::StrReplaceAll(ReadSourceFile("deploy/policy.textproto"),
                          {{"kind { kind: KIND_HARASSMENT first_apology_due: false }",
                            R"(kind { kind: KIND_HARASSMENT tell_on_report { managers: true } )"
                            R"(tell_on_report { team: "compliance" } })"}}),
      "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const Rules rules{*policy, TokyoCalendar()};
  const v1::Incident i =
      Report(OfKind(v1::KIND_HARASSMENT), kOwner, "Asia/Tokyo", kNow, {}, rules)->incident;
  EXPECT_EQ(std::vector<std::string>(i.informed_teams().begin(), i.informed_teams().end()),
            std::vector<std::string>{"compliance"});
  EXPECT_TRUE(CanRead(i, Actor{"ito", "compliance", Role::kManager}));
  EXPECT_FALSE(CanRead(i, Actor{"kudo", "compliance", Role::kMember}));
}

TEST(RecurrenceTest, SecondIncidentWhileTheFirstIsOpenIsRelatedNotARecurrence) {
  const v1::Incident open = Earlier(3, v1::STATE_FOLLOW_UP, v1::KIND_LATE_DELIVERABLE, true);
  Change c = *Report(MissedAppointment(), kOwner, "Asia/Tokyo", kNow, {{open}}, TokyoRules());
  EXPECT_FALSE(c.incident.recurrence());
  EXPECT_EQ(c.incident.earlier_incidents_size(), 0);
  ASSERT_EQ(c.incident.related_open_size(), 1);
  EXPECT_EQ(c.incident.related_open(0).id(), 3);
  EXPECT_EQ(c.incident.related_open(0).state(), v1::STATE_FOLLOW_UP);
}

TEST(RecurrenceTest, OnlyAClosedClientFacingIncidentWhosePlanWasPresentedMakesARecurrence) {
  const v1::Incident no_plan = Earlier(3, v1::STATE_CLOSED, v1::KIND_COMPLAINT, false);
  const v1::Incident hand_over = Earlier(4, v1::STATE_CLOSED, v1::KIND_HAND_OVER, true);
  Change c = *Report(MissedAppointment(), kOwner, "Asia/Tokyo", kNow, {{no_plan, hand_over}},
                     TokyoRules());
  EXPECT_FALSE(c.incident.recurrence());
  EXPECT_EQ(c.incident.earlier_incidents_size(), 0);

  const v1::Incident held_not = Earlier(5, v1::STATE_CLOSED, v1::KIND_COMPLAINT, true);
  c = *Report(MissedAppointment(), kOwner, "Asia/Tokyo", kNow, {{no_plan, hand_over, held_not}},
              TokyoRules());
  EXPECT_TRUE(c.incident.recurrence());
  ASSERT_EQ(c.incident.earlier_incidents_size(), 1);
  EXPECT_EQ(c.incident.earlier_incidents(0).id(), 5);
}

TEST(RecurrenceTest, HandOverIsNeverARecurrence) {
  const v1::Incident failed_plan = Earlier(3, v1::STATE_CLOSED, v1::KIND_COMPLAINT, true);
  v1::ReportIncidentRequest hand_over = MissedAppointment();
  hand_over.set_kind(v1::KIND_HAND_OVER);
  Change c = *Report(hand_over, kOwner, "Asia/Tokyo", kNow, {{failed_plan}}, TokyoRules());
  EXPECT_FALSE(c.incident.recurrence());
  EXPECT_EQ(c.incident.severity(), MissedAppointment().severity());
}

TEST(LifecycleTest, HandOverMovesTheIncidentAndWhatIsStillOpenButNotWhatIsDone) {
  v1::Incident i = InState(v1::STATE_FOLLOW_UP);  // owned by sato, with sato's promise
  i.mutable_measures(0)->set_owner("sato");  // measure 2 is sato's and done
  v1::PreventionMeasure* other = i.add_measures();
  other->set_number(3);
  other->set_owner("tanaka");
  const Action hand_over{.type = ActionType::kHandOver,
                         .text = "佐藤退職のため山田が引き継ぎ",
                         .user = kColleague,
                         .from = "sato"};
  Change c = *Apply(i, hand_over, kManager, kNow, TokyoRules());
  EXPECT_EQ(c.incident.owner(), "yamada");
  EXPECT_EQ(c.incident.last_hand_over().note(), "佐藤退職のため山田が引き継ぎ");
  EXPECT_EQ(c.incident.measures(0).owner(), "yamada");
  EXPECT_EQ(c.incident.measures(1).owner(), "sato");    // done: history
  EXPECT_EQ(c.incident.measures(2).owner(), "tanaka");  // not sato's
  EXPECT_EQ(c.incident.promises(0).owner(), "yamada");
  EXPECT_EQ(c.event.type(), v1::EVENT_TYPE_HANDED_OVER);
  EXPECT_EQ(c.event.text(), "sato's work -> yamada: 佐藤退職のため山田が引き継ぎ");

  // Only a measure of sato's in tanaka's incident: the owner stays.
  v1::Incident theirs = InState(v1::STATE_PREVENTION_PLAN);
  theirs.set_owner("tanaka");
  theirs.mutable_promises(0)->set_owner("tanaka");
  c = *Apply(theirs, hand_over, kManager, kNow, TokyoRules());
  EXPECT_EQ(c.incident.owner(), "tanaka");
  EXPECT_EQ(c.incident.measures(0).owner(), "yamada");

  // Nothing of sato's: refused. Nor may a member hand over, nor a deactivated user take over.
  theirs.mutable_measures(0)->set_owner("tanaka");
  EXPECT_EQ(Apply(theirs, hand_over, kManager, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Apply(i, hand_over, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kPermissionDenied);
  Action to_gone = hand_over;
  to_gone.user->standing = Standing::kDeactivated;
  EXPECT_EQ(Apply(i, to_gone, kManager, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(LifecycleTest, PresentingThePlanRecordsWhen) {
  Change c = *Apply(InState(v1::STATE_PREVENTION_PLAN), {.type = ActionType::kPresentPlan}, kOwner,
                    kNow, TokyoRules());
  EXPECT_EQ(FromProto(c.incident.plan_presented_at()), kNow);
}

TEST(LifecycleTest, VisitIsRecordedOnlyOnceScheduledOrWithTheTimeItTookPlace) {
  v1::Incident unscheduled = InState(v1::STATE_APOLOGY_VISIT);
  unscheduled.clear_visit();
  absl::StatusOr<Change> c = Apply(
      unscheduled, {.type = ActionType::kRecordVisit, .text = "訪問して謝罪"}, kOwner, kNow,
      TokyoRules());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(c.status().message(), "the visit was not scheduled"))
      << c.status();
  // The future is not when a visit took place.
  c = Apply(unscheduled,
            {.type = ActionType::kRecordVisit, .text = "訪問して謝罪", .at = kNow + absl::Hours(1)},
            kOwner, kNow, TokyoRules());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  // Scheduled and recorded in one step.
  c = Apply(unscheduled,
            {.type = ActionType::kRecordVisit,
             .text = "先方から急遽来社、部長同席で謝罪",
             .at = kNow - absl::Hours(2),
             .attendees = {"sato", "tanaka"}},
            kOwner, kNow, TokyoRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.state(), v1::STATE_PREVENTION_PLAN);
  EXPECT_EQ(FromProto(c->incident.visit().planned_at()), kNow - absl::Hours(2));
  EXPECT_EQ(c->incident.visit().attendees_size(), 2);
  // A scheduled one is recorded without a time.
  c = Apply(InState(v1::STATE_APOLOGY_VISIT),
            {.type = ActionType::kRecordVisit, .text = "訪問して謝罪", .at = kNow},
            kOwner, kNow, TokyoRules());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
}

// ---- Corrections (amends edit) and measure assign -------------------------------------------

// A HIGH missed appointment with ＡＢＣ商事 reported by sato at kNow (Friday 16:50 in Tokyo),
// with the deadlines its report set.
v1::Incident Reported() {
  v1::Incident i =
      Report(MissedAppointment(), kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident;
  i.set_id(7);
  return i;
}

absl::Time DueOf(const v1::Incident& i, absl::string_view key) {
  for (const v1::Deadline& d : i.deadlines()) {
    if (d.key() == key) return FromProto(d.due());
  }
  ADD_FAILURE() << "no deadline " << key;
  return absl::InfinitePast();
}

Action Edit(Correction correction, std::string reason = "") {
  return {.type = ActionType::kEdit,
          .text = std::move(reason),
          .correction = std::move(correction)};
}

TEST(CorrectionTest, LoweringSeverityByAMemberIsDenied) {
  const v1::Incident i = Reported();
  absl::StatusOr<Change> c = Apply(i, Edit({.severity = v1::SEVERITY_MEDIUM}, "部長と電話で和解"),
                                   kOwner, kNow, TokyoRules());
  EXPECT_EQ(c.status(),
            absl::PermissionDeniedError("lowering the severity (high -> medium) needs role "
                                        "manager, since it gives every deadline more time; you "
                                        "are member"));
  EXPECT_TRUE(Apply(i, Edit({.severity = v1::SEVERITY_MEDIUM}, "部長と電話で和解"), kManager, kNow,
                    TokyoRules())
                  .ok());
}

TEST(CorrectionTest, RaisingSeverityIsTheOwnersRightWithAReason) {
  const v1::Incident i = Reported();
  EXPECT_EQ(Apply(i, Edit({.severity = v1::SEVERITY_CRITICAL}), kOwner, kNow, TokyoRules())
                .status(),
            absl::InvalidArgumentError("reason: required with severity: say why it changes"));
  absl::StatusOr<Change> c = Apply(i, Edit({.severity = v1::SEVERITY_CRITICAL}, "先方社長も同席"),
                                   kOwner, kNow, TokyoRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.severity(), v1::SEVERITY_CRITICAL);
  EXPECT_EQ(c->event.type(), v1::EVENT_TYPE_CORRECTED);
  EXPECT_EQ(c->event.text(), "severity high -> critical; reason: 先方社長も同席");
  EXPECT_EQ(c->event.from_state(), v1::STATE_REPORTED);
  EXPECT_EQ(c->event.to_state(), v1::STATE_REPORTED);
  // A colleague is not the owner: corrections are the owner's and the managers'.
  EXPECT_EQ(Apply(i, Edit({.severity = v1::SEVERITY_CRITICAL}, "x"), kColleague, kNow,
                  TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(CorrectionTest, SeverityChangeRecomputesDeadlines) {
  // HIGH, reported Friday 16:50: first apology 1 working hour (17:50), escalation 2 working
  // hours (Monday 09:50).
  const v1::Incident i = Reported();
  ASSERT_EQ(DueOf(i, "first-apology"), TokyoTime(2026, 11, 27, 17, 50));
  ASSERT_EQ(DueOf(i, "escalate"), TokyoTime(2026, 11, 30, 9, 50));
  ASSERT_EQ(FromProto(i.deadlines(0).started_at()), kNow);

  // Lowered to MEDIUM half an hour later: 2 and 4 working hours from the report.
  Change lower = *Apply(i, Edit({.severity = v1::SEVERITY_MEDIUM}, "部長と電話で和解"), kManager,
                        kNow + absl::Minutes(30), TokyoRules());
  EXPECT_EQ(DueOf(lower.incident, "first-apology"), TokyoTime(2026, 11, 30, 9, 50));
  EXPECT_EQ(DueOf(lower.incident, "escalate"), TokyoTime(2026, 11, 30, 11, 50));
  for (const v1::Deadline& d : lower.incident.deadlines()) {
    for (const auto& r : d.reminders()) EXPECT_GT(FromProto(r), kNow + absl::Minutes(30));
  }

  // Raised to CRITICAL: one hour around the clock from the report, not from the correction.
  Change raise = *Apply(i, Edit({.severity = v1::SEVERITY_CRITICAL}, "先方社長も同席"), kOwner,
                        kNow + absl::Minutes(30), TokyoRules());
  EXPECT_EQ(DueOf(raise.incident, "first-apology"), TokyoTime(2026, 11, 27, 17, 50));
  EXPECT_EQ(DueOf(raise.incident, "escalate"), TokyoTime(2026, 11, 27, 17, 50));
  for (const v1::Deadline& d : raise.incident.deadlines()) EXPECT_TRUE(d.wall_clock());

  // Deadlines stored before amends recorded when they started count from the correction, but
  // a raised severity never gives a deadline more time (nor a lowered one less).
  v1::Incident old = i;
  for (v1::Deadline& d : *old.mutable_deadlines()) d.clear_started_at();
  Change raise_old = *Apply(old, Edit({.severity = v1::SEVERITY_CRITICAL}, "先方社長も同席"),
                            kOwner, kNow + absl::Minutes(50), TokyoRules());
  EXPECT_EQ(DueOf(raise_old.incident, "first-apology"), TokyoTime(2026, 11, 27, 17, 50));
  EXPECT_EQ(DueOf(raise_old.incident, "escalate"), TokyoTime(2026, 11, 27, 18, 40));
}

TEST(CorrectionTest, SeverityChangeKeepsTheTimeAHoldAdded) {
  // In the visit stage of a HIGH case (2 working days from Friday 16:50: Tuesday 16:50), held.
  v1::Incident i = Reported();
  i.set_state(v1::STATE_APOLOGY_VISIT);
  i.clear_deadlines();
  i.mutable_first_apology()->set_channel(v1::CHANNEL_CALL);
  const v1::Incident before_stage = [&] {
    v1::Incident b = i;
    b.set_state(v1::STATE_ESCALATED);
    return b;
  }();
  UpdateDeadlines(i, before_stage, TokyoRules(), kNow);
  ASSERT_EQ(DueOf(i, "visit"), TokyoTime(2026, 12, 1, 16, 50));
  // Held on Monday at 09:00 for one working day, resumed Tuesday at 09:00: due Wednesday.
  PauseStageDeadlines(i, TokyoRules(), TokyoTime(2026, 11, 30, 9, 0));
  ResumeStageDeadlines(i, TokyoRules(), TokyoTime(2026, 12, 1, 9, 0));
  ASSERT_EQ(DueOf(i, "visit"), TokyoTime(2026, 12, 2, 16, 50));
  // Lowered to MEDIUM (3 working days): Wednesday 16:50 from the start, plus the day held.
  Change c = *Apply(i, Edit({.severity = v1::SEVERITY_MEDIUM}, "先方と和解"), kManager,
                    TokyoTime(2026, 12, 1, 10, 0), TokyoRules());
  EXPECT_EQ(DueOf(c.incident, "visit"), TokyoTime(2026, 12, 3, 16, 50));
}

TEST(CorrectionTest, ConfidentialCannotBeUndone) {
  v1::Incident i = InState(v1::STATE_PREVENTION_PLAN);  // sato's case and measure
  Change c = *Apply(i, Edit({.confidential = true, .holders = {kOwner}},
                            "先方担当者の個人的事情を含むため"),
                    kOwner, kNow, TokyoRules());
  EXPECT_TRUE(c.incident.confidential());
  EXPECT_EQ(c.event.text(), "made confidential; reason: 先方担当者の個人的事情を含むため");
  EXPECT_EQ(Apply(c.incident, ValidAction(ActionType::kAddNote), kColleague, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  // Asking again is refused; there is nothing that makes it public again.
  EXPECT_EQ(Apply(c.incident, Edit({.confidential = true}), kManager, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("confidential: incident 7 already is"));
  EXPECT_EQ(Apply(c.incident, Edit({.confidential = false}), kManager, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  for (ActionType type : kAllActions) {
    absl::StatusOr<Change> next =
        Apply(c.incident, ValidAction(type), kManager, kNow, TokyoRules());
    if (next.ok()) {
      EXPECT_TRUE(next->incident.confidential()) << ActionName(type);
    }
  }

  // Not while someone holding work in it could no longer read it.
  i.mutable_measures(0)->set_owner("yamada");
  Action hide = Edit({.confidential = true, .holders = {kOwner, kColleague}});
  EXPECT_EQ(Apply(i, hide, kOwner, kNow, TokyoRules()).status(),
            absl::FailedPreconditionError(
                "confidential: yamada holds measure 1 and could not read incident 7 once "
                "confidential (only its reporter, its owner and the managers of tokyo-sales "
                "do): give it to someone who can first"));
  i.mutable_measures(0)->set_owner("tanaka");
  hide.correction.holders = {kOwner, kManager};
  EXPECT_TRUE(Apply(i, hide, kOwner, kNow, TokyoRules()).ok());
}

TEST(CorrectionTest, KindOfAnotherPlaybookIsRefused) {
  const v1::Incident i = Reported();
  absl::StatusOr<Change> c = Apply(i, Edit({.kind = v1::KIND_HARASSMENT}), kManager, kNow,
                                   TokyoRules());
  EXPECT_EQ(c.status(),
            absl::FailedPreconditionError(
                "kind: incident 7 is a client-facing case and harassment would make it a "
                "harassment case, which follows another playbook: close it with a reason and "
                "report it anew"));
  c = Apply(i, Edit({.kind = v1::KIND_COMPLAINT}), kOwner, kNow, TokyoRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.kind(), v1::KIND_COMPLAINT);
  EXPECT_EQ(c->event.text(), "kind missed-appointment -> complaint");
  v1::Incident hand_over = InStateOf(v1::KIND_HAND_OVER, v1::STATE_APOLOGY_VISIT);
  EXPECT_EQ(Apply(hand_over, Edit({.kind = v1::KIND_COMPLAINT}), kManager, kNow, TokyoRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CorrectionTest, AFieldEqualToItsValueOrNothingAtAllIsRefused) {
  const v1::Incident i = Reported();
  EXPECT_EQ(Apply(i, Edit({}), kOwner, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("nothing to correct: give severity, summary, details, "
                                       "client, contact, kind or confidential"));
  EXPECT_EQ(Apply(i, Edit({.severity = v1::SEVERITY_HIGH}, "x"), kOwner, kNow, TokyoRules())
                .status(),
            absl::InvalidArgumentError("severity: incident 7 is already high"));
  // One field unchanged refuses the whole call: nothing is half done.
  EXPECT_EQ(Apply(i, Edit({.summary = "新しい要約", .contact = "山田様"}), kOwner, kNow,
                  TokyoRules())
                .status(),
            absl::InvalidArgumentError("contact: the same as now; give only what changes"));
  EXPECT_EQ(Apply(i, Edit({.summary = "　"}), kOwner, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("summary: required"));
  EXPECT_EQ(Apply(i, Edit({.client = "\u200B"}), kOwner, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("client: required"));
}

TEST(CorrectionTest, SeveralFieldsChangeAsOneEventSayingWhatChanged) {
  const v1::Incident i = Reported();
  Change c = *Apply(i,
                    Edit({.summary = "15時の打ち合わせを失念",
                          .details = "部長が立腹。「誠意を見せてほしい」",
                          .contact = "総務部 山田様"}),
                    kOwner, kNow, TokyoRules());
  EXPECT_EQ(c.incident.summary(), "15時の打ち合わせを失念");
  EXPECT_EQ(c.incident.details(), "部長が立腹。「誠意を見せてほしい」");
  EXPECT_EQ(c.incident.client().contact(), "総務部 山田様");
  EXPECT_EQ(c.incident.version(), i.version() + 1);
  EXPECT_EQ(c.event.type(), v1::EVENT_TYPE_CORRECTED);
  EXPECT_EQ(c.event.text(),
            "summary \"15時のサンプル受け渡しの打ち合わせを失念\" -> \"15時の打ち合わせを失念\"; "
            "details changed; contact 山田様 -> 総務部 山田様");
  EXPECT_EQ(c.incident.deadlines_size(), i.deadlines_size());  // no new clock for text
}

TEST(CorrectionTest, ClientChangeMakesItARecurrenceOfTheClientsEarlierIncident) {
  // XYZ商事's earlier case, closed after its plan was presented; this one was filed under
  // ＡＢＣ商事 by mistake, as MEDIUM.
  v1::Incident earlier = Earlier(3, v1::STATE_CLOSED, v1::KIND_DELIVERY_DELAY, true);
  earlier.mutable_client()->set_name("XYZ商事");
  v1::ReportIncidentRequest r = MissedAppointment();
  r.set_severity(v1::SEVERITY_MEDIUM);
  v1::Incident i = Report(r, kOwner, "Asia/Tokyo", kNow, {}, TokyoRules())->incident;
  i.set_id(7);
  Action to_xyz = Edit({.client = "ＸＹＺ商事", .client_incidents = {earlier, i}});
  Change c = *Apply(i, to_xyz, kOwner, kNow, TokyoRules());
  EXPECT_EQ(c.incident.client().name(), "ＸＹＺ商事");
  EXPECT_TRUE(c.incident.recurrence());
  ASSERT_EQ(c.incident.earlier_incidents_size(), 1);  // not itself
  EXPECT_EQ(c.incident.earlier_incidents(0).id(), 3);
  // As at report, the policy raises a recurrence's severity.
  EXPECT_EQ(c.incident.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(c.event.text(),
            "severity medium -> high (recurrence); client ＡＢＣ商事 -> ＸＹＺ商事 (a "
            "recurrence of #3)");

  // A severity given with it is the one wanted.
  to_xyz.correction.severity = v1::SEVERITY_MEDIUM;
  EXPECT_EQ(Apply(i, to_xyz, kOwner, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kInvalidArgument);  // medium is what it is
  to_xyz.correction.severity = v1::SEVERITY_CRITICAL;
  to_xyz.text = "取引停止の示唆あり";
  EXPECT_EQ(Apply(i, to_xyz, kOwner, kNow, TokyoRules())->incident.severity(),
            v1::SEVERITY_CRITICAL);

  // Back to a client with no history: no longer a recurrence, and the severity stays.
  Change back = *Apply(c.incident, Edit({.client = "ＡＢＣ商事"}), kOwner, kNow, TokyoRules());
  EXPECT_FALSE(back.incident.recurrence());
  EXPECT_EQ(back.incident.earlier_incidents_size(), 0);
  EXPECT_EQ(back.incident.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(back.event.text(), "client ＸＹＺ商事 -> ＡＢＣ商事 (no longer a recurrence)");

  // The same client written another way is a spelling: the links stay.
  Change spelling = *Apply(c.incident, Edit({.client = "xyz商事"}), kOwner, kNow, TokyoRules());
  EXPECT_TRUE(spelling.incident.recurrence());
  EXPECT_EQ(spelling.event.text(), "client ＸＹＺ商事 -> xyz商事");
}

TEST(CorrectionTest, ClientChangeLinksTheClientsOpenIncidentAsRelated) {
  v1::Incident open = Earlier(5, v1::STATE_APOLOGY_VISIT, v1::KIND_COMPLAINT, false);
  Change c = *Apply(Reported(), Edit({.client = "XYZ商事", .client_incidents = {open}}), kOwner,
                    kNow, TokyoRules());
  EXPECT_FALSE(c.incident.recurrence());
  ASSERT_EQ(c.incident.related_open_size(), 1);
  EXPECT_EQ(c.incident.related_open(0).id(), 5);
  EXPECT_EQ(c.incident.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(c.event.text(), "client ＡＢＣ商事 -> XYZ商事 (related, open: #5)");
}

TEST(MeasureAssignTest, MeasureGoesToAnotherMemberAndItsDeadlineWithIt) {
  v1::Incident i = InState(v1::STATE_PREVENTION_PLAN);  // measure 1 is sato's
  UpdateDeadlines(i, i, TokyoRules(), kNow);
  const Action to_yamada{.type = ActionType::kAssignMeasure,
                         .text = "佐藤の出張中は山田が担当",
                         .user = kColleague,
                         .number = 1};
  Change c = *Apply(i, to_yamada, kOwner, kNow, TokyoRules());
  EXPECT_EQ(c.incident.measures(0).owner(), "yamada");
  EXPECT_EQ(c.event.type(), v1::EVENT_TYPE_MEASURE_ASSIGNED);
  EXPECT_EQ(c.event.text(),
            "1. 共有スケジュールで予定をダブルチェック (sato -> yamada): 佐藤の出張中は山田が担当");
  for (const v1::Deadline& d : c.incident.deadlines()) {
    if (d.key() == "measure-1") {
      EXPECT_EQ(d.user(), "yamada");
    }
  }
  EXPECT_EQ(Apply(c.incident, to_yamada, kOwner, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("new_owner: yamada already owns measure 1"));
  Action seventh = to_yamada;
  seventh.number = 7;
  EXPECT_EQ(Apply(i, seventh, kOwner, kNow, TokyoRules()).status(),
            absl::InvalidArgumentError("number: incident 7 has measures 1 to 2, not 7"));
}

TEST(MeasureAssignTest, TheMeasuresOwnerTheIncidentsOwnerOrAManagerMayGiveIt) {
  v1::Incident i = InState(v1::STATE_FOLLOW_UP);
  i.set_owner("tanaka");                        // the incident is tanaka's
  i.mutable_measures(0)->set_owner("yamada");  // the measure yamada's
  const Action to_suzuki{.type = ActionType::kAssignMeasure, .user = kOtherManager, .number = 1};
  EXPECT_TRUE(Apply(i, to_suzuki, kColleague, kNow, TokyoRules()).ok());  // its owner
  EXPECT_TRUE(Apply(i, to_suzuki, kManager, kNow, TokyoRules()).ok());
  EXPECT_EQ(Apply(i, to_suzuki, kOwner, kNow, TokyoRules()).status(),  // sato: neither
            absl::PermissionDeniedError("measure assign needs the measure's owner, the "
                                        "incident's owner (tanaka) or role manager"));
  *i.mutable_measures(0)->mutable_done_at() = ToProto(kNow);
  EXPECT_EQ(Apply(i, to_suzuki, kManager, kNow, TokyoRules()).status(),
            absl::FailedPreconditionError("measure 1 is already done"));
}

TEST(MeasureAssignTest, AConfidentialCasesMeasureGoesOnlyToWhoMayReadIt) {
  v1::Incident i = InStateOf(v1::KIND_HARASSMENT, v1::STATE_PREVENTION_PLAN);
  const Action to_yamada{.type = ActionType::kAssignMeasure, .user = kColleague, .number = 1};
  absl::StatusOr<Change> c = Apply(i, to_yamada, kManager, kNow, TokyoRules());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(c.status().message(), "new_owner: yamada cannot read incident 7"))
      << c.status();
  const Action to_outsider{.type = ActionType::kAssignMeasure, .user = kOutsider, .number = 1};
  EXPECT_EQ(Apply(i, to_outsider, kManager, kNow, TokyoRules()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ClientKeyTest, FullWidthAndCaseVariantsAreOneClient) {
  EXPECT_EQ(ClientKey("ＡＢＣ商事"), ClientKey("ABC商事"));
  EXPECT_EQ(ClientKey("abc商事"), ClientKey("ABC商事"));
  EXPECT_EQ(ClientKey("  株式会社　ＡＢＣ商事 "), ClientKey("株式会社 abc商事"));
  EXPECT_NE(ClientKey("ABC商事"), ClientKey("ABD商事"));
  EXPECT_EQ(ClientKey(" \u3000 "), "");
}

TEST(ClientKeyTest, InvisibleCharactersDoNotMakeAnotherClient) {
  EXPECT_EQ(ClientKey("ACME\u200B"), ClientKey("ACME"));              // zero-width space
  EXPECT_EQ(ClientKey("AC\u200DME\u2060"), ClientKey("ACME"));        // joiner, word joiner
  EXPECT_EQ(ClientKey("\uFEFFＡＢＣ\u00AD商事"), ClientKey("ABC商事"));  // BOM, soft hyphen
  EXPECT_EQ(ClientKey("\u202EACME\u202C"), ClientKey("ACME"));        // bidi override
  EXPECT_EQ(ClientKey("\u200B\u200B"), "");
}

}  // namespace
}  // namespace amends
