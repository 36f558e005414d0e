#include "server/mail/webhook.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "server/core/loopback.h"
#include "server/core/text.h"
#include "server/mail/curl_handle.h"
#include "server/mail/notify_config.h"
#include "server/mail/secret_file.h"

namespace amends {
namespace {

constexpr absl::Duration kDefaultTimeout = absl::Seconds(10);
constexpr size_t kMaxAnswer = 300;

absl::Status Invalid(int index, absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("webhook[", index, "].", field, ": ", why));
}

// Nobody is mentioned by what users wrote: "@channel", "@here", "@all" lose their "@".
std::string NoMentions(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"@", "＠"}});
}

// Slack's own escaping (https://api.slack.com/reference/surfaces/formatting#escaping): "<!here>"
// and "<@U123>" stay text.
std::string SlackText(absl::string_view text) {
  return absl::StrReplaceAll(NoMentions(text), {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}});
}

// Chatwork's tags ("[toall]", "[To:123]", "[info]") stay text.
std::string ChatworkText(absl::string_view text) {
  return absl::StrReplaceAll(NoMentions(text), {{"[", "［"}, {"]", "］"}});
}

// `json` as text. User text was checked to be UTF-8 when it came in, but a notification is
// built later, and nlohmann::json throws on an invalid byte: it becomes U+FFFD instead.
std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ProtoJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return ValidUtf8(json);  // the printer passes invalid bytes through
}

std::string HmacSha256Hex(const std::string& key, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string UrlEncode(CURL* curl, const std::string& text) {
  char* escaped = curl_easy_escape(curl, text.data(), static_cast<int>(text.size()));
  std::string out = escaped == nullptr ? "" : escaped;
  curl_free(escaped);
  return out;
}

size_t KeepAnswer(char* data, size_t size, size_t count, void* user) {
  std::string& answer = *static_cast<std::string*>(user);
  if (answer.size() < kMaxAnswer) answer.append(data, std::min(size * count, kMaxAnswer));
  return size * count;
}

// "https://host:port/path" -> whether it may be used: HTTPS, or HTTP to a loopback host.
absl::Status CheckUrl(int index, absl::string_view field, absl::string_view url) {
  absl::string_view rest = url;
  const bool https = absl::ConsumePrefix(&rest, "https://");
  if (!https && !absl::ConsumePrefix(&rest, "http://")) {
    return Invalid(index, field, absl::StrCat("\"", url, "\" is not an http:// or https:// URL"));
  }
  absl::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (absl::StartsWith(host, "[")) {
    host = host.substr(1, host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host.empty()) return Invalid(index, field, absl::StrCat("\"", url, "\" has no host"));
  if (!https && !IsLoopbackHost(host)) {
    return Invalid(index, field,
                   absl::StrCat("plain http:// is allowed only to a loopback host, not ", host,
                                ": use https://"));
  }
  return absl::OkStatus();
}

}  // namespace

WebhookRequest WebhookRequestFor(const v1::Webhook& hook, const std::string& url,
                                 const std::string& secret, const v1::Notification& n) {
  WebhookRequest request{.url = url, .content_type = "application/json; charset=utf-8"};
  switch (hook.format()) {
    case v1::WEBHOOK_FORMAT_SLACK:
      request.body =
          Dump({{"text", absl::StrCat("*", SlackText(n.subject()), "*\n", SlackText(n.body()))}});
      return request;
    case v1::WEBHOOK_FORMAT_TEAMS: {
      // Plain TextBlocks: no mention entities, so nobody is mentioned whatever the text says.
      const nlohmann::json card = {
          {"type", "AdaptiveCard"},
          {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
          {"version", "1.4"},
          {"body",
           {{{"type", "TextBlock"}, {"text", NoMentions(n.subject())}, {"weight", "Bolder"},
             {"wrap", true}},
            {{"type", "TextBlock"}, {"text", NoMentions(n.body())}, {"wrap", true}}}}};
      request.body = Dump({{"type", "message"},
                           {"attachments",
                            {{{"contentType", "application/vnd.microsoft.card.adaptive"},
                              {"content", card}}}}});
      return request;
    }
    case v1::WEBHOOK_FORMAT_CHATWORK: {
      InitCurlOnce();
      CurlHandle curl(curl_easy_init());
      const std::string text = absl::StrCat("[info][title]", ChatworkText(n.subject()),
                                            "[/title]", ChatworkText(n.body()), "[/info]");
      request.url = absl::StrCat(absl::StripSuffix(url, "/"), "/rooms/",
                                 UrlEncode(curl.get(), hook.room_id()), "/messages");
      request.content_type = "application/x-www-form-urlencoded";
      request.body = absl::StrCat("body=", UrlEncode(curl.get(), text));
      request.headers.emplace_back("X-ChatWorkToken", secret);
      return request;
    }
    case v1::WEBHOOK_FORMAT_GENERIC:
    case v1::WEBHOOK_FORMAT_UNSPECIFIED:
    case v1::WebhookFormat_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::WebhookFormat_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  v1::Notification bare = n;
  bare.clear_event();
  bare.clear_attempts();
  request.body = absl::StrCat("{\"notification\":", ProtoJson(bare),
                              ",\"event\":", n.has_event() ? ProtoJson(n.event()) : "null", "}");
  request.headers.emplace_back("X-Amends-Signature",
                               absl::StrCat("sha256=", HmacSha256Hex(secret, request.body)));
  request.headers.emplace_back("X-Amends-Delivery", absl::StrCat(n.id()));
  return request;
}

absl::Status CheckWebhook(const v1::Webhook& hook, int index) {
  if (hook.name().empty()) return Invalid(index, "name", "required, e.g. \"sales-chat\"");
  for (char c : hook.name()) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') {
      return Invalid(index, "name", absl::StrCat("\"", hook.name(), "\" may have only letters, "
                                                 "digits, '-' and '_'"));
    }
  }
  if (hook.url().empty() == hook.url_file().empty()) {
    return Invalid(index, "url", "give exactly one of url and url_file");
  }
  if (!hook.url().empty()) {
    if (absl::Status s = CheckUrl(index, "url", hook.url()); !s.ok()) return s;
  }
  switch (hook.format()) {
    case v1::WEBHOOK_FORMAT_SLACK:
    case v1::WEBHOOK_FORMAT_TEAMS:
      break;
    case v1::WEBHOOK_FORMAT_CHATWORK:
      if (hook.room_id().empty()) return Invalid(index, "room_id", "required for Chatwork");
      if (hook.secret_file().empty()) {
        return Invalid(index, "secret_file", "required for Chatwork: the file with the API token");
      }
      break;
    case v1::WEBHOOK_FORMAT_GENERIC:
      if (hook.secret_file().empty()) {
        return Invalid(index, "secret_file",
                       "required for a generic webhook: the file with the signing key");
      }
      break;
    case v1::WEBHOOK_FORMAT_UNSPECIFIED:
    case v1::WebhookFormat_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::WebhookFormat_INT_MAX_SENTINEL_DO_NOT_USE_:
      return Invalid(index, "format",
                     "required: WEBHOOK_FORMAT_SLACK, WEBHOOK_FORMAT_TEAMS, "
                     "WEBHOOK_FORMAT_CHATWORK or WEBHOOK_FORMAT_GENERIC");
  }
  if (!hook.timeout().empty() &&
      DurationOr(hook.timeout(), absl::ZeroDuration()) == absl::ZeroDuration()) {
    return Invalid(index, "timeout",
                   absl::StrCat("\"", hook.timeout(), "\" is not a positive duration like 10s"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<WebhookSender>> WebhookSender::Make(const v1::Webhook& hook) {
  const std::string field = absl::StrCat("webhook ", hook.name());
  std::string url = hook.url();
  if (!hook.url_file().empty()) {
    absl::StatusOr<std::string> read = ReadSecretFile(field + ": url_file", hook.url_file());
    if (!read.ok()) return read.status();
    url = *std::move(read);
    if (absl::Status s = CheckUrl(0, "url_file", url); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": url_file ", hook.url_file(), ": ",
          absl::StripPrefix(s.message(), "webhook[0].url_file: ")));
    }
  }
  std::string secret;
  if (!hook.secret_file().empty()) {
    absl::StatusOr<std::string> read =
        ReadSecretFile(field + ": secret_file", hook.secret_file());
    if (!read.ok()) return read.status();
    secret = *std::move(read);
  }
  if (!hook.ca_file().empty()) {
    absl::StatusOr<std::string> ca = ReadConfigFile(field + ": ca_file", hook.ca_file());
    if (!ca.ok()) return ca.status();
  }
  InitCurlOnce();
  return std::unique_ptr<WebhookSender>(
      new WebhookSender(hook, std::move(url), std::move(secret),
                        DurationOr(hook.timeout(), kDefaultTimeout)));
}

MailOutcome WebhookSender::Send(const v1::Notification& n) const {
  const WebhookRequest request = WebhookRequestFor(hook_, url_, secret_, n);
  MailOutcome outcome;
  CurlHandle curl(curl_easy_init());
  if (curl == nullptr) {
    outcome.answer = "libcurl: cannot make a handle";
    return outcome;
  }
  curl_slist* list = nullptr;
  list = curl_slist_append(list, absl::StrCat("Content-Type: ", request.content_type).c_str());
  for (const auto& [name, value] : request.headers) {
    list = curl_slist_append(list, absl::StrCat(name, ": ", value).c_str());
  }
  CurlList headers(list);
  std::string answer;
  char error[CURL_ERROR_SIZE] = {0};
  const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(timeout_));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepAnswer);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!hook_.ca_file().empty()) curl_easy_setopt(c, CURLOPT_CAINFO, hook_.ca_file().c_str());
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    outcome.answer = absl::StrCat(hook_.name(), ": ", *error ? error : curl_easy_strerror(code));
    // A URL or TLS setting that cannot work will not work next time either.
    outcome.permanent = code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT;
    return outcome;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  std::string line = absl::StrCat(
      status, " ", absl::StripAsciiWhitespace(absl::StrReplaceAll(answer, {{"\n", " "},
                                                                           {"\r", " "}})));
  if (line.size() > kMaxAnswer) line.resize(kMaxAnswer);
  outcome.answer = absl::StrCat(hook_.name(), ": ", absl::StripAsciiWhitespace(line));
  outcome.delivered = status >= 200 && status < 300;
  outcome.permanent = status >= 400 && status < 500 && status != 408 && status != 429;
  return outcome;
}

}  // namespace amends
