// What a client's "show sincerity" is answered with (DOMAIN.md), rule by rule: the client's
// expectation, the cause and why nobody noticed, the manager's own apology, compensation
// approved at the right level, updates while it takes time, and measures verified by someone
// other than their owner. The case is DOMAIN.md's first: sato of tokyo-sales missed a 15:00
// meeting with ＡＢＣ商事 and its director asks for sincerity; tanaka and suzuki manage the
// team, and the department heads (sales-directors) are the chain's next level.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/core/inbox.h"
#include "server/core/lifecycle.h"
#include "server/core/notices.h"
#include "server/core/offers.h"
#include "server/core/time_proto.h"
#include "tests/test_rules.h"

namespace amends {
namespace {

const Actor kSato{"sato", "tokyo-sales", Role::kMember};
const Actor kYamada{"yamada", "tokyo-sales", Role::kMember};
const Actor kTanaka{"tanaka", "tokyo-sales", Role::kManager};
const Actor kSuzuki{"suzuki", "tokyo-sales", Role::kManager};
const Actor kDirector{"kimura", "sales-directors", Role::kManager};
const Actor kAdmin{"root", "", Role::kAdmin};

// Friday 27 November 2026, 16:50 in Tokyo.
const absl::Time kFriday = TokyoTime(2026, 11, 27, 16, 50);

// The default policy with the department heads as HIGH's third level.
const Policy& WithDirectors() {
  static const Policy* policy = [] {
    std::string text = ReadSourceFile("deploy/policy.textproto");
    const std::string managers = "chain { managers: true }";
    const size_t at = text.find(managers, text.find("severity: SEVERITY_HIGH"));
    text.insert(at + managers.size(), "\n  chain { team: \"sales-directors\" }");
    return new Policy(*Policy::Parse(text, "policy"));
  }();
  return *policy;
}

Rules DirectorRules() { return Rules{WithDirectors(), TokyoCalendar()}; }

v1::ReportIncidentRequest MissedMeeting(v1::Severity severity = v1::SEVERITY_HIGH) {
  v1::ReportIncidentRequest r;
  r.set_team("tokyo-sales");
  r.mutable_client()->set_name("ＡＢＣ商事");
  r.mutable_client()->set_contact("山田部長");
  r.set_kind(v1::KIND_MISSED_APPOINTMENT);
  r.set_severity(severity);
  r.set_summary("15時の打ち合わせを失念、先方部長が「誠意を見せてほしい」");
  return r;
}

v1::Incident Reported(v1::Severity severity = v1::SEVERITY_HIGH,
                      const Rules& rules = DirectorRules()) {
  v1::Incident i = Report(MissedMeeting(severity), kSato, "Asia/Tokyo", kFriday, {}, rules)
                       ->incident;
  i.set_id(12);
  return i;
}

// Applies `a` as `actor` at `now`, expecting success.
v1::Incident Do(const v1::Incident& i, const Action& a, const Actor& actor,
                absl::Time now = kFriday, const Rules& rules = DirectorRules()) {
  absl::StatusOr<Change> c = Apply(i, a, actor, now, rules);
  EXPECT_TRUE(c.ok()) << ActionName(a.type) << ": " << c.status();
  return c.ok() ? c->incident : i;
}

absl::Status Try(const v1::Incident& i, const Action& a, const Actor& actor,
                 absl::Time now = kFriday, const Rules& rules = DirectorRules()) {
  return Apply(i, a, actor, now, rules).status();
}

const v1::Deadline* Find(const v1::Incident& i, absl::string_view key) {
  for (const v1::Deadline& d : i.deadlines()) {
    if (d.key() == key) return &d;
  }
  return nullptr;
}

v1::Incident Approved(v1::Severity severity = v1::SEVERITY_HIGH) {
  v1::Incident i = Reported(severity);
  i = Do(i, {.type = ActionType::kEscalate, .text = "先方部長が立腹"}, kSato);
  return Do(i, {.type = ActionType::kApproveEscalation}, kTanaka);
}

Action Offer(int64_t yen) {
  return {.type = ActionType::kMakeOffer,
          .text = "次回発注分を値引き",
          .offer_kind = v1::OFFER_KIND_DISCOUNT,
          .amount_yen = yen};
}

Action Measure(std::string text, const Actor& owner, absl::Time due) {
  return {.type = ActionType::kAddMeasure, .text = std::move(text), .at = due, .user = owner};
}

// In PREVENTION_PLAN after the visit, with the cause and one measure of sato's.
v1::Incident Planning(v1::Severity severity = v1::SEVERITY_HIGH) {
  v1::Incident i = Approved(severity);
  i = Do(i, {.type = ActionType::kRecordVisit, .text = "部長に直接お詫び", .at = kFriday}, kSato);
  i = Do(i, {.type = ActionType::kRecordCause,
             .text = "予定を手帳にだけ記入していた",
             .why_missed = "共有カレンダーになく、誰も気づけなかった",
             .category = "schedule"},
         kSato);
  return Do(i, Measure("共有カレンダーで全アポイントを管理", kSato, kFriday + absl::Hours(24 * 14)),
            kSato);
}

TEST(ExpectationTest, IsRecordedAndReplacedByTheLatest) {
  v1::Incident i = Do(Reported(), {.type = ActionType::kRecordExpectation,
                                   .text = "原因と再発防止策を部長に直接説明してほしい"},
                      kSato);
  EXPECT_EQ(i.expectation().text(), "原因と再発防止策を部長に直接説明してほしい");
  EXPECT_EQ(i.expectation().recorded_by(), "sato");
  i = Do(i, {.type = ActionType::kRecordExpectation, .text = "上長同席での謝罪訪問"}, kYamada);
  EXPECT_EQ(i.expectation().text(), "上長同席での謝罪訪問");
  EXPECT_EQ(Try(i, {.type = ActionType::kRecordExpectation}, kSato),
            absl::InvalidArgumentError("text: required"));
}

TEST(CauseTest, NeedsWhatHappenedAndWhyNobodyNoticed) {
  const v1::Incident i = Reported();
  EXPECT_EQ(Try(i, {.type = ActionType::kRecordCause, .why_missed = "x"}, kSato),
            absl::InvalidArgumentError("what: required"));
  EXPECT_EQ(Try(i, {.type = ActionType::kRecordCause, .text = "予定の記入漏れ"}, kSato),
            absl::InvalidArgumentError("why_missed: required"));
}

TEST(CauseTest, CategoryIsThePolicysAndDefaultsToOther) {
  const v1::Incident i = Reported();
  Action a{.type = ActionType::kRecordCause, .text = "予定の記入漏れ", .why_missed = "確認なし"};
  EXPECT_EQ(Do(i, a, kSato).cause().category(), "other");
  a.category = "weather";
  EXPECT_EQ(Try(i, a, kSato),
            absl::InvalidArgumentError(
                "category: \"weather\" is not one of the policy's: schedule, communication, "
                "hand-over, capacity, quality, process, other"));
}

TEST(CauseTest, SameCategoryInTheClientsOtherIncidentsIsFoundButNeverAConfidentialOne) {
  v1::Incident earlier = Reported();
  earlier.set_id(3);
  earlier.mutable_cause()->set_category("schedule");
  v1::Incident hidden = earlier;
  hidden.set_id(5);
  hidden.set_confidential(true);
  v1::Incident other = earlier;
  other.set_id(7);
  other.mutable_cause()->set_category("quality");
  Action a{.type = ActionType::kRecordCause,
           .text = "予定の記入漏れ",
           .why_missed = "確認なし",
           .category = "schedule",
           .client_incidents = {other, hidden, earlier}};
  absl::StatusOr<Change> c = Apply(Reported(), a, kSato, kFriday, DirectorRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(std::vector<int64_t>(c->incident.cause().same_category().begin(),
                                 c->incident.cause().same_category().end()),
            std::vector<int64_t>{3});
  EXPECT_EQ(c->event.text(),
            "[schedule] 予定の記入漏れ; not noticed in time because: 確認なし "
            "(the same category as #3)");
}

TEST(CauseTest, PresentingThePlanNeedsOne) {
  v1::Incident i = Approved();
  i = Do(i, {.type = ActionType::kRecordVisit, .text = "部長に直接お詫び", .at = kFriday}, kSato);
  i = Do(i, Measure("共有カレンダーで管理", kSato, kFriday + absl::Hours(24 * 14)), kSato);
  EXPECT_EQ(Try(i, {.type = ActionType::kPresentPlan}, kSato),
            absl::FailedPreconditionError(
                "a prevention plan needs the cause: what happened and why nobody noticed in "
                "time (cause first)"));
}

TEST(ManagerApologyTest, IsOwedByTheApprovingManagerAfterApprovalOfAHighIncident) {
  const v1::Incident i = Approved();
  const v1::Deadline* d = Find(i, "manager-apology");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->user(), "tanaka");
  EXPECT_EQ(d->what(), "the manager's own apology to the client");
  // Within visit_within (HIGH: 2 working days) of the approval, Friday 16:50.
  EXPECT_EQ(FromProto(d->due()), TokyoTime(2026, 12, 1, 16, 50));
  const v1::Incident done = Do(i, {.type = ActionType::kRecordManagerApology,
                                   .text = "部長より先方部長へお詫びの電話",
                                   .channel = v1::CHANNEL_CALL},
                               kTanaka);
  EXPECT_EQ(Find(done, "manager-apology"), nullptr);
  EXPECT_EQ(done.manager_apology().recorded_by(), "tanaka");
  EXPECT_EQ(Try(done, {.type = ActionType::kRecordManagerApology, .channel = v1::CHANNEL_CALL},
                kSuzuki),
            absl::FailedPreconditionError(
                "the manager's own apology for incident 12 is already recorded (tanaka)"));
}

TEST(ManagerApologyTest, IsNotOwedForALowIncident) {
  EXPECT_EQ(Find(Approved(v1::SEVERITY_LOW), "manager-apology"), nullptr);
}

TEST(ManagerApologyTest, ByAMemberIsDenied) {
  EXPECT_EQ(Try(Approved(), {.type = ActionType::kRecordManagerApology,
                             .channel = v1::CHANNEL_CALL},
                kSato),
            absl::PermissionDeniedError("apologize --as-manager needs role manager; you are member"));
}

TEST(ManagerApologyTest, ClosingWithItOwedSaysSoOnTheTimeline) {
  absl::StatusOr<Change> c = Apply(Approved(), {.type = ActionType::kClose, .text = "取引終了"},
                                   kTanaka, kFriday, DirectorRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->event.text(),
            "取引終了 (closed with the manager's own apology to the client still owed)");
}

TEST(ManagerApologyTest, HoldDoesNotPauseIt) {
  v1::Incident i = Do(Approved(), {.type = ActionType::kHold, .text = "先方の日程待ち"}, kTanaka);
  EXPECT_TRUE(Find(i, "manager-apology")->has_due());
  EXPECT_FALSE(Find(i, "visit")->has_due());
}

TEST(OfferTest, WithinTheManagersLimitIsAskedOfTheTeamsManagers) {
  absl::StatusOr<Change> c = Apply(Approved(), Offer(50'000), kSato, kFriday, DirectorRules());
  ASSERT_TRUE(c.ok()) << c.status();
  const v1::Offer& o = c->incident.offers(0);
  EXPECT_EQ(o.state(), v1::Offer::STATE_ASKED);
  EXPECT_EQ(o.approver_level(), 1);
  EXPECT_EQ(o.approver_team(), "tokyo-sales");
  const v1::Deadline* d = Find(c->incident, "offer-1");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->managers_of(), "tokyo-sales");
  EXPECT_EQ(d->what(), "approve or decline offer 1: discount ¥50,000");
  EXPECT_EQ(c->event.text(),
            "offer 1, discount ¥50,000: 次回発注分を値引き (asks managers of tokyo-sales)");
  // The managers are asked, like an escalation.
  std::vector<Notice> notices = NoticesFor(Approved(), *c, DirectorRules());
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].reason, v1::Notification::REASON_APPROVAL_ASKED);
  EXPECT_EQ(notices[0].managers_of, "tokyo-sales");
  EXPECT_EQ(notices[0].deadline_key, "offer-1");

  const v1::Incident approved =
      Do(c->incident, {.type = ActionType::kApproveOffer, .text = "了承", .number = 1}, kTanaka);
  EXPECT_EQ(approved.offers(0).state(), v1::Offer::STATE_APPROVED);
  EXPECT_EQ(approved.offers(0).decided_by(), "tanaka");
  EXPECT_EQ(Find(approved, "offer-1"), nullptr);
}

TEST(OfferTest, AboveTheManagersLimitIsAskedOfTheNextLevelAndOnlyThatLevelApproves) {
  const v1::Incident i = Do(Approved(), Offer(300'000), kSato);
  EXPECT_EQ(i.offers(0).approver_level(), 2);
  EXPECT_EQ(i.offers(0).approver_team(), "sales-directors");
  EXPECT_EQ(Find(i, "offer-1")->managers_of(), "sales-directors");
  // The department heads may now read the case they are asked about.
  EXPECT_EQ(AskedTeam(i), "sales-directors");
  const Action approve{.type = ActionType::kApproveOffer, .number = 1};
  EXPECT_EQ(Try(i, approve, kTanaka),
            absl::PermissionDeniedError(
                "offer approve of offer 1 (¥300,000) needs role manager of sales-directors or of "
                "a level above it, or an admin"));
  EXPECT_EQ(Do(i, approve, kDirector).offers(0).state(), v1::Offer::STATE_APPROVED);
}

TEST(OfferTest, AboveEveryLevelsLimitNeedsAnAdmin) {
  const v1::Incident i = Do(Approved(), Offer(5'000'000), kSato);
  EXPECT_EQ(i.offers(0).approver_level(), 0);
  EXPECT_EQ(Find(i, "offer-1")->what(),
            "have an admin approve or decline offer 1: discount ¥5,000,000");
  EXPECT_EQ(Try(i, {.type = ActionType::kApproveOffer, .number = 1}, kDirector).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(i, {.type = ActionType::kApproveOffer, .number = 1}, kAdmin).offers(0).state(),
            v1::Offer::STATE_APPROVED);
}

TEST(OfferTest, MadeByAManagerIsDecidedBySomeoneElse) {
  const v1::Incident i = Do(Approved(), Offer(30'000), kTanaka);
  EXPECT_EQ(Try(i, {.type = ActionType::kApproveOffer, .number = 1}, kTanaka),
            absl::PermissionDeniedError(
                "you made offer 1: someone else with the authority must decide it"));
  EXPECT_TRUE(Apply(i, {.type = ActionType::kApproveOffer, .number = 1}, kSuzuki, kFriday,
                    DirectorRules())
                  .ok());
}

TEST(OfferTest, DeclineNeedsAReasonAndTellsWhoMadeIt) {
  const v1::Incident i = Do(Approved(), Offer(80'000), kSato);
  EXPECT_EQ(Try(i, {.type = ActionType::kDeclineOffer, .number = 1}, kTanaka),
            absl::InvalidArgumentError("reason: required"));
  absl::StatusOr<Change> c =
      Apply(i, {.type = ActionType::kDeclineOffer, .text = "損害が確認できない", .number = 1},
            kTanaka, kFriday, DirectorRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.offers(0).state(), v1::Offer::STATE_DECLINED);
  std::vector<Notice> notices = NoticesFor(i, *c, DirectorRules());
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].reason, v1::Notification::REASON_OFFER_DECIDED);
  EXPECT_EQ(notices[0].user, "sato");
}

TEST(OfferTest, OnlyAnApprovedOfferIsDelivered) {
  v1::Incident i = Do(Approved(), Offer(50'000), kSato);
  const Action deliver{.type = ActionType::kDeliverOffer, .number = 1};
  EXPECT_EQ(Try(i, deliver, kSato),
            absl::FailedPreconditionError(
                "offer 1 is waiting for approval: only an approved offer is delivered"));
  i = Do(i, {.type = ActionType::kApproveOffer, .number = 1}, kTanaka);
  EXPECT_EQ(Do(i, deliver, kSato).offers(0).state(), v1::Offer::STATE_DELIVERED);
  EXPECT_EQ(Try(i, {.type = ActionType::kApproveOffer, .number = 2}, kTanaka),
            absl::InvalidArgumentError("number: incident 12 has offers 1 to 1, not 2"));
}

TEST(OfferTest, AmountAndKindAreChecked) {
  Action a = Offer(-1);
  EXPECT_EQ(Try(Approved(), a, kSato),
            absl::InvalidArgumentError("amount_yen: must be between 0 and ¥1,000,000,000"));
  a = Offer(1000);
  a.offer_kind = v1::OFFER_KIND_UNSPECIFIED;
  EXPECT_EQ(Try(Approved(), a, kSato),
            absl::InvalidArgumentError("kind: required: discount, refund, free-service or other"));
}

TEST(UpdateTest, IsOwedFromTheReportAndEachUpdateRestartsTheClock) {
  const v1::Incident i = Reported();
  const v1::Deadline* d = Find(i, "update");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->user(), "sato");
  // HIGH: every 2 working days, Friday 16:50 -> Tuesday 16:50.
  EXPECT_EQ(FromProto(d->due()), TokyoTime(2026, 12, 1, 16, 50));
  const absl::Time monday = TokyoTime(2026, 11, 30, 10, 0);
  const v1::Incident updated =
      Do(i, {.type = ActionType::kLogClientUpdate, .text = "調査状況を金曜までにご報告と連絡",
             .channel = v1::CHANNEL_MAIL},
         kSato, monday);
  EXPECT_EQ(FromProto(Find(updated, "update")->due()), TokyoTime(2026, 12, 2, 10, 0));
  EXPECT_EQ(updated.client_updates(0).logged_by(), "sato");
  EXPECT_EQ(Try(i, {.type = ActionType::kLogClientUpdate, .text = "x"}, kSato),
            absl::InvalidArgumentError("channel: required: call, mail or visit"));
}

TEST(UpdateTest, IsCarriedAcrossStagesAndEndsWithThePresentedPlan) {
  const v1::Incident reported = Reported();
  const v1::Incident approved = Approved();
  EXPECT_EQ(Find(approved, "update")->due().seconds(), Find(reported, "update")->due().seconds());
  const v1::Incident presented = Do(Planning(), {.type = ActionType::kPresentPlan}, kSato);
  EXPECT_EQ(Find(presented, "update"), nullptr);
}

TEST(UpdateTest, MissedOneRemindsAndThenBreaches) {
  v1::Incident i = Reported(v1::SEVERITY_LOW);
  i = Do(i, {.type = ActionType::kRecordFirstApology, .channel = v1::CHANNEL_CALL}, kSato);
  i = Do(i, {.type = ActionType::kEscalate, .text = "報告"}, kSato);
  i = Do(i, {.type = ActionType::kApproveEscalation}, kTanaka);
  const absl::Time due = FromProto(Find(i, "update")->due());
  bool reminded = false;
  bool breached = false;
  // Fire every point up to the update's due time, as the scheduler would.
  for (int n = 0; n < 20; ++n) {
    std::optional<Change> c = Fire(i, DirectorRules(), due);
    if (!c) break;
    if (c->event.type() == v1::EVENT_TYPE_REMINDER &&
        absl::StrContains(c->event.text(), "an update to the client")) {
      reminded = true;
    }
    if (c->event.type() == v1::EVENT_TYPE_DEADLINE_BREACHED &&
        absl::StrContains(c->event.text(), "an update to the client was due")) {
      breached = true;
    }
    i = c->incident;
  }
  EXPECT_TRUE(reminded);
  EXPECT_TRUE(breached);
  EXPECT_TRUE(Find(i, "update")->has_breached_at());
  // Given late, it leaves no reminder of the missed one; the next is due from now.
  ASSERT_GT(i.reminders_size(), 0);
  i = Do(i, {.type = ActionType::kLogClientUpdate, .text = "遅れてのご報告", .channel = v1::CHANNEL_CALL},
         kSato, due + absl::Hours(1));
  for (const v1::ReminderNotice& n : i.reminders()) EXPECT_NE(n.deadline_key(), "update");
  EXPECT_FALSE(Find(i, "update")->has_breached_at());
}

TEST(VerifyTest, ByTheMeasuresOwnerIsDenied) {
  v1::Incident i = Do(Planning(), {.type = ActionType::kCompleteMeasure, .number = 1}, kSato);
  EXPECT_EQ(Try(i, {.type = ActionType::kVerifyMeasure, .number = 1}, kSato),
            absl::PermissionDeniedError(
                "measure 1 is yours: someone other than its owner and the one who marked it "
                "done verifies it"));
  i = Do(i, {.type = ActionType::kVerifyMeasure, .text = "2週間、全アポが共有カレンダーにある",
             .number = 1},
         kYamada);
  EXPECT_EQ(i.measures(0).verified_by(), "yamada");
  EXPECT_EQ(Try(i, {.type = ActionType::kVerifyMeasure, .number = 1}, kTanaka),
            absl::FailedPreconditionError("measure 1 is already verified by yamada"));
}

TEST(VerifyTest, OfAMeasureNotDoneIsRefused) {
  EXPECT_EQ(Try(Planning(), {.type = ActionType::kVerifyMeasure, .number = 1}, kYamada),
            absl::FailedPreconditionError("measure 1 is not done yet: measure done first"));
}

TEST(VerifyTest, FailedOneIsOpenAgainWithItsDeadlineAndTellsItsOwner) {
  const v1::Incident done =
      Do(Planning(), {.type = ActionType::kCompleteMeasure, .number = 1}, kSato);
  ASSERT_EQ(Find(done, "measure-1"), nullptr);
  EXPECT_EQ(Try(done, {.type = ActionType::kVerifyMeasure, .number = 1, .failed = true},
                kYamada),
            absl::InvalidArgumentError("note: required with failed: what did not work"));
  const Action failed{.type = ActionType::kVerifyMeasure,
                      .text = "翌週も共有カレンダーに未登録のアポあり",
                      .number = 1,
                      .failed = true};
  absl::StatusOr<Change> c = Apply(done, failed, kYamada, kFriday, DirectorRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->event.type(), v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED);
  EXPECT_FALSE(c->incident.measures(0).has_done_at());
  EXPECT_FALSE(c->incident.measures(0).has_verified_at());
  EXPECT_EQ(c->incident.measures(0).verified_by(), "yamada");
  EXPECT_EQ(c->incident.measures(0).verification_note(), "翌週も共有カレンダーに未登録のアポあり");
  // Done again, it waits for a new check.
  const v1::Incident again =
      Do(c->incident, {.type = ActionType::kCompleteMeasure, .number = 1}, kSato);
  EXPECT_EQ(again.measures(0).verified_by(), "");
  ASSERT_NE(Find(c->incident, "measure-1"), nullptr);
  EXPECT_EQ(Find(c->incident, "measure-1")->user(), "sato");
  std::vector<Notice> notices = NoticesFor(done, *c, DirectorRules());
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].reason, v1::Notification::REASON_MEASURE_REOPENED);
  EXPECT_EQ(notices[0].user, "sato");

  // Once its due time has passed, the verifier gives a new one.
  const absl::Time later = kFriday + absl::Hours(24 * 20);
  EXPECT_EQ(Try(done, failed, kYamada, later),
            absl::InvalidArgumentError(
                "due: measure 1 was due 2026-12-11 16:50 JST: give it a new due time"));
  Action with_due = failed;
  with_due.at = later + absl::Hours(24 * 7);
  EXPECT_EQ(FromProto(Do(done, with_due, kYamada, later).measures(0).due()), *with_due.at);
}

// In FOLLOW_UP with measure 1 done (not verified) and a follow-up logged.
v1::Incident FollowedUp(v1::Severity severity) {
  v1::Incident i = Do(Planning(severity), {.type = ActionType::kPresentPlan}, kSato);
  i = Do(i, {.type = ActionType::kCompleteMeasure, .number = 1}, kSato);
  return Do(i, {.type = ActionType::kLogFollowUp, .text = "1週間後にお電話、問題なし"}, kSato);
}

TEST(VerifyTest, ClosingAMediumCaseNeedsItsMeasuresVerified) {
  const v1::Incident i = FollowedUp(v1::SEVERITY_MEDIUM);
  EXPECT_EQ(Try(i, {.type = ActionType::kClose}, kSato),
            absl::PermissionDeniedError(
                "closing before every measure and checklist item is done and verified and a "
                "follow-up is logged needs role manager (measures not verified by someone "
                "other than their owner: 1)"));
  const v1::Incident verified =
      Do(i, {.type = ActionType::kVerifyMeasure, .number = 1}, kYamada);
  EXPECT_EQ(Do(verified, {.type = ActionType::kClose}, kSato).state(), v1::STATE_CLOSED);
  // A manager may still close early, and the timeline says what was not verified.
  absl::StatusOr<Change> c = Apply(i, {.type = ActionType::kClose, .text = "先方と合意"},
                                   kTanaka, kFriday, DirectorRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->event.text(), "先方と合意 (closed with measures not verified: 1)");
}

TEST(VerifyTest, ALowCaseClosesWithoutVerification) {
  EXPECT_EQ(Do(FollowedUp(v1::SEVERITY_LOW), {.type = ActionType::kClose}, kSato).state(),
            v1::STATE_CLOSED);
}

TEST(ReopenTest, StartsTheSincerityOfANewRoundButKeepsOffersAndUpdates) {
  v1::Incident i = Do(Approved(), Offer(50'000), kSato);
  i = Do(i, {.type = ActionType::kRecordExpectation, .text = "部長への説明"}, kSato);
  i = Do(i, {.type = ActionType::kLogClientUpdate, .text = "途中報告", .channel = v1::CHANNEL_MAIL},
         kSato);
  i = Do(i, {.type = ActionType::kClose, .text = "終了"}, kTanaka);
  i = Do(i, {.type = ActionType::kReopen, .text = "再発"}, kTanaka);
  EXPECT_FALSE(i.has_expectation());
  EXPECT_FALSE(i.has_cause());
  EXPECT_EQ(i.offers_size(), 1);
  EXPECT_EQ(i.client_updates_size(), 1);
  EXPECT_NE(Find(i, "update"), nullptr);
}

TEST(OfferTest, WaitsInTheInboxOfTheManagersAskedAsAnApproval) {
  v1::Incident i = Do(Approved(), Offer(300'000), kSato);
  std::vector<v1::InboxItem> items = InboxFor({&i, 1}, kDirector);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].reason(), v1::InboxItem::REASON_APPROVAL);
  EXPECT_EQ(items[0].deadline_key(), "offer-1");
  for (const v1::InboxItem& item : InboxFor({&i, 1}, kTanaka)) {
    EXPECT_NE(item.deadline_key(), "offer-1");  // above the team's managers' limit
  }
}

// Incidents stored before amends knew of sincerity have none of its deadlines.
TEST(UpgradeTest, AnOpenIncidentFromBeforeGetsItsUpdateDeadlineAtItsNextChange) {
  v1::Incident old = Reported();
  for (int n = 0; n < old.deadlines_size(); ++n) {
    if (old.deadlines(n).key() == "update") old.mutable_deadlines()->DeleteSubrange(n, 1);
  }
  ASSERT_EQ(Find(old, "update"), nullptr);
  const absl::Time monday = TokyoTime(2026, 11, 30, 9, 30);
  const v1::Incident next = Do(old, {.type = ActionType::kAddNote, .text = "先方から再度電話"},
                               kYamada, monday);
  ASSERT_NE(Find(next, "update"), nullptr);
  EXPECT_EQ(FromProto(Find(next, "update")->due()), TokyoTime(2026, 12, 2, 9, 30));
}

TEST(SincerityTest, IsForClientFacingCasesOnly) {
  v1::ReportIncidentRequest r = MissedMeeting();
  r.set_kind(v1::KIND_HARASSMENT);
  v1::Incident i = Report(r, kSato, "Asia/Tokyo", kFriday, {}, DirectorRules())->incident;
  i.set_id(12);
  EXPECT_EQ(Find(i, "update"), nullptr);
  EXPECT_EQ(Try(i, Offer(1000), kTanaka),
            absl::FailedPreconditionError(
                "incident 12 is a harassment case: no offer (only a client-facing case "
                "compensates the client)"));
}

TEST(SincerityPolicyTest, FieldsAreCheckedAndDefaulted) {
  const Policy& p = DefaultPolicy();
  EXPECT_TRUE(p.For(v1::SEVERITY_HIGH).manager_apology_due);
  EXPECT_FALSE(p.For(v1::SEVERITY_MEDIUM).manager_apology_due);
  EXPECT_TRUE(p.For(v1::SEVERITY_MEDIUM).verify_measures);
  EXPECT_FALSE(p.For(v1::SEVERITY_LOW).verify_measures);
  EXPECT_EQ(p.offer_limits(), (std::vector<int64_t>{100'000, 1'000'000}));
  // The shipped file without its cause categories and limits, which these replace.
  std::string text = ReadSourceFile("deploy/policy.textproto");
  text = text.substr(0, text.find("# The categories a cause may have"));
  EXPECT_EQ(Policy::Parse(text + "offer_limit_yen: [100000, 50000]\n", "p").status().message(),
            absl::StrCat("p:", std::count(text.begin(), text.end(), '\n') + 1,
                         ": offer_limit_yen[1]: 50000 must be above 100000 (the level below's) "
                         "and at most 1000000000"));
  EXPECT_EQ(Policy::Parse(text + "cause_categories: [\"Schedule\"]\n", "p").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<Policy> own = Policy::Parse(text + "cause_categories: [\"tooling\"]\n", "p");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->cause_categories(), (std::vector<std::string>{"tooling", "other"}));
}

}  // namespace
}  // namespace amends
