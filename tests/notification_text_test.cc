// Tests of the notification texts (server/core/notification_text.h): what each message says,
// in Japanese and English, and what it must never say.
#include "server/core/notification_text.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_proto.h"

namespace amends {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using v1::Notification;

absl::TimeZone Tokyo() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Tokyo", &zone));
  return zone;
}

absl::Time TokyoTime(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), Tokyo());
}

// 2026-12-07 is a Monday.
const absl::Time kMonday10 = TokyoTime(2026, 12, 7, 10, 0);

// DOMAIN.md case 2: a late report to a long-standing client, escalated.
v1::Incident Midori() {
  v1::Incident in;
  in.set_id(12);
  in.set_team("tokyo-sales");
  in.set_team_time_zone("Asia/Tokyo");
  in.mutable_client()->set_name("株式会社ミドリ商事");
  in.mutable_client()->set_contact("営業企画部 山本様");
  in.set_kind(v1::KIND_LATE_DELIVERABLE);
  in.set_severity(v1::SEVERITY_HIGH);
  in.set_summary("会議前に必要な報告書を納品できず、先方から厳しいご指摘");
  in.set_details("進捗報告も提案もなし。謝罪メールのみ送付済み。");
  in.set_reporter("sato");
  in.set_owner("sato");
  in.set_manager("tanaka");
  in.set_state(v1::STATE_ESCALATED);
  in.set_escalation_reason("長年のお客様。部長名での謝罪と訪問が必要");
  in.mutable_last_hand_over()->set_from_owner("sato");
  in.mutable_last_hand_over()->set_to_owner("suzuki");
  in.mutable_last_hand_over()->set_note("山本様に金曜までに回答すると約束済み\n資料は共有フォルダ");
  v1::PreventionMeasure* m1 = in.add_measures();
  m1->set_number(1);
  m1->set_text("週次で進捗を報告");
  v1::PreventionMeasure* m2 = in.add_measures();
  m2->set_number(2);
  m2->set_text("提出日の3日前に上長がレビュー");
  v1::Promise* p = in.add_promises();
  p->set_number(1);
  p->set_text("金曜15時までに改訂版を送付");
  *in.mutable_visit()->mutable_planned_at() = ToProto(TokyoTime(2026, 12, 8, 10, 0));
  in.mutable_visit()->add_attendees("sato");
  in.mutable_visit()->add_attendees("tanaka");
  v1::Deadline* d = in.add_deadlines();
  d->set_key("approve");
  d->set_what("approve or decline the escalation");
  *d->mutable_due() = ToProto(kMonday10);
  d->set_managers_of("tokyo-sales");
  return in;
}

Notice MakeNotice(Notification::Reason reason, std::string key = "", std::string what = "") {
  Notice n;
  n.reason = reason;
  n.user = "sato";
  n.deadline_key = std::move(key);
  n.what = std::move(what);
  n.due = kMonday10;
  return n;
}

Notice ToManagers(Notice n) {
  n.user.clear();
  n.managers_of = "tokyo-sales";
  return n;
}

v1::Event MakeEvent(v1::EventType type, std::string actor = "tanaka", std::string text = "") {
  v1::Event e;
  e.set_sequence(40);
  e.set_incident_id(12);
  e.set_type(type);
  e.set_actor(std::move(actor));
  e.set_text(std::move(text));
  *e.mutable_time() = ToProto(kMonday10 - absl::Hours(2));
  return e;
}

// One notice of every reason, with the event that would cause it.
struct Case {
  Notice notice;
  v1::Event event;
};
std::vector<Case> EveryReason() {
  return {
      {ToManagers(MakeNotice(Notification::REASON_REPORTED)), MakeEvent(v1::EVENT_TYPE_REPORTED)},
      {ToManagers(MakeNotice(Notification::REASON_APPROVAL_ASKED, "approve")),
       MakeEvent(v1::EVENT_TYPE_ESCALATED, "sato", "長年のお客様。部長名での謝罪と訪問が必要")},
      {MakeNotice(Notification::REASON_APPROVED),
       MakeEvent(v1::EVENT_TYPE_ESCALATION_APPROVED, "tanaka", "明日午前に同行します")},
      {MakeNotice(Notification::REASON_DECLINED),
       MakeEvent(v1::EVENT_TYPE_ESCALATION_DECLINED, "tanaka", "担当者からの謝罪で十分")},
      {MakeNotice(Notification::REASON_HANDED_OVER),
       MakeEvent(v1::EVENT_TYPE_ASSIGNED, "sato", "山本様に金曜までに回答すると約束済み")},
      {MakeNotice(Notification::REASON_VISIT_SCHEDULED), MakeEvent(v1::EVENT_TYPE_VISIT_SCHEDULED)},
      {MakeNotice(Notification::REASON_REMINDER, "measure-2",
                  "measure 2: 提出日の3日前に上長がレビュー"),
       MakeEvent(v1::EVENT_TYPE_REMINDER, "amends")},
      {MakeNotice(Notification::REASON_REMINDER, "promise-1",
                  "promise 1: 金曜15時までに改訂版を送付"),
       MakeEvent(v1::EVENT_TYPE_REMINDER, "amends")},
      {ToManagers(MakeNotice(Notification::REASON_BREACH, "escalate", "escalate to a manager")),
       MakeEvent(v1::EVENT_TYPE_DEADLINE_BREACHED, "amends", "escalate to a manager was due")},
  };
}

const char* const kLanguages[] = {"ja", "en"};

MessageText Render(const Case& c, const v1::Incident& incident, absl::string_view language,
                   const absl::TimeZone& zone = Tokyo()) {
  return RenderNotice(c.notice, incident, c.event, language, zone);
}

MessageText RenderReason(Notification::Reason reason, absl::string_view language,
                         const v1::Incident& incident = Midori()) {
  for (const Case& c : EveryReason()) {
    if (c.notice.reason == reason) return Render(c, incident, language);
  }
  ADD_FAILURE() << "no case for reason " << reason;
  return {};
}

MessageText Reminder(absl::string_view key, absl::string_view what, absl::string_view language,
                     const absl::TimeZone& zone = Tokyo()) {
  return Render({MakeNotice(Notification::REASON_REMINDER, std::string(key), std::string(what)),
                 MakeEvent(v1::EVENT_TYPE_REMINDER, "amends")},
                Midori(), language, zone);
}

std::string Describe(const Case& c, absl::string_view language) {
  return absl::StrCat("reason ", Notification::Reason_Name(c.notice.reason), " key '",
                      c.notice.deadline_key, "' language ", language);
}

TEST(NotificationTextTest, EveryMessageNamesTheIncidentClientAndACommand) {
  for (const char* language : kLanguages) {
    for (const Case& c : EveryReason()) {
      SCOPED_TRACE(Describe(c, language));
      const MessageText m = Render(c, Midori(), language);
      EXPECT_TRUE(absl::StartsWith(m.subject, "[amends #12] ")) << m.subject;
      EXPECT_THAT(m.subject, HasSubstr("株式会社ミドリ商事"));
      EXPECT_THAT(m.body, HasSubstr("#12"));
      EXPECT_THAT(m.body, HasSubstr("株式会社ミドリ商事"));
      EXPECT_THAT(m.body, HasSubstr("  amends "));
      EXPECT_THAT(m.body, HasSubstr("amends show 12"));
    }
  }
}

TEST(NotificationTextTest, EveryMessageIsCleanPlainText) {
  for (const char* language : kLanguages) {
    for (const Case& c : EveryReason()) {
      SCOPED_TRACE(Describe(c, language));
      for (bool confidential : {false, true}) {
        v1::Incident incident = Midori();
        incident.set_confidential(confidential);
        const MessageText m = Render(c, incident, language);
        EXPECT_THAT(m.subject, Not(HasSubstr("\n")));
        EXPECT_THAT(m.body, Not(HasSubstr("\r")));
        EXPECT_THAT(m.body, Not(HasSubstr("\n\n\n")));
        ASSERT_FALSE(m.body.empty());
        EXPECT_EQ(m.body.back(), '\n');
        EXPECT_NE(m.body.substr(m.body.size() - 2), "\n\n");
        for (absl::string_view line : absl::StrSplit(m.body, '\n')) {
          EXPECT_FALSE(absl::EndsWith(line, " ")) << "'" << line << "'";
        }
      }
    }
  }
}

TEST(NotificationTextTest, ConfidentialIncidentNamesNeitherClientNorSummary) {
  v1::Incident incident = Midori();
  incident.set_confidential(true);
  incident.set_kind(v1::KIND_HARASSMENT);
  const std::vector<std::string> secrets = {
      "株式会社ミドリ商事", "山本様",     "報告書",         "進捗報告",   "部長名",
      "共有フォルダ",       "金曜",       "上長がレビュー", "同行します", "謝罪で十分",
      "ハラスメント",       "harassment",
  };
  for (const char* language : kLanguages) {
    for (const Case& c : EveryReason()) {
      SCOPED_TRACE(Describe(c, language));
      const MessageText m = Render(c, incident, language);
      EXPECT_TRUE(absl::StartsWith(m.subject, "[amends #12] ")) << m.subject;
      EXPECT_THAT(m.body, HasSubstr("#12"));
      EXPECT_THAT(m.body, HasSubstr("amends show 12"));
      for (const std::string& secret : secrets) {
        EXPECT_THAT(m.subject, Not(HasSubstr(secret)));
        EXPECT_THAT(m.body, Not(HasSubstr(secret)));
      }
    }
  }
}

TEST(NotificationTextTest, ConfidentialReminderStillSaysWhatIsAskedAndByWhen) {
  v1::Incident incident = Midori();
  incident.set_confidential(true);
  const MessageText m =
      RenderNotice(MakeNotice(Notification::REASON_REMINDER, "measure-2",
                              "measure 2: 提出日の3日前に上長がレビュー"),
                   incident, MakeEvent(v1::EVENT_TYPE_REMINDER, "amends"), "ja", Tokyo());
  EXPECT_THAT(m.body, HasSubstr("再発防止策 2"));
  EXPECT_THAT(m.body, HasSubstr("12月7日(月) 10:00"));
  EXPECT_THAT(m.body, HasSubstr("amends measure done 12 2"));
}

TEST(NotificationTextTest, JapaneseReminderShowsDueWithJapaneseWeekday) {
  const MessageText m = Reminder("first-apology", "first apology to the client", "ja");
  EXPECT_THAT(m.subject, HasSubstr("リマインド"));
  EXPECT_THAT(m.subject, HasSubstr("お客様への一次謝罪"));
  EXPECT_THAT(m.subject, HasSubstr("12月7日(月) 10:00"));
  EXPECT_THAT(m.body, HasSubstr("期限：12月7日(月) 10:00\n"));
  EXPECT_THAT(m.body, HasSubstr("対応：お客様への一次謝罪\n"));
  EXPECT_THAT(m.body, Not(HasSubstr("first apology")));
  EXPECT_THAT(m.body, HasSubstr("  amends apologize 12 --channel call --note \""));
  EXPECT_THAT(m.body, HasSubstr("  amends ack 12\n"));
}

TEST(NotificationTextTest, EnglishReminderShowsDueWithWeekdayAndZone) {
  const MessageText m = Reminder("first-apology", "first apology to the client", "en");
  EXPECT_EQ(m.subject,
            "[amends #12] Reminder: first apology to the client, due Mon 7 Dec 10:00 JST - "
            "株式会社ミドリ商事");
  EXPECT_THAT(m.body, HasSubstr("Due: Mon 7 Dec 10:00 JST\n"));
  EXPECT_THAT(m.body, HasSubstr("amends apologize 12 --channel call"));
}

TEST(NotificationTextTest, LateReminderSaysTheDeadlinePassed) {
  v1::Event event = MakeEvent(v1::EVENT_TYPE_REMINDER, "amends");
  *event.mutable_time() = ToProto(kMonday10 + absl::Minutes(5));
  const Notice notice = MakeNotice(Notification::REASON_REMINDER, "plan", "present the plan");
  EXPECT_THAT(RenderNotice(notice, Midori(), event, "ja", Tokyo()).body,
              HasSubstr("#12 の対応期限を過ぎています。至急ご対応ください。\n"));
  EXPECT_THAT(RenderNotice(notice, Midori(), event, "en", Tokyo()).body,
              HasSubstr("A deadline on #12 has passed: please act now.\n"));
}

TEST(NotificationTextTest, DueIsShownInTheRecipientsZone) {
  absl::TimeZone new_york;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &new_york));
  EXPECT_THAT(Reminder("plan", "present the prevention plan", "en", new_york).body,
              HasSubstr("Due: Sun 6 Dec 20:00 EST\n"));
  EXPECT_THAT(Reminder("plan", "present the prevention plan", "ja", new_york).body,
              HasSubstr("期限：12月6日(日) 20:00 (EST)\n"));
}

TEST(NotificationTextTest, JapaneseDeadlinesAreNamedInJapanese) {
  struct Want {
    const char* key;
    const char* what;
    const char* phrase;
    const char* command;
  };
  const Want wants[] = {
      {"first-apology", "first apology to the client", "お客様への一次謝罪", "amends apologize 12"},
      {"escalate", "escalate to a manager", "上長への報告", "amends escalate 12 --reason"},
      {"approve", "approve or decline the escalation", "エスカレーションの承認",
       "amends approve 12"},
      {"visit", "apology visit", "謝罪訪問", "amends visit done 12 --outcome"},
      {"plan", "present the prevention plan", "再発防止策の提示", "amends plan present 12"},
      {"follow-up-2", "follow-up contact 2", "2回目のフォローアップ連絡",
       "amends followup 12 --note"},
      {"measure-1", "measure 1: 週次で進捗を報告", "再発防止策 1「週次で進捗を報告」",
       "amends measure done 12 1"},
      {"promise-1", "promise 1: 金曜15時までに改訂版を送付",
       "お約束 1「金曜15時までに改訂版を送付」", "amends promise done 12 1"},
  };
  for (const Want& want : wants) {
    SCOPED_TRACE(want.key);
    const MessageText m = Reminder(want.key, want.what, "ja");
    EXPECT_THAT(m.body, HasSubstr(absl::StrCat("対応：", want.phrase, "\n")));
    EXPECT_THAT(m.body, HasSubstr(absl::StrCat("  ", want.command)));
    EXPECT_THAT(m.body, Not(HasSubstr(want.what)));
  }
}

TEST(NotificationTextTest, UnknownDeadlineKeyFallsBackToShow) {
  const MessageText m = Reminder("survey-1", "client survey 1", "en");
  EXPECT_THAT(m.body, HasSubstr("To do: client survey 1\n"));
  EXPECT_THAT(m.body, HasSubstr("  amends show 12\n"));
}

TEST(NotificationTextTest, ApprovalAskedNamesTheApproveCommand) {
  for (const char* language : kLanguages) {
    SCOPED_TRACE(language);
    const MessageText m = RenderReason(Notification::REASON_APPROVAL_ASKED, language);
    EXPECT_THAT(m.body, HasSubstr("  amends approve 12\n"));
    EXPECT_THAT(m.body, HasSubstr("  amends decline 12 --reason \""));
    EXPECT_THAT(m.body, HasSubstr("長年のお客様。部長名での謝罪と訪問が必要"));
  }
  EXPECT_THAT(RenderReason(Notification::REASON_APPROVAL_ASKED, "ja").body,
              HasSubstr("回答期限：12月7日(月) 10:00\n"));
  EXPECT_THAT(RenderReason(Notification::REASON_APPROVAL_ASKED, "en").body,
              HasSubstr("Answer by: Mon 7 Dec 10:00 JST\n"));
}

TEST(NotificationTextTest, JapaneseReportTellsManagersWhatHappenedInJapanese) {
  const MessageText m = RenderReason(Notification::REASON_REPORTED, "ja");
  EXPECT_EQ(m.subject, "[amends #12] 新規案件のご報告（株式会社ミドリ商事）");
  EXPECT_THAT(m.body, HasSubstr("tokyo-sales チーム 管理者各位\n"));
  EXPECT_THAT(m.body, HasSubstr("担当者（sato）に連絡を取り、状況をご確認ください。"));
  EXPECT_THAT(m.body, HasSubstr("お客様：株式会社ミドリ商事（営業企画部 山本様）\n"));
  EXPECT_THAT(m.body, HasSubstr("概要：会議前に必要な報告書を納品できず、先方から厳しいご指摘\n"));
  EXPECT_THAT(m.body, HasSubstr("種別：成果物の提出遅れ\n"));
  EXPECT_THAT(m.body, HasSubstr("重大度：高\n"));
  EXPECT_THAT(m.body, HasSubstr("状態：上長確認中\n"));
  EXPECT_THAT(m.body, Not(HasSubstr("late")));
}

TEST(NotificationTextTest, UrgentSubjectSaysSo) {
  Notice notice = ToManagers(MakeNotice(Notification::REASON_REPORTED));
  notice.urgent = true;
  const v1::Event event = MakeEvent(v1::EVENT_TYPE_REPORTED, "sato");
  EXPECT_THAT(RenderNotice(notice, Midori(), event, "ja", Tokyo()).subject,
              HasSubstr("[amends #12] 【至急】"));
  EXPECT_THAT(RenderNotice(notice, Midori(), event, "ja", Tokyo()).body,
              HasSubstr("至急、担当者（sato）に連絡"));
  EXPECT_THAT(RenderNotice(notice, Midori(), event, "en", Tokyo()).subject,
              HasSubstr("[amends #12] URGENT: "));
}

TEST(NotificationTextTest, EnglishBreachSaysWhatWasDue) {
  const MessageText m = RenderReason(Notification::REASON_BREACH, "en");
  EXPECT_THAT(m.subject, HasSubstr("Overdue: escalation to a manager"));
  EXPECT_THAT(m.body, HasSubstr("has passed without being met"));
  EXPECT_THAT(m.body, HasSubstr("What was due: escalation to a manager\n"));
  EXPECT_THAT(m.body, HasSubstr("Due: Mon 7 Dec 10:00 JST\n"));
  EXPECT_THAT(m.body, HasSubstr("check with the owner (sato) and act."));
  // The managers act through the owner: the owner's command is not theirs.
  EXPECT_THAT(m.body, Not(HasSubstr("amends escalate")));
}

TEST(NotificationTextTest, BreachToTheOwnerNamesTheCommandThatMeetsIt) {
  Notice notice = MakeNotice(Notification::REASON_BREACH, "first-apology", "first apology");
  const MessageText m = RenderNotice(
      notice, Midori(), MakeEvent(v1::EVENT_TYPE_DEADLINE_BREACHED, "amends"), "ja", Tokyo());
  EXPECT_THAT(m.subject, HasSubstr("期限超過：お客様への一次謝罪"));
  EXPECT_THAT(m.body, HasSubstr("至急ご対応ください。"));
  EXPECT_THAT(m.body, HasSubstr("  amends apologize 12 --channel call --note \""));
}

TEST(NotificationTextTest, BreachedApprovalAsksTheManagersNowAskedToApprove) {
  const MessageText m = RenderNotice(
      ToManagers(MakeNotice(Notification::REASON_BREACH, "approve", "approve or decline")),
      Midori(), MakeEvent(v1::EVENT_TYPE_DEADLINE_BREACHED, "amends"), "en", Tokyo());
  EXPECT_THAT(m.body, HasSubstr("What was due: approval of the escalation\n"));
  EXPECT_THAT(m.body, HasSubstr("  amends approve 12\n"));
}

TEST(NotificationTextTest, DeclineCarriesItsReason) {
  const MessageText m = RenderReason(Notification::REASON_DECLINED, "ja");
  EXPECT_THAT(m.body, HasSubstr("承認されませんでした（判断：tanaka）"));
  EXPECT_THAT(m.body, HasSubstr("理由：\n  担当者からの謝罪で十分\n"));
}

TEST(NotificationTextTest, HandOverCarriesTheNoteLineByLine) {
  const MessageText m = RenderReason(Notification::REASON_HANDED_OVER, "en");
  EXPECT_THAT(
      m.body,
      HasSubstr("Hand-over note:\n  山本様に金曜までに回答すると約束済み\n  資料は共有フォルダ\n"));
  EXPECT_THAT(m.body, HasSubstr("handed over to you by sato"));
}

TEST(NotificationTextTest, VisitScheduledShowsWhenAndWho) {
  const MessageText m = RenderReason(Notification::REASON_VISIT_SCHEDULED, "ja");
  EXPECT_THAT(m.body, HasSubstr("日時：12月8日(火) 10:00\n"));
  EXPECT_THAT(m.body, HasSubstr("同行者：sato、tanaka\n"));
  EXPECT_THAT(m.body, HasSubstr("  amends visit done 12 --outcome \""));
}

TEST(NotificationTextTest, ApprovedAsksToScheduleTheVisit) {
  v1::Incident incident = Midori();
  incident.clear_visit();
  incident.set_state(v1::STATE_APOLOGY_VISIT);
  const MessageText m = RenderReason(Notification::REASON_APPROVED, "en", incident);
  EXPECT_THAT(m.body, HasSubstr("approved by tanaka"));
  EXPECT_THAT(m.body, HasSubstr("明日午前に同行します"));
  EXPECT_THAT(m.body,
              HasSubstr("  amends visit schedule 12 --at \"YYYY-MM-DD HH:MM\" --attendee sato "
                        "--attendee tanaka\n"));
}

TEST(NotificationTextTest, ControlCharactersInSummaryAreRemoved) {
  v1::Incident incident = Midori();
  incident.set_summary("報告書\x1b[31m遅延\u202E逆順\u2066\r\n次行\x7f\u0085\t末尾");
  incident.mutable_client()->set_name("株式会社\nミドリ商事\u202D");
  for (const char* language : kLanguages) {
    SCOPED_TRACE(language);
    const MessageText m = RenderReason(Notification::REASON_REPORTED, language, incident);
    for (const MessageText& part : {m}) {
      for (const std::string& text : {part.subject, part.body}) {
        for (const char* bad :
             {"\x1b", "\u202E", "\u202D", "\u2066", "\r", "\x7f", "\u0085", "\t"}) {
          EXPECT_THAT(text, Not(HasSubstr(bad)));
        }
      }
    }
    EXPECT_THAT(m.body, HasSubstr("報告書[31m遅延逆順 次行 末尾\n"));
    EXPECT_THAT(m.subject, HasSubstr("株式会社 ミドリ商事"));
    EXPECT_THAT(m.subject, Not(HasSubstr("\n")));
  }
}

TEST(NotificationTextTest, InvalidUtf8BecomesReplacementCharacter) {
  v1::Incident incident = Midori();
  incident.set_summary("報告\xff遅延");
  const MessageText m = RenderReason(Notification::REASON_REPORTED, "en", incident);
  EXPECT_THAT(m.body, HasSubstr("Summary: 報告\uFFFD遅延\n"));
}

TEST(NotificationTextTest, UnknownLanguageFallsBackToEnglish) {
  for (const Case& c : EveryReason()) {
    SCOPED_TRACE(Describe(c, "fr"));
    const MessageText en = Render(c, Midori(), "en");
    const MessageText fr = Render(c, Midori(), "fr");
    EXPECT_EQ(fr.subject, en.subject);
    EXPECT_EQ(fr.body, en.body);
  }
  EXPECT_EQ(RenderTestMessage("sato", "", kMonday10, Tokyo()).body,
            RenderTestMessage("sato", "en", kMonday10, Tokyo()).body);
}

TEST(NotificationTextTest, TestMessageSaysWhenItWasSent) {
  const MessageText ja = RenderTestMessage("sato", "ja", kMonday10, Tokyo());
  EXPECT_EQ(ja.subject, "[amends] テストメール");
  EXPECT_THAT(ja.body, HasSubstr("sato さん\n"));
  EXPECT_THAT(ja.body, HasSubstr("送信日時：12月7日(月) 10:00\n"));
  const MessageText en = RenderTestMessage("sato\u202E", "en", kMonday10, Tokyo());
  EXPECT_EQ(en.subject, "[amends] Test message");
  EXPECT_THAT(en.body, HasSubstr("Hello sato,\n"));
  EXPECT_THAT(en.body, HasSubstr("Sent: Mon 7 Dec 10:00 JST\n"));
}

// The morning digest: approvals waiting for the manager, breaches since the last working day,
// overdue deadlines; a confidential incident by its number only; nothing when nothing waits.
TEST(DigestTextTest, ListsWhatWaitsForTheManagerAndOnlyTheNumberOfAConfidentialCase) {
  const Actor tanaka{"tanaka", "営業一課", Role::kManager};
  auto incident = [](int64_t id, bool confidential) {
    v1::Incident i;
    i.set_id(id);
    i.set_team("営業一課");
    i.set_owner("sato");
    i.set_reporter("sato");
    i.set_state(v1::STATE_ESCALATED);
    i.set_confidential(confidential);
    i.mutable_client()->set_name("ＡＢＣ商事");
    i.set_summary("15時の打ち合わせを失念");
    return i;
  };
  v1::Incident waiting = incident(12, false);
  v1::Deadline* approve = waiting.add_deadlines();
  approve->set_key("approve");
  approve->set_managers_of("営業一課");
  *approve->mutable_due() = ToProto(kMonday10 + absl::Hours(2));
  v1::Incident secret = incident(13, true);
  v1::Deadline* overdue = secret.add_deadlines();
  overdue->set_key("plan");
  overdue->set_user("sato");
  *overdue->mutable_due() = ToProto(kMonday10 - absl::Hours(1));
  const std::vector<v1::Incident> incidents = {waiting, secret};

  std::optional<MessageText> digest = RenderDigest(
      tanaka, incidents, kMonday10 - absl::Hours(72), kMonday10, "en", Tokyo());
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->subject, "[amends] Your morning digest (2)");
  EXPECT_TRUE(absl::StrContains(digest->body, "Approvals waiting for you (1)\n"
                                              "  #12 ＡＢＣ商事: 15時の打ち合わせを失念 (answer by "))
      << digest->body;
  EXPECT_TRUE(absl::StrContains(digest->body, "Overdue in your team (1)\n  #13: ")) << digest->body;
  EXPECT_FALSE(absl::StrContains(digest->body, "#13 ")) << "the confidential case's client";
  // Nothing waits: no digest at all.
  EXPECT_FALSE(RenderDigest(tanaka, {}, kMonday10 - absl::Hours(72), kMonday10, "en", Tokyo())
                   .has_value());
}

}  // namespace
}  // namespace amends
