#include "server/mail/notify_config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "server/core/loopback.h"
#include "server/core/textproto_checker.h"
#include "server/mail/mime.h"
#include "server/mail/webhook.h"

namespace amends {
namespace {

constexpr absl::Duration kDefaultTimeout = absl::Seconds(30);

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

bool HasControl(absl::string_view text) { return HeaderSafe(text) != text; }

// A positive, finite duration ("30s", "10m", "1h30m"); `field` names it in the error.
absl::StatusOr<absl::Duration> PositiveDuration(absl::string_view field, absl::string_view text) {
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d == absl::InfiniteDuration()) {
    return Invalid(field, absl::StrCat("\"", text, "\" is not a duration like 30s, 10m or 2h"));
  }
  if (d <= absl::ZeroDuration()) {
    return Invalid(field, absl::StrCat("\"", text, "\" must be positive"));
  }
  return d;
}

// `value` of `field` within [low, high]; unset (0 and not written) is the default.
absl::Status CheckRange(const TextprotoChecker& check, absl::string_view field, int value,
                        int low, int high) {
  if (value == 0 && !check.Written(field)) return absl::OkStatus();
  if (value < low || value > high) {
    return check.Error(field, absl::StrCat(field, ": ", value, " is not between ", low, " and ",
                                           high));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SmtpEndpoint> ParseSmtpServer(absl::string_view server) {
  constexpr absl::string_view kField = "smtp.server";
  const std::string quoted = absl::StrCat("\"", server, "\"");
  if (server.empty()) return Invalid(kField, "required, as HOST:PORT (mail.example.com:587)");
  SmtpEndpoint endpoint;
  absl::string_view host, port;
  if (absl::StartsWith(server, "[")) {  // [::1]:25
    size_t close = server.find("]:");
    if (close == server.npos) return Invalid(kField, absl::StrCat(quoted, " is not [IPV6]:PORT"));
    host = server.substr(1, close - 1);
    port = server.substr(close + 2);
    in6_addr v6;
    if (inet_pton(AF_INET6, std::string(host).c_str(), &v6) != 1) {
      return Invalid(kField, absl::StrCat(quoted, ": ", host, " is not an IPv6 address"));
    }
  } else {
    size_t colon = server.rfind(':');
    if (colon == server.npos) {
      return Invalid(kField, absl::StrCat(quoted, " has no port: write HOST:PORT, "
                                                  "e.g. mail.example.com:587"));
    }
    host = server.substr(0, colon);
    port = server.substr(colon + 1);
    if (absl::StrContains(host, ':')) {
      return Invalid(kField, absl::StrCat(quoted, ": write an IPv6 address in brackets, [::1]:25"));
    }
    for (char c : host) {
      if (!absl::ascii_isalnum(c) && c != '.' && c != '-' && c != '_') {
        return Invalid(kField, absl::StrCat(quoted, ": the host name has a '", std::string(1, c),
                                            "'"));
      }
    }
  }
  if (host.empty()) return Invalid(kField, absl::StrCat(quoted, " has no host"));
  if (port.empty() || port.find_first_not_of("0123456789") != port.npos ||
      !absl::SimpleAtoi(port, &endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
    return Invalid(kField, absl::StrCat(quoted, ": the port must be a number from 1 to 65535"));
  }
  endpoint.host = std::string(host);
  endpoint.loopback = IsLoopbackHost(endpoint.host);
  return endpoint;
}

absl::Status CheckSmtp(const v1::Smtp& smtp) {
  absl::StatusOr<SmtpEndpoint> endpoint = ParseSmtpServer(smtp.server());
  if (!endpoint.ok()) return endpoint.status();

  if (smtp.from().empty()) {
    return Invalid("smtp.from", "required, e.g. \"amends <amends@example.com>\"");
  }
  const std::string address = BareAddress(smtp.from());
  if (HasControl(smtp.from()) || !absl::StrContains(address, '@') ||
      address.find_first_of(" <>") != address.npos) {
    return Invalid("smtp.from", absl::StrCat("\"", smtp.from(),
                                             "\" is not an address like amends@example.com or "
                                             "\"amends <amends@example.com>\""));
  }

  if (!v1::Smtp::Security_IsValid(smtp.security())) {
    return Invalid("smtp.security", absl::StrCat(smtp.security(), " is not a known security"));
  }
  if (smtp.security() == v1::Smtp::SECURITY_PLAIN && !endpoint->loopback) {
    return Invalid("smtp.security",
                   absl::StrCat("SECURITY_PLAIN would send mail and passwords unencrypted: it is "
                                "allowed only to a loopback server (127.0.0.1, ::1, localhost), "
                                "not ",
                                endpoint->host));
  }

  if (smtp.username().empty() != smtp.password_file().empty()) {
    return smtp.username().empty()
               ? Invalid("smtp.password_file", "given without smtp.username: give both or neither")
               : Invalid("smtp.username", "given without smtp.password_file: give both or neither");
  }
  if (HasControl(smtp.username())) {
    return Invalid("smtp.username", "must not contain control characters");
  }

  if (!smtp.timeout().empty()) {
    absl::StatusOr<absl::Duration> timeout = PositiveDuration("smtp.timeout", smtp.timeout());
    if (!timeout.ok()) return timeout.status();
  }
  return absl::OkStatus();
}

absl::Duration DurationOr(absl::string_view text, absl::Duration fallback) {
  absl::Duration d;
  if (text.empty() || !absl::ParseDuration(text, &d) || d <= absl::ZeroDuration() ||
      d == absl::InfiniteDuration()) {
    return fallback;
  }
  return d;
}

absl::Duration SmtpTimeoutOf(const v1::Smtp& smtp) {
  return DurationOr(smtp.timeout(), kDefaultTimeout);
}

absl::StatusOr<v1::NotifyConfig> ParseNotifyConfig(absl::string_view text,
                                                   absl::string_view source) {
  v1::NotifyConfig config;
  google::protobuf::TextFormat::ParseInfoTree tree;
  if (absl::Status parsed = ParseTextproto(text, source, &config, &tree); !parsed.ok()) {
    return parsed;
  }
  const TextprotoChecker check(source, config, tree);

  if (!config.has_smtp()) {
    return check.Error("smtp", "smtp: required, e.g. smtp { server: \"127.0.0.1:25\" "
                               "from: \"amends@example.com\" }");
  }
  if (absl::Status smtp = CheckSmtp(config.smtp()); !smtp.ok()) {
    // The message starts with the field's path ("smtp.server: ...").
    absl::string_view message = smtp.message();
    return check.Error(message.substr(0, message.find(':')), message);
  }

  if (absl::Status s = CheckRange(check, "retry.attempts", config.retry().attempts(), 1, 20);
      !s.ok()) {
    return s;
  }
  if (check.Written("retry.first_wait") || !config.retry().first_wait().empty()) {
    absl::StatusOr<absl::Duration> wait =
        PositiveDuration("retry.first_wait", config.retry().first_wait());
    if (!wait.ok()) return check.ErrorAt("retry.first_wait", wait.status());
  }
  if (absl::Status s = CheckRange(check, "parallel", config.parallel(), 1, 64); !s.ok()) {
    return s;
  }
  std::set<std::string> webhooks;
  for (int i = 0; i < config.webhook_size(); ++i) {
    const std::string at = absl::StrCat("webhook[", i, "]");
    if (absl::Status s = CheckWebhook(config.webhook(i), i); !s.ok()) {
      absl::string_view message = s.message();
      return check.Error(message.substr(0, message.find(':')), message);
    }
    if (!webhooks.insert(config.webhook(i).name()).second) {
      return check.Error(at + ".name", absl::StrCat(at, ".name: \"", config.webhook(i).name(),
                                                    "\" is defined twice"));
    }
  }
  std::set<std::string> teams;
  for (int i = 0; i < config.team_channel_size(); ++i) {
    const v1::TeamChannel& channel = config.team_channel(i);
    const std::string at = absl::StrCat("team_channel[", i, "]");
    if (channel.team().empty()) return check.Error(at, absl::StrCat(at, ".team: required"));
    if (!teams.insert(channel.team()).second) {
      return check.Error(at + ".team", absl::StrCat(at, ".team: ", channel.team(),
                                                    " already has a channel"));
    }
    if (!webhooks.contains(channel.webhook())) {
      return check.Error(at + ".webhook",
                         absl::StrCat(at, ".webhook: no webhook named \"", channel.webhook(),
                                      "\" (define it with webhook { name: ... })"));
    }
  }
  return config;
}

NotifySettings NotifySettingsOf(const v1::NotifyConfig& config) {
  NotifySettings settings;
  if (config.retry().attempts() > 0) settings.attempts = config.retry().attempts();
  absl::Duration wait;
  if (absl::ParseDuration(config.retry().first_wait(), &wait) && wait > absl::ZeroDuration() &&
      wait != absl::InfiniteDuration()) {
    settings.first_wait = wait;
  }
  if (config.parallel() > 0) settings.parallel = config.parallel();
  settings.smtp_timeout = SmtpTimeoutOf(config.smtp());
  return settings;
}

}  // namespace amends
