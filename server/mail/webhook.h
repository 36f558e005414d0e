// Webhooks: notifications posted to chat (Slack, Microsoft Teams, Chatwork) or to any HTTP(S)
// receiver (generic, signed), through libcurl. Configured by notify.proto's Webhook.
//
// WebhookRequestFor() builds what one attempt posts; it is pure. Text that came from users
// cannot mention anyone or break the markup: "@" becomes "＠" everywhere, Slack's "&<>" are
// escaped (so "<!here>" stays text), Chatwork's "[" becomes "［" (so "[toall]" stays text), and
// Teams gets no mention entities at all. The generic format carries the notification and its
// event as protobuf JSON, signed: X-Amends-Signature: sha256=<hex HMAC-SHA256 of the body with
// the secret>, and X-Amends-Delivery: <the notification's id> for de-duplication.
//
// WebhookSender posts it: 2xx is delivered; 400-499 (but 408 and 429) is permanent, as is a
// configuration libcurl refuses; anything else (5xx, timeouts, refused connections) is
// temporary. Make() reads url_file and secret_file once. Send() may be called from several
// threads at once.
#ifndef AMENDS_SERVER_MAIL_WEBHOOK_H_
#define AMENDS_SERVER_MAIL_WEBHOOK_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "amends/v1/notify.pb.h"
#include "server/mail/mailer.h"

namespace amends {

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  std::string content_type;
  std::string body;
};

// What posting `n` to `hook` sends. `url` and `secret` are the configured ones (url_file's and
// secret_file's contents read).
WebhookRequest WebhookRequestFor(const v1::Webhook& hook, const std::string& url,
                                 const std::string& secret, const v1::Notification& n);

// Every check of a webhook that needs no file: name, exactly one of url and url_file, the
// URL's scheme (HTTP only to a loopback host), format, secret_file and room_id where the format
// needs them, timeout. INVALID_ARGUMENT whose message starts with "webhook[INDEX].FIELD: ".
absl::Status CheckWebhook(const v1::Webhook& hook, int index);

class WebhookSender;
// The configured webhooks by name, as the dispatcher looks them up.
using WebhookSenders = absl::flat_hash_map<std::string, std::unique_ptr<WebhookSender>>;

class WebhookSender {
 public:
  // Reads url_file and secret_file; checks ca_file can be read.
  static absl::StatusOr<std::unique_ptr<WebhookSender>> Make(const v1::Webhook& hook);

  // One attempt, bounded by the webhook's timeout.
  MailOutcome Send(const v1::Notification& n) const;

  const std::string& name() const { return hook_.name(); }

 private:
  WebhookSender(v1::Webhook hook, std::string url, std::string secret, absl::Duration timeout)
      : hook_(std::move(hook)), url_(std::move(url)), secret_(std::move(secret)),
        timeout_(timeout) {}

  const v1::Webhook hook_;
  const std::string url_;
  const std::string secret_;
  const absl::Duration timeout_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_MAIL_WEBHOOK_H_
