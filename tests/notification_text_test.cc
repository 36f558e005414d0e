// Tests of the notification texts (server/core/notification_text.h): what each message says,
// in Japanese and English, and what it must never say.
#include "server/core/notification_text.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/lifecycle.h"
#include "server/core/notices.h"
#include "server/core/time_proto.h"
#include "tests/test_rules.h"

namespace amends {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using v1::Notification;

// 2026-12-07 is a Monday.
const absl::Time kMonday10 = TokyoTime(2026, 12, 7, 10, 0);

// An offer of compensation (DOMAIN.md, "What sincerity is made of").
v1::Offer* AddOffer(v1::Incident& in, v1::OfferKind kind, int64_t yen, std::string text,
                    v1::Offer::State state) {
  v1::Offer* o = in.add_offers();
  o->set_number(in.offers_size());
  o->set_kind(kind);
  o->set_amount_yen(yen);
  o->set_text(std::move(text));
  o->set_offered_by("sato");
  o->set_state(state);
  o->set_approver_level(1);
  o->set_approver_team("tokyo-sales");
  return o;
}

// DOMAIN.md case 2: a late report to a long-standing client, escalated, with three offers of
// compensation: 1 waiting for the team's managers, 2 approved, 3 declined.
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
  AddOffer(in, v1::OFFER_KIND_DISCOUNT, 50'000, "次回請求から5万円を値引き",
           v1::Offer::STATE_ASKED);
  v1::Deadline* offer = in.add_deadlines();
  offer->set_key("offer-1");
  offer->set_what("approve or decline offer 1: discount ¥50,000");
  *offer->mutable_due() = ToProto(kMonday10);
  offer->set_managers_of("tokyo-sales");
  v1::Offer* approved = AddOffer(in, v1::OFFER_KIND_REFUND, 120'000, "納品遅延分の費用を返金",
                                 v1::Offer::STATE_APPROVED);
  approved->set_decided_by("tanaka");
  approved->set_decision_note("先方部長へのお詫びとして妥当");
  v1::Offer* declined = AddOffer(in, v1::OFFER_KIND_FREE_SERVICE, 1'250'000,
                                 "来期の保守を無償で提供", v1::Offer::STATE_DECLINED);
  declined->set_decided_by("tanaka");
  declined->set_decision_note("損害額に比べて過大なため");
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
      // Sincerity: offers of compensation, the manager's own apology, updates, verification.
      {ToManagers(MakeNotice(Notification::REASON_APPROVAL_ASKED, "offer-1",
                             "approve or decline offer 1: discount ¥50,000")),
       MakeEvent(v1::EVENT_TYPE_OFFER_MADE, "sato",
                 "offer 1, discount ¥50,000: 次回請求から5万円を値引き (asks managers of "
                 "tokyo-sales)")},
      {MakeNotice(Notification::REASON_OFFER_DECIDED, "offer-2"),
       MakeEvent(v1::EVENT_TYPE_OFFER_APPROVED, "tanaka",
                 "offer 2, refund ¥120,000: 先方部長へのお詫びとして妥当")},
      {MakeNotice(Notification::REASON_OFFER_DECIDED, "offer-3"),
       MakeEvent(v1::EVENT_TYPE_OFFER_DECLINED, "tanaka",
                 "offer 3, free-service ¥1,250,000: 損害額に比べて過大なため")},
      {MakeNotice(Notification::REASON_MEASURE_REOPENED, "measure-2",
                  "measure 2: 提出日の3日前に上長がレビュー"),
       MakeEvent(v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED, "yamada",
                 "2. 提出日の3日前に上長がレビュー: 直近2件の提出でレビュー記録なし (did not "
                 "work: open again, due 2026-12-07 10:00 JST)")},
      {MakeNotice(Notification::REASON_REMINDER, "manager-apology",
                  "the manager's own apology to the client"),
       MakeEvent(v1::EVENT_TYPE_REMINDER, "amends")},
      {MakeNotice(Notification::REASON_REMINDER, "update", "an update to the client"),
       MakeEvent(v1::EVENT_TYPE_REMINDER, "amends")},
      {ToManagers(MakeNotice(Notification::REASON_BREACH, "offer-1",
                             "approve or decline offer 1: discount ¥50,000")),
       MakeEvent(v1::EVENT_TYPE_DEADLINE_BREACHED, "amends",
                 "approve or decline offer 1: discount ¥50,000 was due")},
  };
}

// The case of EveryReason() with `reason` and deadline `key`.
Case CaseOf(Notification::Reason reason, absl::string_view key) {
  for (const Case& c : EveryReason()) {
    if (c.notice.reason == reason && c.notice.deadline_key == key) return c;
  }
  ADD_FAILURE() << "no case for reason " << reason << " key " << key;
  return {};
}

const char* const kLanguages[] = {"ja", "en"};

// The Japanese or the English of a pair, as the reader's language picks it.
struct Tr {
  bool ja;
  const char* operator()(const char* j, const char* e) const { return ja ? j : e; }
};

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
      // Offers: kind, amount, text, why decided; a failed check: who checked, what it found.
      "¥",                  "50,000",     "5万円",          "値引き",     "discount",
      "返金",               "refund",     "無償",           "free",       "妥当",
      "過大",               "yamada",     "レビュー記録",
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
      {"manager-apology", "the manager's own apology to the client", "上長ご本人からのお詫び",
       "amends apologize 12 --as-manager --channel call --note \"お詫びした内容\""},
      {"update", "an update to the client", "お客様への途中経過のご報告",
       "amends update 12 --channel mail --note \"ご報告した内容\""},
      {"offer-1", "approve or decline offer 1: discount ¥50,000",
       "補償のご提案 1 の承認（値引き ¥50,000）", "amends offer approve 12 1"},
  };
  for (const Want& want : wants) {
    SCOPED_TRACE(want.key);
    const MessageText m = Reminder(want.key, want.what, "ja");
    EXPECT_THAT(m.body, HasSubstr(absl::StrCat("対応：", want.phrase, "\n")));
    EXPECT_THAT(m.body, HasSubstr(absl::StrCat("  ", want.command)));
    EXPECT_THAT(m.body, Not(HasSubstr(want.what)));
  }
}

TEST(NotificationTextTest, EnglishNamesTheSincerityDeadlinesAndTheCommandsThatMeetThem) {
  struct Want {
    const char* key;
    const char* what;
    const char* subject;
    const char* phrase;
    const char* command;
  };
  const Want wants[] = {
      {"manager-apology", "the manager's own apology to the client",
       "Reminder: the manager's own apology to the client, due Mon 7 Dec 10:00 JST",
       "the manager's own apology to the client",
       "amends apologize 12 --as-manager --channel call --note \"what you said\""},
      {"update", "an update to the client",
       "Reminder: an update to the client, due Mon 7 Dec 10:00 JST", "an update to the client",
       "amends update 12 --channel mail --note \"what you reported\""},
      {"offer-1", "approve or decline offer 1: discount ¥50,000",
       "Reminder: approval of offer 1, due Mon 7 Dec 10:00 JST",
       "approval of offer 1 (discount ¥50,000)", "amends offer approve 12 1"},
  };
  for (const Want& want : wants) {
    SCOPED_TRACE(want.key);
    const MessageText m = Reminder(want.key, want.what, "en");
    EXPECT_THAT(m.subject, HasSubstr(want.subject));
    EXPECT_THAT(m.body, HasSubstr(absl::StrCat("To do: ", want.phrase, "\n")));
    EXPECT_THAT(m.body, HasSubstr(absl::StrCat("  ", want.command, "\n")));
  }
}

TEST(NotificationTextTest, ManagersRemindedOfAnOfferGetTheApproveAndDeclineCommands) {
  for (const char* language : kLanguages) {
    SCOPED_TRACE(language);
    const MessageText m = RenderNotice(
        ToManagers(MakeNotice(Notification::REASON_REMINDER, "offer-1", "approve or decline")),
        Midori(), MakeEvent(v1::EVENT_TYPE_REMINDER, "amends"), language, Tokyo());
    EXPECT_THAT(m.body, HasSubstr("  amends offer approve 12 1\n"));
    EXPECT_THAT(m.body, HasSubstr("  amends offer decline 12 1 --reason \""));
  }
  // An update is the owner's to give: the managers act through the owner.
  const MessageText update = RenderNotice(
      ToManagers(MakeNotice(Notification::REASON_BREACH, "update", "an update to the client")),
      Midori(), MakeEvent(v1::EVENT_TYPE_DEADLINE_BREACHED, "amends"), "en", Tokyo());
  EXPECT_THAT(update.body, HasSubstr("What was due: an update to the client\n"));
  EXPECT_THAT(update.body, Not(HasSubstr("amends update")));
}

TEST(NotificationTextTest, BreachedOfferAsksTheManagersNowToldToDecideIt) {
  const Case c = CaseOf(Notification::REASON_BREACH, "offer-1");
  const MessageText ja = Render(c, Midori(), "ja");
  EXPECT_THAT(ja.subject, HasSubstr("期限超過：補償のご提案 1 の承認"));
  EXPECT_THAT(ja.body, HasSubstr("内容をご確認のうえ、承認の可否をご判断ください。\n"));
  EXPECT_THAT(ja.body, HasSubstr("対応：補償のご提案 1 の承認（値引き ¥50,000）\n"));
  EXPECT_THAT(ja.body, HasSubstr("承認する場合：\n  amends offer approve 12 1\n"));
  const MessageText en = Render(c, Midori(), "en");
  EXPECT_THAT(en.body, HasSubstr("Please review the offer and approve or decline it.\n"));
  EXPECT_THAT(en.body, Not(HasSubstr("check with the owner")));
}

TEST(NotificationTextTest, JapaneseOfferApprovalSaysWhatIsOfferedByWhomAndByWhen) {
  const MessageText m = Render(CaseOf(Notification::REASON_APPROVAL_ASKED, "offer-1"), Midori(),
                               "ja");
  EXPECT_EQ(m.subject, "[amends #12] 補償のご提案の承認のお願い（株式会社ミドリ商事）");
  EXPECT_THAT(m.body, HasSubstr("tokyo-sales チーム 管理者各位\n"));
  EXPECT_THAT(m.body, HasSubstr("#12 のお客様への補償のご提案 1 について、ご承認をお願いします。\n"
                                "内容をご確認のうえ、承認の可否をご判断ください。\n"));
  EXPECT_THAT(m.body, HasSubstr("回答期限：12月7日(月) 10:00\n"));
  EXPECT_THAT(m.body, HasSubstr("補償：値引き ¥50,000\n提案者：sato\n"));
  EXPECT_THAT(m.body, HasSubstr("ご提案の内容：\n  次回請求から5万円を値引き\n"));
  EXPECT_THAT(m.body, HasSubstr("お客様：株式会社ミドリ商事（営業企画部 山本様）\n"));
  EXPECT_THAT(m.body, HasSubstr("承認する場合：\n  amends offer approve 12 1\n"));
  EXPECT_THAT(m.body, HasSubstr("承認しない場合（理由を添えてください）：\n"
                                "  amends offer decline 12 1 --reason \"理由\"\n"));
  EXPECT_THAT(m.body, HasSubstr("  amends show 12\n"));
  // Neither the escalation's words nor its commands, nor the core's English.
  EXPECT_THAT(m.body, Not(HasSubstr("エスカレーション")));
  EXPECT_THAT(m.body, Not(HasSubstr("amends approve 12")));
  EXPECT_THAT(m.body, Not(HasSubstr("discount")));
  EXPECT_THAT(m.body, Not(HasSubstr("上限")));
}

TEST(NotificationTextTest, EnglishOfferApprovalSaysWhatIsOfferedByWhomAndByWhen) {
  const MessageText m = Render(CaseOf(Notification::REASON_APPROVAL_ASKED, "offer-1"), Midori(),
                               "en");
  EXPECT_EQ(m.subject, "[amends #12] Offer approval needed - 株式会社ミドリ商事");
  EXPECT_THAT(m.body, HasSubstr("An offer of compensation to the client on #12 (offer 1) is "
                                "waiting for your approval.\n"));
  EXPECT_THAT(m.body, HasSubstr("Answer by: Mon 7 Dec 10:00 JST\n"));
  EXPECT_THAT(m.body, HasSubstr("Offer: discount ¥50,000\nOffered by: sato\n"));
  EXPECT_THAT(m.body, HasSubstr("What is offered:\n  次回請求から5万円を値引き\n"));
  EXPECT_THAT(m.body, HasSubstr("To approve:\n  amends offer approve 12 1\n"));
  EXPECT_THAT(m.body, HasSubstr("To decline (give the reason):\n"
                                "  amends offer decline 12 1 --reason \"why\"\n"));
  EXPECT_THAT(m.body, Not(HasSubstr("escalation")));
}

TEST(NotificationTextTest, OfferAboveTheTeamsLimitSaysWhyTheNextLevelIsAsked) {
  v1::Incident incident = Midori();
  incident.mutable_offers(0)->set_approver_level(2);
  incident.mutable_offers(0)->set_approver_team("sales-directors");
  Case c = CaseOf(Notification::REASON_APPROVAL_ASKED, "offer-1");
  c.notice.managers_of = "sales-directors";
  const MessageText ja = Render(c, incident, "ja");
  EXPECT_THAT(ja.body, HasSubstr("sales-directors チーム 管理者各位\n"));
  EXPECT_THAT(ja.body, HasSubstr(
                           "金額が担当チームの上長の承認上限を超えるため、上位の皆さまにお願いして"
                           "います。\n"));
  EXPECT_THAT(ja.body, HasSubstr("  amends offer approve 12 1\n"));
  EXPECT_THAT(Render(c, incident, "en").body,
              HasSubstr("The amount is above what the managers of the incident's team may "
                        "approve, so it is asked of you.\n"));
}

TEST(NotificationTextTest, OfferAboveEveryLimitAsksTheManagersToHaveAnAdminDecide) {
  v1::Incident incident = Midori();
  incident.mutable_offers(0)->set_approver_level(0);
  incident.mutable_offers(0)->clear_approver_team();
  const Case c = CaseOf(Notification::REASON_APPROVAL_ASKED, "offer-1");
  const MessageText ja = Render(c, incident, "ja");
  EXPECT_THAT(ja.body, HasSubstr("システム管理者の承認が必要です。\n"));
  EXPECT_THAT(ja.body, HasSubstr("システム管理者に承認の可否の判断をご依頼ください。\n"));
  EXPECT_THAT(ja.body, HasSubstr("システム管理者が承認する場合：\n  amends offer approve 12 1\n"));
  const MessageText en = Render(c, incident, "en");
  EXPECT_THAT(en.body, HasSubstr("is above every approval limit: an admin must approve or "
                                 "decline it.\nPlease review it and ask an admin to decide.\n"));
  EXPECT_THAT(en.body, HasSubstr("For an admin to approve:\n  amends offer approve 12 1\n"));
  EXPECT_THAT(en.body, HasSubstr("For an admin to decline (give the reason):\n"
                                 "  amends offer decline 12 1 --reason \"why\"\n"));
}

TEST(NotificationTextTest, OfferKindsAndAmountsAreNamedInTheReadersLanguage) {
  struct Want {
    v1::OfferKind kind;
    int64_t yen;
    const char* ja;
    const char* en;
  };
  const Want wants[] = {
      {v1::OFFER_KIND_DISCOUNT, 50'000, "補償：値引き ¥50,000\n", "Offer: discount ¥50,000\n"},
      {v1::OFFER_KIND_REFUND, 300'000, "補償：返金 ¥300,000\n", "Offer: refund ¥300,000\n"},
      {v1::OFFER_KIND_FREE_SERVICE, 1'250'000, "補償：無償対応 ¥1,250,000\n",
       "Offer: free service ¥1,250,000\n"},
      {v1::OFFER_KIND_OTHER, 0, "補償：その他 ¥0\n", "Offer: other ¥0\n"},
  };
  const Case c = CaseOf(Notification::REASON_APPROVAL_ASKED, "offer-1");
  for (const Want& want : wants) {
    SCOPED_TRACE(want.en);
    v1::Incident incident = Midori();
    incident.mutable_offers(0)->set_kind(want.kind);
    incident.mutable_offers(0)->set_amount_yen(want.yen);
    EXPECT_THAT(Render(c, incident, "ja").body, HasSubstr(want.ja));
    EXPECT_THAT(Render(c, incident, "en").body, HasSubstr(want.en));
  }
}

TEST(NotificationTextTest, ApprovedOfferNamesTheApproverTheirNoteAndTheDeliveredCommand) {
  const Case c = CaseOf(Notification::REASON_OFFER_DECIDED, "offer-2");
  const MessageText ja = Render(c, Midori(), "ja");
  EXPECT_EQ(ja.subject, "[amends #12] 補償のご提案が承認されました（株式会社ミドリ商事）");
  EXPECT_THAT(ja.body, HasSubstr("sato さん\n"));
  EXPECT_THAT(ja.body, HasSubstr("#12 の補償のご提案 2 が承認されました（承認者：tanaka）。\n"
                                 "お客様にお伝えしたら、その旨を記録してください。\n"));
  EXPECT_THAT(ja.body, HasSubstr("補償：返金 ¥120,000\n"));
  EXPECT_THAT(ja.body, HasSubstr("承認者からのコメント：\n  先方部長へのお詫びとして妥当\n"));
  EXPECT_THAT(ja.body, HasSubstr("お客様にお伝えした後の記録：\n  amends offer delivered 12 2\n"));
  const MessageText en = Render(c, Midori(), "en");
  EXPECT_EQ(en.subject, "[amends #12] Offer approved - 株式会社ミドリ商事");
  EXPECT_THAT(en.body, HasSubstr("Your offer 2 of compensation on #12 was approved by tanaka.\n"));
  EXPECT_THAT(en.body, HasSubstr("The approver's note:\n  先方部長へのお詫びとして妥当\n"));
  EXPECT_THAT(en.body, HasSubstr("  amends offer delivered 12 2\n"));
}

TEST(NotificationTextTest, DeclinedOfferCarriesItsReasonAndNothingToDeliver) {
  const Case c = CaseOf(Notification::REASON_OFFER_DECIDED, "offer-3");
  const MessageText ja = Render(c, Midori(), "ja");
  EXPECT_EQ(ja.subject, "[amends #12] 補償のご提案が承認されませんでした（株式会社ミドリ商事）");
  EXPECT_THAT(ja.body, HasSubstr("#12 の補償のご提案 3 は承認されませんでした（判断：tanaka）。\n"
                                 "理由をご確認のうえ、お客様へのご提案を見直してください。\n"));
  EXPECT_THAT(ja.body, HasSubstr("補償：無償対応 ¥1,250,000\n"));
  EXPECT_THAT(ja.body, HasSubstr("理由：\n  損害額に比べて過大なため\n"));
  EXPECT_THAT(ja.body, HasSubstr("  amends show 12\n"));
  EXPECT_THAT(ja.body, Not(HasSubstr("amends offer delivered")));
  const MessageText en = Render(c, Midori(), "en");
  EXPECT_EQ(en.subject, "[amends #12] Offer declined - 株式会社ミドリ商事");
  EXPECT_THAT(en.body, HasSubstr("Your offer 3 of compensation on #12 was declined by tanaka.\n"));
  EXPECT_THAT(en.body, HasSubstr("Reason:\n  損害額に比べて過大なため\n"));
  EXPECT_THAT(en.body, Not(HasSubstr("amends offer delivered")));
}

TEST(NotificationTextTest, ReopenedMeasureSaysTheCheckFoundItDidNotWorkAndWhatIsDueNow) {
  const Case c = CaseOf(Notification::REASON_MEASURE_REOPENED, "measure-2");
  const MessageText ja = Render(c, Midori(), "ja");
  EXPECT_EQ(ja.subject, "[amends #12] 再発防止策の見直しのお願い（株式会社ミドリ商事）");
  EXPECT_THAT(ja.body,
              HasSubstr("#12 の再発防止策 2 の効果を確認したところ、十分に機能していないことが"
                        "わかりました（確認者：yamada）。\n"));
  EXPECT_THAT(ja.body, HasSubstr("対応：再発防止策 2「提出日の3日前に上長がレビュー」\n"
                                 "新しい期限：12月7日(月) 10:00\n"));
  // The checker's own words, without the measure's text or the core's English around them.
  EXPECT_THAT(ja.body, HasSubstr("確認結果：\n  直近2件の提出でレビュー記録なし\n"));
  EXPECT_THAT(ja.body, Not(HasSubstr("did not work")));
  EXPECT_THAT(ja.body, HasSubstr("完了の記録：\n  amends measure done 12 2\n"));
  const MessageText en = Render(c, Midori(), "en");
  EXPECT_EQ(en.subject, "[amends #12] Prevention measure reopened - 株式会社ミドリ商事");
  EXPECT_THAT(en.body, HasSubstr("A check of prevention measure 2 on #12 found that it did not "
                                 "work (checked by yamada).\n"));
  EXPECT_THAT(en.body, HasSubstr("New due date: Mon 7 Dec 10:00 JST\n"));
  EXPECT_THAT(en.body, HasSubstr("What the check found:\n  直近2件の提出でレビュー記録なし\n"));
  EXPECT_THAT(en.body, HasSubstr("  amends measure done 12 2\n"));
}

TEST(NotificationTextTest, ConfidentialSincerityMessagesStillSayWhatIsAskedAndTheCommands) {
  v1::Incident incident = Midori();
  incident.set_confidential(true);
  struct Want {
    Notification::Reason reason;
    const char* key;
    const char* ja;
    const char* en;
    const char* command;
  };
  const Want wants[] = {
      {Notification::REASON_APPROVAL_ASKED, "offer-1",
       "補償のご提案 1 について、ご承認をお願いします。\namends で内容をご確認のうえ",
       "(offer 1) is waiting for your approval.\nPlease review it in amends",
       "  amends offer approve 12 1\n"},
      {Notification::REASON_OFFER_DECIDED, "offer-2", "補償のご提案 2 が承認されました。",
       "Your offer 2 of compensation on #12 was approved.", "  amends offer delivered 12 2\n"},
      {Notification::REASON_OFFER_DECIDED, "offer-3",
       "amends で理由をご確認のうえ、お客様へのご提案を見直してください。",
       "Please read the reason in amends", "  amends show 12\n"},
      {Notification::REASON_MEASURE_REOPENED, "measure-2",
       "amends で確認結果をご確認のうえ見直し", "please read the findings in amends",
       "  amends measure done 12 2\n"},
      {Notification::REASON_BREACH, "offer-1", "対応：補償のご提案 1 の承認\n期限：",
       "What was due: approval of offer 1\nDue: ", "  amends offer decline 12 1 --reason \""},
  };
  for (const char* language : kLanguages) {
    for (const Want& want : wants) {
      SCOPED_TRACE(absl::StrCat(want.key, " ", language));
      const Tr tr{absl::string_view(language) == "ja"};
      const MessageText m = Render(CaseOf(want.reason, want.key), incident, language);
      EXPECT_THAT(m.body, HasSubstr(tr(want.ja, want.en)));
      EXPECT_THAT(m.body, HasSubstr(tr("（機密扱いのため、内容はメールに記載していません）",
                                       "(confidential: its details are not sent by mail)")));
      EXPECT_THAT(m.body, HasSubstr(want.command));
      // Nobody involved: neither who made an offer nor who decided it.
      EXPECT_THAT(m.body, Not(HasSubstr(tr("提案者", "Offered by"))));
      EXPECT_THAT(m.body, Not(HasSubstr("tanaka")));
      EXPECT_THAT(m.body, Not(HasSubstr(tr("補償：", "Offer:"))));
    }
  }
}

// The notices the core really sends (notices.h) about an offer and a failed check, rendered.
TEST(NotificationTextTest, RealOfferAndFailedCheckNoticesRenderTheirDetails) {
  const Rules rules = TokyoRules();
  const Actor sato{"sato", "tokyo-sales", Role::kMember};
  const Actor yamada{"yamada", "tokyo-sales", Role::kMember};
  const Actor tanaka{"tanaka", "tokyo-sales", Role::kManager};
  absl::Time now = kMonday10 - absl::Hours(1);
  v1::ReportIncidentRequest request;
  request.set_team("tokyo-sales");
  request.mutable_client()->set_name("ＡＢＣ商事");
  request.set_kind(v1::KIND_MISSED_APPOINTMENT);
  request.set_severity(v1::SEVERITY_HIGH);
  request.set_summary("15時の打ち合わせを失念");
  absl::StatusOr<Change> reported = Report(request, sato, "Asia/Tokyo", now, {}, rules);
  ASSERT_TRUE(reported.ok()) << reported.status();
  v1::Incident incident = reported->incident;
  incident.set_id(12);
  // Applies `a` as `actor` and renders, in Japanese, the one notice of `reason` it sends.
  auto act = [&](const Action& a, const Actor& actor, Notification::Reason reason) {
    now += absl::Minutes(10);
    absl::StatusOr<Change> c = Apply(incident, a, actor, now, rules);
    EXPECT_TRUE(c.ok()) << ActionName(a.type) << ": " << c.status();
    if (!c.ok()) return MessageText{};
    std::vector<Notice> notices = NoticesFor(incident, *c, rules);
    incident = c->incident;
    for (const Notice& n : notices) {
      if (n.reason == reason) return RenderNotice(n, incident, c->event, "ja", Tokyo());
    }
    ADD_FAILURE() << ActionName(a.type) << " sends no notice of reason " << reason;
    return MessageText{};
  };

  MessageText m = act({.type = ActionType::kMakeOffer,
                       .text = "次回発注分を値引き",
                       .offer_kind = v1::OFFER_KIND_DISCOUNT,
                       .amount_yen = 50'000},
                      sato, Notification::REASON_APPROVAL_ASKED);
  EXPECT_THAT(m.subject, HasSubstr("補償のご提案の承認のお願い"));
  EXPECT_THAT(m.body, HasSubstr("補償：値引き ¥50,000\n提案者：sato\n"));
  EXPECT_THAT(m.body, HasSubstr("  次回発注分を値引き\n"));
  EXPECT_THAT(m.body, HasSubstr("  amends offer approve 12 1\n"));

  m = act({.type = ActionType::kApproveOffer, .text = "了承", .number = 1}, tanaka,
          Notification::REASON_OFFER_DECIDED);
  EXPECT_THAT(m.body, HasSubstr("sato さん\n"));
  EXPECT_THAT(m.body, HasSubstr("承認されました（承認者：tanaka）"));
  EXPECT_THAT(m.body, HasSubstr("承認者からのコメント：\n  了承\n"));
  EXPECT_THAT(m.body, HasSubstr("  amends offer delivered 12 1\n"));

  // To a measure of sato's, done and checked by yamada.
  act({.type = ActionType::kEscalate, .text = "先方部長が立腹"}, sato,
      Notification::REASON_APPROVAL_ASKED);
  act({.type = ActionType::kApproveEscalation}, tanaka, Notification::REASON_APPROVED);
  for (const Action& a : std::vector<Action>{
           {.type = ActionType::kRecordVisit, .text = "部長に直接お詫び", .at = now},
           {.type = ActionType::kRecordCause,
            .text = "予定を手帳にだけ記入していた",
            .why_missed = "共有カレンダーになく、誰も気づけなかった",
            .category = "schedule"},
           {.type = ActionType::kAddMeasure,
            .text = "共有カレンダーで全アポイントを管理",
            .at = TokyoTime(2026, 12, 18, 18, 0),
            .user = sato},
           {.type = ActionType::kCompleteMeasure, .number = 1}}) {
    now += absl::Minutes(10);
    absl::StatusOr<Change> c = Apply(incident, a, sato, now, rules);
    ASSERT_TRUE(c.ok()) << ActionName(a.type) << ": " << c.status();
    incident = c->incident;
  }
  m = act({.type = ActionType::kVerifyMeasure,
           .text = "翌週も共有カレンダーに未登録のアポあり",
           .at = TokyoTime(2026, 12, 22, 10, 0),
           .number = 1,
           .failed = true},
          yamada, Notification::REASON_MEASURE_REOPENED);
  EXPECT_THAT(m.body, HasSubstr("sato さん\n"));
  EXPECT_THAT(m.body, HasSubstr("（確認者：yamada）"));
  EXPECT_THAT(m.body, HasSubstr("対応：再発防止策 1「共有カレンダーで全アポイントを管理」\n"
                                "新しい期限：12月22日(火) 10:00\n"));
  EXPECT_THAT(m.body, HasSubstr("確認結果：\n  翌週も共有カレンダーに未登録のアポあり\n"));
  EXPECT_THAT(m.body, HasSubstr("  amends measure done 12 1\n"));
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
  // An offer waiting for the manager's team is an approval too, named by what it is.
  v1::Deadline* offer = waiting.add_deadlines();
  offer->set_key("offer-1");
  offer->set_what("approve or decline offer 1: discount ¥50,000");
  offer->set_managers_of("営業一課");
  *offer->mutable_due() = ToProto(kMonday10 + absl::Hours(3));
  *secret.add_deadlines() = *offer;
  const std::vector<v1::Incident> with_offers = {waiting, secret};
  digest = RenderDigest(tanaka, with_offers, kMonday10 - absl::Hours(72), kMonday10, "ja",
                        Tokyo());
  ASSERT_TRUE(digest.has_value());
  EXPECT_TRUE(absl::StrContains(digest->body, "承認待ち（3件）\n")) << digest->body;
  EXPECT_TRUE(absl::StrContains(digest->body,
                                "  #12 ＡＢＣ商事: 15時の打ち合わせを失念：補償のご提案 1 の承認"
                                "（回答期限 12月7日(月) 13:00）\n"))
      << digest->body;
  EXPECT_TRUE(absl::StrContains(digest->body,
                                "  #13：補償のご提案 1 の承認（回答期限 12月7日(月) 13:00）\n"))
      << digest->body;
  EXPECT_FALSE(absl::StrContains(digest->body, "¥")) << digest->body;
  // Nothing waits: no digest at all.
  EXPECT_FALSE(RenderDigest(tanaka, {}, kMonday10 - absl::Hours(72), kMonday10, "en", Tokyo())
                   .has_value());
}

}  // namespace
}  // namespace amends
