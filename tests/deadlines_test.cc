// Deadlines, reminders, promises, holds and automatic escalation, as the people of DOMAIN.md
// would notice them. The main case is case 2: a late report to a long-standing client
// (株式会社みどり物産), logged by sato of tokyo-sales on Friday 2026-11-27 at 16:50 JST, just
// before the weekend that must not swallow the deadline. tanaka and suzuki manage tokyo-sales;
// ito manages sales-directors, the third level of a chain in a custom policy. Times are
// written as the Tokyo wall clock shows them.
#include "server/core/deadlines.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "server/core/inbox.h"
#include "server/core/lifecycle.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"
#include "tests/case2.h"
#include "tests/test_rules.h"

namespace amends {
namespace {

const Actor kDirector{"ito", "sales-directors", Role::kManager};
const Actor kOsakaMember{"kobayashi", "osaka-sales", Role::kMember};

// The stages' own deadlines, with the department heads as HIGH's third level.
Rules DirectorsRules() {
  static const Policy* policy =
      new Policy(*Policy::Parse(WithoutSincerity(DirectorsPolicyText()), "directors.textproto"));
  return Rules{*policy, TokyoCalendar()};
}

// A Tokyo wall-clock time as people read it: "2026-11-27 17:50".
std::string Local(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M", t, Tokyo()); }
std::string Local(const google::protobuf::Timestamp& t) { return Local(FromProto(t)); }
std::string Local(const std::optional<absl::Time>& t) { return t ? Local(*t) : "none"; }

// The incident's open deadlines, in order, as "key: who by due" ("on hold, 16h10m left" while
// held; "breached" once its due time passed).
std::vector<std::string> Deadlines(const v1::Incident& incident) {
  std::vector<std::string> out;
  for (const v1::Deadline& d : incident.deadlines()) {
    std::string who = d.user();
    if (!d.managers_of().empty()) {
      absl::StrAppend(&who, who.empty() ? "" : " + ", "managers of ", d.managers_of());
    }
    std::string when;
    if (d.has_due()) {
      when = absl::StrCat("by ", Local(d.due()));
    } else {
      when = absl::StrCat(
          "on hold, ",
          absl::FormatDuration(absl::Seconds(d.held_left().seconds()) +
                               absl::Nanoseconds(d.held_left().nanos())),
          " left");
    }
    out.push_back(absl::StrCat(d.key(), ": ", who, " ", when,
                               d.has_breached_at() ? " (breached)" : ""));
  }
  return out;
}

const v1::Deadline* Find(const v1::Incident& incident, absl::string_view key) {
  for (const v1::Deadline& d : incident.deadlines()) {
    if (d.key() == key) return &d;
  }
  return nullptr;
}

std::vector<std::string> ReminderTimes(const v1::Incident& incident, absl::string_view key) {
  std::vector<std::string> out;
  if (const v1::Deadline* d = Find(incident, key)) {
    for (const auto& r : d->reminders()) out.push_back(Local(r));
  }
  return out;
}

// Case 2's report: a long-standing client did not get the report it needed for a meeting.

v1::Incident Reported(v1::Severity severity = v1::SEVERITY_HIGH, absl::Time at = kFriday1650,
                      const Rules& rules = StagesOnlyRules()) {
  absl::StatusOr<Change> c = Report(LateReport(severity), kOwner, "Asia/Tokyo", at, {}, rules);
  if (!c.ok()) {
    ADD_FAILURE() << "report: " << c.status();
    return {};
  }
  c->incident.set_id(1);
  return c->incident;
}

// Applies an action that must be accepted; the incident moves on and the event is returned.
v1::Event Act(v1::Incident& incident, const Action& action, const Actor& actor, absl::Time at,
              const Rules& rules = StagesOnlyRules()) {
  absl::StatusOr<Change> c = Apply(incident, action, actor, at, rules);
  if (!c.ok()) {
    ADD_FAILURE() << ActionName(action.type) << " by " << actor.name << " at " << Local(at)
                  << ": " << c.status();
    return {};
  }
  incident = c->incident;
  return c->event;
}

// Commits the point Fire() says is due at `at`; there must be one.
v1::Event FireAt(v1::Incident& incident, absl::Time at, const Rules& rules = StagesOnlyRules()) {
  std::optional<Change> c = Fire(incident, rules, at);
  if (!c) {
    ADD_FAILURE() << "nothing fired at " << Local(at);
    return {};
  }
  EXPECT_EQ(c->incident.version(), incident.version() + 1);
  incident = c->incident;
  return c->event;
}

// Everything the scheduler does at `at`, committed one point at a time, as
// "TYPE by actor: text".
std::vector<std::string> FireAllDue(v1::Incident& incident, absl::Time at,
                                    const Rules& rules = StagesOnlyRules()) {
  std::vector<std::string> out;
  for (int i = 0; i < 20; ++i) {
    std::optional<Change> c = Fire(incident, rules, at);
    if (!c) return out;
    incident = c->incident;
    out.push_back(absl::StrCat(v1::EventType_Name(c->event.type()), " by ", c->event.actor(),
                               ": ", c->event.text()));
  }
  ADD_FAILURE() << "Fire() never stops at " << Local(at);
  return out;
}

// A scheduler that never misses a point: fires each at its own time (NextWake), up to and
// including `until`, as "date time TYPE by actor: text".
std::vector<std::string> RunUntil(v1::Incident& incident, absl::Time until,
                                  const Rules& rules = StagesOnlyRules()) {
  std::vector<std::string> out;
  for (int i = 0; i < 50; ++i) {
    const std::optional<absl::Time> wake = NextWake(incident);
    if (!wake || *wake > until) return out;
    std::optional<Change> c = Fire(incident, rules, *wake);
    if (!c) {
      ADD_FAILURE() << "NextWake says " << Local(*wake) << " but nothing fires then";
      return out;
    }
    incident = c->incident;
    out.push_back(absl::StrCat(Local(*wake), " ", v1::EventType_Name(c->event.type()), " by ",
                               c->event.actor(), ": ", c->event.text()));
  }
  ADD_FAILURE() << "the scheduler never stops before " << Local(until);
  return out;
}

// Sato's day so far: the apology call at 17:00, the escalation at 17:05.
v1::Incident Apologized() {
  v1::Incident i = Reported();
  Act(i, {.type = ActionType::kRecordFirstApology, .text = "電話で謝罪", .channel = v1::CHANNEL_CALL},
      kOwner, TokyoTime(2026, 11, 27, 17, 0));
  return i;
}

v1::Incident Escalated(const Rules& rules = StagesOnlyRules()) {
  v1::Incident i = Reported(v1::SEVERITY_HIGH, kFriday1650, rules);
  Act(i, {.type = ActionType::kRecordFirstApology, .text = "電話で謝罪", .channel = v1::CHANNEL_CALL},
      kOwner, TokyoTime(2026, 11, 27, 17, 0), rules);
  Act(i, {.type = ActionType::kEscalate, .text = "長年の取引先、先方部長が強い調子で抗議"}, kOwner,
      TokyoTime(2026, 11, 27, 17, 5), rules);
  return i;
}

// tanaka approves at 17:10: the visit is due Tuesday 17:10.
v1::Incident Approved() {
  v1::Incident i = Escalated();
  Act(i, {.type = ActionType::kApproveEscalation, .text = "月曜に一緒に訪問する"}, kManager,
      TokyoTime(2026, 11, 27, 17, 10));
  return i;
}

// The visit on Tuesday 15:00: the plan is due Friday 15:00.
v1::Incident Visited() {
  v1::Incident i = Approved();
  // Not scheduled in amends: recorded with the time it took place.
  Act(i,
      {.type = ActionType::kRecordVisit,
       .text = "部長に直接謝罪し、再発防止策を約束",
       .at = TokyoTime(2026, 12, 1, 15, 0)},
      kOwner, TokyoTime(2026, 12, 1, 15, 0));
  Act(i,
      {.type = ActionType::kRecordCause,
       .text = "提出期限を担当者一人で管理していた",
       .why_missed = "進捗の報告も確認もなく、誰も遅れに気づけなかった",
       .category = "process"},
      kOwner, TokyoTime(2026, 12, 1, 15, 0));
  return i;
}

// One measure, owned by yamada, due Friday 2026-12-11 18:00.
Action DoubleCheckMeasure() {
  return {.type = ActionType::kAddMeasure,
          .text = "提出物の期限を共有スケジュールで二重確認",
          .at = TokyoTime(2026, 12, 11, 18, 0),
          .user = kColleague};
}

// ---------------------------------------------------------------------------------------------
// Every stage's deadlines

TEST(StageDeadlinesTest, FridayEveningReportIsDueForApologyAtOnceAndForEscalationMondayMorning) {
  const v1::Incident i = Reported();
  // One working hour for the apology; two for the escalation: 70 minutes on Friday and 50 on
  // Monday. The weekend does not count, but it does not swallow the deadline either.
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "first-apology: sato by 2026-11-27 17:50",
                              "escalate: sato by 2026-11-30 09:50",
                          }));
  EXPECT_FALSE(Find(i, "escalate")->wall_clock());
  EXPECT_EQ(Local(NextDue(i)), "2026-11-27 17:50");
  // Half-way to the apology and 30 minutes before it are the same minute: one reminder.
  EXPECT_EQ(ReminderTimes(i, "first-apology"), (std::vector<std::string>{"2026-11-27 17:20"}));
  EXPECT_EQ(ReminderTimes(i, "escalate"),
            (std::vector<std::string>{"2026-11-27 17:50", "2026-11-30 09:20"}));
  EXPECT_EQ(Local(NextWake(i)), "2026-11-27 17:20");
}

TEST(StageDeadlinesTest, RecordedFirstApologyRemovesOnlyItsOwnDeadline) {
  const v1::Incident i = Apologized();
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"escalate: sato by 2026-11-30 09:50"}));
  EXPECT_EQ(Local(NextDue(i)), "2026-11-30 09:50");
  EXPECT_EQ(Local(NextWake(i)), "2026-11-27 17:50");
}

TEST(StageDeadlinesTest, EscalationAsksTheTeamsManagersToApproveWithinTwoWorkingHours) {
  const v1::Incident i = Escalated();
  // Escalated at 17:05: 55 minutes on Friday, 65 on Monday.
  EXPECT_EQ(Deadlines(i),
            (std::vector<std::string>{"approve: managers of tokyo-sales by 2026-11-30 10:05"}));
  EXPECT_EQ(Find(i, "approve")->level(), 1);
  EXPECT_EQ(AskedTeam(i), "");  // its own team's managers are no outside team
  EXPECT_EQ(Local(NextDue(i)), "2026-11-30 10:05");
}

TEST(StageDeadlinesTest, ApprovalGivesTheOwnerTwoWorkingDaysForTheApologyVisit) {
  const v1::Incident i = Approved();
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"visit: sato by 2026-12-01 17:10"}));
  // 18 working hours: half-way is Monday 17:10, the last call Tuesday 16:40.
  EXPECT_EQ(ReminderTimes(i, "visit"),
            (std::vector<std::string>{"2026-11-30 17:10", "2026-12-01 16:40"}));
}

TEST(StageDeadlinesTest, VisitDoneGivesThreeWorkingDaysForThePlanAndEachMeasureItsOwnDeadline) {
  v1::Incident i = Visited();
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"plan: sato by 2026-12-04 15:00"}));

  v1::Event e = Act(i, DoubleCheckMeasure(), kOwner, TokyoTime(2026, 12, 1, 15, 30));
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_MEASURE_ADDED);
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "plan: sato by 2026-12-04 15:00",
                              "measure-1: yamada by 2026-12-11 18:00",
                          }));
  EXPECT_EQ(Find(i, "measure-1")->what(), "measure 1: 提出物の期限を共有スケジュールで二重確認");

  Act(i, {.type = ActionType::kCompleteMeasure, .number = 1}, kColleague,
      TokyoTime(2026, 12, 2, 10, 0));
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"plan: sato by 2026-12-04 15:00"}));
}

TEST(StageDeadlinesTest, PresentedPlanSchedulesThreeFollowUpsInWorkingDaysAcrossTheYearEnd) {
  v1::Incident i = Visited();
  Act(i, DoubleCheckMeasure(), kOwner, TokyoTime(2026, 12, 1, 15, 30));
  Act(i, {.type = ActionType::kPresentPlan}, kOwner, TokyoTime(2026, 12, 3, 11, 0));
  // 5, 20 and 60 working days from Thursday 11:00; the year-end break (12/29-1/3), Coming of
  // Age Day, National Foundation Day and the Emperor's Birthday do not count.
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "follow-up-1: sato by 2026-12-10 11:00",
                              "measure-1: yamada by 2026-12-11 18:00",
                              "follow-up-2: sato by 2027-01-06 11:00",
                              "follow-up-3: sato by 2027-03-08 11:00",
                          }));
  EXPECT_EQ(Find(i, "follow-up-2")->what(), "follow-up contact 2");
}

TEST(StageDeadlinesTest, EachLoggedFollowUpMeetsTheNextFollowUpDeadline) {
  v1::Incident i = Visited();
  Act(i, DoubleCheckMeasure(), kOwner, TokyoTime(2026, 12, 1, 15, 30));
  Act(i, {.type = ActionType::kPresentPlan}, kOwner, TokyoTime(2026, 12, 3, 11, 0));

  Act(i, {.type = ActionType::kLogFollowUp, .text = "1週間後の電話。先方は落ち着いている"}, kOwner,
      TokyoTime(2026, 12, 10, 10, 0));
  EXPECT_EQ(Find(i, "follow-up-1"), nullptr);
  EXPECT_NE(Find(i, "follow-up-2"), nullptr);

  Act(i, {.type = ActionType::kLogFollowUp, .text = "1か月後の訪問"}, kOwner,
      TokyoTime(2027, 1, 5, 10, 0));
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "measure-1: yamada by 2026-12-11 18:00",
                              "follow-up-3: sato by 2027-03-08 11:00",
                          }));
}

TEST(StageDeadlinesTest, CloseClearsEveryDeadlineAndReopenStartsTheReportingClocksAgain) {
  v1::Incident i = Visited();
  Act(i, DoubleCheckMeasure(), kOwner, TokyoTime(2026, 12, 1, 15, 30));
  Act(i, {.type = ActionType::kPresentPlan}, kOwner, TokyoTime(2026, 12, 3, 11, 0));
  FireAt(i, TokyoTime(2026, 12, 7, 15, 30));  // half-way to follow-up 1, not acknowledged
  ASSERT_EQ(i.reminders_size(), 1);

  Act(i, {.type = ActionType::kClose, .text = "先方と取引継続で合意"}, kManager,
      TokyoTime(2026, 12, 8, 10, 0));
  EXPECT_EQ(i.state(), v1::STATE_CLOSED);
  EXPECT_TRUE(Deadlines(i).empty());
  EXPECT_EQ(i.reminders_size(), 0);
  EXPECT_EQ(NextDue(i), std::nullopt);
  EXPECT_EQ(NextWake(i), std::nullopt);
  EXPECT_EQ(Fire(i, StagesOnlyRules(), TokyoTime(2027, 6, 1, 9, 0)), std::nullopt);

  // The same client complains again a week later: the old measure belongs to round 1.
  Act(i, {.type = ActionType::kReopen, .text = "同じ遅延が再発"}, kManager,
      TokyoTime(2026, 12, 14, 10, 0));
  EXPECT_EQ(i.state(), v1::STATE_REPORTED);
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "first-apology: sato by 2026-12-14 11:00",
                              "escalate: sato by 2026-12-14 12:00",
                          }));
}

TEST(StageDeadlinesTest, DeclineReturnsToReportedWithoutAskingToEscalateAgain) {
  v1::Incident i = Reported();
  Act(i, {.type = ActionType::kEscalate, .text = "先方部長が激怒"}, kOwner,
      TokyoTime(2026, 11, 27, 17, 0));
  Act(i, {.type = ActionType::kDeclineEscalation, .text = "担当者レベルで対応可能"}, kManager,
      TokyoTime(2026, 11, 30, 9, 0));
  EXPECT_EQ(i.state(), v1::STATE_REPORTED);
  // The apology is still owed, since Friday; the manager has decided on the escalation.
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"first-apology: sato by 2026-11-27 17:50"}));

  v1::Incident apologized = Escalated();
  Act(apologized, {.type = ActionType::kDeclineEscalation, .text = "担当者レベルで対応可能"},
      kManager, TokyoTime(2026, 11, 30, 9, 0));
  EXPECT_TRUE(Deadlines(apologized).empty());
  EXPECT_EQ(NextWake(apologized), std::nullopt);
}

TEST(StageDeadlinesTest, HandOverGivesTheStageDeadlinesToTheNewOwner) {
  v1::Incident i = Reported();
  Act(i, {.type = ActionType::kAssign, .text = "山田さんが先方部長と面識あり", .user = kColleague},
      kOwner, TokyoTime(2026, 11, 27, 17, 0));
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "first-apology: yamada by 2026-11-27 17:50",
                              "escalate: yamada by 2026-11-30 09:50",
                          }));
}

TEST(StageDeadlinesTest, CriticalCountsWallTimeThroughTheWeekend) {
  v1::Incident i = Reported(v1::SEVERITY_CRITICAL, TokyoTime(2026, 11, 27, 17, 30));
  // A business-time incident would be due Monday; a critical one the same evening.
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "first-apology: sato by 2026-11-27 18:30",
                              "escalate: sato by 2026-11-27 18:30",
                          }));
  EXPECT_TRUE(Find(i, "escalate")->wall_clock());
  EXPECT_EQ(ReminderTimes(i, "escalate"),
            (std::vector<std::string>{"2026-11-27 18:00", "2026-11-27 18:15"}));
  EXPECT_EQ(Local(NextWake(i)), "2026-11-27 18:00");

  // Nobody acts: amends escalates the same Friday evening, and the managers have an hour.
  const std::vector<std::string> fired = RunUntil(i, TokyoTime(2026, 11, 27, 18, 30));
  ASSERT_EQ(fired.size(), 7u) << ::testing::PrintToString(fired);  // 4 reminders, then:
  EXPECT_EQ(std::vector<std::string>(fired.begin() + 4, fired.end()),
            (std::vector<std::string>{
                "2026-11-27 18:30 EVENT_TYPE_DEADLINE_BREACHED by amends: first apology to the "
                "client was due 2026-11-27 18:30 JST; told managers of tokyo-sales",
                "2026-11-27 18:30 EVENT_TYPE_DEADLINE_BREACHED by amends: escalate to a manager "
                "was due 2026-11-27 18:30 JST; escalating automatically",
                "2026-11-27 18:30 EVENT_TYPE_ESCALATED by amends: escalate to a manager was due "
                "2026-11-27 18:30 JST and nobody did: escalated by amends",
            }));
  // The apology stays owed, and overdue, until someone makes it.
  const std::string apology =
      "first-apology: sato + managers of tokyo-sales by 2026-11-27 18:30 (breached)";
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              apology, "approve: managers of tokyo-sales by 2026-11-27 19:30"}));

  // Approved at 19:00, the visit is due on Saturday at the same time.
  Act(i, {.type = ActionType::kApproveEscalation}, kManager, TokyoTime(2026, 11, 27, 19, 0));
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{apology, "visit: sato by 2026-11-28 19:00"}));
}

// ---------------------------------------------------------------------------------------------
// Reminders

TEST(ReminderTest, OwnerIsRemindedHalfWayAndThirtyMinutesBeforeInOrder) {
  v1::Incident i = Apologized();
  EXPECT_EQ(Fire(i, StagesOnlyRules(), TokyoTime(2026, 11, 27, 17, 49)), std::nullopt);

  v1::Event first = FireAt(i, TokyoTime(2026, 11, 27, 17, 50));
  EXPECT_EQ(first.type(), v1::EVENT_TYPE_REMINDER);
  EXPECT_EQ(first.actor(), "amends");
  EXPECT_EQ(first.text(), "reminder to sato: escalate to a manager, due 2026-11-30 09:50 JST");
  EXPECT_EQ(first.from_state(), v1::STATE_REPORTED);
  EXPECT_EQ(first.to_state(), v1::STATE_REPORTED);
  EXPECT_EQ(Local(FromProto(first.time())), "2026-11-27 17:50");
  EXPECT_EQ(Fire(i, StagesOnlyRules(), TokyoTime(2026, 11, 30, 9, 19)), std::nullopt);
  EXPECT_EQ(Local(NextWake(i)), "2026-11-30 09:20");

  v1::Event second = FireAt(i, TokyoTime(2026, 11, 30, 9, 20));
  EXPECT_EQ(second.type(), v1::EVENT_TYPE_REMINDER);
  EXPECT_EQ(second.text(), "reminder to sato: escalate to a manager, due 2026-11-30 09:50 JST");
  // Nothing left to remind of: the next point is the breach.
  EXPECT_TRUE(ReminderTimes(i, "escalate").empty());
  EXPECT_EQ(Local(NextWake(i)), "2026-11-30 09:50");
}

TEST(ReminderTest, FiredReminderWaitsForItsAddresseeToAcknowledge) {
  v1::Incident i = Apologized();
  FireAt(i, TokyoTime(2026, 11, 27, 17, 50));
  ASSERT_EQ(i.reminders_size(), 1);
  const v1::ReminderNotice& n = i.reminders(0);
  EXPECT_EQ(n.deadline_key(), "escalate");
  EXPECT_EQ(n.what(), "escalate to a manager");
  EXPECT_EQ(n.user(), "sato");
  EXPECT_EQ(n.managers_of(), "");
  EXPECT_EQ(Local(n.due()), "2026-11-30 09:50");
  EXPECT_EQ(Local(n.fired_at()), "2026-11-27 17:50");

  // Only sato was reminded, so only sato can acknowledge it.
  for (const Actor& other : {kColleague, kManager}) {
    EXPECT_EQ(Apply(i, {.type = ActionType::kAcknowledge}, other, TokyoTime(2026, 11, 27, 17, 55),
                    StagesOnlyRules())
                  .status(),
              absl::FailedPreconditionError("incident 1 has no reminders for you"))
        << other.name;
  }
  v1::Event ack =
      Act(i, {.type = ActionType::kAcknowledge}, kOwner, TokyoTime(2026, 11, 27, 17, 55));
  EXPECT_EQ(ack.type(), v1::EVENT_TYPE_REMINDERS_ACKNOWLEDGED);
  EXPECT_EQ(ack.text(), "1 reminder(s) acknowledged");
  EXPECT_EQ(i.reminders_size(), 0);
  // Acknowledging is not meeting the deadline: the last reminder still comes.
  EXPECT_EQ(Local(NextWake(i)), "2026-11-30 09:20");
}

TEST(ReminderTest, ReminderOfAMetDeadlineDisappears) {
  v1::Incident i = Apologized();
  FireAt(i, TokyoTime(2026, 11, 27, 17, 50));
  ASSERT_EQ(i.reminders_size(), 1);
  Act(i, {.type = ActionType::kEscalate, .text = "週明けを待たずに報告"}, kOwner,
      TokyoTime(2026, 11, 27, 17, 55));
  EXPECT_EQ(i.reminders_size(), 0);
}

TEST(ReminderTest, ApprovalRemindersGoToTheTeamsManagersAndAnyOfThemAcknowledges) {
  v1::Incident i = Escalated();
  // Escalated at 17:05, due Monday 10:05: 55 minutes on Friday, so half-way is Monday 09:05.
  EXPECT_EQ(ReminderTimes(i, "approve"),
            (std::vector<std::string>{"2026-11-30 09:05", "2026-11-30 09:35"}));
  EXPECT_EQ(Fire(i, StagesOnlyRules(), TokyoTime(2026, 11, 29, 12, 0)), std::nullopt);
  v1::Event e = FireAt(i, TokyoTime(2026, 11, 30, 9, 5));
  EXPECT_EQ(e.text(),
            "reminder to managers of tokyo-sales: approve or decline the escalation, due "
            "2026-11-30 10:05 JST");
  ASSERT_EQ(i.reminders_size(), 1);
  EXPECT_EQ(i.reminders(0).user(), "");
  EXPECT_EQ(i.reminders(0).managers_of(), "tokyo-sales");
  EXPECT_EQ(Apply(i, {.type = ActionType::kAcknowledge}, kOwner, TokyoTime(2026, 11, 30, 9, 10),
                  StagesOnlyRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  Act(i, {.type = ActionType::kAcknowledge}, kOtherManager, TokyoTime(2026, 11, 30, 9, 10));
  EXPECT_EQ(i.reminders_size(), 0);
}

TEST(ReminderTest, RemindersMissedWhileDownStillFireOnceBeforeTheBreach) {
  // The scheduler was down all weekend: at Monday 10:00 both reminders are late and the
  // deadline is past. Each point still fires once, in its order; the reminders are dropped
  // from the inbox once the escalation has made them moot.
  v1::Incident i = Apologized();
  const std::string reminder =
      "EVENT_TYPE_REMINDER by amends: reminder to sato: escalate to a manager, due "
      "2026-11-30 09:50 JST";
  EXPECT_EQ(FireAllDue(i, TokyoTime(2026, 11, 30, 10, 0)),
            (std::vector<std::string>{
                reminder,
                reminder,
                "EVENT_TYPE_DEADLINE_BREACHED by amends: escalate to a manager was due "
                "2026-11-30 09:50 JST; escalating automatically",
                "EVENT_TYPE_ESCALATED by amends: escalate to a manager was due 2026-11-30 09:50 "
                "JST and nobody did: escalated by amends",
            }));
  EXPECT_EQ(i.reminders_size(), 0);
}

// ---------------------------------------------------------------------------------------------
// Breaches and automatic escalation (case 2: nothing may wait for Monday unescalated)

TEST(BreachTest, EveryPointOfAnUntouchedReportFiresOnceInOrder) {
  v1::Incident i = Reported();
  std::vector<std::string> fired;
  for (absl::Time t : {TokyoTime(2026, 11, 27, 17, 20), TokyoTime(2026, 11, 27, 17, 50),
                       TokyoTime(2026, 11, 30, 9, 20), TokyoTime(2026, 11, 30, 9, 50)}) {
    for (std::string& e : FireAllDue(i, t)) fired.push_back(absl::StrCat(Local(t), " ", e));
  }
  EXPECT_EQ(fired, (std::vector<std::string>{
                       "2026-11-27 17:20 EVENT_TYPE_REMINDER by amends: reminder to sato: first "
                       "apology to the client, due 2026-11-27 17:50 JST",
                       "2026-11-27 17:50 EVENT_TYPE_DEADLINE_BREACHED by amends: first apology "
                       "to the client was due 2026-11-27 17:50 JST; told managers of tokyo-sales",
                       "2026-11-27 17:50 EVENT_TYPE_REMINDER by amends: reminder to sato: "
                       "escalate to a manager, due 2026-11-30 09:50 JST",
                       "2026-11-30 09:20 EVENT_TYPE_REMINDER by amends: reminder to sato: "
                       "escalate to a manager, due 2026-11-30 09:50 JST",
                       "2026-11-30 09:50 EVENT_TYPE_DEADLINE_BREACHED by amends: escalate to a "
                       "manager was due 2026-11-30 09:50 JST; escalating automatically",
                       "2026-11-30 09:50 EVENT_TYPE_ESCALATED by amends: escalate to a manager "
                       "was due 2026-11-30 09:50 JST and nobody did: escalated by amends",
                   }));
  EXPECT_EQ(i.state(), v1::STATE_ESCALATED);
}

TEST(BreachTest, MissedEscalationIsBreachedThenEscalatedByAmends) {
  v1::Incident i = Apologized();
  RunUntil(i, TokyoTime(2026, 11, 30, 9, 49));  // both reminders
  v1::Event breach = FireAt(i, TokyoTime(2026, 11, 30, 9, 50));
  EXPECT_EQ(breach.type(), v1::EVENT_TYPE_DEADLINE_BREACHED);
  EXPECT_EQ(breach.actor(), "amends");
  EXPECT_EQ(i.state(), v1::STATE_REPORTED);
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "escalate: sato + managers of tokyo-sales by 2026-11-30 09:50 "
                              "(breached)",
                          }));
  // A breached deadline stays due (for "list --overdue") but wakes nobody for itself.
  EXPECT_EQ(Local(NextDue(i)), "2026-11-30 09:50");

  v1::Event escalation = FireAt(i, TokyoTime(2026, 11, 30, 9, 50));
  EXPECT_EQ(escalation.type(), v1::EVENT_TYPE_ESCALATED);
  EXPECT_EQ(escalation.actor(), "amends");
  EXPECT_EQ(escalation.from_state(), v1::STATE_REPORTED);
  EXPECT_EQ(escalation.to_state(), v1::STATE_ESCALATED);
  EXPECT_EQ(i.state(), v1::STATE_ESCALATED);
  EXPECT_TRUE(absl::StrContains(i.escalation_reason(), "was due 2026-11-30 09:50 JST"))
      << i.escalation_reason();
  EXPECT_EQ(Deadlines(i),
            (std::vector<std::string>{"approve: managers of tokyo-sales by 2026-11-30 11:50"}));
}

TEST(BreachTest, LapsedApprovalClimbsTheChainToTheDirectorsAndStopsAtItsEnd) {
  const Rules rules = DirectorsRules();
  v1::Incident i = Reported(v1::SEVERITY_HIGH, kFriday1650, rules);
  Act(i, {.type = ActionType::kRecordFirstApology, .channel = v1::CHANNEL_MAIL}, kOwner,
      TokyoTime(2026, 11, 27, 17, 0), rules);
  RunUntil(i, TokyoTime(2026, 11, 30, 9, 50), rules);
  ASSERT_EQ(i.state(), v1::STATE_ESCALATED);
  EXPECT_EQ(Deadlines(i),
            (std::vector<std::string>{"approve: managers of tokyo-sales by 2026-11-30 11:50"}));
  // The directors are not asked yet: the incident is not theirs to see.
  EXPECT_EQ(AskedTeam(i), "");
  EXPECT_EQ(CheckCanRead(i, kDirector).code(), absl::StatusCode::kNotFound);

  // tanaka and suzuki are reminded at 10:50 and 11:20 and let the approval lapse: the
  // department heads are asked, with their own two working hours.
  EXPECT_EQ(RunUntil(i, TokyoTime(2026, 11, 30, 11, 49), rules).size(), 2u);
  v1::Event lapse = FireAt(i, TokyoTime(2026, 11, 30, 11, 50), rules);
  EXPECT_EQ(lapse.type(), v1::EVENT_TYPE_DEADLINE_BREACHED);
  EXPECT_EQ(lapse.actor(), "amends");
  EXPECT_EQ(lapse.text(),
            "approve or decline the escalation was due 2026-11-30 11:50 JST; now asking "
            "managers of sales-directors, due 2026-11-30 13:50 JST");
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "approve: managers of sales-directors by 2026-11-30 13:50",
                          }));
  EXPECT_EQ(Find(i, "approve")->level(), 2);
  EXPECT_EQ(AskedTeam(i), "sales-directors");
  EXPECT_TRUE(CheckCanRead(i, kDirector).ok());
  EXPECT_EQ(CheckCanRead(i, Actor{"kato", "sales-directors", Role::kMember}).code(),
            absl::StatusCode::kNotFound);

  // ito may decide now.
  absl::StatusOr<Change> approved = Apply(i, {.type = ActionType::kApproveEscalation}, kDirector,
                                          TokyoTime(2026, 11, 30, 12, 0), rules);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->incident.state(), v1::STATE_APOLOGY_VISIT);
  EXPECT_EQ(approved->incident.manager(), "ito");

  // ito is reminded too.
  v1::Event reminder = FireAt(i, TokyoTime(2026, 11, 30, 12, 50), rules);
  EXPECT_EQ(reminder.text(),
            "reminder to managers of sales-directors: approve or decline the escalation, due "
            "2026-11-30 13:50 JST");
  ASSERT_EQ(i.reminders_size(), 3);
  Act(i, {.type = ActionType::kAcknowledge}, kDirector, TokyoTime(2026, 11, 30, 12, 55), rules);
  // ito acknowledges his own; tanaka's and suzuki's two stay theirs to acknowledge.
  ASSERT_EQ(i.reminders_size(), 2);
  EXPECT_EQ(i.reminders(0).managers_of(), "tokyo-sales");
  EXPECT_EQ(i.reminders(1).managers_of(), "tokyo-sales");

  // Nobody decides at all: the chain has no further level and nothing fires again.
  EXPECT_EQ(RunUntil(i, TokyoTime(2026, 11, 30, 13, 49), rules).size(), 1u);  // 13:20
  v1::Event end = FireAt(i, TokyoTime(2026, 11, 30, 13, 50), rules);
  EXPECT_EQ(end.type(), v1::EVENT_TYPE_DEADLINE_BREACHED);
  EXPECT_EQ(end.text(),
            "approve or decline the escalation was due 2026-11-30 13:50 JST; the escalation "
            "chain has no further level");
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "approve: managers of sales-directors by 2026-11-30 13:50 "
                              "(breached)",
                          }));
  EXPECT_EQ(NextWake(i), std::nullopt);
  EXPECT_EQ(Fire(i, rules, TokyoTime(2026, 12, 7, 9, 0)), std::nullopt);
  // The directors were asked and still may decide.
  EXPECT_EQ(AskedTeam(i), "sales-directors");
  EXPECT_TRUE(Apply(i, {.type = ActionType::kApproveEscalation}, kDirector,
                    TokyoTime(2026, 11, 30, 14, 0), rules)
                  .ok());
}

TEST(BreachTest, WithTheDefaultTwoLevelChainALapsedApprovalIsTheEndOfTheChain) {
  v1::Incident i = Escalated();
  RunUntil(i, TokyoTime(2026, 11, 30, 10, 4));
  v1::Event e = FireAt(i, TokyoTime(2026, 11, 30, 10, 5));
  EXPECT_EQ(e.text(),
            "approve or decline the escalation was due 2026-11-30 10:05 JST; the escalation "
            "chain has no further level");
  EXPECT_EQ(AskedTeam(i), "");
  EXPECT_EQ(NextWake(i), std::nullopt);
}

TEST(BreachTest, MissedVisitTellsTheManagers) {
  v1::Incident i = Approved();
  RunUntil(i, TokyoTime(2026, 12, 1, 17, 9));
  v1::Event e = FireAt(i, TokyoTime(2026, 12, 1, 17, 10));
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_DEADLINE_BREACHED);
  EXPECT_EQ(e.text(), "apology visit was due 2026-12-01 17:10 JST; told managers of tokyo-sales");
  EXPECT_EQ(i.state(), v1::STATE_APOLOGY_VISIT);
  EXPECT_EQ(NextWake(i), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Exactly once

TEST(ExactlyOnceTest, CommittedPointNeverFiresAgain) {
  v1::Incident i = Apologized();
  const absl::Time t = TokyoTime(2026, 11, 27, 17, 50);
  FireAt(i, t);  // the half-way reminder
  EXPECT_EQ(Fire(i, StagesOnlyRules(), t), std::nullopt);

  const absl::Time monday = TokyoTime(2026, 11, 30, 9, 20);
  FireAt(i, monday);  // the last reminder
  EXPECT_EQ(Fire(i, StagesOnlyRules(), monday), std::nullopt);
  EXPECT_EQ(i.reminders_size(), 2);  // one notice per reminder, not more
}

TEST(ExactlyOnceTest, PointWhoseChangeWasNotCommittedFiresAgain) {
  const v1::Incident i = Apologized();
  const absl::Time t = TokyoTime(2026, 11, 27, 17, 50);
  std::optional<Change> lost = Fire(i, StagesOnlyRules(), t);  // crashed before the commit
  ASSERT_TRUE(lost.has_value());
  std::optional<Change> again = Fire(i, StagesOnlyRules(), TokyoTime(2026, 11, 27, 17, 51));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->event.type(), v1::EVENT_TYPE_REMINDER);
  EXPECT_EQ(again->event.text(), lost->event.text());
}

TEST(ExactlyOnceTest, CommittedBreachWithItsEscalationOwedEscalatesAfterARestart) {
  // kill -9 between the breach and the escalation: the breach is on the incident, the
  // incident is still REPORTED.
  v1::Incident i = Apologized();
  RunUntil(i, TokyoTime(2026, 11, 30, 9, 49));
  FireAt(i, TokyoTime(2026, 11, 30, 9, 50));
  ASSERT_EQ(i.state(), v1::STATE_REPORTED);
  ASSERT_TRUE(Find(i, "escalate")->has_breached_at());
  // The escalation is owed since 09:50, so the scheduler must wake at once.
  EXPECT_EQ(Local(NextWake(i)), "2026-11-30 09:50");

  const absl::Time restart = TokyoTime(2026, 11, 30, 10, 30);
  v1::Event e = FireAt(i, restart);
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_ESCALATED);
  EXPECT_EQ(e.actor(), "amends");
  EXPECT_EQ(i.state(), v1::STATE_ESCALATED);
  // Not twice, and the managers' clock starts when they are told.
  EXPECT_EQ(Fire(i, StagesOnlyRules(), restart), std::nullopt);
  EXPECT_EQ(Deadlines(i),
            (std::vector<std::string>{"approve: managers of tokyo-sales by 2026-11-30 12:30"}));
  EXPECT_EQ(Local(NextWake(i)), "2026-11-30 11:30");
}

// ---------------------------------------------------------------------------------------------
// Promises (case 4: "I will call you back by 15:00")

TEST(PromiseTest, PromiseIsADeadlineForTheOwnerWithRemindersUntilKept) {
  v1::Incident i = Approved();
  v1::Event made = Act(i,
                       {.type = ActionType::kMakePromise,
                        .text = "15時までに折り返し電話",
                        .at = TokyoTime(2026, 11, 30, 15, 0)},
                       kColleague, TokyoTime(2026, 11, 30, 10, 0));
  EXPECT_EQ(made.type(), v1::EVENT_TYPE_PROMISE_MADE);
  EXPECT_EQ(made.text(), "1. by 2026-11-30 15:00 JST: 15時までに折り返し電話");
  // The owner keeps the team's promises, whoever took the call.
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "promise-1: sato by 2026-11-30 15:00",
                              "visit: sato by 2026-12-01 17:10",
                          }));
  EXPECT_EQ(ReminderTimes(i, "promise-1"),
            (std::vector<std::string>{"2026-11-30 12:30", "2026-11-30 14:30"}));
  EXPECT_EQ(Local(NextDue(i)), "2026-11-30 15:00");

  v1::Event reminder = FireAt(i, TokyoTime(2026, 11, 30, 12, 30));
  EXPECT_EQ(reminder.text(),
            "reminder to sato: promise 1: 15時までに折り返し電話, due 2026-11-30 15:00 JST");
  ASSERT_EQ(i.reminders_size(), 1);

  v1::Event kept = Act(i, {.type = ActionType::kKeepPromise, .number = 1}, kOwner,
                       TokyoTime(2026, 11, 30, 14, 0));
  EXPECT_EQ(kept.type(), v1::EVENT_TYPE_PROMISE_KEPT);
  EXPECT_EQ(kept.text(), "1. 15時までに折り返し電話");
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"visit: sato by 2026-12-01 17:10"}));
  EXPECT_EQ(i.reminders_size(), 0);  // the promise's reminder went with it

  EXPECT_EQ(Apply(i, {.type = ActionType::kKeepPromise, .number = 1}, kOwner,
                  TokyoTime(2026, 11, 30, 14, 5), StagesOnlyRules())
                .status(),
            absl::FailedPreconditionError("promise 1 is already kept"));
}

TEST(PromiseTest, HandOverGivesOpenPromisesToTheNewOwner) {
  // Case 5: the client must never have to repeat themselves to the next rep.
  v1::Incident i = Approved();
  Act(i, {.type = ActionType::kMakePromise, .text = "15時までに折り返し電話",
          .at = TokyoTime(2026, 11, 30, 15, 0)},
      kOwner, TokyoTime(2026, 11, 30, 10, 0));
  Act(i, {.type = ActionType::kAssign, .text = "15時の折り返しをお願いします", .user = kColleague},
      kOwner, TokyoTime(2026, 11, 30, 11, 0));
  EXPECT_EQ(i.promises(0).owner(), "yamada");
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "promise-1: yamada by 2026-11-30 15:00",
                              "visit: yamada by 2026-12-01 17:10",
                          }));
}

TEST(PromiseTest, BrokenPromiseIsBreachedAndToldToTheManagers) {
  v1::Incident i = Approved();
  Act(i, {.type = ActionType::kMakePromise, .text = "15時までに折り返し電話",
          .at = TokyoTime(2026, 11, 30, 15, 0)},
      kOwner, TokyoTime(2026, 11, 30, 10, 0));
  RunUntil(i, TokyoTime(2026, 11, 30, 14, 59));
  v1::Event e = FireAt(i, TokyoTime(2026, 11, 30, 15, 0));
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_DEADLINE_BREACHED);
  EXPECT_EQ(e.text(),
            "promise 1: 15時までに折り返し電話 was due 2026-11-30 15:00 JST; told managers of "
            "tokyo-sales");
  std::vector<v1::InboxItem> managers = InboxFor({&i, 1}, kManager);
  ASSERT_EQ(managers.size(), 1u);
  EXPECT_EQ(managers[0].reason(), v1::InboxItem::REASON_BREACH);
  EXPECT_EQ(managers[0].deadline_key(), "promise-1");
}

TEST(PromiseTest, PromiseInThePastOrWithoutATimeIsRejectedNamingBy) {
  const v1::Incident i = Approved();
  absl::StatusOr<Change> past = Apply(i,
                                      {.type = ActionType::kMakePromise,
                                       .text = "9時までに折り返し電話",
                                       .at = TokyoTime(2026, 11, 30, 9, 0)},
                                      kOwner, TokyoTime(2026, 11, 30, 10, 0), StagesOnlyRules());
  ASSERT_EQ(past.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(past.status().message(), "by: 2026-11-30 09:00 JST"))
      << past.status();
  EXPECT_TRUE(absl::EndsWith(past.status().message(), " is in the past")) << past.status();

  absl::StatusOr<Change> none =
      Apply(i, {.type = ActionType::kMakePromise, .text = "折り返し電話"}, kOwner,
            TokyoTime(2026, 11, 30, 10, 0), StagesOnlyRules());
  EXPECT_EQ(none.status(), absl::InvalidArgumentError("by: required"));
}

// ---------------------------------------------------------------------------------------------
// Holds: the team waits on the client, and the waiting does not count

const absl::Time kMonday1000 = TokyoTime(2026, 11, 30, 10, 0);
const absl::Time kWednesday1000 = TokyoTime(2026, 12, 2, 10, 0);

Action HoldUntil(std::optional<absl::Time> until) {
  return {.type = ActionType::kHold, .text = "先方部長が出張中で訪問日程が決まらない", .at = until};
}

TEST(HoldTest, ReportingAndEscalationNeverWait) {
  EXPECT_EQ(Apply(Apologized(), HoldUntil(kWednesday1000), kManager, kMonday1000, StagesOnlyRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Apply(Escalated(), HoldUntil(kWednesday1000), kManager, kMonday1000, StagesOnlyRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(HoldTest, HeldVisitDeadlineIsPausedAndResumesWithTheSameWorkingTimeLeft) {
  v1::Incident i = Approved();
  v1::Event held = Act(i, HoldUntil(std::nullopt), kManager, kMonday1000);
  EXPECT_EQ(held.type(), v1::EVENT_TYPE_HELD);
  // Monday 10:00 to Tuesday 17:10: 8 working hours and 8h10m.
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"visit: sato on hold, 16h10m left"}));
  EXPECT_FALSE(Find(i, "visit")->has_due());
  EXPECT_EQ(NextDue(i), std::nullopt);
  EXPECT_EQ(NextWake(i), std::nullopt);  // no end set: waits for someone to resume
  EXPECT_TRUE(InboxFor({&i, 1}, kOwner).empty());

  v1::Event resumed =
      Act(i, {.type = ActionType::kResume}, kManager, kWednesday1000);
  EXPECT_EQ(resumed.type(), v1::EVENT_TYPE_RESUMED);
  EXPECT_EQ(resumed.actor(), "tanaka");
  EXPECT_FALSE(i.has_hold());
  // Two working days on hold, two working days later than Tuesday 17:10.
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"visit: sato by 2026-12-03 17:10"}));
  EXPECT_EQ(ReminderTimes(i, "visit"),
            (std::vector<std::string>{"2026-12-02 17:10", "2026-12-03 16:40"}));
}

TEST(HoldTest, HoldWithAnEndIsEndedByAmends) {
  v1::Incident i = Approved();
  Act(i, HoldUntil(kWednesday1000), kOwner, kMonday1000);
  EXPECT_EQ(Local(NextWake(i)), "2026-12-02 10:00");
  EXPECT_EQ(Fire(i, StagesOnlyRules(), TokyoTime(2026, 12, 2, 9, 59)), std::nullopt);

  v1::Event e = FireAt(i, kWednesday1000);
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_RESUMED);
  EXPECT_EQ(e.actor(), "amends");
  EXPECT_EQ(e.text(),
            "the hold until 2026-12-02 10:00 JST ended: 先方部長が出張中で訪問日程が決まらない");
  EXPECT_FALSE(i.has_hold());
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"visit: sato by 2026-12-03 17:10"}));
  EXPECT_EQ(Fire(i, StagesOnlyRules(), kWednesday1000), std::nullopt);
}

TEST(HoldTest, HoldThatEndedWhileTheSchedulerWasDownCountsFromItsEnd) {
  // The hold was until Wednesday 10:00; amends only wakes at 12:00. The two hours after the
  // end were not waiting on the client and must count.
  v1::Incident i = Approved();
  Act(i, HoldUntil(kWednesday1000), kOwner, kMonday1000);
  FireAt(i, TokyoTime(2026, 12, 2, 12, 0));
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"visit: sato by 2026-12-03 17:10"}));
}

TEST(HoldTest, TheFirstApologyNeverWaitsForTheClient) {
  v1::Incident i = Reported(v1::SEVERITY_LOW, TokyoTime(2026, 11, 30, 10, 0));
  Act(i, {.type = ActionType::kEscalate, .text = "先方担当者が困惑"}, kOwner,
      TokyoTime(2026, 11, 30, 10, 5));
  Act(i, {.type = ActionType::kApproveEscalation}, kManager, TokyoTime(2026, 11, 30, 10, 10));
  Act(i, {.type = ActionType::kHold, .text = "先方の日程確認中"}, kManager,
      TokyoTime(2026, 11, 30, 10, 20));
  ASSERT_NE(Find(i, "first-apology"), nullptr);
  EXPECT_EQ(Local(Find(i, "first-apology")->due()), "2026-11-30 14:00");
  Act(i,
      {.type = ActionType::kRecordVisit,
       .text = "訪問して謝罪",
       .at = TokyoTime(2026, 11, 30, 10, 30)},
      kOwner, TokyoTime(2026, 11, 30, 11, 0));
  ASSERT_NE(Find(i, "first-apology"), nullptr);
  EXPECT_EQ(Local(Find(i, "first-apology")->due()), "2026-11-30 14:00");
  EXPECT_FALSE(Find(i, "first-apology")->has_held_left());
}

TEST(HoldTest, MeasuresAndPromisesKeepRunningDuringAHold) {
  v1::Incident i = Visited();
  Act(i, DoubleCheckMeasure(), kOwner, TokyoTime(2026, 12, 1, 15, 30));
  Act(i, {.type = ActionType::kMakePromise, .text = "水曜中に改善案を送付",
          .at = TokyoTime(2026, 12, 2, 18, 0)},
      kOwner, TokyoTime(2026, 12, 2, 9, 0));
  Act(i, HoldUntil(std::nullopt), kManager, TokyoTime(2026, 12, 2, 9, 0));
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{
                              "promise-1: sato by 2026-12-02 18:00",
                              "measure-1: yamada by 2026-12-11 18:00",
                              "plan: sato on hold, 24h left",
                          }));
  EXPECT_EQ(Local(NextDue(i)), "2026-12-02 18:00");
  // Half-way from 09:00 to 18:00.
  EXPECT_EQ(FireAt(i, TokyoTime(2026, 12, 2, 13, 30)).text(),
            "reminder to sato: promise 1: 水曜中に改善案を送付, due 2026-12-02 18:00 JST");
  // Half-way from Tuesday 15:30 to Friday 12/11 18:00 (74h30m of working time).
  EXPECT_EQ(RunUntil(i, TokyoTime(2026, 12, 7, 16, 45)),
            (std::vector<std::string>{
                "2026-12-02 17:30 EVENT_TYPE_REMINDER by amends: reminder to sato: promise 1: "
                "水曜中に改善案を送付, due 2026-12-02 18:00 JST",
                "2026-12-02 18:00 EVENT_TYPE_DEADLINE_BREACHED by amends: promise 1: "
                "水曜中に改善案を送付 was due 2026-12-02 18:00 JST; told managers of tokyo-sales",
                "2026-12-07 16:45 EVENT_TYPE_REMINDER by amends: reminder to yamada: measure 1: "
                "提出物の期限を共有スケジュールで二重確認, due 2026-12-11 18:00 JST",
            }));
  EXPECT_TRUE(i.has_hold());
}

TEST(HoldTest, MemberMayHoldOnlyBrieflyAndWithAnEnd) {
  const v1::Incident i = Approved();
  // Exactly max_hold (72 hours) is still the owner's call.
  EXPECT_TRUE(Apply(i, HoldUntil(kMonday1000 + absl::Hours(72)), kOwner, kMonday1000,
                    StagesOnlyRules())
                  .ok());
  EXPECT_EQ(Apply(i, HoldUntil(kMonday1000 + absl::Hours(73)), kOwner, kMonday1000, StagesOnlyRules())
                .status(),
            absl::PermissionDeniedError("a hold longer than 72h needs role manager"));
  EXPECT_EQ(Apply(i, HoldUntil(std::nullopt), kOwner, kMonday1000, StagesOnlyRules()).status(),
            absl::PermissionDeniedError(
                "a hold without an end (until) or longer than 72h needs role manager"));
  EXPECT_TRUE(Apply(i, HoldUntil(kMonday1000 + absl::Hours(24 * 14)), kManager, kMonday1000,
                    StagesOnlyRules())
                  .ok());
  EXPECT_TRUE(Apply(i, HoldUntil(std::nullopt), kManager, kMonday1000, StagesOnlyRules()).ok());
  // A colleague who does not own the incident may not stop its clock.
  absl::StatusOr<Change> colleague =
      Apply(i, HoldUntil(kWednesday1000), kColleague, kMonday1000, StagesOnlyRules());
  EXPECT_EQ(colleague.status(),
            absl::PermissionDeniedError("hold needs the incident's owner (sato) or role manager"));
}

TEST(HoldTest, ResumingWhatIsNotHeldAndHoldingTwiceAreRefused) {
  v1::Incident i = Approved();
  EXPECT_EQ(Apply(i, {.type = ActionType::kResume}, kOwner, kMonday1000, StagesOnlyRules()).status(),
            absl::FailedPreconditionError("incident 1 is not on hold"));
  Act(i, HoldUntil(kWednesday1000), kOwner, kMonday1000);
  EXPECT_EQ(Apply(i, HoldUntil(kWednesday1000), kManager, kMonday1000, StagesOnlyRules())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(HoldTest, MovingToTheNextStageEndsTheHold) {
  v1::Incident i = Approved();
  Act(i, HoldUntil(std::nullopt), kManager, kMonday1000);
  Act(i,
      {.type = ActionType::kRecordVisit,
       .text = "先方から急遽来社、部長同席で謝罪",
       .at = TokyoTime(2026, 11, 30, 13, 0)},
      kOwner, TokyoTime(2026, 11, 30, 14, 0));
  EXPECT_FALSE(i.has_hold());
  EXPECT_EQ(Deadlines(i), (std::vector<std::string>{"plan: sato by 2026-12-03 14:00"}));
}

// ---------------------------------------------------------------------------------------------
// Inbox

TEST(InboxTest, EachPersonSeesWhatTheyMustDoSoonestFirst) {
  // #1: case 2, reported at 16:50. #2: reported at 16:00, a call-back promised by 17:30 and
  // escalated at 16:30. #3: osaka-sales' own incident.
  v1::Incident late = Reported();
  v1::Incident promised = Reported(v1::SEVERITY_HIGH, TokyoTime(2026, 11, 27, 16, 0));
  promised.set_id(2);
  Act(promised, {.type = ActionType::kMakePromise, .text = "17時半までに納期を回答",
                 .at = TokyoTime(2026, 11, 27, 17, 30)},
      kOwner, TokyoTime(2026, 11, 27, 16, 10));
  Act(promised, {.type = ActionType::kEscalate, .text = "納期遅延で先方が困っている"}, kOwner,
      TokyoTime(2026, 11, 27, 16, 30));
  absl::StatusOr<Change> osaka = Report(LateReport(v1::SEVERITY_HIGH, "osaka-sales"),
                                        kOsakaMember, "Asia/Tokyo", kFriday1650, {}, StagesOnlyRules());
  ASSERT_TRUE(osaka.ok()) << osaka.status();
  osaka->incident.set_id(3);
  FireAt(late, TokyoTime(2026, 11, 27, 17, 20));  // sato's apology reminder

  const std::vector<v1::Incident> all = {late, promised, osaka->incident};
  auto inbox = [&](const Actor& actor) {
    std::vector<std::string> out;
    for (const v1::InboxItem& item : InboxFor(all, actor)) {
      out.push_back(absl::StrCat(v1::InboxItem::Reason_Name(item.reason()), " #",
                                 item.incident_id(), " ", item.deadline_key(), " ",
                                 Local(item.due())));
    }
    return out;
  };
  // #2's apology is owed since 17:00 although it was escalated since.
  EXPECT_EQ(inbox(kOwner), (std::vector<std::string>{
                               "REASON_DEADLINE #2 first-apology 2026-11-27 17:00",
                               "REASON_DEADLINE #2 promise-1 2026-11-27 17:30",
                               "REASON_DEADLINE #1 first-apology 2026-11-27 17:50",
                               "REASON_REMINDER #1 first-apology 2026-11-27 17:50",
                               "REASON_DEADLINE #1 escalate 2026-11-30 09:50",
                           }));
  // 16:30 plus two working hours: Monday 09:30.
  EXPECT_EQ(inbox(kManager),
            (std::vector<std::string>{"REASON_APPROVAL #2 approve 2026-11-30 09:30"}));
  EXPECT_EQ(inbox(kOtherManager), inbox(kManager));
  EXPECT_TRUE(inbox(kColleague).empty());
  EXPECT_EQ(inbox(kOsakaMember), (std::vector<std::string>{
                                     "REASON_DEADLINE #3 first-apology 2026-11-27 17:50",
                                     "REASON_DEADLINE #3 escalate 2026-11-30 09:50",
                                 }));
  EXPECT_TRUE(inbox(Actor{"kimura", "osaka-sales", Role::kManager}).empty());

  const std::vector<v1::InboxItem> items = InboxFor(all, kOwner);
  EXPECT_EQ(items[2].client(), "株式会社みどり物産");
  EXPECT_EQ(items[2].what(), "first apology to the client");
  EXPECT_EQ(items[2].team_time_zone(), "Asia/Tokyo");

  // Once acknowledged, the reminder leaves the inbox; the deadline stays until met.
  Act(late, {.type = ActionType::kAcknowledge}, kOwner, TokyoTime(2026, 11, 27, 17, 25));
  const std::vector<v1::Incident> after = {late};
  std::vector<v1::InboxItem> left = InboxFor(after, kOwner);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].reason(), v1::InboxItem::REASON_DEADLINE);
  EXPECT_EQ(left[0].deadline_key(), "first-apology");
}

// ---------------------------------------------------------------------------------------------
// Recurrence

TEST(RecurrenceTest, SecondIncidentWithTheSameClientIsOneSeverityHigher) {
  v1::Incident earlier = Reported(v1::SEVERITY_MEDIUM, TokyoTime(2026, 10, 1, 10, 0));
  earlier.set_id(3);
  earlier.set_state(v1::STATE_CLOSED);
  earlier.clear_deadlines();
  *earlier.mutable_plan_presented_at() = ToProto(TokyoTime(2026, 10, 9, 10, 0));  // did not hold
  const std::vector<v1::Incident> history = {earlier};

  absl::StatusOr<Change> c = Report(LateReport(v1::SEVERITY_MEDIUM), kOwner, "Asia/Tokyo",
                                    kFriday1650, history, StagesOnlyRules());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->incident.severity(), v1::SEVERITY_HIGH);
  EXPECT_TRUE(c->incident.recurrence());
  EXPECT_TRUE(absl::EndsWith(c->event.text(), " (severity raised to high: recurrence)"))
      << c->event.text();
  // HIGH's clock: one working hour for the apology, not MEDIUM's two.
  EXPECT_EQ(Deadlines(c->incident), (std::vector<std::string>{
                                        "first-apology: sato by 2026-11-27 17:50",
                                        "escalate: sato by 2026-11-30 09:50",
                                    }));

  // A recurring HIGH becomes CRITICAL: the weekend no longer waits.
  absl::StatusOr<Change> critical = Report(LateReport(v1::SEVERITY_HIGH), kOwner, "Asia/Tokyo",
                                           kFriday1650, history, StagesOnlyRules());
  ASSERT_TRUE(critical.ok());
  EXPECT_EQ(critical->incident.severity(), v1::SEVERITY_CRITICAL);
  EXPECT_EQ(Local(NextDue(critical->incident)), "2026-11-27 17:50");
  EXPECT_TRUE(Find(critical->incident, "escalate")->wall_clock());
}

TEST(RecurrenceTest, ConfidentialEarlierIncidentDoesNotRaiseTheSeverity) {
  v1::Incident conduct = Reported(v1::SEVERITY_MEDIUM, TokyoTime(2026, 10, 1, 10, 0));
  conduct.set_id(4);
  conduct.set_confidential(true);
  const std::vector<v1::Incident> history = {conduct};
  absl::StatusOr<Change> c = Report(LateReport(v1::SEVERITY_MEDIUM), kOwner, "Asia/Tokyo",
                                    kFriday1650, history, StagesOnlyRules());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->incident.severity(), v1::SEVERITY_MEDIUM);
  // MEDIUM: two working hours for the apology, half a working day to escalate.
  EXPECT_EQ(Deadlines(c->incident), (std::vector<std::string>{
                                        "first-apology: sato by 2026-11-30 09:50",
                                        "escalate: sato by 2026-11-30 11:50",
                                    }));
}

}  // namespace
}  // namespace amends
