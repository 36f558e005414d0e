// Webhooks against a real HTTP(S) receiver (tests/http_receiver.py) with a certificate made by
// openssl at test time: each format's payload, the generic format's signature and delivery
// header, mentions that users wrote neutralised, and how failures count.
#include "server/mail/webhook.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/text.h"
#include "tests/http_receiver.h"
#include "tests/test_certificates.h"

namespace amends {
namespace {

// DOMAIN.md case 2's breach, with a summary that tries to wake everyone.
v1::Notification Breach() {
  v1::Notification n;
  n.set_id(42);
  n.set_incident_id(12);
  n.set_team("営業一課");
  n.set_recipient("tanaka");
  n.set_reason(v1::Notification::REASON_BREACH);
  n.set_subject("[amends #12] 期限超過：エスカレーション（<!here> 企画部）");
  n.set_body(
      "@channel 長年のお客様から苦情 [toall] <@U123> & more\n次の対応：amends approve 12\n");
  n.mutable_event()->set_sequence(7);
  n.mutable_event()->set_incident_id(12);
  n.mutable_event()->set_type(v1::EVENT_TYPE_DEADLINE_BREACHED);
  return n;
}

class WebhookTest : public ::testing::Test {
 protected:
  // A sender for `hook` posting to an HTTPS receiver answering `status`.
  std::unique_ptr<WebhookSender> SenderTo(v1::Webhook hook, HttpReceiver& receiver,
                                          const std::string& path = "/hook") {
    hook.set_name("sales-chat");
    if (hook.url().empty()) hook.set_url(receiver.url(path));
    hook.set_ca_file(certs_.ca_file);
    absl::StatusOr<std::unique_ptr<WebhookSender>> sender = WebhookSender::Make(hook);
    EXPECT_TRUE(sender.ok()) << sender.status();
    return sender.ok() ? *std::move(sender) : nullptr;
  }

  std::string SecretFile(const std::string& secret) {
    const std::string path = dir_.File("secret");
    std::ofstream(path) << secret << "\n";
    return path;
  }

  TestCertificates certs_ = MakeTestCertificates();
  TempDir dir_{"amends-webhook"};
};

// Found by the webhook fuzz target: nlohmann::json threw on an invalid byte, which ended
// amendsd, and the generic format passed it on. Text is checked to be UTF-8 when it comes in;
// what slips through still makes a body of valid UTF-8 JSON.
TEST(WebhookRequestFor, AnInvalidByteStillMakesValidJsonInEveryFormat) {
  v1::Notification n = Breach();
  n.set_subject("[amends #12] 期限超過 \xff\xe4\xbd");
  for (v1::WebhookFormat format :
       {v1::WEBHOOK_FORMAT_SLACK, v1::WEBHOOK_FORMAT_TEAMS, v1::WEBHOOK_FORMAT_GENERIC}) {
    v1::Webhook hook;
    hook.set_format(format);
    const WebhookRequest request = WebhookRequestFor(hook, "https://chat.example.com", "", n);
    EXPECT_FALSE(nlohmann::json::parse(request.body, nullptr, false).is_discarded())
        << request.body;
    EXPECT_TRUE(CheckBytes("body", request.body, request.body.size()).ok()) << request.body;
    if (format != v1::WEBHOOK_FORMAT_GENERIC) {
      EXPECT_TRUE(absl::StrContains(request.body, "期限超過 \uFFFD")) << request.body;
    }
  }
}

TEST_F(WebhookTest, SlackGetsTextWithEveryMentionNeutralised) {
  HttpReceiver receiver({.cert_file = certs_.cert_file, .key_file = certs_.key_file});
  ASSERT_TRUE(receiver.ok()) << receiver.error();
  v1::Webhook hook;
  hook.set_format(v1::WEBHOOK_FORMAT_SLACK);
  const MailOutcome outcome = SenderTo(hook, receiver)->Send(Breach());
  EXPECT_TRUE(outcome.delivered) << outcome.answer;
  EXPECT_EQ(outcome.answer, "sales-chat: 200 ok");
  ASSERT_EQ(receiver.Received().size(), 1u);
  const ReceivedRequest r = receiver.Received()[0];
  EXPECT_EQ(r.path, "/hook");
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
  const std::string text = nlohmann::json::parse(r.body).at("text");
  EXPECT_TRUE(absl::StartsWith(
      text, "*[amends #12] 期限超過：エスカレーション（&lt;!here&gt; 企画部）*\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "＠channel 長年のお客様から苦情")) << text;
  EXPECT_TRUE(absl::StrContains(text, "&lt;＠U123&gt; &amp; more")) << text;
  EXPECT_FALSE(absl::StrContains(text, "<!")) << text;
}

TEST_F(WebhookTest, TeamsGetsAnAdaptiveCardWithoutMentions) {
  HttpReceiver receiver({.cert_file = certs_.cert_file, .key_file = certs_.key_file});
  ASSERT_TRUE(receiver.ok()) << receiver.error();
  v1::Webhook hook;
  hook.set_format(v1::WEBHOOK_FORMAT_TEAMS);
  EXPECT_TRUE(SenderTo(hook, receiver)->Send(Breach()).delivered);
  ASSERT_EQ(receiver.Received().size(), 1u);
  const nlohmann::json message = nlohmann::json::parse(receiver.Received()[0].body);
  EXPECT_EQ(message.at("type"), "message");
  const nlohmann::json& attachment = message.at("attachments").at(0);
  EXPECT_EQ(attachment.at("contentType"), "application/vnd.microsoft.card.adaptive");
  const nlohmann::json& card = attachment.at("content");
  EXPECT_EQ(card.at("type"), "AdaptiveCard");
  EXPECT_FALSE(card.contains("msteams")) << "no mention entities";
  EXPECT_EQ(card.at("body").at(0).at("text"),
            "[amends #12] 期限超過：エスカレーション（<!here> 企画部）");
  EXPECT_TRUE(absl::StartsWith(std::string(card.at("body").at(1).at("text")), "＠channel"));
}

TEST_F(WebhookTest, ChatworkPostsToTheRoomWithItsTokenAndNoToall) {
  HttpReceiver receiver({.cert_file = certs_.cert_file, .key_file = certs_.key_file});
  ASSERT_TRUE(receiver.ok()) << receiver.error();
  v1::Webhook hook;
  hook.set_format(v1::WEBHOOK_FORMAT_CHATWORK);
  hook.set_url(receiver.url("/v2"));
  hook.set_room_id("123456");
  hook.set_secret_file(SecretFile("cw-token-abc"));
  EXPECT_TRUE(SenderTo(hook, receiver)->Send(Breach()).delivered);
  ASSERT_EQ(receiver.Received().size(), 1u);
  const ReceivedRequest r = receiver.Received()[0];
  EXPECT_EQ(r.path, "/v2/rooms/123456/messages");
  EXPECT_EQ(r.Header("x-chatworktoken"), "cw-token-abc");
  EXPECT_EQ(r.Header("content-type"), "application/x-www-form-urlencoded");
  ASSERT_TRUE(absl::StartsWith(r.body, "body="));
  std::string text;
  {
    // Form-decoded: %XX and '+'.
    std::string encoded = r.body.substr(5);
    for (size_t i = 0; i < encoded.size(); ++i) {
      if (encoded[i] == '%' && i + 2 < encoded.size()) {
        text += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        text += encoded[i] == '+' ? ' ' : encoded[i];
      }
    }
  }
  EXPECT_TRUE(absl::StartsWith(text, "[info][title]［amends #12］ 期限超過")) << text;
  EXPECT_TRUE(absl::EndsWith(text, "[/info]")) << text;
  EXPECT_TRUE(absl::StrContains(text, "［toall］")) << text;
  EXPECT_FALSE(absl::StrContains(text, "[toall]")) << text;
}

TEST_F(WebhookTest, GenericCarriesNotificationAndEventSignedWithTheSecret) {
  HttpReceiver receiver({.cert_file = certs_.cert_file, .key_file = certs_.key_file});
  ASSERT_TRUE(receiver.ok()) << receiver.error();
  v1::Webhook hook;
  hook.set_format(v1::WEBHOOK_FORMAT_GENERIC);
  hook.set_secret_file(SecretFile("s3cret-key"));
  EXPECT_TRUE(SenderTo(hook, receiver)->Send(Breach()).delivered);
  ASSERT_EQ(receiver.Received().size(), 1u);
  const ReceivedRequest r = receiver.Received()[0];
  EXPECT_EQ(r.Header("x-amends-delivery"), "42");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const std::string key = "s3cret-key";
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(r.body.data()), r.body.size(), digest, &length);
  EXPECT_EQ(r.Header("x-amends-signature"),
            absl::StrCat("sha256=", absl::BytesToHexString(absl::string_view(
                                        reinterpret_cast<const char*>(digest), length))));
  const nlohmann::json payload = nlohmann::json::parse(r.body);
  EXPECT_EQ(payload.at("notification").at("id"), "42");  // int64 as protobuf JSON writes it
  EXPECT_EQ(payload.at("notification").at("reason"), "REASON_BREACH");
  EXPECT_EQ(payload.at("event").at("type"), "EVENT_TYPE_DEADLINE_BREACHED");
  EXPECT_EQ(payload.at("event").at("sequence"), "7");
}

TEST_F(WebhookTest, ServerErrorsAndTimeoutsAreRetriedClientErrorsAreNot) {
  HttpReceiver failing({.cert_file = certs_.cert_file, .key_file = certs_.key_file,
                        .status = "500,404"});
  ASSERT_TRUE(failing.ok()) << failing.error();
  v1::Webhook hook;
  hook.set_format(v1::WEBHOOK_FORMAT_SLACK);
  std::unique_ptr<WebhookSender> sender = SenderTo(hook, failing);
  MailOutcome outcome = sender->Send(Breach());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.permanent);
  EXPECT_EQ(outcome.answer, "sales-chat: 500 no");
  outcome = sender->Send(Breach());
  EXPECT_TRUE(outcome.permanent) << outcome.answer;

  HttpReceiver hanging({.cert_file = certs_.cert_file, .key_file = certs_.key_file,
                        .hold_seconds = 5});
  ASSERT_TRUE(hanging.ok()) << hanging.error();
  hook.set_timeout("1s");
  outcome = SenderTo(hook, hanging)->Send(Breach());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.permanent);
  EXPECT_TRUE(absl::StrContains(outcome.answer, "imed out")) << outcome.answer;
}

TEST_F(WebhookTest, UrlFileIsReadAndCheckedLikeAUrl) {
  v1::Webhook hook;
  hook.set_name("sales-chat");
  hook.set_format(v1::WEBHOOK_FORMAT_SLACK);
  hook.set_url_file(SecretFile("http://chat.example.com/hooks/T000/B000/XXXX"));
  absl::StatusOr<std::unique_ptr<WebhookSender>> sender = WebhookSender::Make(hook);
  EXPECT_EQ(sender.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(sender.status().message(),
                                "plain http:// is allowed only to a loopback host"))
      << sender.status();
  hook.set_url_file(dir_.File("missing"));
  EXPECT_TRUE(absl::StartsWith(WebhookSender::Make(hook).status().message(),
                               "webhook sales-chat: url_file: cannot read "))
      << WebhookSender::Make(hook).status();
}

TEST_F(WebhookTest, ConfigurationMistakesNameTheField) {
  v1::Webhook hook;
  hook.set_name("sales chat");
  EXPECT_EQ(CheckWebhook(hook, 0).message(),
            "webhook[0].name: \"sales chat\" may have only letters, digits, '-' and '_'");
  hook.set_name("sales-chat");
  EXPECT_EQ(CheckWebhook(hook, 1).message(),
            "webhook[1].url: give exactly one of url and url_file");
  hook.set_url("ftp://example.com/x");
  EXPECT_EQ(CheckWebhook(hook, 0).message(),
            "webhook[0].url: \"ftp://example.com/x\" is not an http:// or https:// URL");
  hook.set_url("https://hooks.example.com/x");
  EXPECT_TRUE(absl::StartsWith(CheckWebhook(hook, 0).message(), "webhook[0].format: required"));
  hook.set_format(v1::WEBHOOK_FORMAT_GENERIC);
  EXPECT_TRUE(absl::StartsWith(CheckWebhook(hook, 0).message(), "webhook[0].secret_file: "));
  hook.set_format(v1::WEBHOOK_FORMAT_CHATWORK);
  EXPECT_EQ(CheckWebhook(hook, 0).message(), "webhook[0].room_id: required for Chatwork");
  hook.set_format(v1::WEBHOOK_FORMAT_SLACK);
  EXPECT_TRUE(CheckWebhook(hook, 0).ok());
}

}  // namespace
}  // namespace amends
