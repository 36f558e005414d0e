// The CLI's views of sincerity (DOMAIN.md "What sincerity is made of") on constructed
// incidents: the client's expectation under the title, the cause, the manager's own apology,
// the offers with their amounts and approvers, the client-communication log, verified
// measures, the cause categories that repeat across a client's incidents, and the amounts of
// yen people type. DOMAIN.md case 1: a missed appointment with 株式会社山田製作所, whose
// director asked the team to "show sincerity". Every time is in Tokyo, counted from kNow,
// Monday 2026-11-30 12:00 there.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "client/cause_view.h"
#include "client/contact_log_view.h"
#include "client/enum_names.h"
#include "client/incident_view.h"
#include "client/offer_view.h"
#include "client/time_input.h"
#include "client/utf8_text.h"
#include "client/yen.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_output.h"

namespace amends::cli {
namespace {

using amends::v1::Incident;
using amends::v1::Offer;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone zone = *LoadTeamZone("Asia/Tokyo");
  return zone;
}

google::protobuf::Timestamp Tokyo(int month, int day, int hour, int minute) {
  return ToProto(absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), Tokyo()));
}

const absl::Time kNow = FromProto(Tokyo(11, 30, 12, 0));

// Case 1, reported Friday 2026-11-27 at 16:50 by sato; nothing of sincerity recorded yet.
Incident MissedAppointment() {
  Incident incident;
  incident.set_id(12);
  incident.set_team("営業一課");
  incident.set_team_time_zone("Asia/Tokyo");
  incident.mutable_client()->set_name("株式会社山田製作所");
  incident.mutable_client()->set_contact("総務部 山田様");
  incident.set_kind(amends::v1::KIND_MISSED_APPOINTMENT);
  incident.set_severity(amends::v1::SEVERITY_HIGH);
  incident.set_state(amends::v1::STATE_PREVENTION_PLAN);
  incident.set_summary("15時のサンプル受け渡しの打ち合わせを失念");
  incident.set_owner("sato");
  incident.set_version(9);
  *incident.mutable_created_at() = Tokyo(11, 27, 16, 50);
  return incident;
}

Offer MakeOffer(int number, amends::v1::OfferKind kind, int64_t yen, const std::string& text,
                Offer::State state) {
  Offer offer;
  offer.set_number(number);
  offer.set_kind(kind);
  offer.set_amount_yen(yen);
  offer.set_text(text);
  offer.set_offered_by("sato");
  *offer.mutable_offered_at() = Tokyo(11, 30, 10, 0);
  offer.set_state(state);
  return offer;
}

// The three kinds of offer of case 1: ¥50,000 approved and delivered within the team manager's
// limit, ¥300,000 waiting for the chain's second level, ¥1,500,000 above every level.
Incident WithOffers() {
  Incident incident = MissedAppointment();
  Offer discount = MakeOffer(1, amends::v1::OFFER_KIND_DISCOUNT, 50000,
                             "次回ご注文分から5万円お値引き", Offer::STATE_DELIVERED);
  discount.set_approver_level(1);
  discount.set_approver_team("営業一課");
  discount.set_decided_by("tanaka");
  discount.set_decision_note("課長決裁の範囲内");
  discount.set_delivered_by("sato");
  *incident.add_offers() = discount;
  Offer service = MakeOffer(2, amends::v1::OFFER_KIND_FREE_SERVICE, 300000,
                            "3か月分の保守を無償で提供", Offer::STATE_ASKED);
  service.set_approver_level(2);
  service.set_approver_team("営業本部");
  *incident.add_offers() = service;
  *incident.add_offers() = MakeOffer(3, amends::v1::OFFER_KIND_REFUND, 1500000,
                                     "全額返金", Offer::STATE_ASKED);
  Offer declined = MakeOffer(4, amends::v1::OFFER_KIND_OTHER, 0, "菓子折りを持参",
                             Offer::STATE_DECLINED);
  declined.set_approver_team("営業一課");
  declined.set_decided_by("tanaka");
  declined.set_decision_note("かえって気を遣わせる");
  *incident.add_offers() = declined;
  return incident;
}

TEST(SincerityView, TheClientsExpectationIsRightUnderTheTitle) {
  Incident incident = MissedAppointment();
  auto* expectation = incident.mutable_expectation();
  expectation->set_text("同じことが二度と起きない仕組みを書面で示すこと\nサンプルを今週中に届けること");
  expectation->set_recorded_by("sato");
  *expectation->mutable_recorded_at() = Tokyo(11, 27, 17, 20);
  const std::string shown = RenderIncident(incident, kNow);
  EXPECT_THAT(shown, StartsWith("#12  15時のサンプル受け渡しの打ち合わせを失念\n"
                                "Client expects: 同じことが二度と起きない仕組みを書面で示すこと\n"
                                "  サンプルを今週中に届けること\n"
                                "  (sato, 2026-11-27 (Fri) 17:20 (3d ago))\n"
                                "\n"
                                "  team "));
}

TEST(SincerityView, WithoutAnExpectationShowSaysHowToRecordIt) {
  EXPECT_THAT(RenderIncident(MissedAppointment(), kNow),
              StartsWith("#12  15時のサンプル受け渡しの打ち合わせを失念\n"
                         "Client expects: not asked yet (amends expect 12 --text TEXT)\n\n"));
}

TEST(SincerityView, TheCauseSaysWhatWhyMissedAndTheEarlierIncidentsOfTheSameCategory) {
  Incident incident = MissedAppointment();
  auto* cause = incident.mutable_cause();
  cause->set_what("15時のアポイントを個人の手帳にだけ記入していた");
  cause->set_why_missed("予定をチームで共有しておらず、誰も気づける仕組みがなかった");
  cause->set_category("schedule");
  cause->set_recorded_by("sato");
  *cause->mutable_recorded_at() = Tokyo(11, 30, 10, 0);
  cause->add_same_category(7);
  cause->add_same_category(3);
  EXPECT_THAT(Section(RenderIncident(incident, kNow), "Cause:"),
              ElementsAre("  what        15時のアポイントを個人の手帳にだけ記入していた",
                          "  why missed  予定をチームで共有しておらず、誰も気づける仕組みがなかった",
                          "  category    schedule: the same category as #3, #7 before",
                          "  recorded    sato, 2026-11-30 (Mon) 10:00 (2h ago)"));

  cause->clear_same_category();
  EXPECT_THAT(RenderIncident(incident, kNow), HasSubstr("  category    schedule\n"));
  EXPECT_THAT(RenderIncident(MissedAppointment(), kNow),
              HasSubstr("\nCause: not recorded yet (amends cause 12 --what TEXT --why-missed "
                        "TEXT)\n"));
}

TEST(SincerityView, TheManagersApologyIsGivenOwedWithItsDeadlineOrNotYet) {
  Incident incident = MissedAppointment();
  EXPECT_THAT(RenderIncident(incident, kNow), HasSubstr("  manager's apology  not yet\n"));

  auto* owed = incident.add_deadlines();
  owed->set_key("manager-apology");
  owed->set_what("the manager's own apology");
  owed->set_user("tanaka");
  *owed->mutable_due() = Tokyo(12, 1, 18, 0);
  EXPECT_THAT(RenderIncident(incident, kNow),
              HasSubstr("  manager's apology  owed by tanaka, due 2026-12-01 (Tue) 18:00 (in 1d) "
                        "(amends apologize 12 --as-manager)\n"));

  incident.clear_deadlines();
  auto* apology = incident.mutable_manager_apology();
  apology->set_channel(amends::v1::CHANNEL_VISIT);
  apology->set_note("田中課長が部長を訪問し、自らの名前でお詫び");
  apology->set_recorded_by("tanaka");
  *apology->mutable_recorded_at() = Tokyo(11, 30, 10, 30);
  const std::string shown = RenderIncident(incident, kNow);
  EXPECT_THAT(shown, HasSubstr("  manager's apology  visit by tanaka, 2026-11-30 (Mon) 10:30 "
                               "(2h ago): 田中課長が部長を訪問し、自らの名前でお詫び\n"));
  EXPECT_LT(shown.find("  first apology "), shown.find("  manager's apology "));
}

TEST(SincerityView, OffersShowAmountsInYenTheirStateAndWhoseApprovalTheyWaitFor) {
  const std::vector<std::string> rows = Section(RenderIncident(WithOffers(), kNow), "Offers:");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[0], StartsWith("  1. [delivered]  discount  "));
  EXPECT_THAT(rows[0], HasSubstr("     ¥50,000  approved by tanaka, delivered by sato  "));
  EXPECT_THAT(rows[0], EndsWith("次回ご注文分から5万円お値引き; note: 課長決裁の範囲内"));
  EXPECT_THAT(rows[1], HasSubstr("free-service    ¥300,000  waits for managers of 営業本部  "));
  EXPECT_THAT(rows[2], HasSubstr("refund        ¥1,500,000  waits for an admin  "));
  EXPECT_THAT(rows[3], HasSubstr("[declined]"));
  EXPECT_THAT(rows[3], HasSubstr("¥0  declined by tanaka  "));
  EXPECT_THAT(rows[3], EndsWith("菓子折りを持参; reason: かえって気を遣わせる"));
  // Amounts end in the same column; kinds, decisions and texts start in one.
  const std::vector<std::string> amounts = {"¥50,000", "¥300,000", "¥1,500,000", "¥0"};
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(ColumnOf(rows[i], amounts[i]) + DisplayWidth(amounts[i]),
              ColumnOf(rows[2], "¥1,500,000") + DisplayWidth("¥1,500,000"))
        << rows[i];
    EXPECT_THAT(rows[i], Not(EndsWith(" ")));
  }
  EXPECT_EQ(ColumnOf(rows[1], "free-service"), ColumnOf(rows[0], "discount"));
  EXPECT_EQ(ColumnOf(rows[1], "waits for"), ColumnOf(rows[0], "approved by"));
  EXPECT_EQ(ColumnOf(rows[1], "3か月分"), ColumnOf(rows[0], "次回ご注文分"));
  EXPECT_EQ(ColumnOf(rows[2], "全額返金"), ColumnOf(rows[0], "次回ご注文分"));
  EXPECT_THAT(RenderIncident(MissedAppointment(), kNow), HasSubstr("\nOffers: none\n"));
}

TEST(SincerityView, TheConfirmationOfAnOfferSaysWhoseApprovalItIsAskedOf) {
  Incident incident = WithOffers();
  incident.mutable_offers()->SwapElements(1, 3);  // the ¥300,000 one made last
  EXPECT_EQ(OfferMade(incident),
            "offer 2 made: free-service ¥300,000, asked of managers of 営業本部");
  incident.mutable_offers()->SwapElements(2, 3);
  EXPECT_EQ(OfferMade(incident), "offer 3 made: refund ¥1,500,000, asked of an admin");
}

TEST(SincerityView, TheClientCommunicationLogMergesEveryContactInTimeOrder) {
  Incident incident = MissedAppointment();
  auto* follow_up = incident.add_follow_ups();
  follow_up->set_note("1週間後に電話。部長も了承、関係は良好");
  follow_up->set_logged_by("sato");
  *follow_up->mutable_logged_at() = Tokyo(12, 7, 10, 0);
  auto* late = incident.add_client_updates();  // the server's order is not the time's
  late->set_channel(amends::v1::CHANNEL_MAIL);
  late->set_note("再発防止策の案を送付");
  late->set_logged_by("佐藤");
  *late->mutable_logged_at() = Tokyo(12, 2, 17, 0);
  auto* early = incident.add_client_updates();
  early->set_channel(amends::v1::CHANNEL_CALL);
  early->set_note("原因調査の途中経過を報告");
  early->set_logged_by("sato");
  *early->mutable_logged_at() = Tokyo(11, 30, 11, 0);
  auto* first = incident.mutable_first_apology();
  first->set_channel(amends::v1::CHANNEL_CALL);
  first->set_note("当日中に電話でお詫び");
  first->set_recorded_by("sato");
  *first->mutable_recorded_at() = Tokyo(11, 27, 17, 5);
  auto* manager = incident.mutable_manager_apology();
  manager->set_channel(amends::v1::CHANNEL_VISIT);
  manager->set_note("部長に直接お詫び");
  manager->set_recorded_by("tanaka");
  *manager->mutable_recorded_at() = Tokyo(11, 30, 10, 30);

  const std::string shown = RenderIncident(incident, kNow);
  const std::vector<std::string> rows = Section(shown, "Client communication:");
  ASSERT_EQ(rows.size(), 5u) << shown;
  EXPECT_EQ(rows[0], "  2026-11-27 (Fri) 17:05 (3d ago)  call   sato    first apology      "
                     "当日中に電話でお詫び");
  EXPECT_EQ(rows[1], "  2026-11-30 (Mon) 10:30 (2h ago)  visit  tanaka  manager's apology  "
                     "部長に直接お詫び");
  EXPECT_EQ(rows[2], "  2026-11-30 (Mon) 11:00 (1h ago)  call   sato    update             "
                     "原因調査の途中経過を報告");
  EXPECT_EQ(rows[3], "  2026-12-02 (Wed) 17:00 (in 2d)   mail   佐藤    update             "
                     "再発防止策の案を送付");
  EXPECT_EQ(rows[4], "  2026-12-07 (Mon) 10:00 (in 7d)   -      sato    follow-up          "
                     "1週間後に電話。部長も了承、関係は良好");
  EXPECT_EQ(ColumnOf(rows[3], "update"), ColumnOf(rows[0], "first apology"));
  EXPECT_EQ(ColumnOf(rows[3], "再発防止策"), ColumnOf(rows[0], "当日中"));
  EXPECT_EQ(ColumnOf(rows[4], "1週間後"), ColumnOf(rows[0], "当日中"));
  // The follow-ups are in the log: no second list of them.
  EXPECT_THAT(shown, Not(HasSubstr("Follow-ups:")));
}

TEST(SincerityView, WithoutAnyContactTheLogSaysNone) {
  EXPECT_THAT(RenderIncident(MissedAppointment(), kNow),
              HasSubstr("\nClient communication: none\n"));
}

TEST(SincerityView, ADoneMeasureIsVerifiedBySomeoneOrNotAndAFailedCheckIsShown) {
  Incident incident = MissedAppointment();
  auto* verified = incident.add_measures();
  verified->set_number(1);
  verified->set_text("共有スケジュールで全アポイントを管理");
  verified->set_owner("sato");
  *verified->mutable_due() = Tokyo(12, 4, 18, 0);
  *verified->mutable_done_at() = Tokyo(11, 30, 9, 0);
  verified->set_done_by("sato");
  *verified->mutable_verified_at() = Tokyo(11, 30, 11, 0);
  verified->set_verified_by("yamada");
  verified->set_verification_note("2週間分の登録を確認");
  auto* unchecked = incident.add_measures();
  unchecked->set_number(2);
  unchecked->set_text("前日にアポイントをダブルチェック");
  unchecked->set_owner("tanaka");
  *unchecked->mutable_due() = Tokyo(12, 4, 18, 0);
  *unchecked->mutable_done_at() = Tokyo(11, 30, 9, 30);
  unchecked->set_done_by("tanaka");
  auto* failed = incident.add_measures();
  failed->set_number(3);
  failed->set_text("朝会で当日の予定を読み上げる");
  failed->set_owner("sato");
  *failed->mutable_due() = Tokyo(12, 11, 18, 0);
  failed->set_verified_by("yamada");
  failed->set_verification_note("3回中1回\x1b[2J抜けていた");
  auto* open = incident.add_measures();
  open->set_number(4);
  open->set_text("顧客ごとの連絡記録を残す");
  open->set_owner("sato");
  *open->mutable_due() = Tokyo(12, 11, 18, 0);

  const std::string shown = TerminalSafe(RenderIncident(incident, kNow));
  EXPECT_THAT(Section(shown, "Prevention measures:"),
              ElementsAre("  1. [done] 共有スケジュールで全アポイントを管理",
                          "     owner sato, due 2026-12-04 (Fri) 18:00 (in 4d), done 2026-11-30 "
                          "(Mon) 09:00 (3h ago) by sato",
                          "     verified by yamada, 2026-11-30 (Mon) 11:00 (1h ago): "
                          "2週間分の登録を確認",
                          "  2. [done] 前日にアポイントをダブルチェック",
                          "     owner tanaka, due 2026-12-04 (Fri) 18:00 (in 4d), done 2026-11-30 "
                          "(Mon) 09:30 (3h ago) by tanaka",
                          "     not verified",
                          "  3. [open] 朝会で当日の予定を読み上げる",
                          "     owner sato, due 2026-12-11 (Fri) 18:00 (in 11d)",
                          "     failed verification by yamada: 3回中1回␛[2J抜けていた",
                          "  4. [open] 顧客ごとの連絡記録を残す",
                          "     owner sato, due 2026-12-11 (Fri) 18:00 (in 11d)"));
}

TEST(SincerityView, NothingATeamMemberTypedReachesTheTerminalAsAControlSequence) {
  Incident incident = WithOffers();
  incident.mutable_expectation()->set_text("誠意を\x1b]0;pwned\x07見せて");
  incident.mutable_cause()->set_what("手帳\x1b[2Jのみ");
  incident.mutable_cause()->set_category("sched\x1b[31mule");
  incident.mutable_offers(0)->set_text("値引き\x1b[2J");
  incident.mutable_offers(1)->set_approver_team("営業\u202e本部");
  auto* update = incident.add_client_updates();
  update->set_channel(amends::v1::CHANNEL_CALL);
  update->set_note("途中経過\x9b" "31m");
  update->set_logged_by("sato\x07");
  // `amends show` prints through TerminalSafe; the tables make their cells safe themselves.
  const std::string shown = TerminalSafe(RenderIncident(incident, kNow));
  EXPECT_THAT(shown, Not(HasSubstr("\x1b")));
  EXPECT_THAT(shown, Not(HasSubstr("\x07")));
  EXPECT_THAT(shown, Not(HasSubstr("\u202e")));
  EXPECT_THAT(shown, HasSubstr("Client expects: 誠意を␛]0;pwned␇見せて"));
  EXPECT_THAT(shown, HasSubstr("値引き␛[2J"));
  EXPECT_THAT(shown, HasSubstr("managers of 営業<U+202E>本部"));
  const std::string offers = RenderOffers(incident);
  EXPECT_THAT(offers, Not(HasSubstr("\x1b")));
  EXPECT_THAT(offers, Not(HasSubstr("\u202e")));
  const std::string log = RenderClientContacts(incident, Tokyo(), kNow);
  EXPECT_THAT(log, Not(HasSubstr("\x07")));
  EXPECT_THAT(log, HasSubstr("sato␇"));

  Incidents incidents;
  *incidents.Add() = incident;
  *incidents.Add() = incident;
  incidents[1].set_id(13);
  EXPECT_EQ(CauseRepeats(incidents), "cause \"sched␛[31mule\" repeats: #12, #13\n");
}

TEST(SincerityView, KindsThatAreNotTheTeamsFailureTowardTheClientShowNoneOfIt) {
  Incident incident = MissedAppointment();
  incident.set_kind(amends::v1::KIND_HARASSMENT);
  auto* follow_up = incident.add_follow_ups();
  follow_up->set_note("本人と面談");
  follow_up->set_logged_by("tanaka");
  const std::string shown = RenderIncident(incident, kNow);
  for (const char* absent : {"Client expects", "manager's apology", "Cause", "Offers",
                             "Client communication"}) {
    EXPECT_THAT(shown, Not(HasSubstr(absent))) << absent;
  }
  EXPECT_THAT(shown, HasSubstr("\nFollow-ups:\n"));
}

Incidents ClientIncidents() {
  Incidents incidents;
  for (auto [id, category, summary] :
       {std::tuple{3, "schedule", "打ち合わせの日時を取り違え"},
        {7, "communication", "見積もりの回答が遅延"},
        {12, "schedule", "15時のサンプル受け渡しの打ち合わせを失念"}}) {
    Incident incident = MissedAppointment();
    incident.set_id(id);
    incident.set_summary(summary);
    incident.mutable_cause()->set_category(category);
    *incidents.Add() = incident;
  }
  return incidents;
}

TEST(ClientView, EachIncidentShowsItsCauseCategoryAndARepeatedCategoryIsNamed) {
  const std::string shown = RenderClientIncidents(ClientIncidents(), kNow);
  const std::vector<std::string> lines = absl::StrSplit(shown, '\n');
  ASSERT_GE(lines.size(), 6u) << shown;
  EXPECT_LT(ColumnOf(lines[0], "SEVERITY"), ColumnOf(lines[0], "CAUSE"));
  EXPECT_LT(ColumnOf(lines[0], "CAUSE"), ColumnOf(lines[0], "SUMMARY"));
  EXPECT_EQ(ColumnOf(lines[1], "schedule"), ColumnOf(lines[0], "CAUSE"));
  EXPECT_EQ(ColumnOf(lines[2], "communication"), ColumnOf(lines[0], "CAUSE"));
  EXPECT_EQ(ColumnOf(lines[3], "15時"), ColumnOf(lines[0], "SUMMARY"));
  EXPECT_EQ(ColumnOf(lines[2], "見積もり"), ColumnOf(lines[0], "SUMMARY"));
  EXPECT_THAT(shown, EndsWith("\n\ncause \"schedule\" repeats: #3, #12\n"));
  EXPECT_THAT(shown, Not(HasSubstr("\"communication\" repeats")));
}

TEST(ClientView, ARepeatCountsTheEarlierIncidentsTheServerNamedBeyondTheList) {
  Incidents incidents = ClientIncidents();
  incidents[2].mutable_cause()->add_same_category(1);  // not listed (--limit)
  incidents[1].mutable_cause()->add_same_category(5);
  EXPECT_EQ(CauseRepeats(incidents),
            "cause \"schedule\" repeats: #1, #3, #12\n"
            "cause \"communication\" repeats: #5, #7\n");
}

TEST(ClientView, WithoutACauseTheColumnHasADashAndNothingRepeats) {
  Incidents incidents = ClientIncidents();
  for (Incident& incident : incidents) incident.clear_cause();
  const std::string shown = RenderClientIncidents(incidents, kNow);
  EXPECT_THAT(shown, Not(HasSubstr("repeats")));
  const std::vector<std::string> lines = absl::StrSplit(shown, '\n', absl::SkipEmpty());
  EXPECT_EQ(ColumnOf(lines[1], "-  "), ColumnOf(lines[0], "CAUSE"));
}

TEST(ParseYenArg, AcceptsDigitsCommasAYenSignOrEn) {
  for (const char* text : {"50000", "50,000", "¥50,000", "¥50000", "50000円", "50,000円",
                           "￥50,000", " 50000 "}) {
    const absl::StatusOr<int64_t> yen = ParseYenArg("--amount", text);
    ASSERT_TRUE(yen.ok()) << text << ": " << yen.status();
    EXPECT_EQ(*yen, 50000) << text;
  }
  EXPECT_EQ(*ParseYenArg("--amount", "0"), 0);
  EXPECT_EQ(*ParseYenArg("--amount", "1,000,000,000"), kMaxOfferYen);
  EXPECT_EQ(*ParseYenArg("--amount", "300000円"), 300000);
}

TEST(ParseYenArg, AnythingElseIsRefusedNamingTheOptionAndTheForms) {
  for (const char* text : {"", "5万", "5万円", "50,00", "5,0000", ",000", "50.000", "-50000",
                           "+50000", "¥50,000円", "50000yen", "JPY 50000", "５００００",
                           "¥", "円", "1e5", "50 000"}) {
    const absl::StatusOr<int64_t> yen = ParseYenArg("--amount", text);
    ASSERT_FALSE(yen.ok()) << text;
    EXPECT_EQ(yen.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(yen.status().message(),
              absl::StrCat("--amount: '", text,
                           "' is not an amount of yen (write whole yen: 50000, 50,000, ¥50,000 "
                           "or 50000円)"));
  }
}

TEST(ParseYenArg, MoreThanAnOfferMayBeIsRefused) {
  for (const char* text : {"1,000,000,001", "99999999999999999999999", "¥2000000000"}) {
    const absl::StatusOr<int64_t> yen = ParseYenArg("--amount", text);
    ASSERT_FALSE(yen.ok()) << text;
    EXPECT_EQ(yen.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(yen.status().message()),
                StartsWith(absl::StrCat("--amount: ", text, " is more than ¥1,000,000,000")));
  }
}

TEST(FormatYen, AYenSignAndCommasEveryThreeDigits) {
  EXPECT_EQ(FormatYen(0), "¥0");
  EXPECT_EQ(FormatYen(999), "¥999");
  EXPECT_EQ(FormatYen(50000), "¥50,000");
  EXPECT_EQ(FormatYen(300000), "¥300,000");
  EXPECT_EQ(FormatYen(1000000000), "¥1,000,000,000");
  EXPECT_EQ(FormatYen(-500), "-¥500");
  EXPECT_EQ(DisplayWidth(FormatYen(50000)), 7);  // the yen sign is one column
}

TEST(EnumNames, OfferKindsAndStatesHaveCommandLineNames) {
  EXPECT_EQ(CliNames(*google::protobuf::GetEnumDescriptor<amends::v1::OfferKind>()),
            (std::vector<std::string>{"discount", "refund", "free-service", "other"}));
  EXPECT_EQ(*ParseCliEnum<amends::v1::OfferKind>("--kind", "free-service"),
            amends::v1::OFFER_KIND_FREE_SERVICE);
  EXPECT_EQ(ParseCliEnum<amends::v1::OfferKind>("--kind", "coupon").status().message(),
            "--kind: unknown value 'coupon' (allowed: discount, refund, free-service, other)");
  EXPECT_EQ(CliNames(*google::protobuf::GetEnumDescriptor<Offer::State>()),
            (std::vector<std::string>{"asked", "approved", "declined", "delivered"}));
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED),
            "measure-verification-failed");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_CLIENT_UPDATE_LOGGED), "client-update-logged");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_MANAGER_APOLOGY_RECORDED),
            "manager-apology-recorded");
}

}  // namespace
}  // namespace amends::cli
