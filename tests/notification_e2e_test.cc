// Notifications end to end: an in-process amendsd with a fake clock mails a real SMTP server
// (tests/smtp_server.py, aiosmtpd) started by the test. DOMAIN.md case 2 is the spine: a
// Friday-evening complaint must reach the managers at once, the owner on Monday morning, and
// the department heads when the managers do not answer.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "server/admin.h"
#include "server/core/time_proto.h"
#include "tests/case2.h"
#include "tests/process.h"
#include "tests/service_fixture.h"
#include "tests/smtp_server.h"

namespace amends {
namespace {

class NotificationE2eTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    policy_ = &DirectorsPolicy();
    ASSERT_TRUE(AddTeam(*store_, "sales-directors", "Asia/Tokyo").ok());
    absl::StatusOr<std::string> token = AddUser(*store_, "watanabe", "sales-directors", "manager");
    ASSERT_TRUE(token.ok()) << token.status();
    tokens_["watanabe"] = *token;
    // The team writes in Japanese; yamada reads English.
    ASSERT_TRUE(store_->SetTeamLanguage("tokyo-sales", "ja").ok());
    for (const char* name : {"sato", "yamada", "tanaka", "suzuki", "watanabe", "kobayashi"}) {
      User user = *store_->GetUser(name);
      user.email = absl::StrCat(name, "@example.co.jp");
      if (user.name == "yamada") user.language = "en";
      ASSERT_TRUE(store_->SetUserContact(user).ok());
    }
    smtp_ = std::make_unique<SmtpServer>();
    ASSERT_TRUE(smtp_->ok()) << smtp_->error();
    StartNotifying(smtp_->address());
  }

  void StartNotifying(const std::string& smtp_address) {
    v1::NotifyConfig notify;
    notify.mutable_smtp()->set_server(smtp_address);
    notify.mutable_smtp()->set_from("amends@example.com");
    notify.mutable_retry()->set_attempts(3);
    notify.mutable_retry()->set_first_wait("1m");
    StartServer({.run_background = false, .notify = notify});
    notifications_ = v1::NotificationService::NewStub(channel_);
  }

  // Moves the fake clock to a Tokyo local time in November 2026 and fires what is due, then
  // delivers what is due, as the server's threads would. Returns how many mails were tried.
  int At(int day, int hour, int minute) {
    clock_.Set(TokyoTime(2026, 11, day, hour, minute));
    server_->scheduler().RunDue();
    return server_->dispatcher()->RunDue();
  }

  std::vector<ReceivedMail> MailsTo(const std::string& user) const {
    std::vector<ReceivedMail> out;
    for (ReceivedMail& m : smtp_->Received()) {
      if (m.Header("To") == absl::StrCat(user, "@example.co.jp")) out.push_back(std::move(m));
    }
    return out;
  }

  std::vector<v1::Notification> NotificationsOf(int64_t incident, const std::string& as) {
    v1::ListNotificationsRequest request;
    request.set_incident_id(incident);
    v1::ListNotificationsResponse response;
    grpc::Status s = notifications_->ListNotifications(As(as).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.notifications().begin(), response.notifications().end()};
  }

  // The notifications of `log` sent for `reason`.
  static std::vector<v1::Notification> Only(const std::vector<v1::Notification>& log,
                                            v1::Notification::Reason reason) {
    std::vector<v1::Notification> out;
    for (const v1::Notification& n : log) {
      if (n.reason() == reason) out.push_back(n);
    }
    return out;
  }

  v1::ReportIncidentRequest LateReport(v1::Severity severity = v1::SEVERITY_HIGH) {
    v1::ReportIncidentRequest r;
    r.set_team("tokyo-sales");
    r.mutable_client()->set_name("ミドリ精機株式会社");
    r.set_kind(v1::KIND_LATE_DELIVERABLE);
    r.set_severity(severity);
    r.set_summary("会議前に必要な報告書を未提出、先方から強い抗議");
    return r;
  }

  // Runs the real `amends ARGS` as `user`; expects exit code `want`.
  RunResult Amends(const std::string& user, std::vector<std::string> args, int want = 0) {
    args.insert(args.begin(), AMENDS_PATH);
    RunResult r = RunCommand(args, {{"AMENDS_SERVER", absl::StrCat("127.0.0.1:", server_->port())},
                                    {"AMENDS_TOKEN", tokens_.at(user)},
                                    {"COLUMNS", "100"}});
    EXPECT_EQ(r.exit_code, want) << absl::StrJoin(args, " ") << "\n" << r.out << r.err;
    return r;
  }

  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<v1::NotificationService::Stub> notifications_;
};

TEST_F(NotificationE2eTest, FridayEveningComplaintReachesManagersAtOnceOwnerMondayThenHeads) {
  At(27, 17, 30);  // Friday 17:30
  const v1::Incident incident = Report("yamada", LateReport());
  Apologize("yamada", incident.id());  // a call to the client, and nobody is told
  EXPECT_EQ(At(27, 17, 30), 2);  // both managers, at once: urgent whatever the hour
  ASSERT_TRUE(smtp_->WaitForMessages(2, absl::Seconds(10)));
  for (const char* manager : {"tanaka", "suzuki"}) {
    std::vector<ReceivedMail> mails = MailsTo(manager);
    ASSERT_EQ(mails.size(), 1u) << manager;
    EXPECT_TRUE(absl::StrContains(mails[0].subject, "#1")) << mails[0].subject;
    EXPECT_TRUE(absl::StrContains(mails[0].body, "ミドリ精機株式会社")) << mails[0].body;
  }
  EXPECT_TRUE(MailsTo("yamada").empty());  // nobody is told of what they did themselves

  // The weekend: nothing fires and nothing is sent.
  EXPECT_EQ(At(28, 12, 0), 0);
  EXPECT_EQ(At(29, 23, 59), 0);
  EXPECT_EQ(smtp_->Received().size(), 2u);

  // Monday: half of the two working hours to escalate is gone at 09:30. The owner hears of
  // it in English, with the due time in their zone and the command to act.
  EXPECT_EQ(At(30, 9, 45), 1);
  ASSERT_TRUE(smtp_->WaitForMessages(3, absl::Seconds(10)));
  std::vector<ReceivedMail> owner = MailsTo("yamada");
  ASSERT_EQ(owner.size(), 1u);
  EXPECT_TRUE(absl::StrContains(owner[0].body, "10:30")) << owner[0].body;
  EXPECT_TRUE(absl::StrContains(owner[0].body, "Mon")) << owner[0].body;
  EXPECT_TRUE(absl::StrContains(owner[0].body, "amends escalate 1")) << owner[0].body;

  // 10:31: the 30-minutes-before reminder, the breach (to the managers) and the automatic
  // escalation (the managers asked to approve).
  EXPECT_EQ(At(30, 10, 31), 5);
  ASSERT_TRUE(smtp_->WaitForMessages(8, absl::Seconds(10)));
  EXPECT_EQ(MailsTo("yamada").size(), 2u);
  std::vector<ReceivedMail> tanaka = MailsTo("tanaka");
  ASSERT_EQ(tanaka.size(), 3u);
  // The breach and the approval request are sent in parallel: either may arrive first.
  EXPECT_EQ(std::count_if(tanaka.begin() + 1, tanaka.end(),
                          [](const ReceivedMail& m) {
                            return absl::StrContains(m.body, "amends approve 1");
                          }),
            1);

  // The managers let the approval pass its deadline: the department heads are asked.
  EXPECT_TRUE(MailsTo("watanabe").empty());
  // The managers were reminded half-way (11:31) and 30 minutes before (12:01); then, with
  // nobody deciding, watanabe is asked.
  EXPECT_EQ(At(30, 12, 32), 5);
  ASSERT_TRUE(smtp_->WaitForMessages(13, absl::Seconds(10)));
  std::vector<ReceivedMail> heads = MailsTo("watanabe");
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_TRUE(absl::StrContains(heads[0].body, "amends approve 1")) << heads[0].body;

  // Every one of them is in the delivery log, sent, with the Message-ID the mail carried.
  std::vector<v1::Notification> log = NotificationsOf(incident.id(), "tanaka");
  EXPECT_EQ(log.size(), 13u);
  for (const v1::Notification& n : log) {
    EXPECT_EQ(n.state(), v1::Notification::STATE_SENT) << n.ShortDebugString();
    ASSERT_EQ(n.attempts_size(), 1);
    EXPECT_TRUE(absl::StartsWith(n.attempts(0).answer(), "250")) << n.attempts(0).answer();
  }
  EXPECT_EQ(heads[0].Header("Message-ID"), log.front().message_id());
}

TEST_F(NotificationE2eTest, UrgentMailIsNotHeldUpBehindRoutineMailToASlowServer) {
  // One routine sender; the mail server takes 5 s to accept each of yamada's mails.
  SmtpServer slow({.hold = "yamada"});
  ASSERT_TRUE(slow.ok()) << slow.error();
  v1::NotifyConfig notify;
  notify.mutable_smtp()->set_server(slow.address());
  notify.mutable_smtp()->set_from("amends@example.com");
  notify.set_parallel(1);
  StartServer({.run_background = false, .notify = notify});
  server_->dispatcher()->Start();

  At(27, 17, 30);  // Friday 17:30: yamada reports two cases; the managers are told at once
  for (const char* client : {"ミドリ精機株式会社", "ＡＢＣ商事"}) {
    v1::ReportIncidentRequest r = LateReport();
    r.mutable_client()->set_name(client);
    Apologize("yamada", Report("yamada", r).id());
  }
  ASSERT_TRUE(slow.WaitForMessages(4, absl::Seconds(10)));
  // Monday 09:45: yamada's two routine reminders go to the slow server, one being sent and
  // one queued, which fills the queue of a single sender...
  clock_.Set(TokyoTime(2026, 11, 30, 9, 45));
  EXPECT_EQ(server_->scheduler().RunDue(), 2);
  server_->dispatcher()->Wake();
  // ... and a HIGH complaint reported meanwhile still reaches both managers first.
  Report("sato", LateReport());
  ASSERT_TRUE(slow.WaitForMessages(6, absl::Seconds(4)));
  for (const ReceivedMail& m : slow.Received()) {
    EXPECT_NE(m.Header("To"), "yamada@example.co.jp") << "the routine mail came first";
  }
  ASSERT_TRUE(slow.WaitForMessages(8, absl::Seconds(15)));
}

TEST_F(NotificationE2eTest, HandOverOnSaturdayWaitsForMondayMorning) {
  At(27, 16, 0);
  const v1::Incident incident = Report("sato", LateReport(v1::SEVERITY_MEDIUM));
  Apologize("sato", incident.id());
  At(28, 11, 0);  // Saturday: the manager hands the case over to yamada
  v1::AssignRequest assign;
  assign.set_id(incident.id());
  assign.set_new_owner("yamada");
  assign.set_note("先方部長には月曜朝に電話する約束です");
  v1::Incident out;
  ASSERT_TRUE(stub_->Assign(As("tanaka").get(), assign, &out).ok());
  EXPECT_EQ(At(28, 11, 0), 0);
  EXPECT_EQ(At(29, 20, 0), 0);  // Sunday evening: still not
  std::vector<v1::Notification> log =
      Only(NotificationsOf(incident.id(), "tanaka"), v1::Notification::REASON_HANDED_OVER);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].state(), v1::Notification::STATE_PENDING);
  EXPECT_EQ(log[0].recipient(), "yamada");
  EXPECT_EQ(FromProto(log[0].not_before()), TokyoTime(2026, 11, 30, 9, 0));

  // Monday at opening: the hand-over, and sato's reminder that fired on Friday at 18:00
  // (half of the four working hours to escalate), also held for the working week.
  EXPECT_EQ(At(30, 9, 0), 2);
  ASSERT_TRUE(smtp_->WaitForMessages(1, absl::Seconds(10)));
  std::vector<ReceivedMail> mails = MailsTo("yamada");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(absl::StrContains(mails[0].body, "先方部長には月曜朝に電話する約束です"))
      << mails[0].body;
}

TEST_F(NotificationE2eTest, CriticalIncidentOnSundayNightGoesOutAtOnce) {
  At(29, 22, 0);
  v1::ReportIncidentRequest r = LateReport(v1::SEVERITY_CRITICAL);
  Report("sato", r);
  EXPECT_EQ(At(29, 22, 0), 2);
  EXPECT_EQ(MailsTo("tanaka").size(), 1u);
  EXPECT_EQ(MailsTo("suzuki").size(), 1u);
}

TEST_F(NotificationE2eTest, HarassmentReachesManagersAndChainTopAtOnceWithoutClientOrSummary) {
  v1::ReportIncidentRequest r = LateReport();
  r.set_kind(v1::KIND_HARASSMENT);
  r.mutable_client()->set_name("ＸＹＺ物産");
  r.set_summary("先方担当者から担当者への威圧的な言動が続いている");
  r.set_details("打ち合わせのたびに大声で叱責される");
  Report("sato", r);
  // At once: both managers, and the top of the chain (the department heads), whom the default
  // playbook tells of harassment whatever the severity.
  EXPECT_EQ(At(27, 16, 50), 3);
  ASSERT_TRUE(smtp_->WaitForMessages(3, absl::Seconds(10)));
  for (const char* told : {"tanaka", "suzuki", "watanabe"}) {
    EXPECT_EQ(MailsTo(told).size(), 1u) << told;
  }
  // Nor do the rows carry the change's text for a webhook to take out.
  absl::StatusOr<std::vector<v1::Notification>> rows =
      store_->ListNotifications({.incident_id = 1});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->size(), 3u);
  for (const v1::Notification& n : *rows) EXPECT_FALSE(n.has_event()) << n.recipient();
  for (const ReceivedMail& m : smtp_->Received()) {
    EXPECT_TRUE(absl::StrContains(m.subject, "#1")) << m.subject;
    for (const std::string& secret :
         {std::string("ＸＹＺ物産"), r.summary(), r.details(), std::string("XYZ")}) {
      EXPECT_FALSE(absl::StrContains(m.subject, secret)) << m.subject;
      EXPECT_FALSE(absl::StrContains(m.body, secret)) << m.body;
      EXPECT_FALSE(absl::StrContains(m.raw, secret));
    }
  }
}

// A conduct case about a manager: the other manager is asked to take it on; the manager it is
// about hears nothing of it.
TEST_F(NotificationE2eTest, ConductCaseIsNeverMailedToThePersonItIsAbout) {
  v1::ReportIncidentRequest r = LateReport();
  r.set_kind(v1::KIND_CONDUCT);
  r.set_summary("課長と先方担当者との間の利益相反の懸念");
  r.set_subject("suzuki");
  const v1::Incident incident = Report("sato", r);
  EXPECT_EQ(At(27, 16, 50), 1);
  ASSERT_TRUE(smtp_->WaitForMessages(1, absl::Seconds(10)));
  EXPECT_EQ(MailsTo("tanaka").size(), 1u);
  EXPECT_TRUE(MailsTo("suzuki").empty());
  for (const v1::Notification& n : NotificationsOf(incident.id(), "tanaka")) {
    EXPECT_NE(n.recipient(), "suzuki");
  }
}

// A rep leaves: the successor gets one message with everything that became theirs, not one
// per incident.
TEST_F(NotificationE2eTest, BulkHandOverTellsTheSuccessorOnceWithTheList) {
  const v1::Incident late = Report("yamada", LateReport(v1::SEVERITY_LOW));
  v1::ReportIncidentRequest other = LateReport(v1::SEVERITY_LOW);
  other.mutable_client()->set_name("ＡＢＣ商事");
  other.set_summary("月次報告書の提出遅れ");
  const v1::Incident abc = Report("yamada", other);
  v1::HandOverRequest request;
  request.set_from("yamada");
  request.set_to("sato");
  request.set_note("山田退職のため佐藤が引き継ぎ");
  v1::HandOverResponse response;
  const grpc::Status s = stub_->HandOver(As("tanaka").get(), request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(response.checklists_size(), 2);
  At(27, 16, 50);
  ASSERT_TRUE(smtp_->WaitForMessages(1, absl::Seconds(10)));
  const std::vector<ReceivedMail> mails = MailsTo("sato");
  ASSERT_EQ(mails.size(), 1u);
  for (const std::string& line :
       {absl::StrCat("#", late.id(), " ミドリ精機株式会社: ", late.summary()),
        absl::StrCat("#", abc.id(), " ＡＢＣ商事: 月次報告書の提出遅れ"),
        absl::StrCat("#", response.checklists(0).id(), " hand-over checklist: "),
        absl::StrCat("#", response.checklists(1).id(), " hand-over checklist: "),
        std::string("山田退職のため佐藤が引き継ぎ")}) {
    EXPECT_TRUE(absl::StrContains(mails[0].body, line)) << line << "\n" << mails[0].body;
  }
}

// Each manager's morning digest: at the first working hour, not on days off, not when there is
// nothing to say, and once a day even across a restart.
TEST_F(NotificationE2eTest, DigestComesAtTheFirstWorkingHourOncePerManagerAndDay) {
  auto digests_at = [&](int day, int hour, int minute) {
    clock_.Set(TokyoTime(2026, 11, day, hour, minute));
    return server_->digests()->RunDue();
  };
  EXPECT_EQ(digests_at(20, 9, 0), 0);  // Friday: nothing waits yet
  At(20, 16, 50);
  const v1::Incident incident = Report("yamada", LateReport());
  At(20, 18, 0);  // the first apology and escalation are overdue: amends escalates by itself
  EXPECT_EQ(digests_at(21, 9, 0), 0);   // Saturday
  EXPECT_EQ(digests_at(23, 9, 0), 0);   // Monday 23rd: Labour Thanksgiving Day
  EXPECT_EQ(digests_at(24, 8, 59), 0);  // Tuesday, before the day begins
  EXPECT_EQ(digests_at(24, 9, 0), 2);   // tanaka and suzuki
  EXPECT_EQ(digests_at(24, 9, 30), 0);
  StartNotifying(smtp_->address());     // a restart
  EXPECT_EQ(digests_at(24, 11, 0), 0);
  server_->dispatcher()->RunDue();
  std::vector<ReceivedMail> digests;
  for (const char* manager : {"tanaka", "suzuki"}) {
    int theirs = 0;
    for (ReceivedMail& m : MailsTo(manager)) {
      if (!absl::StrContains(m.subject, "本日の確認事項")) continue;
      ++theirs;
      digests.push_back(std::move(m));
    }
    EXPECT_EQ(theirs, 1) << manager;
  }
  ASSERT_FALSE(digests.empty());
  // Friday's first apology, breached: the last working day before this Tuesday.
  EXPECT_TRUE(absl::StrContains(digests[0].body, "前営業日からの期限超過（1件）"))
      << digests[0].body;
  EXPECT_TRUE(absl::StrContains(digests[0].body, absl::StrCat("#", incident.id(), " ミドリ精機")))
      << digests[0].body;
  EXPECT_TRUE(absl::StrContains(digests[0].body, "amends inbox")) << digests[0].body;
}

TEST_F(NotificationE2eTest, MailServerDownForAWhileIsRetriedThenDelivered) {
  smtp_->Stop();
  const v1::Incident incident = Report("sato", LateReport());
  EXPECT_EQ(At(27, 16, 50), 2);
  std::vector<v1::Notification> log = NotificationsOf(incident.id(), "tanaka");
  ASSERT_EQ(log.size(), 2u);
  for (const v1::Notification& n : log) {
    EXPECT_EQ(n.state(), v1::Notification::STATE_RETRYING);
    ASSERT_EQ(n.attempts_size(), 1);
    EXPECT_FALSE(n.attempts(0).ok());
    // The first wait is 1m, +/-25%.
    EXPECT_GE(FromProto(n.next_attempt()), clock_.Now() + absl::Seconds(45));
    EXPECT_LE(FromProto(n.next_attempt()), clock_.Now() + absl::Seconds(75));
  }
  EXPECT_EQ(At(27, 16, 50), 0);  // nothing is tried again before its time

  ASSERT_TRUE(smtp_->Restart()) << smtp_->error();
  EXPECT_EQ(At(27, 16, 52), 2);
  ASSERT_TRUE(smtp_->WaitForMessages(2, absl::Seconds(10)));
  log = NotificationsOf(incident.id(), "tanaka");
  for (const v1::Notification& n : log) {
    EXPECT_EQ(n.state(), v1::Notification::STATE_SENT);
    EXPECT_EQ(n.attempts_size(), 2);
  }
  for (const ReceivedMail& m : smtp_->Received()) {
    EXPECT_TRUE(m.Header("Message-ID") == log[0].message_id() ||
                m.Header("Message-ID") == log[1].message_id())
        << m.Header("Message-ID");
  }
}

TEST_F(NotificationE2eTest, MailServerDownForGoodFailsAfterTheLastAttempt) {
  smtp_->Stop();
  const v1::Incident incident = Report("sato", LateReport());
  Apologize("sato", incident.id());
  At(27, 16, 50);
  At(27, 16, 52);  // second attempt after ~1m
  At(27, 16, 55);  // third and last after ~2m more
  std::vector<v1::Notification> log = NotificationsOf(incident.id(), "tanaka");
  ASSERT_EQ(log.size(), 2u);
  for (const v1::Notification& n : log) {
    EXPECT_EQ(n.state(), v1::Notification::STATE_FAILED);
    EXPECT_EQ(n.attempts_size(), 3);
  }
}

TEST_F(NotificationE2eTest, RefusedForGoodShowsAsFailedInTheLogAndTheManagersInbox) {
  SmtpServer refusing({.refuse = 550});
  ASSERT_TRUE(refusing.ok()) << refusing.error();
  StartNotifying(refusing.address());
  const v1::Incident incident = Report("sato", LateReport());
  EXPECT_EQ(At(27, 16, 50), 2);
  std::vector<v1::Notification> log = NotificationsOf(incident.id(), "sato");
  ASSERT_EQ(log.size(), 2u);
  for (const v1::Notification& n : log) {
    EXPECT_EQ(n.state(), v1::Notification::STATE_FAILED);  // a 5xx is not tried again
    ASSERT_EQ(n.attempts_size(), 1);
    EXPECT_TRUE(absl::StrContains(n.attempts(0).answer(), "550")) << n.attempts(0).answer();
  }

  v1::GetInboxResponse inbox;
  ASSERT_TRUE(stub_->GetInbox(As("tanaka").get(), {}, &inbox).ok());
  int failed = 0;
  for (const v1::InboxItem& item : inbox.items()) {
    if (item.reason() != v1::InboxItem::REASON_NOTIFICATION_FAILED) continue;
    ++failed;
    EXPECT_EQ(item.incident_id(), incident.id());
    EXPECT_TRUE(absl::StrContains(item.what(), "550")) << item.what();
  }
  EXPECT_EQ(failed, 2);
  ASSERT_TRUE(stub_->GetInbox(As("sato").get(), {}, &inbox).ok());
  for (const v1::InboxItem& item : inbox.items()) {
    EXPECT_NE(item.reason(), v1::InboxItem::REASON_NOTIFICATION_FAILED);
  }

  // The managers' list of failures; a member may not see it nor retry.
  v1::ListNotificationsRequest failures;
  failures.set_failed(true);
  v1::ListNotificationsResponse listed;
  ASSERT_TRUE(notifications_->ListNotifications(As("tanaka").get(), failures, &listed).ok());
  EXPECT_EQ(listed.notifications_size(), 2);
  EXPECT_EQ(notifications_->ListNotifications(As("sato").get(), failures, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RetryNotificationRequest retry;
  retry.set_id(log[0].id());
  v1::Notification retried;
  EXPECT_EQ(notifications_->RetryNotification(As("sato").get(), retry, &retried).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A manager's retry is one more attempt now, recorded in the log.
  ASSERT_TRUE(notifications_->RetryNotification(As("tanaka").get(), retry, &retried).ok());
  EXPECT_EQ(retried.state(), v1::Notification::STATE_FAILED);
  EXPECT_EQ(retried.attempts_size(), 2);
  EXPECT_EQ(retried.message_id(), log[0].message_id());
}

TEST_F(NotificationE2eTest, UserWithoutAddressIsShownAsNotTold) {
  User suzuki = *store_->GetUser("suzuki");
  suzuki.email = "";
  ASSERT_TRUE(store_->SetUserContact(suzuki).ok());
  const v1::Incident incident = Report("sato", LateReport());
  EXPECT_EQ(At(27, 16, 50), 1);  // tanaka only
  std::vector<v1::Notification> log = NotificationsOf(incident.id(), "tanaka");
  ASSERT_EQ(log.size(), 2u);
  for (const v1::Notification& n : log) {
    if (n.recipient() != "suzuki") continue;
    EXPECT_EQ(n.state(), v1::Notification::STATE_FAILED);
    ASSERT_EQ(n.attempts_size(), 1);
    EXPECT_TRUE(absl::StrContains(n.attempts(0).answer(), "no mail address"));
  }
}

TEST_F(NotificationE2eTest, DeactivatedManagerIsToldNothing) {
  ASSERT_TRUE(DeactivateUser(*store_, "suzuki").ok());
  const v1::Incident incident = Report("sato", LateReport());
  EXPECT_EQ(At(27, 16, 50), 1);
  ASSERT_TRUE(smtp_->WaitForMessages(1, absl::Seconds(10)));
  EXPECT_EQ(MailsTo("tanaka").size(), 1u);
  EXPECT_TRUE(MailsTo("suzuki").empty());
  std::vector<v1::Notification> log = NotificationsOf(incident.id(), "tanaka");
  ASSERT_EQ(log.size(), 1u);  // not even a row: nothing to deliver, nothing failed
  EXPECT_EQ(log[0].recipient(), "tanaka");
}

TEST_F(NotificationE2eTest, TestMessageOverStartTlsReachesTheCaller) {
  TestCertificates certs = MakeTestCertificates();
  ASSERT_TRUE(certs.error.empty()) << certs.error;
  SmtpServer tls({.cert_file = certs.cert_file, .key_file = certs.key_file});
  ASSERT_TRUE(tls.ok()) << tls.error();
  v1::NotifyConfig notify;
  notify.mutable_smtp()->set_server(tls.address());
  notify.mutable_smtp()->set_from("amends <amends@example.com>");
  notify.mutable_smtp()->set_security(v1::Smtp::SECURITY_STARTTLS);
  notify.mutable_smtp()->set_ca_file(certs.ca_file);
  StartServer({.run_background = false, .notify = notify});
  notifications_ = v1::NotificationService::NewStub(channel_);

  v1::Notification sent;
  grpc::Status s = notifications_->SendTestNotification(As("tanaka").get(), {}, &sent);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(sent.state(), v1::Notification::STATE_SENT) << sent.ShortDebugString();
  ASSERT_TRUE(tls.WaitForMessages(1, absl::Seconds(10)));
  const ReceivedMail mail = tls.Received()[0];
  EXPECT_EQ(mail.Header("To"), "tanaka@example.co.jp");
  EXPECT_EQ(mail.Header("Message-ID"), sent.message_id());
  EXPECT_TRUE(absl::StrContains(mail.Header("Content-Type"), "charset=UTF-8"));
  EXPECT_TRUE(absl::StrContains(mail.Header("Subject"), "=?UTF-8?B?")) << mail.Header("Subject");
  EXPECT_EQ(mail.subject, sent.subject());  // Japanese: tanaka's team writes in ja
  EXPECT_EQ(mail.body, sent.body());
}

TEST_F(NotificationE2eTest, WithoutNotifyNothingIsWrittenAndSendingSaysWhy) {
  StartServer({.run_background = false});
  notifications_ = v1::NotificationService::NewStub(channel_);
  EXPECT_EQ(server_->dispatcher(), nullptr);
  const v1::Incident incident = Report("sato", LateReport());
  EXPECT_TRUE(NotificationsOf(incident.id(), "tanaka").empty());
  v1::Notification sent;
  grpc::Status s = notifications_->SendTestNotification(As("tanaka").get(), {}, &sent);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "--notify")) << s.error_message();
}

TEST_F(NotificationE2eTest, CliShowsTheDeliveryLogFailuresAndTheCallersSettings) {
  SmtpServer refusing({.refuse = 550});
  ASSERT_TRUE(refusing.ok()) << refusing.error();
  StartNotifying(refusing.address());
  const v1::Incident incident = Report("sato", LateReport());
  At(27, 16, 50);

  RunResult r = Amends("sato", {"notifications", absl::StrCat(incident.id())});
  EXPECT_TRUE(absl::StrContains(r.out, "tanaka")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "suzuki")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "failed")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "550")) << r.out;

  r = Amends("tanaka", {"notifications", "--failed"});
  EXPECT_TRUE(absl::StrContains(r.out, "suzuki")) << r.out;
  r = Amends("tanaka", {"inbox"});
  EXPECT_TRUE(absl::StrContains(r.out, "amends notifications retry")) << r.out;
  Amends("sato", {"notifications", "--failed"}, /*want=*/4);  // not a manager

  // The test message goes to the refusing server too: the caller sees why it failed.
  r = Amends("sato", {"notifications", "test"}, /*want=*/1);
  EXPECT_TRUE(absl::StrContains(r.out + r.err, "550")) << r.out << r.err;

  r = Amends("sato", {"me", "--email", "sato@example.jp", "--lang", "en"});
  EXPECT_TRUE(absl::StrContains(r.out, "sato@example.jp")) << r.out;
  r = Amends("sato", {"me", "--lang", "fr"}, /*want=*/2);
  EXPECT_TRUE(absl::StrContains(r.err, "lang")) << r.err;
  r = Amends("sato", {"me"});
  EXPECT_TRUE(absl::StrContains(r.out, "en")) << r.out;
}

TEST_F(NotificationE2eTest, MeSetsTheCallersAddressAndLanguageAndRejectsBadOnes) {
  v1::UpdateMeRequest update;
  update.set_email("sato.new@example.co.jp");
  update.set_language("en");
  v1::Me me;
  ASSERT_TRUE(notifications_->UpdateMe(As("sato").get(), update, &me).ok());
  EXPECT_EQ(me.email(), "sato.new@example.co.jp");
  EXPECT_EQ(me.effective_language(), "en");

  update.set_email("sato at example");
  update.set_language("ja");
  grpc::Status s = notifications_->UpdateMe(As("sato").get(), update, &me);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "email")) << s.error_message();
  ASSERT_TRUE(notifications_->GetMe(As("sato").get(), {}, &me).ok());
  EXPECT_EQ(me.email(), "sato.new@example.co.jp");  // nothing changed
  EXPECT_EQ(me.language(), "en");

  v1::UpdateMeRequest clear;
  clear.set_language("");
  ASSERT_TRUE(notifications_->UpdateMe(As("sato").get(), clear, &me).ok());
  EXPECT_EQ(me.effective_language(), "ja");  // the team's
}

}  // namespace
}  // namespace amends
