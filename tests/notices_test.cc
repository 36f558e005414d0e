// Notices: who hears of each change, why, and when the mail may go out, as the people of
// DOMAIN.md would notice it. Incidents are built through the real core (Report, Apply, Fire).
// sato of tokyo-sales makes the mistakes; yamada is his colleague; tanaka and suzuki manage
// tokyo-sales; ito manages sales-directors, the third level of a chain in a custom policy.
// Case 2 (a late report to a long-standing client, 株式会社みどり物産) is logged on Friday
// 2026-11-27 at 16:50 JST, just before the weekend that must not swallow it. Times are written
// as the Tokyo wall clock shows them.
#include "server/core/notices.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "server/core/lifecycle.h"
#include "server/core/time_proto.h"
#include "tests/case2.h"
#include "tests/test_rules.h"

namespace amends {
namespace {

using v1::Notification;


// The default policy text with `replacements` made, each of which must match exactly once.
Policy EditedPolicy(const std::vector<std::pair<std::string, std::string>>& replacements,
                    absl::string_view name) {
  std::string text = ReadSourceFile("deploy/policy.textproto");
  for (const auto& [from, to] : replacements) {
    const size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
      std::fprintf(stderr, "deploy/policy.textproto: \"%s\" is not there exactly once\n",
                   from.c_str());
      std::abort();
    }
    text.replace(at, from.size(), to);
  }
  absl::StatusOr<Policy> p = Policy::Parse(text, name);
  if (!p.ok()) {
    std::fprintf(stderr, "%s: %s\n", std::string(name).c_str(),
                 std::string(p.status().message()).c_str());
    std::abort();
  }
  return *std::move(p);
}

// A team that wants its managers told of every LOW incident at once, and not of HIGH ones.
const Policy& TellOnLowPolicy() {
  static const Policy* policy = new Policy(EditedPolicy(
      {{"  # tell_managers_on_report: true\n", "  tell_managers_on_report: true\n"},
       {"  severity: SEVERITY_HIGH\n",
        "  severity: SEVERITY_HIGH\n  tell_managers_on_report: false\n"}},
      "tell-on-low.textproto"));
  return *policy;
}

Rules DirectorsRules() { return Rules{DirectorsPolicy(), TokyoCalendar()}; }

// A Tokyo wall-clock time as people read it: "2026-11-27 17:50".
std::string Local(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M", t, Tokyo()); }

// A notice as a line people can read: "REASON_BREACH to managers of tokyo-sales, urgent,
// about escalate, due 2026-11-30 09:50". A notice naming both a user and a team shows both.
std::string Describe(const Notice& n) {
  std::string to = n.user;
  if (!n.managers_of.empty()) {
    absl::StrAppend(&to, to.empty() ? "" : " + ", "managers of ", n.managers_of);
  }
  std::string s = absl::StrCat(Notification::Reason_Name(n.reason), " to ",
                               to.empty() ? "nobody" : to);
  if (n.urgent) absl::StrAppend(&s, ", urgent");
  if (!n.deadline_key.empty()) absl::StrAppend(&s, ", about ", n.deadline_key);
  if (n.due) absl::StrAppend(&s, ", due ", Local(*n.due));
  return s;
}

std::vector<std::string> Describe(const std::vector<Notice>& notices) {
  std::vector<std::string> out;
  for (const Notice& n : notices) out.push_back(Describe(n));
  return out;
}

using Lines = std::vector<std::string>;

// Case 2's report: a long-standing client did not get the report it needed for a meeting.

// A report by `reporter`; the incident it creates (id 1) goes to `incident`, its notices are
// returned.
std::vector<Notice> ReportAs(v1::Incident& incident, const v1::ReportIncidentRequest& request,
                             const Actor& reporter = kOwner, absl::Time at = kFriday1650,
                             const Rules& rules = TokyoRules(),
                             std::span<const v1::Incident> earlier = {}) {
  absl::StatusOr<Change> c = Report(request, reporter, "Asia/Tokyo", at, earlier, rules);
  if (!c.ok()) {
    ADD_FAILURE() << "report: " << c.status();
    return {};
  }
  c->incident.set_id(1);
  std::vector<Notice> notices = NoticesFor(v1::Incident(), *c, rules);
  incident = c->incident;
  return notices;
}

v1::Incident Reported(v1::Severity severity = v1::SEVERITY_HIGH,
                      const Rules& rules = TokyoRules()) {
  v1::Incident i;
  ReportAs(i, LateReport(severity), kOwner, kFriday1650, rules);
  return i;
}

// Applies an action that must be accepted; the incident moves on, the notices are returned.
std::vector<Notice> Act(v1::Incident& incident, const Action& action, const Actor& actor,
                        absl::Time at, const Rules& rules = TokyoRules()) {
  absl::StatusOr<Change> c = Apply(incident, action, actor, at, rules);
  if (!c.ok()) {
    ADD_FAILURE() << ActionName(action.type) << " by " << actor.name << " at " << Local(at)
                  << ": " << c.status();
    return {};
  }
  std::vector<Notice> notices = NoticesFor(incident, *c, rules);
  incident = c->incident;
  return notices;
}

// What the scheduler fires at `at`: the one point due, which must exist. Its event type goes
// to `type` if given.
std::vector<Notice> FireAt(v1::Incident& incident, absl::Time at,
                           const Rules& rules = TokyoRules(), v1::EventType* type = nullptr) {
  std::optional<Change> c = Fire(incident, rules, at);
  if (!c) {
    ADD_FAILURE() << "nothing fired at " << Local(at);
    return {};
  }
  if (type != nullptr) *type = c->event.type();
  std::vector<Notice> notices = NoticesFor(incident, *c, rules);
  incident = c->incident;
  return notices;
}

// A scheduler that never misses a point: fires each at its own time up to and including
// `until`, and returns everything they told, as "time: notice".
Lines RunUntil(v1::Incident& incident, absl::Time until, const Rules& rules = TokyoRules()) {
  Lines out;
  for (int i = 0; i < 50; ++i) {
    const std::optional<absl::Time> wake = NextWake(incident);
    if (!wake || *wake > until) return out;
    for (const Notice& n : FireAt(incident, *wake, rules)) {
      out.push_back(absl::StrCat(Local(*wake), ": ", Describe(n)));
    }
  }
  ADD_FAILURE() << "the scheduler never stops before " << Local(until);
  return out;
}

// Sato's evening: the apology call at 17:00, the escalation at 17:05.
v1::Incident Escalated(const Rules& rules = TokyoRules()) {
  v1::Incident i = Reported(v1::SEVERITY_HIGH, rules);
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

// ---------------------------------------------------------------------------------------------
// A new incident

TEST(ReportNoticeTest, HighReportTellsTheTeamsManagersAtOnce) {
  v1::Incident i;
  EXPECT_EQ(Describe(ReportAs(i, LateReport(v1::SEVERITY_HIGH))),
            Lines{"REASON_REPORTED to managers of tokyo-sales, urgent"});
}

TEST(ReportNoticeTest, CriticalReportTellsTheTeamsManagersAtOnce) {
  v1::Incident i;
  EXPECT_EQ(Describe(ReportAs(i, LateReport(v1::SEVERITY_CRITICAL))),
            Lines{"REASON_REPORTED to managers of tokyo-sales, urgent"});
}

TEST(ReportNoticeTest, LowAndMediumReportsTellNobodyUnderTheDefaultPolicy) {
  v1::Incident i;
  EXPECT_EQ(Describe(ReportAs(i, LateReport(v1::SEVERITY_LOW))), Lines{});
  EXPECT_EQ(Describe(ReportAs(i, LateReport(v1::SEVERITY_MEDIUM))), Lines{});
}

TEST(ReportNoticeTest, PolicyCanTellTheManagersOfLowReportsAndSpareThemHighOnes) {
  const Rules rules{TellOnLowPolicy(), TokyoCalendar()};
  v1::Incident i;
  EXPECT_EQ(Describe(ReportAs(i, LateReport(v1::SEVERITY_LOW), kOwner, kFriday1650, rules)),
            Lines{"REASON_REPORTED to managers of tokyo-sales, urgent"});
  // MEDIUM keeps its default; HIGH is explicitly switched off.
  EXPECT_EQ(Describe(ReportAs(i, LateReport(v1::SEVERITY_MEDIUM), kOwner, kFriday1650, rules)),
            Lines{});
  EXPECT_EQ(Describe(ReportAs(i, LateReport(v1::SEVERITY_HIGH), kOwner, kFriday1650, rules)),
            Lines{});
}

TEST(ReportNoticeTest, MediumRecurrenceRaisedToHighTellsTheManagers) {
  // ＡＢＣ商事 had a missed appointment before: the last prevention plan failed.
  v1::Incident earlier;
  earlier.set_id(7);
  earlier.set_team("tokyo-sales");
  earlier.set_summary("15時のサンプル受け渡しの打ち合わせを失念");
  earlier.set_kind(v1::KIND_MISSED_APPOINTMENT);
  earlier.set_state(v1::STATE_CLOSED);
  *earlier.mutable_plan_presented_at() = ToProto(TokyoTime(2026, 10, 9, 10, 0));
  v1::ReportIncidentRequest again = LateReport(v1::SEVERITY_MEDIUM);
  again.mutable_client()->set_name("ＡＢＣ商事");
  again.set_kind(v1::KIND_MISSED_APPOINTMENT);
  again.set_summary("再び打ち合わせを失念");
  v1::Incident i;
  const std::vector<v1::Incident> before{earlier};
  EXPECT_EQ(Describe(ReportAs(i, again, kOwner, kFriday1650, TokyoRules(), before)),
            Lines{"REASON_REPORTED to managers of tokyo-sales, urgent"});
  EXPECT_EQ(i.severity(), v1::SEVERITY_HIGH);
}

// ---------------------------------------------------------------------------------------------
// Escalation and the managers' decision

TEST(EscalationNoticeTest, EscalationAsksTheManagersOfTheApproveDeadline) {
  v1::Incident i = Reported();
  Act(i, {.type = ActionType::kRecordFirstApology, .channel = v1::CHANNEL_CALL}, kOwner,
      TokyoTime(2026, 11, 27, 17, 0));
  const std::vector<Notice> notices =
      Act(i, {.type = ActionType::kEscalate, .text = "先方部長が強い調子で抗議"}, kOwner,
          TokyoTime(2026, 11, 27, 17, 5));
  // Two working hours: 55 minutes on Friday, 65 on Monday.
  EXPECT_EQ(Describe(notices),
            Lines{"REASON_APPROVAL_ASKED to managers of tokyo-sales, about approve, due "
                  "2026-11-30 10:05"});
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].what, "approve or decline the escalation");
}

TEST(EscalationNoticeTest, ApprovalTellsTheOwner) {
  v1::Incident i = Escalated();
  EXPECT_EQ(Describe(Act(i, {.type = ActionType::kApproveEscalation, .text = "月曜に同行します"},
                         kManager, TokyoTime(2026, 11, 27, 17, 10))),
            Lines{"REASON_APPROVED to sato"});
}

TEST(EscalationNoticeTest, DeclineTellsTheOwner) {
  v1::Incident i = Escalated();
  EXPECT_EQ(Describe(Act(i,
                         {.type = ActionType::kDeclineEscalation,
                          .text = "まず自分の名前で謝罪文を送ること"},
                         kOtherManager, TokyoTime(2026, 11, 27, 17, 10))),
            Lines{"REASON_DECLINED to sato"});
}

TEST(EscalationNoticeTest, ApprovalAfterAHandOverTellsTheNewOwnerNotTheReporter) {
  v1::Incident i = Escalated();
  Act(i, {.type = ActionType::kAssign, .text = "来週から担当", .user = kColleague}, kOwner,
      TokyoTime(2026, 11, 27, 17, 7));
  EXPECT_EQ(Describe(Act(i, {.type = ActionType::kApproveEscalation}, kManager,
                         TokyoTime(2026, 11, 27, 17, 10))),
            Lines{"REASON_APPROVED to yamada"});
}

// ---------------------------------------------------------------------------------------------
// Hand-overs and visits

TEST(HandOverNoticeTest, HandOverTellsTheNewOwnerOnly) {
  // Case 5: sato changes accounts; yamada takes the client over.
  v1::ReportIncidentRequest r = LateReport(v1::SEVERITY_LOW);
  r.set_kind(v1::KIND_HAND_OVER);
  r.set_summary("担当交代: 株式会社みどり物産を山田へ引き継ぎ");
  v1::Incident i;
  ReportAs(i, r);
  EXPECT_EQ(Describe(Act(i,
                         {.type = ActionType::kAssign,
                          .text = "未決の約束2件と先方窓口（佐々木部長）の連絡先を引き継ぎ",
                          .user = kColleague},
                         kOwner, TokyoTime(2026, 11, 27, 17, 0))),
            Lines{"REASON_HANDED_OVER to yamada"});
}

TEST(HandOverNoticeTest, ManagerHandingOverTellsTheNewOwnerNotTheOldOneNorThemselves) {
  v1::Incident i = Reported();
  EXPECT_EQ(Describe(Act(i,
                         {.type = ActionType::kAssign,
                          .text = "佐藤は異動のため山田が担当",
                          .user = kColleague},
                         kManager, TokyoTime(2026, 11, 27, 17, 0))),
            Lines{"REASON_HANDED_OVER to yamada"});
}

TEST(VisitNoticeTest, ScheduledVisitTellsEachAttendeeButNotWhoScheduledIt) {
  v1::Incident i = Approved();
  EXPECT_EQ(Describe(Act(i,
                         {.type = ActionType::kScheduleVisit,
                          .at = TokyoTime(2026, 11, 30, 10, 0),
                          .attendees = {"sato", "yamada", "tanaka"}},
                         kManager, TokyoTime(2026, 11, 27, 17, 20))),
            (Lines{"REASON_VISIT_SCHEDULED to sato", "REASON_VISIT_SCHEDULED to yamada"}));
}

// ---------------------------------------------------------------------------------------------
// Reminders and breaches

TEST(ReminderNoticeTest, ReminderGoesToThePersonItsDeadlineNames) {
  v1::Incident i = Reported();
  // Half-way to the one working hour the first apology may take.
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 27, 17, 20))),
            Lines{"REASON_REMINDER to sato, about first-apology, due 2026-11-27 17:50"});
}

TEST(ReminderNoticeTest, ApprovalReminderGoesToTheManagersAsked) {
  v1::Incident i = Escalated();
  // One of the two working hours is gone on Monday at 09:05: 55 minutes on Friday, 5 on
  // Monday.
  EXPECT_EQ(Local(*NextWake(i)), "2026-11-30 09:05");
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 30, 9, 5))),
            Lines{"REASON_REMINDER to managers of tokyo-sales, about approve, due 2026-11-30 "
                  "10:05"});
}

TEST(ReminderNoticeTest, MeasureReminderGoesToTheMeasuresOwnerNotTheIncidentsOwner) {
  v1::Incident i = Approved();
  Act(i,
      {.type = ActionType::kRecordVisit,
       .text = "部長に直接謝罪し、再発防止策を約束",
       .at = TokyoTime(2026, 12, 1, 14, 0)},
      kOwner, TokyoTime(2026, 12, 1, 15, 0));
  Act(i,
      {.type = ActionType::kAddMeasure,
       .text = "提出物の期限を共有スケジュールで二重確認",
       .at = TokyoTime(2026, 12, 11, 18, 0),
       .user = kColleague},
      kOwner, TokyoTime(2026, 12, 1, 15, 30));
  Act(i,
      {.type = ActionType::kRecordCause,
       .text = "提出期限を担当者一人で管理していた",
       .why_missed = "進捗を誰も確認していなかった",
       .category = "process"},
      kOwner, TokyoTime(2026, 12, 1, 15, 40));
  Act(i, {.type = ActionType::kPresentPlan}, kOwner, TokyoTime(2026, 12, 2, 11, 0));
  Lines measure;
  for (const std::string& line : RunUntil(i, TokyoTime(2026, 12, 11, 17, 59))) {
    if (line.find("about measure-1") != std::string::npos) measure.push_back(line);
  }
  ASSERT_FALSE(measure.empty());
  for (const std::string& line : measure) {
    EXPECT_NE(line.find("REASON_REMINDER to yamada, about measure-1, due 2026-12-11 18:00"),
              std::string::npos)
        << line;
  }
}

TEST(BreachNoticeTest, MissedEscalationTellsTheManagersThenAsksThemToApprove) {
  // Case 2: sato apologises but does not tell his manager. The weekend does not swallow it.
  v1::Incident i = Reported();
  Act(i, {.type = ActionType::kRecordFirstApology, .channel = v1::CHANNEL_MAIL}, kOwner,
      TokyoTime(2026, 11, 27, 17, 0));
  EXPECT_EQ(RunUntil(i, TokyoTime(2026, 11, 30, 9, 49)),
            (Lines{"2026-11-27 17:50: REASON_REMINDER to sato, about escalate, due 2026-11-30 "
                   "09:50",
                   "2026-11-30 09:20: REASON_REMINDER to sato, about escalate, due 2026-11-30 "
                   "09:50"}));
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 30, 9, 50), TokyoRules(), &type)),
            Lines{"REASON_BREACH to managers of tokyo-sales, about escalate, due 2026-11-30 "
                  "09:50"});
  EXPECT_EQ(type, v1::EVENT_TYPE_DEADLINE_BREACHED);
  // amends escalates in sato's place, and the managers are asked to approve.
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 30, 9, 50), TokyoRules(), &type)),
            Lines{"REASON_APPROVAL_ASKED to managers of tokyo-sales, about approve, due "
                  "2026-11-30 11:50"});
  EXPECT_EQ(type, v1::EVENT_TYPE_ESCALATED);
}

TEST(BreachNoticeTest, LapsedApprovalAsksTheNextChainLevelToApproveThenTellsItOfTheBreach) {
  const Rules rules = DirectorsRules();
  v1::Incident i = Escalated(rules);
  RunUntil(i, TokyoTime(2026, 11, 30, 10, 4), rules);
  // tanaka and suzuki let the approval lapse: the department heads are asked, with two
  // working hours of their own.
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 30, 10, 5), rules)),
            Lines{"REASON_APPROVAL_ASKED to managers of sales-directors, about approve, due "
                  "2026-11-30 12:05"});
  EXPECT_EQ(RunUntil(i, TokyoTime(2026, 11, 30, 12, 4), rules),
            (Lines{"2026-11-30 11:05: REASON_REMINDER to managers of sales-directors, about "
                   "approve, due 2026-11-30 12:05",
                   "2026-11-30 11:35: REASON_REMINDER to managers of sales-directors, about "
                   "approve, due 2026-11-30 12:05"}));
  // Nobody decides: the chain ends with the directors, who are told of the breach.
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 30, 12, 5), rules)),
            Lines{"REASON_BREACH to managers of sales-directors, about approve, due 2026-11-30 "
                  "12:05"});
}

TEST(BreachNoticeTest, LapsedApprovalAtTheEndOfTheDefaultChainTellsTheTeamsManagers) {
  v1::Incident i = Escalated();
  RunUntil(i, TokyoTime(2026, 11, 30, 10, 4));
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 30, 10, 5))),
            Lines{"REASON_BREACH to managers of tokyo-sales, about approve, due 2026-11-30 "
                  "10:05"});
}

TEST(BreachNoticeTest, BrokenPromiseIsUrgentButAMissedBusinessHoursVisitIsNot) {
  // Case 4: sato told the client "I will call you back by 15:00" — a time the client heard,
  // so the promise runs on the wall clock.
  v1::Incident i = Approved();
  Act(i,
      {.type = ActionType::kMakePromise,
       .text = "15時までに折り返し電話",
       .at = TokyoTime(2026, 11, 30, 15, 0)},
      kOwner, TokyoTime(2026, 11, 30, 10, 0));
  RunUntil(i, TokyoTime(2026, 11, 30, 14, 59));
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 11, 30, 15, 0))),
            Lines{"REASON_BREACH to managers of tokyo-sales, urgent, about promise-1, due "
                  "2026-11-30 15:00"});
  // The visit, due Tuesday 17:10 in business hours, lapses too: the managers hear of it when
  // they work.
  RunUntil(i, TokyoTime(2026, 12, 1, 17, 9));
  EXPECT_EQ(Describe(FireAt(i, TokyoTime(2026, 12, 1, 17, 10))),
            Lines{"REASON_BREACH to managers of tokyo-sales, about visit, due 2026-12-01 17:10"});
}

// ---------------------------------------------------------------------------------------------
// Urgency, silence and the actor

TEST(UrgencyTest, EverythingAboutACriticalIncidentIsUrgent) {
  // A relationship at risk, on a Friday evening: the clock runs through the weekend.
  v1::Incident i;
  std::vector<Notice> all = ReportAs(i, LateReport(v1::SEVERITY_CRITICAL));
  auto add = [&](const std::vector<Notice>& more) { all.insert(all.end(), more.begin(), more.end()); };
  add(Act(i, {.type = ActionType::kEscalate, .text = "取引停止を示唆された"}, kOwner,
          TokyoTime(2026, 11, 27, 16, 55)));
  add(FireAt(i, TokyoTime(2026, 11, 27, 17, 20)));  // half of the apology's hour
  add(FireAt(i, TokyoTime(2026, 11, 27, 17, 25)));  // half of the approval's hour
  add(Act(i, {.type = ActionType::kApproveEscalation}, kManager, TokyoTime(2026, 11, 27, 17, 30)));
  add(Act(i,
          {.type = ActionType::kScheduleVisit,
           .at = TokyoTime(2026, 11, 28, 10, 0),
           .attendees = {"sato", "tanaka"}},
          kManager, TokyoTime(2026, 11, 27, 17, 35)));
  add(FireAt(i, TokyoTime(2026, 11, 27, 17, 35)));  // 15 minutes before the apology is due
  add(FireAt(i, TokyoTime(2026, 11, 27, 17, 50)));  // the apology lapses
  Lines reasons;
  for (const Notice& n : all) {
    EXPECT_TRUE(n.urgent) << Describe(n);
    reasons.push_back(Notification::Reason_Name(n.reason));
  }
  EXPECT_EQ(reasons, (Lines{"REASON_REPORTED", "REASON_APPROVAL_ASKED", "REASON_REMINDER",
                            "REASON_REMINDER", "REASON_APPROVED", "REASON_VISIT_SCHEDULED",
                            "REASON_REMINDER", "REASON_BREACH"}));
}

TEST(UrgencyTest, ApprovalOfAHighIncidentWaitsForWorkingHours) {
  v1::Incident i = Escalated();
  const std::vector<Notice> notices = Act(i, {.type = ActionType::kApproveEscalation}, kManager,
                                          TokyoTime(2026, 11, 27, 17, 10));
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_FALSE(notices[0].urgent);
}

TEST(SilenceTest, NotesApologiesAndThePlanTellNobody) {
  v1::Incident i = Reported();
  EXPECT_EQ(Describe(Act(i,
                         {.type = ActionType::kRecordFirstApology,
                          .text = "当日中に電話で謝罪",
                          .channel = v1::CHANNEL_CALL},
                         kOwner, TokyoTime(2026, 11, 27, 17, 0))),
            Lines{});
  EXPECT_EQ(Describe(Act(i, {.type = ActionType::kAddNote, .text = "先方部長は「誠意を見せてほしい」"},
                         kOwner, TokyoTime(2026, 11, 27, 17, 2))),
            Lines{});
  EXPECT_EQ(Describe(Act(i, {.type = ActionType::kAddNote, .text = "明日朝一で部長に相談"},
                         kManager, TokyoTime(2026, 11, 27, 17, 3))),
            Lines{});
}

TEST(ActorTest, ManagerTakingAnIncidentOverIsNotToldOfIt) {
  v1::Incident i = Reported();
  EXPECT_EQ(Describe(Act(i, {.type = ActionType::kAssign, .text = "自分が引き取る", .user = kManager},
                         kManager, TokyoTime(2026, 11, 27, 17, 0))),
            Lines{});
}

TEST(ActorTest, OwnerWhoApprovesIsNotToldOfTheirOwnApproval) {
  v1::Incident i = Escalated();
  Act(i, {.type = ActionType::kAssign, .text = "suzukiが引き取る", .user = kOtherManager}, kOwner,
      TokyoTime(2026, 11, 27, 17, 7));
  EXPECT_EQ(Describe(Act(i, {.type = ActionType::kApproveEscalation}, kOtherManager,
                         TokyoTime(2026, 11, 27, 17, 10))),
            Lines{});
}

// ---------------------------------------------------------------------------------------------
// When a notice may be delivered

TEST(DeliverNotBeforeTest, UrgentNoticeGoesAtOnceEvenOnSaturday) {
  v1::Incident i;
  const std::vector<Notice> notices = ReportAs(i, LateReport(v1::SEVERITY_HIGH), kOwner,
                                               TokyoTime(2026, 11, 28, 11, 0));
  ASSERT_EQ(notices.size(), 1u);
  const absl::Time saturday = TokyoTime(2026, 11, 28, 11, 0);
  EXPECT_EQ(Local(DeliverNotBefore(notices[0], TokyoCalendar(), saturday)), Local(saturday));
}

TEST(DeliverNotBeforeTest, NonUrgentNoticeOnSaturdayWaitsForMondayNine) {
  const Notice approved{.reason = Notification::REASON_APPROVED, .user = "sato"};
  EXPECT_EQ(Local(DeliverNotBefore(approved, TokyoCalendar(), TokyoTime(2026, 11, 28, 11, 0))),
            "2026-11-30 09:00");
  // Friday after hours too; and over a holiday (Labour Thanksgiving, Monday 2026-11-23).
  EXPECT_EQ(Local(DeliverNotBefore(approved, TokyoCalendar(), TokyoTime(2026, 11, 27, 18, 30))),
            "2026-11-30 09:00");
  EXPECT_EQ(Local(DeliverNotBefore(approved, TokyoCalendar(), TokyoTime(2026, 11, 22, 20, 0))),
            "2026-11-24 09:00");
}

TEST(DeliverNotBeforeTest, NoticeInWorkingTimeGoesAtOnce) {
  const Notice visit{.reason = Notification::REASON_VISIT_SCHEDULED, .user = "yamada"};
  const absl::Time friday = TokyoTime(2026, 11, 27, 17, 20);
  EXPECT_EQ(Local(DeliverNotBefore(visit, TokyoCalendar(), friday)), Local(friday));
}

TEST(DeliverNotBeforeTest, ReminderOfASaturdayCallBackArrivesBeforeTheCallBackIsDue) {
  // Case 4 on a Friday evening: sato promised to call the client back by Saturday 10:00. The
  // promise runs on the wall clock, so its reminders fire on Saturday; waiting for Monday
  // would break the promise, and so would holding the reminder until 10:00 itself.
  v1::Incident i = Approved();
  Act(i,
      {.type = ActionType::kMakePromise,
       .text = "土曜10時までに折り返し電話",
       .at = TokyoTime(2026, 11, 28, 10, 0)},
      kOwner, TokyoTime(2026, 11, 27, 17, 30));
  const absl::Time due = TokyoTime(2026, 11, 28, 10, 0);
  int reminders = 0;
  for (int n = 0; n < 10; ++n) {
    const std::optional<absl::Time> wake = NextWake(i);
    ASSERT_TRUE(wake.has_value());
    if (*wake >= due) break;
    for (const Notice& notice : FireAt(i, *wake)) {
      if (notice.deadline_key != "promise-1") continue;
      ++reminders;
      ASSERT_EQ(notice.reason, Notification::REASON_REMINDER) << Describe(notice);
      EXPECT_FALSE(notice.urgent) << Describe(notice);
      const absl::Time at = DeliverNotBefore(notice, TokyoCalendar(), *wake);
      EXPECT_GE(at, *wake) << Describe(notice);
      EXPECT_LT(at, due) << Describe(notice) << " fired " << Local(*wake) << " delivered "
                         << Local(at);
    }
  }
  // Half-way (Saturday 01:45) and 30 minutes before (Saturday 09:30).
  EXPECT_EQ(reminders, 2);
}

TEST(DeliverNotBeforeTest, ReminderForAnOutOfHoursDueTimeIsNeverHeldPastIt) {
  const Notice reminder{.reason = Notification::REASON_REMINDER,
                        .user = "sato",
                        .deadline_key = "promise-1",
                        .what = "promise 1: 土曜10時までに折り返し電話",
                        .due = TokyoTime(2026, 11, 28, 10, 0)};
  const absl::Time fired = TokyoTime(2026, 11, 28, 9, 30);
  const absl::Time at = DeliverNotBefore(reminder, TokyoCalendar(), fired);
  EXPECT_GE(at, fired);
  EXPECT_LE(at, *reminder.due) << Local(at);
}

TEST(DeliverNotBeforeTest, ReminderWithTimeLeftAfterTheWeekendWaitsForMonday) {
  // Fired on Saturday for a deadline due Monday 12:00: Monday 09:00 is early enough.
  const Notice reminder{.reason = Notification::REASON_REMINDER,
                        .user = "sato",
                        .deadline_key = "visit",
                        .what = "apology visit",
                        .due = TokyoTime(2026, 11, 30, 12, 0)};
  EXPECT_EQ(Local(DeliverNotBefore(reminder, TokyoCalendar(), TokyoTime(2026, 11, 28, 11, 0))),
            "2026-11-30 09:00");
}

TEST(DeliverNotBeforeTest, LateReminderWhoseDueTimePassedGoesAtOnce) {
  // The scheduler was down over the weekend; the reminder fires after its deadline.
  const Notice reminder{.reason = Notification::REASON_REMINDER,
                        .user = "sato",
                        .deadline_key = "promise-1",
                        .due = TokyoTime(2026, 11, 28, 10, 0)};
  const absl::Time sunday = TokyoTime(2026, 11, 29, 8, 0);
  EXPECT_EQ(Local(DeliverNotBefore(reminder, TokyoCalendar(), sunday)), Local(sunday));
}

}  // namespace
}  // namespace amends
