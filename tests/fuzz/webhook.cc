// What a webhook posts for a notification (server/mail/webhook.h), for any notification: the
// first byte of an input picks the format, the rest is the notification as protobuf bytes (or,
// when they are not, its subject and body as raw bytes). Promises: Slack's, Teams' and the
// generic body are JSON; nothing users typed can mention anyone ("@") or make markup (Slack's
// "<", Chatwork's tags); the generic body's signature is its HMAC-SHA256 with the secret.
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "curl/curl.h"
#include "nlohmann/json.hpp"
#include "openssl/evp.h"
#include "openssl/hmac.h"
#include "server/mail/webhook.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

constexpr absl::string_view kSecret = "s3cret";

std::string HmacHex(absl::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &size);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(mac), size));
}

std::string UrlDecoded(absl::string_view text) {
  int size = 0;
  char* decoded = curl_easy_unescape(nullptr, text.data(), static_cast<int>(text.size()), &size);
  std::string result(decoded, static_cast<size_t>(size));
  curl_free(decoded);
  return result;
}

void FuzzWebhook(absl::string_view input) {
  if (input.empty()) return;
  v1::Webhook hook;
  hook.set_name("sales-chat");
  hook.set_format(static_cast<v1::WebhookFormat>(static_cast<unsigned char>(input[0]) % 5));
  hook.set_room_id("12345");
  v1::Notification n;
  const absl::string_view rest = input.substr(1);
  if (!n.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) {
    n.Clear();
    n.set_subject(std::string(rest.substr(0, rest.size() / 2)));
    n.set_body(std::string(rest.substr(rest.size() / 2)));
  }
  const WebhookRequest request =
      WebhookRequestFor(hook, "https://chat.example.com/hook", std::string(kSecret), n);
  const std::string& body = request.body;

  if (hook.format() == v1::WEBHOOK_FORMAT_CHATWORK) {
    FUZZ_EXPECT(absl::StartsWith(body, "body="), body);
    std::string text = UrlDecoded(absl::string_view(body).substr(5));
    FUZZ_EXPECT(absl::StartsWith(text, "[info][title]") && absl::EndsWith(text, "[/info]"), text);
    text = absl::StrReplaceAll(text, {{"[info]", ""}, {"[title]", ""}, {"[/title]", ""},
                                      {"[/info]", ""}});
    FUZZ_EXPECT(text.find_first_of("[]@") == std::string::npos, text);
    return;
  }
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  FUZZ_EXPECT(!json.is_discarded(), body);
  if (json.is_discarded()) return;
  if (hook.format() == v1::WEBHOOK_FORMAT_SLACK) {
    const std::string text = json.value("text", "");
    FUZZ_EXPECT(text.find_first_of("<>@") == std::string::npos, text);
  } else if (hook.format() == v1::WEBHOOK_FORMAT_TEAMS) {
    for (const nlohmann::json& block : json["attachments"][0]["content"]["body"]) {
      const std::string text = block.value("text", "");
      FUZZ_EXPECT(text.find('@') == std::string::npos, text);
    }
  } else {  // generic, the default
    std::string signature;
    for (const auto& [name, value] : request.headers) {
      if (name == "X-Amends-Signature") signature = value;
    }
    FUZZ_EXPECT(signature == "sha256=" + HmacHex(body), signature);
  }
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(webhook, amends::FuzzWebhook)
