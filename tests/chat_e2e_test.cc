// Chat channels end to end: an in-process amendsd with a fake clock posts to real HTTPS
// receivers (tests/http_receiver.py, certificate made by openssl) and mails a real SMTP server.
// A team channel hears the team's news but nothing confidential; a personal webhook that fails
// falls through to mail; a webhook that hangs never delays mail.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/admin.h"
#include "tests/http_receiver.h"
#include "tests/service_fixture.h"
#include "tests/smtp_server.h"
#include "tests/test_certificates.h"

namespace amends {
namespace {

class ChatE2eTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    for (const char* name : {"sato", "yamada", "tanaka", "suzuki"}) {
      User user = *store_->GetUser(name);
      user.email = absl::StrCat(name, "@example.co.jp");
      ASSERT_TRUE(store_->SetUserContact(user).ok());
    }
    smtp_ = std::make_unique<SmtpServer>();
    ASSERT_TRUE(smtp_->ok()) << smtp_->error();
  }

  // Serves with `hooks` (each posting to its receiver) and the team channel of tokyo-sales on
  // the first.
  void StartNotifying(const std::vector<std::pair<v1::Webhook, const HttpReceiver*>>& hooks,
                      bool team_channel = true, int parallel = 4) {
    v1::NotifyConfig notify;
    notify.mutable_smtp()->set_server(smtp_->address());
    notify.mutable_smtp()->set_from("amends@example.com");
    notify.mutable_retry()->set_attempts(3);
    notify.mutable_retry()->set_first_wait("1m");
    notify.set_parallel(parallel);
    for (auto [hook, receiver] : hooks) {
      hook.set_url(receiver->url("/hook"));
      hook.set_ca_file(certs_.ca_file);
      *notify.add_webhook() = hook;
    }
    if (team_channel) {
      v1::TeamChannel* channel = notify.add_team_channel();
      channel->set_team("tokyo-sales");
      channel->set_webhook(hooks.front().first.name());
    }
    StartServer({.run_background = false, .notify = notify});
  }

  static v1::Webhook Slack(const std::string& name) {
    v1::Webhook hook;
    hook.set_name(name);
    hook.set_format(v1::WEBHOOK_FORMAT_SLACK);
    return hook;
  }

  void GiveWebhook(const std::string& user, const std::string& webhook) {
    ASSERT_TRUE(EditUserContact(*store_, user, {.webhook = webhook}).ok());
  }

  // Moves the fake clock to a Tokyo time on Friday 27 November 2026, fires what is due and
  // delivers what is due. Returns how many deliveries were tried.
  int At(int hour, int minute) {
    clock_.Set(TokyoTime(2026, 11, 27, hour, minute));
    server_->scheduler().RunDue();
    return server_->dispatcher()->RunDue();
  }

  std::vector<v1::Notification> Log(int64_t incident) {
    absl::StatusOr<std::vector<v1::Notification>> log =
        store_->ListNotifications({.incident_id = incident});
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *log : std::vector<v1::Notification>{};
  }

  TestCertificates certs_ = MakeTestCertificates();
  std::unique_ptr<SmtpServer> smtp_;
};

TEST_F(ChatE2eTest, TeamChannelHearsTheTeamsNewsButNothingConfidential) {
  HttpReceiver channel({.cert_file = certs_.cert_file, .key_file = certs_.key_file});
  ASSERT_TRUE(channel.ok()) << channel.error();
  StartNotifying({{Slack("sales-chat"), &channel}});
  At(16, 50);
  Report("sato", MissedAppointment());  // HIGH: the managers by mail, the team's channel
  v1::ReportIncidentRequest harassment = MissedAppointment();
  harassment.set_kind(v1::KIND_HARASSMENT);
  harassment.set_summary("先方課長から担当者への威圧的な言動");
  Report("sato", harassment);
  At(16, 51);
  ASSERT_TRUE(channel.WaitForRequests(1, absl::Seconds(10)));
  const std::vector<ReceivedRequest> posted = channel.Received();
  ASSERT_EQ(posted.size(), 1u);
  const std::string text = nlohmann::json::parse(posted[0].body).at("text");
  EXPECT_TRUE(absl::StrContains(text, "ＡＢＣ商事")) << text;
  EXPECT_TRUE(absl::StrContains(text, "New incident reported")) << text;
  for (const ReceivedRequest& r : posted) {
    EXPECT_FALSE(absl::StrContains(r.body, "威圧")) << r.body;
  }
  // The managers were still mailed about both.
  EXPECT_TRUE(smtp_->WaitForMessages(4, absl::Seconds(10)));
}

TEST_F(ChatE2eTest, FailingPersonalWebhookFallsThroughToMailAndTheLogShowsIt) {
  HttpReceiver channel({.cert_file = certs_.cert_file, .key_file = certs_.key_file});
  HttpReceiver broken({.cert_file = certs_.cert_file, .key_file = certs_.key_file,
                       .status = "500"});
  ASSERT_TRUE(channel.ok() && broken.ok()) << channel.error() << broken.error();
  StartNotifying({{Slack("sales-chat"), &channel}, {Slack("tanaka-dm"), &broken}});
  GiveWebhook("tanaka", "tanaka-dm");
  At(16, 50);
  const v1::Incident incident = Report("sato", MissedAppointment());
  At(16, 50);  // tanaka's webhook: 500
  At(16, 52);  // again, after about a minute
  At(16, 55);  // the third and last: it gives up, and mail is due at once
  At(16, 55);
  ASSERT_TRUE(smtp_->WaitForMessages(2, absl::Seconds(10)));  // tanaka, and suzuki
  EXPECT_EQ(broken.Received().size(), 3u);
  for (const v1::Notification& n : Log(incident.id())) {
    if (n.recipient() != "tanaka") continue;
    EXPECT_EQ(n.state(), v1::Notification::STATE_SENT);
    EXPECT_EQ(n.channel(), "mail");
    ASSERT_EQ(n.attempts_size(), 4);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(n.attempts(i).channel(), "webhook:tanaka-dm");
      EXPECT_FALSE(n.attempts(i).ok());
      EXPECT_EQ(n.attempts(i).answer(), "tanaka-dm: 500 no");
    }
    EXPECT_EQ(n.attempts(3).channel(), "mail");
    EXPECT_TRUE(n.attempts(3).ok());
  }
}

TEST_F(ChatE2eTest, WebhookThatHangsNeverDelaysMail) {
  HttpReceiver hanging({.cert_file = certs_.cert_file, .key_file = certs_.key_file,
                        .hold_seconds = 10});
  ASSERT_TRUE(hanging.ok()) << hanging.error();
  v1::Webhook hook = Slack("sales-chat");
  hook.set_timeout("3s");
  StartNotifying({{hook, &hanging}}, /*team_channel=*/false, /*parallel=*/2);
  for (const char* user : {"yamada", "suzuki"}) GiveWebhook(user, "sales-chat");
  At(16, 50);
  v1::ReportIncidentRequest low = MissedAppointment();
  low.set_severity(v1::SEVERITY_LOW);
  const v1::Incident incident = Report("sato", low);
  auto assign = [&](const std::string& to) {
    v1::AssignRequest request;
    request.set_id(incident.id());
    request.set_new_owner(to);
    request.set_note("担当替え");
    v1::Incident out;
    // Nobody is told of what they did themselves: another manager hands it to tanaka.
    const std::string by = to == "tanaka" ? "suzuki" : "tanaka";
    ASSERT_TRUE(stub_->Assign(As(by).get(), request, &out).ok());
  };
  // Two routine messages for the hung receiver, enough to hold both routine workers if a
  // webhook could take more than one...
  assign("yamada");
  assign("suzuki");
  server_->dispatcher()->Start();
  ASSERT_TRUE(hanging.WaitForRequests(1, absl::Seconds(10)));
  // ... then a routine mail: it goes at once all the same.
  assign("tanaka");
  server_->dispatcher()->Wake();
  const absl::Time start = absl::Now();
  ASSERT_TRUE(smtp_->WaitForMessages(1, absl::Seconds(10)));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2)) << "the mail waited for the webhook";
  EXPECT_EQ(hanging.Received().size(), 1u) << "one message at a time to the hung receiver";
  server_->dispatcher()->Stop();
}

}  // namespace
}  // namespace amends
